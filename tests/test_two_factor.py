"""Two-factor login (TOTP): required of managers and superusers, optional for others.

These tests log in with the password through the login page, as a person does: the
session then waits for the code. (Other tests log managers in verified, through the
`login` fixture.)"""

import base64
import time
from datetime import timedelta
from html.parser import HTMLParser
from io import StringIO
from urllib.parse import quote

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from aktywizacja.two_factor import (
    BACKUP_CODE_COUNT,
    authenticator_confirm,
    two_factor_required,
)
from partners.demo import DEMO_TOTP_KEY
from partners.models import ProjectRole

from .factories import EnrolmentFactory, ProjectRoleFactory

PASSWORD = "test-password-123"  # the factory's
VERIFY = "/konto/weryfikacja/"
SETUP = "/konto/weryfikacja/konfiguracja/"
SETTINGS = "/konto/weryfikacja/ustawienia/"
DISABLE = "/konto/weryfikacja/wylaczenie/"
RENEW = "/konto/weryfikacja/kody-zapasowe/"
WRONG = "Nieprawidłowy kod. Sprawdź go i spróbuj ponownie."
THROTTLED = "Zbyt wiele błędnych kodów. Spróbuj ponownie po"


def password_login(client, user):
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, "the password was refused"
    return client


def code(device, steps_ahead: int = 0) -> str:
    """The code the authenticator app shows (`steps_ahead` × 30 s later)."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def authenticator(user) -> TOTPDevice:
    device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    authenticator_confirm(device=device)  # with backup codes, as the set-up leaves it
    return device


def backup_codes(user) -> list[str]:
    return list(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))


def verified(client) -> bool:
    return DEVICE_ID_SESSION_KEY in client.session


def body(response) -> str:
    return response.content.decode()


# Who must ------------------------------------------------------------------------


def test_the_settings():
    middleware = settings.MIDDLEWARE
    auth = middleware.index("django.contrib.auth.middleware.AuthenticationMiddleware")
    assert middleware[auth + 1] == "django_otp.middleware.OTPMiddleware"
    assert middleware[auth + 2] == "aktywizacja.two_factor.TwoFactorMiddleware"
    assert settings.OTP_TOTP_ISSUER == "Aktywizacja"
    assert settings.OTP_ADMIN_HIDE_SENSITIVE_DATA
    assert settings.OTP_TOTP_THROTTLE_FACTOR == settings.OTP_STATIC_THROTTLE_FACTOR == 1


@pytest.mark.parametrize(
    ("persona", "must"),
    [
        ("manager", True),
        ("superuser", True),
        ("auditor", False),
        ("sw_lebork", False),
        ("coordinator", False),
        ("nobody", False),
    ],
)
def test_managers_and_superusers_must(request, persona, must):
    assert two_factor_required(request.getfixturevalue(persona)) is must


def test_a_coordinator_who_also_manages_a_project_must(coordinator, world):
    ProjectRoleFactory(user=coordinator, project=world.leszno)
    coordinator.refresh_from_db()
    assert two_factor_required(coordinator)


def test_an_inactive_manager_has_no_scope_and_no_requirement(manager):
    manager.is_active = False
    assert not two_factor_required(manager)


# A manager without an authenticator is sent to set one up --------------------------


@pytest.fixture
def in_lebork(world):
    return EnrolmentFactory(
        project=world.lebork, recruiting_organisation=world.organisations["MOPS Lębork"]
    )


def _pages(world, in_lebork):
    project = world.lebork.pk
    return [
        reverse("home"),
        reverse("participants:list"),
        reverse("participants:detail", args=[in_lebork.participant.pk]),
        reverse("reporting:report_xlsx", args=[project]),  # a file
        reverse("reporting:dashboard", args=[project]),
        reverse("partners:project_detail", args=[project]),
        reverse("two_factor_settings"),
        reverse("password_change"),
        reverse("admin:index"),
        reverse("admin:partners_project_changelist") + "?q=L%C4%99bork",
    ]


def test_a_manager_without_an_authenticator_reaches_only_the_set_up(
    client, manager, world, in_lebork
):
    password_login(client, manager)
    for url in _pages(world, in_lebork):
        for response in (client.get(url), client.post(url)):
            assert response.status_code == 302, url
            assert response["Location"] == f"{SETUP}?next={quote(url)}", url
    assert client.get(SETUP).status_code == 200


def test_a_superuser_without_an_authenticator_cannot_open_the_admin(client, superuser):
    password_login(client, superuser)
    response = client.get(reverse("admin:index"))
    assert response["Location"] == f"{SETUP}?next=/admin/"
    assert client.get(reverse("admin:partners_project_changelist")).status_code == 302


def test_the_login_page_sends_the_manager_on_to_the_set_up(client, manager):
    response = client.post(
        reverse("login") + "?next=/uczestnicy/",
        {"username": "kierownik", "password": PASSWORD, "next": "/uczestnicy/"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == f"{SETUP}?next=/uczestnicy/"
    assert "Skonfiguruj logowanie dwuetapowe" in body(response)


def test_public_pages_and_logout_stay_open_before_the_code(client, manager):
    password_login(client, manager)
    assert client.get(reverse("health")).status_code == 200
    assert client.get(reverse("login")).status_code == 200
    assert client.get("/static/css/aktywizacja.css").status_code != 302
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert SESSION_KEY not in client.session


# Set-up ----------------------------------------------------------------------------


def _pending(user) -> TOTPDevice:
    return TOTPDevice.objects.get(user=user, confirmed=False)


def test_the_set_up_page_shows_an_inline_qr_code_and_the_key(client, manager):
    password_login(client, manager)
    response = client.get(SETUP)
    page = body(response)
    device = _pending(manager)
    secret = base64.b32encode(device.bin_key).decode()
    assert " ".join(secret[i : i + 4] for i in range(0, 32, 4)) in page
    assert '<svg width="' in page and "otp-qr" in page
    assert "Kod QR dla aplikacji uwierzytelniającej" in page  # the SVG's title
    assert "no-store" in response["Cache-Control"]
    found = _Tags()
    found.feed(page)
    assert found.styles == [] and found.inline_scripts == [] and found.images == []
    assert "otpauth://" not in page  # the link is only inside the QR code


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.styles, self.inline_scripts, self.images = [], [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "style" in attrs:
            self.styles.append(tag)
        if tag == "script" and "src" not in attrs:
            self.inline_scripts.append(tag)
        # The QR code must not be an image fetched or encoded apart (it holds the key);
        # the product's logo from our static files is no such image.
        if tag == "img" and not (attrs.get("src") or "").startswith("/static/"):
            self.images.append(attrs)


def test_the_qr_code_holds_the_issuer_and_the_key(manager):
    device = TOTPDevice.objects.create(user=manager, name="authenticator", confirmed=False)
    url = device.config_url
    assert url.startswith("otpauth://totp/Aktywizacja%3Akierownik?")
    assert f"secret={base64.b32encode(device.bin_key).decode()}" in url
    assert "issuer=Aktywizacja" in url


def test_reloading_the_set_up_keeps_the_key(client, manager):
    password_login(client, manager)
    client.get(SETUP)
    first = _pending(manager).key
    client.get(SETUP)
    assert _pending(manager).key == first


def test_another_session_never_gets_the_same_key(client, manager):
    password_login(client, manager)
    client.get(SETUP)
    first = _pending(manager).key
    other = password_login(type(client)(), manager)
    other.get(SETUP)
    assert _pending(manager).key != first  # the first session's is gone


def test_a_wrong_code_keeps_the_authenticator_unconfirmed(client, manager):
    password_login(client, manager)
    client.get(SETUP)
    response = client.post(SETUP, {"code": "000000"})
    assert response.status_code == 200
    assert WRONG in body(response)
    assert not _pending(manager).confirmed
    assert not verified(client)
    assert client.get(reverse("home"))["Location"].startswith(SETUP)


@pytest.mark.parametrize("typed", ["12345", "abcdef", "", "1234567"])
def test_a_code_of_the_wrong_shape_is_refused(client, manager, typed):
    password_login(client, manager)
    client.get(SETUP)
    response = client.post(SETUP, {"code": typed})
    assert response.status_code == 200
    assert "Nieprawidłowy kod" in body(response) or "To pole jest wymagane." in body(response)
    assert not TOTPDevice.objects.filter(user=manager, confirmed=True).exists()


def test_the_right_code_turns_it_on_and_lets_the_manager_in(client, manager):
    password_login(client, manager)
    client.get(f"{SETUP}?next=/uczestnicy/")
    device = _pending(manager)
    key_before = client.session.session_key
    response = client.post(f"{SETUP}?next=/uczestnicy/", {"code": code(device)})
    assert response.status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    page = body(response)
    assert "Logowanie dwuetapowe jest włączone." in page
    assert "pokazujemy je tylko ten jeden raz" in page
    codes = backup_codes(manager)
    assert len(codes) == BACKUP_CODE_COUNT == 10
    assert all(f"{c[:4]}-{c[4:]}" in page for c in codes)
    assert 'href="/uczestnicy/"' in page  # then on to the page they wanted
    assert verified(client)
    assert client.session.session_key != key_before
    assert client.get(reverse("participants:list")).status_code == 200


def test_the_set_up_is_no_way_around_an_existing_authenticator(client, sw_lebork):
    device = authenticator(sw_lebork)
    password_login(client, sw_lebork)
    response = client.get(SETUP)
    assert response["Location"].startswith(VERIFY)
    response = client.post(SETUP, {"code": "123456"})
    assert response["Location"].startswith(VERIFY)
    assert list(TOTPDevice.objects.filter(user=sw_lebork)) == [device]


def test_a_verified_user_may_replace_the_authenticator(client, manager):
    old = authenticator(manager)
    old_codes = backup_codes(manager)
    password_login(client, manager)
    client.post(VERIFY, {"code": code(old)})
    client.get(SETUP)
    new = _pending(manager)
    assert client.post(SETUP, {"code": code(new)}).status_code == 200
    assert list(TOTPDevice.objects.filter(user=manager)) == [new]
    assert not set(old_codes) & set(backup_codes(manager))
    assert client.get(reverse("home")).status_code == 200


# Verify ----------------------------------------------------------------------------


@pytest.fixture
def manager_with_authenticator(manager):
    return authenticator(manager)


def test_a_manager_with_an_authenticator_is_asked_for_the_code(
    client, manager, manager_with_authenticator, world, in_lebork
):
    password_login(client, manager)
    for url in _pages(world, in_lebork):
        response = client.get(url)
        assert response["Location"] == f"{VERIFY}?next={quote(url)}", url
    page = body(client.get(VERIFY))
    assert "Logowanie dwuetapowe" in page
    assert "kodów zapasowych" in page


def test_the_right_code_lets_them_in_to_the_page_they_wanted(
    client, manager, manager_with_authenticator
):
    password_login(client, manager)
    key_before = client.session.session_key
    url = f"{VERIFY}?next=/uczestnicy/"
    response = client.post(url, {"code": code(manager_with_authenticator)})
    assert response.status_code == 302
    assert response["Location"] == "/uczestnicy/"
    assert verified(client)
    assert client.session.session_key != key_before  # a new key for the higher level
    assert client.get(reverse("participants:list")).status_code == 200


def test_a_code_typed_with_spaces_is_accepted(client, manager, manager_with_authenticator):
    password_login(client, manager)
    typed = code(manager_with_authenticator)
    client.post(VERIFY, {"code": f" {typed[:3]} {typed[3:]} "})
    assert verified(client)


def test_a_wrong_code_is_refused_in_polish(client, manager, manager_with_authenticator):
    password_login(client, manager)
    right = code(manager_with_authenticator)
    wrong = f"{(int(right) + 500000) % 1000000:06d}"
    response = client.post(VERIFY, {"code": wrong})
    assert response.status_code == 200
    assert WRONG in body(response)
    assert not verified(client)
    assert client.get(reverse("home"))["Location"].startswith(VERIFY)


def test_a_code_works_once(client, manager, manager_with_authenticator):
    typed = code(manager_with_authenticator)
    password_login(client, manager)
    client.post(VERIFY, {"code": typed})
    assert verified(client)
    other = password_login(type(client)(), manager)
    response = other.post(VERIFY, {"code": typed})  # replayed, within the 30 seconds
    assert WRONG in body(response)
    assert not verified(other)


def test_a_backup_code_works_once(client, manager, manager_with_authenticator):
    backup = backup_codes(manager)[0]
    password_login(client, manager)
    response = client.post(VERIFY, {"code": f"{backup[:4].upper()}-{backup[4:].upper()}"})
    assert response.status_code == 302
    assert verified(client)
    assert backup not in backup_codes(manager)
    assert len(backup_codes(manager)) == BACKUP_CODE_COUNT - 1

    other = password_login(type(client)(), manager)
    response = other.post(VERIFY, {"code": backup})
    assert WRONG in body(response)  # the same words as any wrong code
    assert not verified(other)


def test_throttling_after_a_wrong_code(client, manager, manager_with_authenticator, settings):
    """After n wrong codes the device refuses every code for factor × 2^(n-1) seconds
    (1, 2, 4, 8 … with the factor 1 of the settings; 60 here, so that a slow machine
    does not outlast the wait)."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 60
    device = manager_with_authenticator
    password_login(client, manager)
    assert WRONG in body(client.post(VERIFY, {"code": "000000"}))
    # Even the right code is refused while the device waits…
    response = client.post(VERIFY, {"code": code(device)})
    assert THROTTLED in body(response)
    assert not verified(client)
    device.refresh_from_db()
    assert device.throttling_failure_count == 1  # …and that refusal is not counted;
    # the wait doubles with each failure: 8 × 60 s after the fourth…
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_count=4,
        throttling_failure_timestamp=timezone.now() - timedelta(seconds=7 * 60),
    )
    assert THROTTLED in body(client.post(VERIFY, {"code": code(device)}))
    # …then the right code works, and the count starts again.
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - timedelta(seconds=8 * 60 + 1)
    )
    assert client.post(VERIFY, {"code": code(device)}).status_code == 302
    assert verified(client)
    device.refresh_from_db()
    assert device.throttling_failure_count == 0


