"""Login protection: lockout per username + IP with a cool-off, session lifetime,
deactivation ending sessions, password rules."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone, translation

from aktywizacja.middleware import LAST_ACTIVITY_KEY, LOGIN_TIME_KEY, client_ip

from .factories import UserFactory

PASSWORD = "test-password-123"  # the factory's
LOCKED = "konto jest zablokowane na 15 minut"


@pytest.fixture
def user(db):
    return UserFactory(username="anna")


def attempt(client, password, username="anna", ip="192.0.2.10", **extra):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip, **extra
    )


def fail(client, times, **kwargs):
    return [attempt(client, "wrong-password", **kwargs).status_code for _ in range(times)]


def logged_in(client) -> bool:
    return SESSION_KEY in client.session


# Lockout -------------------------------------------------------------------------


def test_the_settings():
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    assert "rules.permissions.ObjectPermissionBackend" in settings.AUTHENTICATION_BACKENDS
    assert "django.contrib.auth.backends.ModelBackend" in settings.AUTHENTICATION_BACKENDS
    assert settings.MIDDLEWARE[-1] == "axes.middleware.AxesMiddleware"
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 15 * 60
    assert settings.AXES_RESET_ON_SUCCESS
    assert settings.SESSION_COOKIE_AGE == 12 * 60 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


def test_the_right_password_logs_in(client, user):
    response = attempt(client, PASSWORD)
    assert response.status_code == 302
    assert logged_in(client)


def test_five_failures_lock_the_username_at_that_ip_out(client, user):
    assert fail(client, 4) == [200, 200, 200, 200]
    assert attempt(client, "wrong-password").status_code == 429
    response = attempt(client, PASSWORD)  # even the right password, now
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert "anna" not in response.content.decode()  # no details
    assert not logged_in(client)


def test_another_ip_is_not_locked_out(client, user):
    fail(client, 5)
    assert attempt(client, PASSWORD, ip="198.51.100.7").status_code == 302
    assert logged_in(client)


def test_another_username_at_the_same_ip_is_not_locked_out(client, user):
    UserFactory(username="basia")
    fail(client, 5)
    assert attempt(client, PASSWORD, username="basia").status_code == 302


def test_a_forged_forwarded_for_header_does_not_escape_the_lockout(client, user):
    fail(client, 5)
    response = attempt(client, PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.99")
    assert response.status_code == 429


def test_the_lockout_ends_after_the_cool_off(client, user):
    fail(client, 5)
    assert attempt(client, PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert attempt(client, PASSWORD).status_code == 302
    assert logged_in(client)


def test_the_lockout_lasts_the_whole_cool_off(client, user):
    fail(client, 5)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=14))
    assert attempt(client, PASSWORD).status_code == 429


def test_a_success_resets_the_count(client, user):
    fail(client, 4)
    assert attempt(client, PASSWORD).status_code == 302
    client.post(reverse("logout"))
    assert fail(client, 4) == [200, 200, 200, 200]  # four more allowed, not one
    assert attempt(client, PASSWORD).status_code == 302


# The client's address behind proxies ---------------------------------------------


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "203.0.113.5", "10.0.0.2"),  # no proxy: the header is ignored
        (1, "203.0.113.5", "203.0.113.5"),
        (1, "6.6.6.6, 203.0.113.5", "203.0.113.5"),  # the forged left part is ignored
        (2, "6.6.6.6, 203.0.113.5, 10.0.0.1", "203.0.113.5"),
        (2, "203.0.113.5", "10.0.0.2"),  # fewer addresses than proxies: the connection's
    ],
)
def test_the_client_ip_trusts_only_the_configured_proxies(settings, proxies, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


# Sessions ------------------------------------------------------------------------


def test_the_session_key_changes_at_login(client, user):
    session = client.session
    session["before"] = True
    session.save()
    before = client.cookies[settings.SESSION_COOKIE_NAME].value
    attempt(client, PASSWORD)
    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert after != before
    assert not Session.objects.filter(session_key=before).exists()


def _age_session(client, key, seconds):
    session = client.session
    session[key] -= seconds
    session.save()


def test_29_idle_minutes_keep_the_session(login, user):
    client = login(user)
    _age_session(client, LAST_ACTIVITY_KEY, 29 * 60)
    assert client.get(reverse("home")).status_code == 200


def test_31_idle_minutes_end_the_session(login, user):
    client = login(user)
    _age_session(client, LAST_ACTIVITY_KEY, 31 * 60)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next=/"
    assert not logged_in(client)
    page = client.get(response["Location"]).content.decode()
    assert "Sesja wygasła. Zaloguj się ponownie." in page


def test_each_request_resets_the_idle_clock(login, user):
    client = login(user)
    _age_session(client, LAST_ACTIVITY_KEY, 20 * 60)
    assert client.get(reverse("home")).status_code == 200
    _age_session(client, LAST_ACTIVITY_KEY, 20 * 60)  # 40 minutes since login, 20 idle
    assert client.get(reverse("home")).status_code == 200


def test_12_hours_after_login_the_session_ends_however_active(login, user):
    client = login(user)
    _age_session(client, LOGIN_TIME_KEY, 12 * 60 * 60 + 60)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert not logged_in(client)


def test_logging_out_ends_the_session(login, user):
    client = login(user)
    key = client.session.session_key
    client.post(reverse("logout"))
    assert not Session.objects.filter(session_key=key).exists()


def test_deactivating_a_user_ends_their_sessions(client, user):
    attempt(client, PASSWORD)
    key = client.session.session_key
    other = UserFactory(username="basia")
    other_client = type(client)()
    other_client.force_login(other)
    other_key = other_client.session.session_key

    user.is_active = False
    user.save()

    assert not Session.objects.filter(session_key=key).exists()
    assert Session.objects.filter(session_key=other_key).exists()
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert other_client.get(reverse("home")).status_code == 200


# Passwords -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("krotkie", "To hasło jest za krótkie. Musi zawierać co najmniej 12 znaków."),
        ("12345678901234", "Hasło składa się wyłącznie z cyfr."),
    ],
)
def test_weak_passwords_are_refused_in_polish(user, password, message):
    with translation.override("pl"), pytest.raises(ValidationError) as error:
        validate_password(password, user)
    assert message in error.value.messages


def test_a_long_uncommon_password_is_accepted(user):
    validate_password("Lębork-rzeka-Łeba-2016", user)
