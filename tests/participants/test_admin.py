"""The participants admin reads everything, edits personal data through the service,
and moves enrolments only through the services' actions."""

from django.urls import reverse

from participants.models import Enrolment


def test_the_change_pages_load_with_data(login, client, superuser, in_support):
    enrolment = in_support().enrolment
    login(superuser)
    for name, obj in [
        ("participant", enrolment.participant),
        ("enrolment", enrolment),
        ("seatbooking", enrolment.seat_bookings.get()),
        ("eligibilitycheck", enrolment.eligibility_checks.get()),
    ]:
        url = reverse(f"admin:participants_{name}_change", args=[obj.pk])
        assert client.get(url).status_code == 200, name


def test_the_status_cannot_be_edited_by_hand(login, client, superuser, register):
    enrolment = register()
    login(superuser)
    url = reverse("admin:participants_enrolment_change", args=[enrolment.pk])
    client.post(url, {"status": "IN_SUPPORT"})
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.CANDIDATE


def test_the_qualify_action_calls_the_eligibility_service(login, client, superuser, register):
    enrolment = register()
    login(superuser)
    changelist = reverse("admin:participants_enrolment_changelist")
    response = client.post(
        changelist, {"action": "qualify", "_selected_action": [enrolment.pk]}, follow=True
    )
    assert response.status_code == 200
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.QUALIFIED
    assert enrolment.eligibility_checks.get().checked_by == superuser


def test_the_start_support_action_reports_a_missing_consent(login, client, superuser, register):
    enrolment = register()
    login(superuser)
    changelist = reverse("admin:participants_enrolment_changelist")
    client.post(changelist, {"action": "qualify", "_selected_action": [enrolment.pk]})
    response = client.post(
        changelist, {"action": "start_support", "_selected_action": [enrolment.pk]}, follow=True
    )
    texts = [str(m) for m in response.context["messages"]]
    assert any("deklaracj" in text for text in texts)
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.QUALIFIED


def test_editing_personal_data_goes_through_the_validation(login, client, superuser, register):
    person = register().participant
    login(superuser)
    url = reverse("admin:participants_participant_change", args=[person.pk])
    page = client.get(url)
    data = {
        key: value
        for key, value in page.context["adminform"].form.initial.items()
        if value is not None and not isinstance(value, bool)
    }
    data |= {"postcode": "84300", "enrolments-TOTAL_FORMS": "1", "enrolments-INITIAL_FORMS": "1"}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "postcode" in response.context["adminform"].form.errors
    person.refresh_from_db()
    assert person.postcode == "84-300"
