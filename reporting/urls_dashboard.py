"""Routes of the dashboard and of the indicators' help page."""

from django.urls import path

from . import views_dashboard

urlpatterns = [
    path("projekt/<int:project_pk>/pulpit/", views_dashboard.dashboard, name="dashboard"),
    path("wskazniki/definicje/", views_dashboard.indicators_help, name="help"),
]
