"""The reports of a project. Each part of the app keeps its routes in its own module."""

from .urls_dashboard import urlpatterns as dashboard
from .urls_exports import urlpatterns as exports
from .urls_reports import urlpatterns as reports

app_name = "reporting"
urlpatterns = [*dashboard, *exports, *reports]
