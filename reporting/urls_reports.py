"""Routes of the indicators-and-budget report: the page and its files."""

from django.urls import path

from . import views_reports

urlpatterns = [
    path("projekt/<int:project_pk>/wskazniki/", views_reports.report, name="report"),
    path("projekt/<int:project_pk>/wskazniki.xlsx", views_reports.report_xlsx, name="report_xlsx"),
    path(
        "projekt/<int:project_pk>/wskazniki.pdf", views_reports.report_pdf_view, name="report_pdf"
    ),
]