def test_the_throttle_is_the_device_s_not_the_session_s(
    client, manager, manager_with_authenticator, settings
):
    settings.OTP_TOTP_THROTTLE_FACTOR = 60
    password_login(client, manager)
    client.post(VERIFY, {"code": "000000"})
    other = password_login(type(client)(), manager)
    response = other.post(VERIFY, {"code": code(manager_with_authenticator)})
    assert THROTTLED in body(response)


def test_an_open_redirect_through_next_is_refused(client, manager, manager_with_authenticator):
    password_login(client, manager)
    for target in ("https://evil.example/", "//evil.example/", "javascript:alert(1)"):
        TOTPDevice.objects.filter(user=manager).update(last_t=-1)  # a fresh code each time
        response = client.post(
            f"{VERIFY}?next={quote(target)}", {"code": code(manager_with_authenticator)}
        )
        assert response.status_code == 302
        assert response["Location"] == reverse("home"), target
        session = client.session
        del session[DEVICE_ID_SESSION_KEY]
        session.save()


def test_verify_sends_a_manager_without_an_authenticator_to_the_set_up(client, manager):
    password_login(client, manager)
    assert client.get(f"{VERIFY}?next=/uczestnicy/")["Location"] == f"{SETUP}?next=/uczestnicy/"


def test_an_anonymous_visitor_is_sent_to_log_in(client):
    for url in (VERIFY, SETUP, SETTINGS):
        assert client.get(url)["Location"].startswith(reverse("login"))


