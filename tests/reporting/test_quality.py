"""The data-quality check: each rule with a case it flags and one it does not, and
the page (scope, grouping, counts, pagination)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from participants.models import EnrolmentExit, FollowUp, Sex
from partners.scoping import scope_for
from reporting.quality import RULES, quality_check
from reporting.selection import Selection
from tests.factories import EnrolmentFactory, ParticipantFactory, UserFactory, make_pesel

from .conftest import D, Status, person

TODAY = D(2018, 6, 30)
START, END = D(2016, 5, 16), D(2016, 12, 15)


@pytest.fixture
def r(db):
    """Whoever recorded the exit data and follow-ups."""
    return UserFactory()


def problems(world, enrolment, today=TODAY) -> list[tuple[str, str]]:
    """(rule code, message) of one enrolment's problems."""
    report = quality_check(Selection(world.lebork), today=today)
    return [
        (problem.rule.code, problem.message)
        for entry in report.entries
        if entry.enrolment.pk == enrolment.pk
        for problem in entry.problems
    ]


def codes(world, enrolment, today=TODAY) -> list[str]:
    return [code for code, _ in problems(world, enrolment, today)]


def enrolment(world, organisation="MOPS Lębork", **fields):
    """An enrolment written as it is, without the services (for data they would refuse)."""
    fields.setdefault("declaration_signed_on", D(2016, 5, 2))
    fields.setdefault("data_protection_signed_on", D(2016, 5, 2))
    return EnrolmentFactory(
        project=world.lebork, recruiting_organisation=world.organisations[organisation], **fields
    )


def test_every_rule_has_its_own_code():
    assert [rule.code for rule in RULES] == [
        "exit_missing",
        "ended_without_support",
        "pesel_mismatch",
        "dates_order",
        "outside_project",
        "consent_missing",
        "follow_up_missing",
        "follow_up_early",
    ]


def test_clean_data_has_no_problem(world, r):
    in_support = person(world, r, "MOPS Lębork", "A", start=START)
    finished = person(world, r, "MOPS Lębork", "B", status=Status.COMPLETED, start=START,
                      end=END, exit={"employed": True}, follow_up=(90, {}))  # fmt: skip
    candidate = enrolment(world, declaration_signed_on=None, data_protection_signed_on=None)
    report = quality_check(Selection(world.lebork), today=TODAY)
    assert report.entries == [] and report.total == 0
    assert {row.rule.code: row.count for row in report.counts} == {r.code: 0 for r in RULES}
    assert {in_support.pk, finished.pk, candidate.pk} <= set(
        Selection(world.lebork).enrolments().values_list("pk", flat=True)
    )


# Exit data -------------------------------------------------------------------------------


def test_an_end_without_exit_data(world, r):
    completed = person(world, r, "MOPS Lębork", "A", status=Status.COMPLETED, start=START,
                       end=END, follow_up=(95, {}))  # fmt: skip
    dropped = person(world, r, "MOPS Lębork", "B", status=Status.DROPPED_OUT, start=START,
                     end=END)  # fmt: skip
    assert codes(world, completed) == ["exit_missing"]
    assert codes(world, dropped) == ["exit_missing"]
    assert "15.12.2016" in problems(world, completed)[0][1]


def test_a_resignation_before_support_needs_no_exit_data(world):
    resigned = enrolment(world, status=Status.DROPPED_OUT, end_date=D(2016, 5, 10),
                         dropout_reason="Rezygnacja")  # fmt: skip
    assert codes(world, resigned) == []


def test_an_end_without_any_support_received(world, r):
    seated = enrolment(world, status=Status.COMPLETED, support_start=START, end_date=END)
    EnrolmentExit.objects.create(enrolment=seated, completed_pathway=True, recorded_by=r)
    assert codes(world, seated, today=END) == ["ended_without_support"]
    left = enrolment(world, status=Status.DROPPED_OUT, support_start=START, end_date=END,
                     dropout_reason="Wyjazd")  # fmt: skip
    assert codes(world, left) == []  # a resignation: no support, no exit data


# PESEL ------------------------------------------------------------------------------------


