"""Two-factor login: who must have it, its services, the middleware and the pages.

After the password, a user with an authenticator (a confirmed `TOTPDevice`) types the
six-digit code it shows, or one of their one-time backup codes (a `StaticDevice`), on
/konto/weryfikacja/; django-otp then marks the session verified
(`request.user.is_verified()`). Project managers and superusers must have an
authenticator (`two_factor_required`); anyone else may add one on the settings page.

Until the session is verified, `TwoFactorMiddleware` lets such a user reach only the
code pages, logout and the public pages (login, health); every other request, pages,
files and the admin alike, is redirected there with `next`.

Throttling is django-otp's, per device: each wrong code makes that device refuse every
code for 1, 2, 4, 8 … seconds (`OTP_TOTP_THROTTLE_FACTOR` × 2^(failures − 1)), so a new
session or another IP does not help a guesser; the right code resets the count.
"""

import re
from base64 import b32encode

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from aktywizacja.confirm import Confirmation, render_confirmation
from partners.scoping import scope_for

BACKUP_CODE_COUNT = 10
#: the id of the authenticator this session is setting up (not yet confirmed)
PENDING_DEVICE_KEY = "aktywizacja_pending_totp_device"
AUTHENTICATOR_NAME = "authenticator"
BACKUP_CODES_NAME = "backup codes"

TOTP_CODE = re.compile(r"\d{6}")
BACKUP_CODE = re.compile(r"[a-z2-7]{8}")  # StaticToken.random_token(): 5 random bytes


# Who -------------------------------------------------------------------------------


def two_factor_required(user) -> bool:
    """Project managers (of any project) and superusers must log in with a code."""
    scope = scope_for(user)
    return scope.sees_everything or bool(scope.managed_project_ids)


def authenticator_of(user) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def has_authenticator(user) -> bool:
    """Two-factor login is on for `user`."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()


# Services ----------------------------------------------------------------------------


@transaction.atomic
def authenticator_start(*, user, pending_id: int | None = None) -> TOTPDevice:
    """The unconfirmed authenticator this session set up (`pending_id`), or a new one.

    Other sessions' unconfirmed ones are deleted: a secret is never handed to two
    sessions, so no one can prepare a key for someone else to confirm."""
    pending = TOTPDevice.objects.devices_for_user(user, confirmed=False)
    device = pending.filter(pk=pending_id).first() if pending_id else None
    if device is None:
        pending.delete()
        device = TOTPDevice(user=user, name=AUTHENTICATOR_NAME, confirmed=False)
        device.full_clean()
        device.save()
    return device


@transaction.atomic
def authenticator_confirm(*, device: TOTPDevice) -> list[str]:
    """Turn two-factor login on with `device` (its code already checked), replacing
    any earlier authenticator; return a fresh set of backup codes."""
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.full_clean()
    device.save()
    return backup_codes_renew(user=device.user)


@transaction.atomic
def backup_codes_renew(*, user) -> list[str]:
    """New backup codes for `user`; the old ones stop working."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=BACKUP_CODES_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def two_factor_disable(*, user) -> None:
    """Turn two-factor login off: no authenticator, no backup codes."""
    if two_factor_required(user):
        raise PermissionDenied(_("Your role requires two-factor login."))
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


def backup_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user).count()


# Checking a code ---------------------------------------------------------------------

WRONG_CODE = _("Wrong code. Check it and try again.")


def _normalise(code: str) -> str:
    """As typed: "123 456", "ABCD-EFGH" are "123456", "abcdefgh"."""
    return "".join(code.split()).replace("-", "").lower()


def check_code(device, code: str):
    """`device` if `code` is right for it now, else ValidationError (in Polish).

    Inside one transaction with the device row locked, as django-otp's own
    `verify_token` does, so that concurrent guesses are counted one by one; the error
    is raised outside it, so that the count of failures is kept."""
    with transaction.atomic():
        locked = type(device).objects.select_for_update().get(pk=device.pk)
        allowed, details = locked.verify_is_allowed()
        right = allowed and locked.verify_token(code)
    if right:
        return locked
    if not allowed:
        until = (details or {}).get("locked_until")
        raise ValidationError(
            _("Too many wrong codes. Try again after %(time)s.")
            % {"time": formats.time_format(timezone.localtime(until), "H:i:s") if until else "…"},
            code="throttled",
        )
    raise ValidationError(WRONG_CODE, code="wrong")


