from django.apps import AppConfig


class AktywizacjaConfig(AppConfig):
    """The project package as an app: shared template tags and formats."""

    name = "aktywizacja"
    verbose_name = "Aktywizacja"
