from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _


class Command(BaseCommand):
    help = _(
        "Loads the demo: the Lębork and Leszno projects with their partners, quotas and "
        "users. Safe to run again. Refuses to run when DEBUG is off."
    )

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG:
            raise CommandError(
                _("The demo is for development only: it does not run when DEBUG is off.")
            )
        # Each app may add its own demo data in a `demo.py` with a `load(log)`
        # function; apps run in INSTALLED_APPS order, so lower apps come first.
        with transaction.atomic():
            for config in apps.get_app_configs():
                module_name = f"{config.name}.demo"
                if find_spec(module_name) is not None:
                    import_module(module_name).load(self.stdout.write)
        self.stdout.write(self.style.SUCCESS(_("Demo data is ready.")))
