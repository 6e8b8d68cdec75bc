"""The catalogue of forms of support: the list for anyone with a role; new and edit for
project managers; a form is retired by taking it out of use, and is then offered nowhere."""

import pytest
from django.urls import reverse

from aktywizacja.lists import records
from partners.models import Organisation
from pathways.models import Stage, SupportForm

from .screens import PSYCHOLOGY, support_form, url

LIST = reverse("pathways:catalogue")
NEW = reverse("pathways:catalogue_new")
INTERNSHIPS = "Staże i zajęcia reintegracji zawodowej u pracodawców"
WORKSHOP = "Warsztaty kulinarne"


def edit(item: SupportForm) -> str:
    return reverse("pathways:catalogue_edit", args=[item.pk])


def form_data(**changes) -> dict:
    return {
        "name": WORKSHOP,
        "category": SupportForm.Category.SOCIAL,
        "stage": Stage.SOCIAL,
        "unit": SupportForm.Unit.SESSION_HOURS,
        "provider_kinds": ["MOPS", "OPS"],
        "is_active": "on",
    } | changes


def data_of(item: SupportForm, **changes) -> dict:
    data = {
        "name": item.name,
        "category": item.category,
        "stage": item.stage,
        "unit": item.unit,
        "provider_kinds": item.provider_kinds,
    }
    if item.is_active:
        data["is_active"] = "on"
    return data | changes


def names_by_stage(response) -> dict[str, list[str]]:
    stages: dict[str, list[str]] = {}
    for item in records(response.context["table"]):
        stages.setdefault(str(item.get_stage_display()), []).append(item.name)
    return stages


def catalogue() -> list[tuple]:
    return list(SupportForm.objects.order_by("pk").values_list())


@pytest.mark.parametrize(
    "persona", ["manager", "auditor", "coordinator", "sw_lebork", "sw_leszno", "superuser"]
)
def test_the_list_opens_for_who_has_a_role(request, login, persona):
    response = login(request.getfixturevalue(persona)).get(LIST)
    assert response.status_code == 200
    assert response.context["may_edit"] is (persona in {"manager", "superuser"})


def test_who_has_no_role_gets_403(login, nobody):
    assert login(nobody).get(LIST).status_code == 403


def test_the_seeded_forms_are_listed_by_stage(login, sw_lebork):
    response = login(sw_lebork).get(LIST)
    groups = names_by_stage(response)
    assert list(groups) == [str(Stage.SOCIAL.label), str(Stage.VOCATIONAL.label)]
    assert PSYCHOLOGY in groups[str(Stage.SOCIAL.label)]
    assert INTERNSHIPS in groups[str(Stage.VOCATIONAL.label)]
    assert sum(len(names) for names in groups.values()) == SupportForm.objects.count()
    page = response.content.decode()
    assert PSYCHOLOGY in page
    assert INTERNSHIPS in page


def test_the_list_says_who_provides_it(login, sw_lebork):
    response = login(sw_lebork).get(LIST)
    rows = {item.name: item for item in records(response.context["table"])}
    assert rows[INTERNSHIPS].providers == [Organisation.Kind.STAROSTWO.label]
    assert len(rows[PSYCHOLOGY].providers) == 5


def test_the_manager_adds_a_form_that_can_then_be_chosen(login, manager, sw_lebork):
    response = login(manager).post(NEW, form_data(provider_kinds=["OPS", "MOPS"]))
    assert response.status_code == 302
    assert response["Location"] == LIST
    added = SupportForm.objects.get(name=WORKSHOP)
    assert added.provider_kinds == ["MOPS", "OPS"]  # in the order of the list
    assert added.history.get().history_user == manager
    assert added in SupportForm.objects.filter(is_active=True)
    assert WORKSHOP in names_by_stage(login(sw_lebork).get(LIST))[str(Stage.SOCIAL.label)]
    setup = login(sw_lebork).get(url("session_new")).context["setup"]
    assert added in setup.fields["support_form"].queryset


def test_the_superuser_adds_a_form(login, superuser):
    assert login(superuser).post(NEW, form_data()).status_code == 302
    assert SupportForm.objects.filter(name=WORKSHOP).exists()


def test_editing_keeps_history(login, manager):
    item = support_form(PSYCHOLOGY)
    before = item.history.count()
    client = login(manager)
    assert client.get(edit(item)).context["form"].instance == item
    response = client.post(edit(item), data_of(item, unit=SupportForm.Unit.COURSE))
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.unit == SupportForm.Unit.COURSE
    assert item.history.count() == before + 1
    assert item.history.first().history_user == manager


def test_a_retired_form_is_no_longer_offered(login, manager, sw_lebork, with_pathway):
    item = support_form(PSYCHOLOGY)
    response = login(manager).post(edit(item), data_of(item, is_active=""))
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.is_active is False
    assert SupportForm.objects.filter(pk=item.pk).exists()  # retired, not deleted
    client = login(sw_lebork)
    setup = client.get(url("session_new")).context["setup"]
    assert item not in setup.fields["support_form"].queryset
    assert support_form("Warsztaty wizerunkowe") in setup.fields["support_form"].queryset
    plan = client.get(url("plan_add", with_pathway())).context["form"]
    assert item not in plan.fields["support_form"].queryset
    assert support_form(INTERNSHIPS) in plan.fields["support_form"].queryset
    # and it is still listed, out of use
    rows = records(client.get(LIST).context["table"])
    assert [row.is_active for row in rows if row == item] == [False]


@pytest.mark.parametrize("persona", ["auditor", "coordinator", "sw_lebork", "sw_wicko", "nobody"])
def test_who_does_not_manage_a_project_may_not_add_or_edit(request, login, persona):
    client = login(request.getfixturevalue(persona))
    item = support_form(PSYCHOLOGY)
    before = catalogue()
    assert client.get(NEW).status_code == 403
    assert client.post(NEW, form_data()).status_code == 403
    assert client.get(edit(item)).status_code == 403
    assert client.post(edit(item), data_of(item, is_active="")).status_code == 403
    assert catalogue() == before


def test_a_duplicate_name_is_refused_at_its_field(login, manager):
    before = catalogue()
    response = login(manager).post(NEW, form_data(name=PSYCHOLOGY))
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["name"]
    assert catalogue() == before


def test_renaming_onto_another_form_is_refused(login, manager):
    item = support_form(PSYCHOLOGY)
    before = catalogue()
    response = login(manager).post(edit(item), data_of(item, name=INTERNSHIPS))
    assert list(response.context["form"].errors) == ["name"]
    assert catalogue() == before


@pytest.mark.parametrize("kinds", [[], ["NOT_A_KIND"]])
def test_provider_kinds_are_required_and_from_the_list(login, manager, kinds):
    before = catalogue()
    response = login(manager).post(NEW, form_data(provider_kinds=kinds))
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == ["provider_kinds"]
    expected = "required" if not kinds else "invalid_choice"
    assert [error.code for error in form.errors.as_data()["provider_kinds"]] == [expected]
    assert catalogue() == before


def test_the_edit_page_of_a_missing_form_is_404(login, manager):
    assert login(manager).get(reverse("pathways:catalogue_edit", args=[99999])).status_code == 404
