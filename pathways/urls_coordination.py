"""The coordinators' screens, under sciezki/koordynacja/ (namespace `pathways`)."""

from django.urls import path

from . import views_coordination as views

urlpatterns = [
    path("koordynacja/skierowani/", views.referred_list, name="referred"),
    path("koordynacja/kursy/", views.course_list, name="courses"),
    path("koordynacja/kursy/nowy/", views.course_new, name="course_new"),
    path("koordynacja/kursy/<int:pk>/", views.course_detail, name="course_detail"),
    path("koordynacja/kursy/<int:pk>/przydzial/", views.course_assign, name="course_assign"),
    path(
        "koordynacja/kursy/uczestnictwo/<int:pk>/zaswiadczenie/",
        views.certificate_record,
        name="certificate",
    ),
    path("koordynacja/pracodawcy/", views.employer_list, name="employers"),
    path("koordynacja/pracodawcy/nowy/", views.employer_new, name="employer_new"),
    path("koordynacja/pracodawcy/<int:pk>/edycja/", views.employer_edit, name="employer_edit"),
    path("koordynacja/katalog/", views.catalogue_list, name="catalogue"),
    path("koordynacja/katalog/nowa/", views.catalogue_new, name="catalogue_new"),
    path("koordynacja/katalog/<int:pk>/edycja/", views.catalogue_edit, name="catalogue_edit"),
    path(
        "koordynacja/uczestnicy/<int:pk>/badanie-lekarskie/",
        views.medical_exam_add,
        name="medical_exam_add",
    ),
    path("koordynacja/uczestnicy/<int:pk>/staz/", views.internship_new, name="internship_new"),
    path("koordynacja/staze/", views.internship_list, name="internships"),
    path("koordynacja/staze/<int:pk>/", views.internship_detail, name="internship_detail"),
    path(
        "koordynacja/staze/<int:pk>/zakonczenie/",
        views.internship_finish,
        name="internship_finish",
    ),
    path(
        "koordynacja/staze/<int:pk>/miesiac/",
        views.internship_month_add,
        name="internship_month_add",
    ),
]