# Optional for everyone else --------------------------------------------------------


def test_a_social_worker_without_an_authenticator_is_not_asked(client, sw_lebork):
    password_login(client, sw_lebork)
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("participants:list")).status_code == 200
    assert client.get(VERIFY)["Location"] == reverse("home")
    assert "Logowanie dwuetapowe jest wyłączone." in body(client.get(SETTINGS))


def test_a_social_worker_may_turn_it_on_and_is_then_asked_at_login(client, sw_lebork):
    password_login(client, sw_lebork)
    client.get(SETUP)
    device = _pending(sw_lebork)
    assert client.post(SETUP, {"code": code(device)}).status_code == 200
    assert client.get(reverse("home")).status_code == 200
    client.post(reverse("logout"))

    password_login(client, sw_lebork)
    assert client.get(reverse("home"))["Location"] == f"{VERIFY}?next=/"
    assert client.post(f"{VERIFY}?next=/", {"code": code(device, steps_ahead=1)})["Location"] == "/"
    assert client.get(reverse("home")).status_code == 200


def test_turning_it_on_elsewhere_catches_an_open_session(client, sw_lebork):
    password_login(client, sw_lebork)  # an older session, password only
    authenticator(sw_lebork)
    assert client.get(reverse("home"))["Location"].startswith(VERIFY)