def test_a_birth_date_or_sex_not_matching_the_pesel(world):
    wrong_date = ParticipantFactory(birth_date=D(1980, 3, 1), pesel=make_pesel(D(1981, 3, 1), "K"))
    wrong_sex = ParticipantFactory(sex=Sex.MALE, birth_date=D(1980, 3, 2),
                                   pesel=make_pesel(D(1980, 3, 2), "K"))  # fmt: skip
    right = ParticipantFactory()
    date_case = enrolment(world, participant=wrong_date)
    sex_case = enrolment(world, participant=wrong_sex)
    assert codes(world, date_case) == ["pesel_mismatch"]
    assert "01.03.1981" in problems(world, date_case)[0][1]
    assert codes(world, sex_case) == ["pesel_mismatch"]
    assert codes(world, enrolment(world, participant=right)) == []


def test_the_fix_of_a_pesel_is_the_participants_form(world):
    case = enrolment(world, participant=ParticipantFactory(pesel=make_pesel(D(1990, 1, 1), "K")))
    (entry,) = quality_check(Selection(world.lebork), today=TODAY).entries
    assert entry.problems[0].url == reverse("participants:edit", args=[case.participant_id])


# Dates -------------------------------------------------------------------------------------


def test_dates_out_of_order(world):
    late_qualification = enrolment(world, status=Status.IN_SUPPORT, qualified_on=D(2016, 5, 20),
                                   support_start=START)  # fmt: skip
    support_after_end = enrolment(world, status=Status.DROPPED_OUT, qualified_on=D(2016, 5, 9),
                                  support_start=START, participation_start=D(2016, 6, 1),
                                  end_date=D(2016, 5, 20), dropout_reason="Wyjazd")  # fmt: skip
    in_order = enrolment(world, status=Status.IN_SUPPORT, qualified_on=D(2016, 5, 9),
                         support_start=START, participation_start=START)  # fmt: skip
    assert codes(world, late_qualification) == ["dates_order"]
    assert set(codes(world, support_after_end)) == {"dates_order", "exit_missing"}
    assert codes(world, in_order) == []


def test_participation_outside_the_projects_dates(world, r):
    early = enrolment(world, status=Status.IN_SUPPORT, registered_on=D(2016, 2, 1),
                      support_start=D(2016, 3, 1), participation_start=D(2016, 3, 1))  # fmt: skip
    late_end = person(world, r, "MOPS Lębork", "A", status=Status.COMPLETED, start=START,
                      end=D(2018, 11, 30), exit={})  # fmt: skip
    on_the_last_day = person(world, r, "MOPS Lębork", "B", status=Status.COMPLETED,
                             start=START, end=D(2018, 10, 31), exit={})  # fmt: skip
    assert codes(world, early) == ["outside_project"]
    assert codes(world, late_end, today=D(2018, 12, 1)) == ["outside_project"]
    assert codes(world, on_the_last_day, today=D(2018, 12, 1)) == []


# Consent ------------------------------------------------------------------------------------


def test_support_without_consent(world):
    none_signed = enrolment(world, status=Status.IN_SUPPORT, support_start=START,
                            declaration_signed_on=None, data_protection_signed_on=None)  # fmt: skip
    one_signed = enrolment(world, status=Status.IN_SUPPORT, support_start=START,
                           data_protection_signed_on=None)  # fmt: skip
    candidate = enrolment(world, declaration_signed_on=None, data_protection_signed_on=None)
    assert codes(world, none_signed) == ["consent_missing", "consent_missing"]
    assert codes(world, one_signed) == ["consent_missing"]
    assert codes(world, candidate) == []
    (entry,) = [
        e
        for e in quality_check(Selection(world.lebork), today=TODAY).entries
        if e.enrolment == one_signed
    ]
    assert entry.problems[0].url == reverse("participants:consent", args=[one_signed.pk])


# Follow-up ------------------------------------------------------------------------------------


def test_a_follow_up_due_but_missing(world, r):
    finisher = person(world, r, "MOPS Lębork", "A", status=Status.COMPLETED, start=START,
                      end=END, exit={})  # fmt: skip
    left_for_job = person(world, r, "MOPS Lębork", "B", status=Status.DROPPED_OUT, start=START,
                          end=END, exit={"left_for_job": True, "employed": True})  # fmt: skip
    dropped = person(world, r, "MOPS Lębork", "C", status=Status.DROPPED_OUT, start=START,
                     end=END, exit={})  # fmt: skip
    due = END + datetime.timedelta(days=90)
    assert codes(world, finisher, today=due) == ["follow_up_missing"]
    assert codes(world, left_for_job, today=due) == ["follow_up_missing"]
    assert codes(world, finisher, today=due - datetime.timedelta(days=1)) == []
    assert codes(world, dropped, today=due) == []  # not a finisher


