from django.apps import AppConfig


class AktywizacjaConfig(AppConfig):
    """The project package as an app: shared template tags and formats, session rules."""

    name = "aktywizacja"
    verbose_name = "Aktywizacja"

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_save

        from .middleware import mark_login
        from .signals import end_sessions_of_inactive_user

        user_logged_in.connect(mark_login, dispatch_uid="aktywizacja.mark_login")
        post_save.connect(
            end_sessions_of_inactive_user,
            sender=get_user_model(),
            dispatch_uid="aktywizacja.end_sessions_of_inactive_user",
        )
