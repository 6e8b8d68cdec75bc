"""A hand-built partnership whose every indicator, rate and budget figure is worked out
by hand in `test_indicators.py`; the exports and the dashboard are checked against it."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest

from participants.models import (
    Answer,
    DisabilityDegree,
    Enrolment,
    EnrolmentExit,
    FollowUp,
    LabourMarketStatus,
    SocialProgress,
)
from partners.models import Funding, PlaceKind
from pathways.models import Course, CourseParticipation, Payment
from tests.factories import (
    BudgetLineFactory,
    EnrolmentFactory,
    ParticipantFactory,
    SeatQuotaFactory,
    UserFactory,
)

D = datetime.date
Status = Enrolment.Status
ADULT = D(1980, 3, 1)


@dataclass
class Scenario:
    world: object
    people: dict[str, Enrolment]


def person(world, recorder, org, code, *, sex="K", born=ADULT, status=Status.IN_SUPPORT,
            start=None, end=None, exit=None, follow_up=None, **participant):  # fmt: skip
    participant = ParticipantFactory(
        sex=sex, born=born, last_name=code, first_name=f"Osoba {code}", **participant
    )
    enrolment = EnrolmentFactory(
        participant=participant,
        project=world.lebork,
        recruiting_organisation=world.organisations[org],
        status=status,
        support_start=start,
        participation_start=start,
        end_date=end,
        dropout_reason="Rezygnacja" if status == Status.DROPPED_OUT else "",
        declaration_signed_on=D(2016, 5, 2),
        data_protection_signed_on=D(2016, 5, 2),
    )
    if exit is not None:
        EnrolmentExit.objects.create(
            enrolment=enrolment,
            completed_pathway=status == Status.COMPLETED,
            recorded_by=recorder,
            **exit,
        )
    if follow_up is not None:
        days, situation = follow_up
        FollowUp.objects.create(
            enrolment=enrolment,
            checked_on=end + datetime.timedelta(days=days),
            recorded_by=recorder,
            social_progress_evidence="Ankieta" if situation.get("social_progress") else "",
            **situation,
        )
    return enrolment


def _certificate(world, enrolment, day):
    quota = SeatQuotaFactory(
        project=world.lebork,
        organisation=world.organisations["Starostwo Lębork"],
        place_kind=PlaceKind.SCHOOL_COURSE,
        seats=5,
    ) if not world.lebork.quotas.filter(place_kind=PlaceKind.SCHOOL_COURSE).exists() else (
        world.lebork.quotas.get(place_kind=PlaceKind.SCHOOL_COURSE)
    )  # fmt: skip
    course = Course.objects.create(
        project=world.lebork,
        organiser=quota.organisation,
        place_kind=PlaceKind.SCHOOL_COURSE,
        title=f"Florystyka {enrolment.pk}",
        hours=80,
        start_date=D(2016, 9, 1),
        end_date=day,
        capacity=5,
    )
    booking = enrolment.seat_bookings.create(
        quota=quota,
        booked_at=datetime.datetime(2016, 8, 1, tzinfo=datetime.UTC),
        booked_by=UserFactory(),
    )
    CourseParticipation.objects.create(
        course=course,
        enrolment=enrolment,
        seat_booking=booking,
        exam_passed=True,
        certificate_name="Florysta",
        certificate_number=f"F/{enrolment.pk}",
        certificate_date=day,
    )


JOB = {"employed": True, "contract_months": 6, "working_time": Decimal("1.00")}
SHORT_JOB = {"employed": True, "contract_months": 2, "working_time": Decimal("1.00")}
SMALLEST_JOB = {"employed": True, "contract_months": 3, "working_time": Decimal("0.50")}


def progress(kind):
    return {"social_progress": kind}


@pytest.fixture
def scenario(world) -> Scenario:
    """20 participants of three partners (MOPS Lębork "M", OPS Wicko "W", PCPR "P"),
    and three people who never started (not counted)."""
    r = UserFactory()
    m, w, p = "MOPS Lębork", "OPS Wicko", "PCPR Lębork"
    s1, s2, s3, s4 = D(2016, 5, 16), D(2016, 6, 1), D(2016, 7, 1), D(2016, 9, 1)
    e1, e2, e3, e4 = D(2016, 12, 15), D(2017, 1, 31), D(2017, 6, 30), D(2017, 5, 31)
    people = {
        # never started: registered, rejected, on the reserve list
        "N1": person(world, r, m, "N1", status=Status.CANDIDATE),
        "N2": person(world, r, w, "N2", status=Status.CANDIDATE),
        # in support
        "A1": person(world, r, m, "A1", start=s1, disability=Answer.YES,
                      disability_degree=DisabilityDegree.LIGHT),
        "A2": person(world, r, m, "A2", sex="M", start=s2, social_assistance_client=False),
        "A3": person(world, r, w, "A3", start=D(2017, 2, 1), social_assistance_client=False,
                      risk_homeless=True),
        "A4": person(world, r, p, "A4", sex="M", start=D(2017, 3, 1)),
        "A5": person(world, r, w, "A5", start=D(2018, 2, 1), social_assistance_client=False,
                      risk_other="Bezrobocie w rodzinie", disability=Answer.REFUSED),
        # completed the pathway
        "C1": person(world, r, m, "C1", status=Status.COMPLETED, start=s1, end=e1,
                      exit={"employed": True}, follow_up=(95, JOB)),
        "C2": person(world, r, m, "C2", status=Status.COMPLETED, start=s1, end=e1,
                      exit={"seeking_work": True},
                      follow_up=(95, progress(SocialProgress.MOTIVATION))),
        "C3": person(world, r, w, "C3", sex="M", status=Status.COMPLETED, start=s2, end=e2,
                      exit={"in_education": True},
                      follow_up=(94, progress(SocialProgress.EDUCATION_STARTED))),
        "C4": person(world, r, w, "C4", status=Status.COMPLETED, start=s2, end=e2, exit={},
                      follow_up=(29, JOB)),  # too early to count
        "C5": person(world, r, p, "C5", sex="M", status=Status.COMPLETED, start=s3, end=e3,
                      labour_market_status=LabourMarketStatus.EMPLOYED,
                      exit={"employed": True}, follow_up=(94, JOB)),
        "C6": person(world, r, p, "C6", status=Status.COMPLETED, start=s3, end=e3, exit={}),
        "C7": person(world, r, m, "C7", status=Status.COMPLETED, start=s4, end=e4, exit={},
                      disability=Answer.YES, disability_degree=DisabilityDegree.SEVERE,
                      follow_up=(93, {"self_employed": True})),
        "C8": person(world, r, w, "C8", sex="M", status=Status.COMPLETED, start=s4, end=e4,
                      disability=Answer.YES, disability_degree=DisabilityDegree.MODERATE,
                      disability_intellectual_or_multiple=True,
                      exit={"seeking_work": True}, follow_up=(97, SHORT_JOB)),
        "C9": person(world, r, m, "C9", sex="M", born=D(1999, 6, 1), status=Status.COMPLETED,
                      start=s1, end=e1, exit={"employed": True, "qualification_gained": True}),
        "C10": person(world, r, p, "C10", status=Status.COMPLETED, start=s1, end=e1, exit={},
                       follow_up=(95, SMALLEST_JOB | progress(SocialProgress.FUNCTIONING))),
        "C11": person(world, r, m, "C11", sex="M", status=Status.COMPLETED,
                       start=D(2017, 1, 10), end=D(2017, 12, 20), exit={"seeking_work": True},
                       follow_up=(90, SMALLEST_JOB)),  # the 90th day counts
        "C12": person(world, r, w, "C12", status=Status.COMPLETED, start=D(2017, 1, 10),
                       end=D(2017, 12, 20), exit={},
                       follow_up=(89, progress(SocialProgress.VOLUNTEERING))),  # a day early
        # dropped out
        "D1": person(world, r, m, "D1", status=Status.DROPPED_OUT, start=s1,
                      end=D(2016, 8, 31), exit={"left_for_job": True, "employed": True},
                      follow_up=(92, {"employed": True, "contract_months": 12,
                                      "working_time": Decimal("0.75")})),
        "D2": person(world, r, w, "D2", sex="M", status=Status.DROPPED_OUT, start=s2,
                      end=D(2016, 9, 30), exit={},
                      follow_up=(100, progress(SocialProgress.HEALTH))),  # not a finisher
        "D3": person(world, r, p, "D3", sex="M", status=Status.DROPPED_OUT, start=s2,
                      end=D(2016, 9, 30)),  # no exit data recorded
    }  # fmt: skip
    # C4's exam 20 days after the end counts; C6's 41 days after does not.
    _certificate(world, people["C4"], D(2017, 2, 20))
    _certificate(world, people["C6"], D(2017, 8, 10))
    return Scenario(world, people)


@pytest.fixture
def budget(scenario):
    """Planned 50 000,00 zł in four lines of a 60 000,00 zł project (89,5% grant);
    six payments, 4 154,36 zł in all, 735,00 zł of them the own contribution."""
    world, people = scenario.world, scenario.people
    world.lebork.budget_total = Decimal("60000.00")
    world.lebork.grant_share, world.lebork.own_contribution_share = Decimal("89.5"), Decimal("10.5")
    world.lebork.save()
    mops, wicko = world.organisations["MOPS Lębork"], world.organisations["OPS Wicko"]
    starostwo = world.organisations["Starostwo Lębork"]
    travel = BudgetLineFactory(
        project=world.lebork,
        organisation=mops,
        category="Dojazdy",
        planned_amount=Decimal("5000.00"),
    )
    benefits = BudgetLineFactory(
        project=world.lebork,
        organisation=mops,
        category="Zasiłki",
        funding=Funding.OWN_CONTRIBUTION,
        planned_amount=Decimal("3000.00"),
    )
    care = BudgetLineFactory(
        project=world.lebork,
        organisation=wicko,
        category="Opieka",
        planned_amount=Decimal("2000.00"),
    )
    stipends = BudgetLineFactory(project=world.lebork, organisation=starostwo, category="Stypendia",
                                 planned_amount=Decimal("40000.00"))  # fmt: skip
    recorder = UserFactory()
    for line, enrolment, kind, amount, day in [
        (travel, people["A1"], Payment.Kind.TRAVEL_REFUND, "120.50", D(2016, 6, 30)),
        (travel, people["A1"], Payment.Kind.TRAVEL_REFUND, "79.50", D(2017, 1, 31)),
        (benefits, people["A1"], Payment.Kind.BENEFIT, "317.00", D(2016, 7, 5)),
        (benefits, people["A2"], Payment.Kind.BENEFIT, "418.00", D(2017, 2, 5)),
        (care, people["A3"], Payment.Kind.CARE_REFUND, "1234.56", D(2016, 10, 10)),
        (stipends, people["C4"], Payment.Kind.INTERNSHIP_STIPEND, "1984.80", D(2017, 3, 10)),
    ]:
        Payment.objects.create(
            enrolment=enrolment, kind=kind, amount=Decimal(amount), paid_on=day,
            period_start=day.replace(day=1), period_end=day, document_number="D/1",
            budget_line=line, paid_by=line.organisation, funding=line.funding,
            recorded_by=recorder,
        )  # fmt: skip
    return world
