"""The admin: every page loads, bad input is refused in Polish and nothing is saved."""

import pytest
from django.contrib import admin
from django.urls import reverse

from partners.models import Organisation, Partnership, Project, SeatQuota
from tests.factories import OrganisationFactory

MODELS = list(admin.site._registry)


@pytest.mark.parametrize("model", MODELS, ids=[m._meta.label for m in MODELS])
def test_every_admin_page_loads(login, client, superuser, world, model):
    login(superuser)
    meta = model._meta
    changelist = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
    assert client.get(changelist).status_code == 200
    assert client.get(changelist, {"q": "Lębork"}).status_code == 200
    add = client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_add"))
    # Records written only by services have no add page, on purpose.
    assert add.status_code == (
        200 if admin.site._registry[model].has_add_permission(add.wsgi_request) else 403
    )
    instance = model.objects.first()
    if instance is not None:
        change = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[instance.pk])
        assert client.get(change).status_code == 200
        history = reverse(f"admin:{meta.app_label}_{meta.model_name}_history", args=[instance.pk])
        assert client.get(history).status_code == 200


def test_the_admin_is_in_polish(login, client, superuser):
    login(superuser)
    body = client.get(reverse("admin:index")).content.decode()
    assert "Partnerzy i projekty" in body
    assert "Limity miejsc" in body


def _project_form(world, **overrides):
    data = {
        "title": "Nowy projekt",
        "short_name": "nowy",
        "programme": "RPO WP 2014–2020",
        "measure": "",
        "contract_number": "",
        "edition_year": "",
        "start_date": "01.04.2016",
        "end_date": "31.10.2018",
        "budget_total": "",
        "grant_share": "",
        "own_contribution_share": "",
        "min_age": "18",
        "admits_inactive": "on",
        "admits_unemployed_unregistered": "on",
        "internship_stipend": "1984,80",
        "internship_hours_norm": "160",
        "training_stipend": "1984,80",
        "training_hours_norm": "150",
        "training_stipend_floor": "20",
        "social_effectiveness_threshold": "34",
        "employment_effectiveness_threshold": "22",
        "employment_effectiveness_threshold_severe": "12",
    }
    for prefix in ("partnerships", "quotas", "budget_lines", "roles"):
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    data |= overrides
    return data


def _inline(prefix: str, rows: list[dict]) -> dict:
    data = {f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": "0"}
    for i, row in enumerate(rows):
        data |= {f"{prefix}-{i}-{key}": value for key, value in row.items()}
    return data


def test_a_valid_project_is_saved_with_its_partners(login, client, superuser, world):
    login(superuser)
    org = world.organisations["OPS Wicko"]
    data = _project_form(world) | _inline(
        "partnerships", [{"organisation": org.pk, "is_leader": "on"}]
    )
    response = client.post(reverse("admin:partners_project_add"), data)
    assert response.status_code == 302
    project = Project.objects.get(short_name="nowy")
    assert project.leader == org
    assert project.history.count() == 1  # the change is recorded


def test_the_admin_refuses_an_end_before_the_start(login, client, superuser, world):
    login(superuser)
    data = _project_form(world, start_date="31.10.2018", end_date="01.04.2016")
    response = client.post(reverse("admin:partners_project_add"), data)
    assert response.status_code == 200
    assert "Data zakończenia musi być późniejsza niż data rozpoczęcia." in response.content.decode()
    assert not Project.objects.filter(short_name="nowy").exists()


def test_the_admin_refuses_an_impossible_date(login, client, superuser, world):
    login(superuser)
    data = _project_form(world, start_date="31.02.2018")
    response = client.post(reverse("admin:partners_project_add"), data)
    assert response.status_code == 200
    assert "Wpisz poprawną datę." in response.content.decode()
    assert not Project.objects.filter(short_name="nowy").exists()


def test_the_admin_refuses_two_leaders_in_one_submission(login, client, superuser, world):
    login(superuser)
    rows = [
        {"organisation": world.organisations["OPS Wicko"].pk, "is_leader": "on"},
        {"organisation": world.organisations["MOPS Lębork"].pk, "is_leader": "on"},
    ]
    data = _project_form(world) | _inline("partnerships", rows)
    response = client.post(reverse("admin:partners_project_add"), data)
    assert response.status_code == 200
    assert (
        "Projekt ma już lidera; projekt może mieć tylko jednego lidera."
        in response.content.decode()
    )
    assert not Project.objects.filter(short_name="nowy").exists()
    assert not Partnership.objects.filter(project__short_name="nowy").exists()


def test_the_admin_refuses_a_second_leader_for_an_existing_project(login, client, superuser, world):
    login(superuser)
    data = {
        "project": world.lebork.pk,
        "organisation": OrganisationFactory().pk,
        "is_leader": "on",
    }
    response = client.post(reverse("admin:partners_partnership_add"), data)
    assert response.status_code == 200
    assert "Projekt ma już lidera" in response.content.decode()
    assert world.lebork.partnerships.filter(is_leader=True).count() == 1


@pytest.mark.parametrize("seats", ["0", "-5"])
def test_the_admin_refuses_seats_not_above_zero(login, client, superuser, world, seats):
    login(superuser)
    before = SeatQuota.objects.count()
    data = {
        "project": world.lebork.pk,
        "organisation": world.organisations["PCPR Lębork"].pk,
        "place_kind": "INTERNSHIP",
        "seats": seats,
    }
    response = client.post(reverse("admin:partners_seatquota_add"), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert SeatQuota.objects.count() == before


def test_the_admin_refuses_a_duplicate_quota(login, client, superuser, world):
    login(superuser)
    before = SeatQuota.objects.count()
    data = {
        "project": world.lebork.pk,
        "organisation": world.organisations["MOPS Lębork"].pk,
        "place_kind": "SOCIAL_ACTIVATION",
        "seats": "5",
    }
    response = client.post(reverse("admin:partners_seatquota_add"), data)
    assert response.status_code == 200
    assert (
        "Ta organizacja ma już w projekcie limit miejsc tego rodzaju." in response.content.decode()
    )
    assert SeatQuota.objects.count() == before


def test_the_admin_refuses_an_invalid_nip_at_the_field(login, client, superuser, world):
    login(superuser)
    data = {"name": "Fundacja Test", "short_name": "Fundacja", "kind": "NGO", "nip": "5252248482"}
    data |= {"memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0"}
    response = client.post(reverse("admin:partners_organisation_add"), data)
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert list(form.errors) == ["nip"]
    assert not Organisation.objects.filter(short_name="Fundacja").exists()


def test_the_admin_accepts_a_printed_nip_and_stores_digits(login, client, superuser, world):
    login(superuser)
    data = {
        "name": "Fundacja Test",
        "short_name": "Fundacja",
        "kind": "NGO",
        "nip": "525-224-84-81",
    }
    data |= {"memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0"}
    response = client.post(reverse("admin:partners_organisation_add"), data)
    assert response.status_code == 302
    assert Organisation.objects.get(short_name="Fundacja").nip == "5252248481"


@pytest.mark.parametrize("model", admin.site._registry, ids=lambda m: m._meta.label)
def test_staff_who_are_not_superusers_do_not_enter_the_admin(client, sw_leszno, model):
    """The admin shows every partner's people: staff status and model permissions are
    not enough, only superusers enter (`aktywizacja/urls.py`)."""
    from django.contrib.auth.models import Permission

    sw_leszno.is_staff = True
    sw_leszno.save()
    sw_leszno.user_permissions.add(*Permission.objects.all())
    client.force_login(sw_leszno)
    opts = model._meta
    response = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
