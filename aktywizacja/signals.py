"""Deactivating a user ends their sessions at once."""

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.utils import timezone


def end_sessions_of_inactive_user(sender, instance, **kwargs):
    """`post_save` receiver on the user model: an inactive user keeps no session.

    Sessions are in the database; the live ones are decoded to find the user's
    (a few hundred at most here). `QuerySet.update()` sends no signal: deactivate
    users one by one (the admin does)."""
    if instance.is_active or instance.pk is None:
        return
    user_id = str(instance.pk)
    keys = [
        session.session_key
        for session in Session.objects.filter(expire_date__gte=timezone.now()).iterator()
        if str(session.get_decoded().get(SESSION_KEY)) == user_id
    ]
    if keys:
        Session.objects.filter(session_key__in=keys).delete()