# Settings: turn off, new backup codes -----------------------------------------------


def _verified_client(client, user, device):
    password_login(client, user)
    client.post(VERIFY, {"code": code(device)})
    assert verified(client)
    return client


def test_a_manager_cannot_turn_it_off(client, manager, manager_with_authenticator):
    device = manager_with_authenticator
    _verified_client(client, manager, device)
    page = body(client.get(SETTINGS))
    assert "nie można go wyłączyć" in page
    assert DISABLE not in page
    response = client.post(DISABLE, {"code": code(device, steps_ahead=1)})
    assert response.status_code == 403
    assert TOTPDevice.objects.filter(user=manager, confirmed=True).exists()


def test_turning_it_off_needs_a_current_code(client, sw_lebork):
    device = authenticator(sw_lebork)
    _verified_client(client, sw_lebork, device)
    assert f'href="{DISABLE}"' in body(client.get(SETTINGS))
    assert f'action="{DISABLE}"' in body(client.get(DISABLE))
    for typed in ("", "000000"):
        TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
        response = client.post(DISABLE, {"code": typed})
        assert response.status_code == 200
        assert TOTPDevice.objects.filter(pk=device.pk).exists()
    assert WRONG in body(response)
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_count=0, throttling_failure_timestamp=None
    )
    response = client.post(DISABLE, {"code": code(device, steps_ahead=1)})
    assert response["Location"] == SETTINGS
    assert not TOTPDevice.objects.filter(user=sw_lebork).exists()
    assert not StaticDevice.objects.filter(user=sw_lebork).exists()
    assert "Logowanie dwuetapowe jest wyłączone." in body(client.get(SETTINGS))
    client.post(reverse("logout"))
    password_login(client, sw_lebork)
    assert client.get(reverse("home")).status_code == 200  # no code asked any more