def device_for_code(user, code: str, *, backup: bool):
    """The device a code of this shape belongs to: six digits are the authenticator's,
    eight letters and digits a backup code. None for anything else."""
    if TOTP_CODE.fullmatch(code):
        return authenticator_of(user)
    if backup and BACKUP_CODE.fullmatch(code):
        return StaticDevice.objects.devices_for_user(user, confirmed=True).first()
    return None


# Forms -------------------------------------------------------------------------------


class CodeForm(forms.Form):
    """One code: the authenticator's or (with `backup`) a backup code.

    Like Django's AuthenticationForm, it checks the code in `clean`: the check counts
    failures on the device, which is what throttles a guesser."""

    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
    )

    def __init__(self, *args, user, device=None, backup: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        # In: the authenticator being set up, if any (only its codes count).
        # Out, once valid: the device that accepted the code.
        self.device = device
        self.backup = backup
        if not backup:
            self.fields["code"].widget.attrs["inputmode"] = "numeric"
            self.fields["code"].help_text = _("The six digits your app shows now.")
        else:
            self.fields["code"].help_text = _(
                "The six digits your app shows now, or one of your backup codes."
            )

    def clean_code(self) -> str:
        code = _normalise(self.cleaned_data["code"])
        if self.device is not None:
            device = self.device if TOTP_CODE.fullmatch(code) else None
        else:
            device = device_for_code(self.user, code, backup=self.backup)
        if device is None:
            raise ValidationError(WRONG_CODE, code="wrong")
        self.device = check_code(device, code)
        return code


# Middleware --------------------------------------------------------------------------

#: URL names an unverified user may still open (besides the public pages)
OPEN_BEFORE_VERIFICATION = frozenset({"two_factor_verify", "two_factor_setup", "logout"})


class TwoFactorMiddleware:
    """Between the password and the code: a user who has an authenticator, or must
    have one, reaches nothing but the code pages (and logout, the login page and the
    health check) until the session is verified. Needs django-otp's OTPMiddleware
    before it; every other request is redirected, with `next`, to the code or to the
    set-up. Static files never get here (WhiteNoise serves them first)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        if not getattr(view_func, "login_required", True):  # public: login, health
            return None
        if request.resolver_match.view_name in OPEN_BEFORE_VERIFICATION:
            return None
        if has_authenticator(user):
            target = "two_factor_verify"
        elif two_factor_required(user):
            target = "two_factor_setup"
        else:
            return None
        return redirect_to_login(request.get_full_path(), reverse(target))


# Views -------------------------------------------------------------------------------


def _next_url(request) -> str:
    """Where to go after the code: `next` if it is on this site, else the home page."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    # A path of this site: `redirect` takes anything else ("abc") for a URL's name.
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _verified(request, device) -> None:
    """The session has passed the second step: a new session key (as at login), and
    django-otp remembers the device."""
    request.session.cycle_key()
    otp_login(request, device)


@never_cache
def verify(request):
    user, next_url = request.user, _next_url(request)
    if user.is_verified():
        return redirect(next_url)
    if not has_authenticator(user):
        if two_factor_required(user):
            return redirect_to_login(next_url, reverse("two_factor_setup"))
        return redirect(next_url)
    form = CodeForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        _verified(request, form.device)
        return redirect(next_url)
    # Until the code is entered, the page shows no menu: nothing in it could be opened.
    context = {"form": form, "next": next_url, "two_factor_pending": True}
    return render(request, "registration/otp_verify.html", context)


@never_cache  # the page shows the secret key
def setup(request):
    """Set up an authenticator: first one, or (in a verified session) a replacement."""
    user, next_url = request.user, _next_url(request)
    if has_authenticator(user) and not user.is_verified():
        return redirect_to_login(next_url, reverse("two_factor_verify"))
    device = authenticator_start(user=user, pending_id=request.session.get(PENDING_DEVICE_KEY))
    request.session[PENDING_DEVICE_KEY] = device.pk
    form = CodeForm(request.POST or None, user=user, device=device, backup=False)
    if request.method == "POST" and form.is_valid():
        codes = authenticator_confirm(device=form.device)
        del request.session[PENDING_DEVICE_KEY]
        _verified(request, form.device)
        messages.success(request, _("Two-factor login is on."))
        return _show_backup_codes(request, codes, next_url)
    context = {
        "form": form,
        "next": next_url,
        "required": two_factor_required(user),
        "two_factor_pending": two_factor_required(user) and not user.is_verified(),
        "qr_code": _qr_code_svg(device),
        "secret": _grouped_secret(device),
    }
    return render(request, "registration/otp_setup.html", context)


@never_cache
def settings_page(request):
    user = request.user
    context = {
        "enabled": has_authenticator(user),
        "required": two_factor_required(user),
        "backup_codes_left": backup_codes_left(user),
    }
    return render(request, "registration/otp_settings.html", context)


@require_http_methods(["GET", "POST"])
@never_cache
def disable(request):
    """Turn two-factor login off: GET says what it means and asks for a current code (the
    confirmation); POST with that code does it. Never for a role that requires it."""
    user = request.user
    if two_factor_required(user):
        raise PermissionDenied(_("Your role requires two-factor login."))
    if not has_authenticator(user):
        return redirect("two_factor_settings")
    form = CodeForm(request.POST if request.method == "POST" else None, user=user)
    if not form.is_bound or not form.is_valid():
        return render(request, "registration/otp_disable.html", {"form": form})
    two_factor_disable(user=user)
    request.session.pop(DEVICE_ID_SESSION_KEY, None)
    messages.success(request, _("Two-factor login is off."))
    return redirect("two_factor_settings")


@require_http_methods(["GET", "POST"])
@never_cache
def renew_backup_codes(request):
    """GET: what new codes mean (the confirmation); POST makes them and shows them once."""
    if not has_authenticator(request.user):
        return redirect("two_factor_settings")
    if request.method == "GET":
        return render_confirmation(request, _renew_confirmation(request.user))
    codes = backup_codes_renew(user=request.user)
    messages.success(request, _("New backup codes are ready; the old ones no longer work."))
    return _show_backup_codes(request, codes, reverse("two_factor_settings"))


def _renew_confirmation(user) -> Confirmation:
    settings_url = reverse("two_factor_settings")
    left = backup_codes_left(user)
    return Confirmation(
        title=str(_("Generate new backup codes")),
        subject=user.get_full_name() or user.get_username(),
        consequences=[
            ngettext(
                "Your %(count)d unused backup code stops working at once.",
                "Your %(count)d unused backup codes stop working at once.",
                left,
            )
            % {"count": left},
            str(
                _("The new codes are shown once, on the next page: write them down or print them.")
            ),
        ],
        confirm_label=str(_("Generate new backup codes")),
        back_url=settings_url,
        trail=[(settings_url, str(_("Two-factor login")))],
    )


def _show_backup_codes(request, codes: list[str], next_url: str):
    """Shown once, in the answer to the POST that made them: never stored readable."""
    context = {"codes": [f"{c[:4]}-{c[4:]}" for c in codes], "next": next_url}
    return render(request, "registration/otp_backup_codes.html", context)


def _grouped_secret(device: TOTPDevice) -> str:
    """The key in base32 as authenticator apps take it typed: groups of four."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _qr_code_svg(device: TOTPDevice) -> str:
    """The otpauth:// link as an inline SVG QR code (no external image, no style
    attribute: only a path with fixed presentation attributes)."""
    svg = segno.make(device.config_url, error="m").svg_inline(
        scale=5, title=str(_("QR code for the authenticator app")), svgclass="otp-qr"
    )
    # The one mark_safe of the project. Safe: segno writes the whole SVG itself — a
    # path of its own digits and letters, fixed attributes, and the title above, which
    # it escapes; the link (with the username) is encoded in the modules, never as text.
    return mark_safe(svg)  # noqa: S308
