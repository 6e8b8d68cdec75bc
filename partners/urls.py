from django.urls import path

from . import views

app_name = "partners"

urlpatterns = [
    path("<int:pk>/", views.project_detail, name="project_detail"),
    path("<int:pk>/budzet/", views.budget, name="budget"),
    path("<int:pk>/budzet/nowa/", views.budget_line_new, name="budget_line_new"),
    path("<int:pk>/budzet/<int:line_pk>/", views.budget_line_edit, name="budget_line_edit"),
    path(
        "<int:pk>/budzet/<int:line_pk>/usun/",
        views.budget_line_delete,
        name="budget_line_delete",
    ),
]