def test_new_backup_codes_replace_the_old(client, sw_lebork):
    device = authenticator(sw_lebork)
    old = backup_codes(sw_lebork)
    _verified_client(client, sw_lebork, device)
    assert client.get(RENEW).status_code == 200  # the confirmation: nothing changes
    assert backup_codes(sw_lebork) == old
    response = client.post(RENEW)
    assert response.status_code == 200
    new = backup_codes(sw_lebork)
    assert len(new) == BACKUP_CODE_COUNT
    assert not set(old) & set(new)
    assert all(f"{c[:4]}-{c[4:]}" in body(response) for c in new)
    assert "no-store" in response["Cache-Control"]
    assert "Masz 10 niewykorzystanych kodów zapasowych." in body(client.get(SETTINGS))


def test_the_user_menu_links_the_settings(login, sw_lebork):
    assert f'href="{SETTINGS}"' in body(login(sw_lebork).get(reverse("home")))


def test_before_the_code_the_pages_show_no_menu_only_logout(client, manager):
    """Nothing in the menu could be opened before the code: the code pages show only
    the product's name and the logout button."""
    password_login(client, manager)
    setup_page = body(client.get(SETUP))
    assert 'id="nav-main"' not in setup_page
    assert reverse("participants:list") not in setup_page
    assert f'action="{reverse("logout")}"' in setup_page
    device = TOTPDevice.objects.create(user=manager, name="telefon", confirmed=True)
    verify_page = body(client.get(reverse("two_factor_verify")))
    assert 'id="nav-main"' not in verify_page
    assert f'action="{reverse("logout")}"' in verify_page
    assert device.pk


def test_a_verified_session_gets_the_menu_on_the_set_up_page(login, manager):
    """Replacing an authenticator in a verified session: the page is a normal one."""
    assert 'id="nav-main"' in body(login(manager).get(SETUP))


# The test personas and the demo ------------------------------------------------------


@pytest.mark.parametrize("persona", ["manager", "superuser"])
def test_the_login_fixture_gives_a_verified_session(request, login, persona):
    client = login(request.getfixturevalue(persona))
    assert verified(client)
    assert client.get(reverse("home")).status_code == 200


def test_the_demo_manager_and_administrator_have_the_documented_key(demo):
    key = base64.b32decode(DEMO_TOTP_KEY).hex()
    devices = TOTPDevice.objects.filter(confirmed=True, key=key)
    assert set(devices.values_list("user__username", flat=True)) == {"admin", "kierownik"}
    assert devices.get(user__username="kierownik").user.project_roles.filter(
        role=ProjectRole.Role.PROJECT_MANAGER
    )
    with override_settings(DEBUG=True):
        call_command("load_demo", stdout=StringIO())
    assert TOTPDevice.objects.filter(key=key).count() == 2  # a second run adds none
    readme = (settings.BASE_DIR / "README.md").read_text(encoding="utf-8")
    assert f"oathtool --totp -b {DEMO_TOTP_KEY}" in readme