def test_a_follow_up_made_too_early(world, r):
    early = person(world, r, "MOPS Lębork", "A", status=Status.COMPLETED, start=START,
                   end=END, exit={}, follow_up=(89, {}))  # fmt: skip
    in_time = person(world, r, "MOPS Lębork", "B", status=Status.COMPLETED, start=START,
                     end=END, exit={}, follow_up=(90, {}))  # fmt: skip
    assert codes(world, early) == ["follow_up_early"]
    assert "89" in problems(world, early)[0][1]
    assert codes(world, in_time) == []
    assert FollowUp.objects.count() == 2


# The check as a whole -------------------------------------------------------------------------


def test_the_period_limits_the_enrolments_checked(world, r):
    old = person(world, r, "MOPS Lębork", "A", status=Status.COMPLETED, start=START, end=END)
    report = quality_check(Selection(world.lebork, start=D(2017, 1, 1)), today=TODAY)
    assert old.pk not in [entry.enrolment.pk for entry in report.entries]
    report = quality_check(Selection(world.lebork, end=D(2016, 12, 31)), today=TODAY)
    assert [entry.enrolment.pk for entry in report.entries] == [old.pk]


def test_one_query_whatever_the_number_of_enrolments(world, r, manager):
    def queries(count: int) -> int:
        for _ in range(count):
            person(world, r, "MOPS Lębork", "A", status=Status.COMPLETED, start=START, end=END)
        scope_for(manager, refresh=True)
        with CaptureQueriesContext(connection) as captured:
            report = quality_check(Selection(world.lebork, user=manager), today=TODAY)
        return len(report.entries), len(captured)

    assert queries(2) == (2, 1)
    assert queries(10) == (12, 1)


def url(project, query: str = "") -> str:
    return reverse("reporting:quality", args=[project.pk]) + (f"?{query}" if query else "")


def test_a_social_worker_sees_own_organisations_problems(world, r, login, sw_lebork, manager):
    mops = person(world, r, "MOPS Lębork", "Mops", status=Status.COMPLETED, start=START, end=END)
    wicko = person(world, r, "OPS Wicko", "Wicko", status=Status.COMPLETED, start=START, end=END)
    response = login(sw_lebork).get(url(world.lebork))
    assert response.status_code == 200
    assert [e.enrolment.pk for e in response.context["page"].object_list] == [mops.pk]
    assert "Wicko" not in response.content.decode()
    response = login(manager).get(url(world.lebork))
    assert [e.enrolment.pk for e in response.context["page"].object_list] == [mops.pk, wicko.pk]


def test_the_page_groups_by_person_with_counts_and_pages(world, r, login, auditor):
    # no exit data and no follow-up: two problems each
    for index in range(51):
        person(world, r, "MOPS Lębork", f"P{index:02d}", status=Status.COMPLETED, start=START,
               end=END)  # fmt: skip
    client = login(auditor)
    response = client.get(url(world.lebork))
    quality, page = response.context["quality"], response.context["page"]
    counts = {row.rule.code: row.count for row in quality.counts if row.count}
    assert counts == {"exit_missing": 51, "follow_up_missing": 51}
    assert quality.total == 102
    assert len(page.object_list) == 50 and page.paginator.num_pages == 2
    assert [len(entry.problems) for entry in page.object_list] == [2] * 50
    html = response.content.decode()
    assert html.count('data-rule="exit_missing"') == 51  # 50 entries + the count row
    response = client.get(url(world.lebork, "end=2018-10-31&page=2"))
    assert [e.participant.last_name for e in response.context["page"].object_list] == ["P50"]
    assert response.context["query"] == "end=2018-10-31"


def test_a_wrong_period_shows_the_form_errors(world, login, manager):
    response = login(manager).get(url(world.lebork, "start=2017-01-01&end=2016-01-01"))
    assert response.status_code == 200
    assert response.context["selection"] is None
    assert "quality" not in response.context
