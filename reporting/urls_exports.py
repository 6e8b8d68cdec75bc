"""Routes of the exports and the data-quality check."""

from django.urls import path

from . import views_exports

urlpatterns = [
    path("projekt/<int:project_pk>/eksport/", views_exports.exports, name="exports"),
    path(
        "projekt/<int:project_pk>/eksport/uczestnicy.csv",
        views_exports.participants_csv,
        name="participants_csv",
    ),
    path(
        "projekt/<int:project_pk>/eksport/uczestnicy.xlsx",
        views_exports.participants_xlsx,
        name="participants_xlsx",
    ),
    path("projekt/<int:project_pk>/jakosc-danych/", views_exports.quality, name="quality"),
]
