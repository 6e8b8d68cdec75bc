"""The pathway screens, under sciezki/ (namespace `pathways`).

The social worker's screens are here; the coordinators' live in
`pathways.urls_coordination`, included at the end.
"""

from django.urls import include, path

from . import views

app_name = "pathways"

urlpatterns = [
    path("<int:pk>/", views.pathway_detail, name="detail"),
    path("<int:pk>/diagnoza/", views.pathway_edit, name="edit"),
    path("<int:pk>/cele/", views.goal_add, name="goal_add"),
    path("cele/<int:pk>/status/", views.goal_status, name="goal_status"),
    path("<int:pk>/plan/", views.plan_add, name="plan_add"),
    path("<int:pk>/skierowanie/", views.refer, name="refer"),
    path("<int:pk>/platnosc/", views.payment_add, name="payment_add"),
    path("zajecia/nowe/", views.session_new, name="session_new"),
    path("zajecia/<int:pk>/", views.session_detail, name="session_detail"),
    path("", include("pathways.urls_coordination")),
]
