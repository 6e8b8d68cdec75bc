from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.templatetags.static import static
from django.urls import include, path
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

from aktywizacja import two_factor
from aktywizacja.health import health
from partners import views as partner_views

admin.site.site_header = _("Aktywizacja — administration")
admin.site.site_title = _("Aktywizacja")
admin.site.index_title = _("Administration")


def _superusers_only(request) -> bool:
    """The admin is the system administrators' tool: it shows every partner's people, so
    only superusers enter it; staff status alone is not enough (partners work in the
    screens, which are scoped)."""
    return request.user.is_active and request.user.is_superuser


admin.site.has_permission = _superusers_only

urlpatterns = [
    path("", partner_views.home, name="home"),
    path("zdrowie/", health, name="health"),  # public, for load balancers
    # Browsers ask for /favicon.ico on pages that do not name an icon (the admin's).
    path(
        "favicon.ico",
        login_not_required(RedirectView.as_view(url=lazy(static, str)("img/favicon.svg"))),
        name="favicon",
    ),
    # LoginView is marked @login_not_required by Django itself.
    path("konto/logowanie/", auth_views.LoginView.as_view(), name="login"),
    path("konto/wylogowanie/", auth_views.LogoutView.as_view(), name="logout"),
    # Two-factor login: the code after the password, its set-up and settings.
    path("konto/weryfikacja/", two_factor.verify, name="two_factor_verify"),
    path("konto/weryfikacja/konfiguracja/", two_factor.setup, name="two_factor_setup"),
    path("konto/weryfikacja/ustawienia/", two_factor.settings_page, name="two_factor_settings"),
    path("konto/weryfikacja/wylaczenie/", two_factor.disable, name="two_factor_disable"),
    path(
        "konto/weryfikacja/kody-zapasowe/",
        two_factor.renew_backup_codes,
        name="two_factor_backup_codes",
    ),
    path("konto/haslo/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "konto/haslo/zmienione/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("projekty/", include("partners.urls")),
    path("uczestnicy/", include("participants.urls")),
    path("sciezki/", include("pathways.urls")),
    path("raporty/", include("reporting.urls")),
    path("admin/", admin.site.urls),
]
