from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from partners import views as partner_views

admin.site.site_header = _("Aktywizacja — administration")
admin.site.site_title = _("Aktywizacja")
admin.site.index_title = _("Administration")

urlpatterns = [
    path("", partner_views.home, name="home"),
    # LoginView is marked @login_not_required by Django itself.
    path("konto/logowanie/", auth_views.LoginView.as_view(), name="login"),
    path("konto/wylogowanie/", auth_views.LogoutView.as_view(), name="logout"),
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
