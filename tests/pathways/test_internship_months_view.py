"""A month of an internship's attendance, checked against its dates and hours, and
the stipend it gives by the project's rule."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from aktywizacja.templatetags.fmt import money
from pathways.models import InternshipMonth
from pathways.stipends import internship_stipend

from .coordination import INTERNSHIP_START, error_codes, new_employer, new_exam, new_internship


def month_url(internship) -> str:
    return reverse("pathways:internship_month_add", args=[internship.pk])


@pytest.fixture
def internship(coordinator, world, referred_to_starostwo):
    """From Wednesday 14.09.2016 for 90 days, 8 hours a day; 13 working days in September."""
    world.lebork.internship_stipend = Decimal("1984.80")
    world.lebork.internship_hours_norm = 160
    world.lebork.save()
    new_exam(coordinator, referred_to_starostwo)
    employer = new_employer(coordinator)
    return new_internship(coordinator, world, referred_to_starostwo, employer, INTERNSHIP_START)


def attendance(month="09.2016", days="12", hours="96", excused="1") -> dict:
    return {"month": month, "days_worked": days, "hours_worked": hours, "excused_days": excused}


def test_the_form_shows_the_projects_stipend_rule(login, coordinator, internship):
    response = login(coordinator).get(month_url(internship))
    assert response.status_code == 200
    body = response.content.decode()
    assert money(Decimal("1984.80")) in body
    assert "160" in body


@pytest.mark.parametrize(
    ("days", "hours", "excused"), [("12", "96", "1"), ("10", "75,5", "0"), ("0", "0", "13")]
)
def test_the_stipend_follows_the_rule(login, coordinator, world, internship, days, hours, excused):
    client = login(coordinator)
    response = client.post(month_url(internship), attendance("09.2016", days, hours, excused))
    assert response.status_code == 302
    assert response["Location"] == reverse("pathways:internship_detail", args=[internship.pk])
    expected = internship_stipend(
        monthly_amount=Decimal("1984.80"),
        hours_norm=160,
        hours_worked=Decimal(hours.replace(",", ".")),
        excused_hours=Decimal("8") * int(excused),
    )
    month = InternshipMonth.objects.get()
    assert month.stipend == expected
    assert month.month == datetime.date(2016, 9, 1)
    (message,) = get_messages(response.wsgi_request)
    assert money(expected) in str(message)
    page = client.get(response["Location"])
    assert money(expected) in page.content.decode()


@pytest.mark.parametrize("month", ["9.2016", "09/2016", "30.09.2016", "2016-09-14"])
def test_the_month_may_be_typed_as_mm_yyyy_or_a_date(login, coordinator, internship, month):
    response = login(coordinator).post(month_url(internship), attendance(month))
    assert response.status_code == 302
    assert InternshipMonth.objects.get().month == datetime.date(2016, 9, 1)


@pytest.mark.parametrize("month", ["13.2016", "wrzesień", "31.02.2016"])
def test_a_month_that_is_no_month_is_refused(login, coordinator, internship, month):
    response = login(coordinator).post(month_url(internship), attendance(month))
    assert error_codes(response.context["form"], "month") == ["invalid_month"]
    assert not InternshipMonth.objects.exists()


@pytest.mark.parametrize(
    ("data", "field", "code"),
    [
        (attendance("08.2016", "5", "40", "0"), "month", "outside_internship"),
        (attendance("01.2017", "5", "40", "0"), "month", "outside_internship"),
        (attendance("09.2016", "14", "112", "0"), "days_worked", "too_many_days"),
        (attendance("09.2016", "12", "96", "2"), "days_worked", "too_many_days"),
        (attendance("09.2016", "12", "100", "0"), "hours_worked", "too_many_hours"),
    ],
    ids=["before", "after", "days", "days-with-excused", "hours"],
)
def test_impossible_attendance_is_refused(login, coordinator, internship, data, field, code):
    response = login(coordinator).post(month_url(internship), data)
    assert response.status_code == 200
    assert error_codes(response.context["form"], field) == [code]
    assert not InternshipMonth.objects.exists()


def test_a_month_is_recorded_once(login, coordinator, internship):
    client = login(coordinator)
    client.post(month_url(internship), attendance())
    response = client.post(month_url(internship), attendance(days="10", hours="80", excused="0"))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert InternshipMonth.objects.get().days_worked == 12


def test_the_auditor_reads_the_months_but_does_not_record(login, auditor, internship):
    client = login(auditor)
    detail = reverse("pathways:internship_detail", args=[internship.pk])
    assert client.get(detail).status_code == 200
    assert month_url(internship) not in client.get(detail).content.decode()
    assert client.get(month_url(internship)).status_code == 403
    assert client.post(month_url(internship), attendance()).status_code == 403
    assert not InternshipMonth.objects.exists()


@pytest.mark.parametrize("persona", ["sw_wicko", "sw_leszno", "sw_lebork", "nobody"])
def test_other_partners_get_404(request, login, internship, persona):
    client = login(request.getfixturevalue(persona))
    assert client.get(month_url(internship)).status_code == 404
    assert client.post(month_url(internship), attendance()).status_code == 404
    assert not InternshipMonth.objects.exists()
