from django.urls import path

from . import views, views_access, views_import

app_name = "participants"

urlpatterns = [
    path("", views.participant_list, name="list"),
    path("nowy/", views.participant_register, name="register"),
    path("zglos-zarejestrowana/", views.enrol_existing, name="enrol_existing"),
    path("<int:pk>/", views.participant_detail, name="detail"),
    path("<int:pk>/edycja/", views.participant_edit, name="edit"),
    path("<int:pk>/dostep/", views_access.access_history_page, name="access_history"),
    path("<int:pk>/dostep.csv", views_access.access_history_csv, name="access_history_csv"),
    path("zgloszenia/<int:pk>/kwalifikacja/", views.enrolment_qualify, name="qualify"),
    path("zgloszenia/<int:pk>/odrzucenie/", views.enrolment_reject, name="reject"),
    path("zgloszenia/<int:pk>/odstepstwo/", views.eligibility_override, name="override"),
    path("zgloszenia/<int:pk>/zgody/", views.consent_record, name="consent"),
    path(
        "zgloszenia/<int:pk>/rozpoczecie-wsparcia/",
        views.enrolment_start_support,
        name="start_support",
    ),
    path("zgloszenia/<int:pk>/rezygnacja/", views.enrolment_resign, name="resign"),
    path("zgloszenia/<int:pk>/zakonczenie/", views.enrolment_exit, name="exit"),
    path("zgloszenia/<int:pk>/po-trzech-miesiacach/", views.follow_up_record, name="follow_up"),
    path(
        "rezerwa/<int:project_pk>/<int:organisation_pk>/",
        views.reserve_list,
        name="reserve_list",
    ),
    path("import/", views_import.import_upload, name="import"),
    path("import/wzor.xlsx", views_import.import_template, name="import_template"),
    path("import/historia/", views_import.import_list, name="import_list"),
    path("import/<int:pk>/", views_import.import_detail, name="import_detail"),
    path("import/<int:pk>/postep/", views_import.import_progress, name="import_progress"),
    path("import/<int:pk>/importuj/", views_import.import_confirm, name="import_confirm"),
]
