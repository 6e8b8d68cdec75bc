"""The demo participants: sixty-odd people in every status, all through the services."""

import datetime
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone
from stdnum.pl import pesel as stdnum_pesel

from participants import services
from participants.models import (
    EligibilityCheck,
    Enrolment,
    EnrolmentExit,
    FollowUp,
    Participant,
    SeatBooking,
)
from participants.pesel import parse_pesel
from partners.models import Organisation, PlaceKind, SeatQuota

pytestmark = pytest.mark.django_db

Status = Enrolment.Status

RECRUITING_PARTNERS = {
    "PCPR Lębork",
    "MOPS Lębork",
    "MOPS Łeba",
    "OPS Cewice",
    "GOPS Nowa Wieś Lęborska",
    "OPS Wicko",
    "WTZ „Jesteśmy Razem”",
}
# The partner's own commune; PCPR and WTZ serve the whole county.
HOME_COMMUNE = {
    "MOPS Lębork": "Lębork",
    "MOPS Łeba": "Łeba",
    "OPS Cewice": "Cewice",
    "GOPS Nowa Wieś Lęborska": "Nowa Wieś Lęborska",
    "OPS Wicko": "Wicko",
}
POSTCODES = {
    "Lębork": ("84-300", 2),
    "Łeba": ("84-360", 2),
    "Cewice": ("84-312", 3),
    "Nowa Wieś Lęborska": ("84-351", 3),
    "Wicko": ("84-352", 3),
}


def user(username: str):
    return get_user_model().objects.get(username=username)


def enrolments(demo):
    return Enrolment.objects.filter(project=demo).select_related(
        "participant__commune", "recruiting_organisation"
    )


def test_about_sixty_people_in_every_status(demo):
    assert 55 <= Participant.objects.count() <= 70
    assert enrolments(demo).count() == Participant.objects.count()
    assert set(enrolments(demo).values_list("status", flat=True)) == set(Status.values)
    partners = set(enrolments(demo).values_list("recruiting_organisation__short_name", flat=True))
    assert partners == RECRUITING_PARTNERS


def test_every_pesel_is_valid_and_agrees_with_the_person(demo):
    people = list(Participant.objects.all())
    for person in people:
        assert stdnum_pesel.is_valid(person.pesel), person.pesel
        data = parse_pesel(person.pesel)
        assert (data.birth_date, data.sex) == (person.birth_date, person.sex)
    assert len({p.pesel for p in people}) == len(people)
    # Born in 2000, a month coded +20 and a leading zero: the one minor of the demo.
    minors = [p for p in people if p.pesel.startswith("0")]
    assert len(minors) == 1
    assert minors[0].pesel[2] in "23"
    assert all(
        datetime.date(1955, 1, 1) <= p.birth_date <= datetime.date(1998, 12, 31)
        for p in people
        if p not in minors
    )


def test_the_minor_is_refused_with_reasons_and_an_override_is_justified(demo):
    refused = EligibilityCheck.objects.filter(enrolment__project=demo, eligible=False)
    too_young = refused.get(enrolment__participant__pesel__startswith="0")
    assert too_young.enrolment.status == Status.CANDIDATE
    assert [r["code"] for r in too_young.failed_reasons] == ["age"]
    assert "17" in too_young.failed_reasons[0]["message"]
    assert too_young.overridden_by is None

    overridden = refused.get(overridden_by__isnull=False)
    assert overridden.overridden_by == user("kierownik")
    assert overridden.override_justification
    assert [r["code"] for r in overridden.failed_reasons] == ["labour_market"]
    assert overridden.enrolment.status == Status.QUALIFIED


def test_the_waiting_rejected_and_leaving_have_their_data(demo):
    qualified = enrolments(demo).filter(status=Status.QUALIFIED)
    assert any(not e.has_consent for e in qualified)
    assert any(e.has_consent for e in qualified)
    assert all(e.rejection_reason for e in enrolments(demo).filter(status=Status.REJECTED))

    dropped = enrolments(demo).filter(status=Status.DROPPED_OUT)
    assert all(e.dropout_reason for e in dropped)
    resigned = dropped.filter(exit__isnull=True)  # left before any support
    assert resigned.count() == 1
    assert not SeatBooking.objects.filter(enrolment__in=resigned).active().exists()
    assert SeatBooking.objects.filter(enrolment__in=resigned, released_at__isnull=False).exists()
    for_job = EnrolmentExit.objects.get(enrolment__project=demo, left_for_job=True)
    assert for_job.employed and not for_job.completed_pathway
    assert for_job.enrolment.status == Status.DROPPED_OUT


def test_completed_people_have_exit_data_and_follow_ups(demo):
    completed = enrolments(demo).filter(status=Status.COMPLETED)
    assert completed.count() >= 10
    assert all(hasattr(e, "exit") and e.exit.completed_pathway for e in completed)
    follow_ups = FollowUp.objects.filter(enrolment__project=demo).select_related("enrolment")
    assert follow_ups.count() >= 5
    employed = follow_ups.filter(employed=True)
    assert employed.exists()
    assert all(f.contract_months and f.working_time for f in employed)
    progress = follow_ups.exclude(social_progress="")
    assert progress.exists()
    assert all(f.social_progress_evidence for f in progress)
    for follow_up in follow_ups:
        assert follow_up.checked_on >= follow_up.enrolment.end_date + datetime.timedelta(days=90)
        assert follow_up.checked_on <= timezone.localdate()


def test_dates_lie_in_the_project(demo):
    for enrolment in enrolments(demo):
        assert datetime.date(2016, 4, 1) <= enrolment.registered_on <= demo.end_date
        if enrolment.support_start:
            assert enrolment.support_start.year in (2016, 2017)
    for exit_data in EnrolmentExit.objects.filter(enrolment__project=demo):
        assert exit_data.enrolment.end_date.year in (2017, 2018)
        assert exit_data.enrolment.end_date <= demo.end_date


def test_people_live_where_their_partner_works(demo):
    area = set(demo.communes.values_list("name", flat=True))
    for enrolment in enrolments(demo):
        person = enrolment.participant
        partner = enrolment.recruiting_organisation.short_name
        assert person.commune.name in area
        if partner in HOME_COMMUNE:
            assert person.commune.name == HOME_COMMUNE[partner]
        assert (person.postcode, person.degurba) == POSTCODES[person.commune.name]


def test_no_quota_is_exceeded(demo):
    for quota in SeatQuota.objects.all():
        assert quota.bookings.active().count() <= quota.seats, quota
    # Everyone who started support holds (or, having finished, used) one social seat.
    started = enrolments(demo).filter(
        status__in=[Status.IN_SUPPORT, Status.COMPLETED],
        seat_bookings__released_at__isnull=True,
        seat_bookings__quota__place_kind=PlaceKind.SOCIAL_ACTIVATION,
    )
    assert (
        started.count()
        == enrolments(demo).filter(status__in=[Status.IN_SUPPORT, Status.COMPLETED]).count()
    )


def test_ops_cewice_is_full_with_two_on_its_reserve_list(demo):
    cewice = Organisation.objects.get(short_name="OPS Cewice")
    quota = SeatQuota.objects.get(
        project=demo, organisation=cewice, place_kind=PlaceKind.SOCIAL_ACTIVATION
    )
    assert quota.seats == 12
    assert quota.bookings.active().count() == 12
    queue = list(Enrolment.objects.reserve_list(project=demo, organisation=cewice))
    assert len(queue) == 2
    assert [services.reserve_position(e) for e in queue] == [1, 2]
    assert queue[0].registered_on < queue[1].registered_on  # first come, first in line
    for other in SeatQuota.objects.filter(place_kind=PlaceKind.SOCIAL_ACTIVATION).exclude(
        organisation=cewice
    ):
        assert not Enrolment.objects.filter(
            project=other.project, recruiting_organisation=other.organisation, status=Status.RESERVE
        ).exists()


def test_social_workers_have_their_own_people_and_no_one_elses(demo):
    lebork_sw, wicko_sw = user("sw.lebork"), user("sw.wicko")
    mine = {
        lebork_sw: set(Participant.objects.for_user(lebork_sw)),
        wicko_sw: set(Participant.objects.for_user(wicko_sw)),
    }
    assert not mine[lebork_sw] & mine[wicko_sw]
    for worker, organisation in ((lebork_sw, "MOPS Lębork"), (wicko_sw, "OPS Wicko")):
        own = enrolments(demo).filter(recruiting_organisation__short_name=organisation)
        assert len(mine[worker]) >= 8
        assert mine[worker] == {e.participant for e in own}
        assert len({e.status for e in own}) >= 5
        # They did the work themselves: checks and social-activation seats are theirs
        # (course and internship seats are the coordinators').
        assert EligibilityCheck.objects.filter(enrolment__in=own).exists()
        assert set(
            EligibilityCheck.objects.filter(enrolment__in=own).values_list(
                "checked_by__username", flat=True
            )
        ) == {worker.username}
        assert set(
            SeatBooking.objects.filter(
                enrolment__in=own, quota__place_kind=PlaceKind.SOCIAL_ACTIVATION
            ).values_list("booked_by__username", flat=True)
        ) == {worker.username}


def test_the_manager_sees_every_lebork_participant(demo):
    lebork_people = Participant.objects.filter(enrolments__project=demo).distinct()
    assert set(Participant.objects.for_user(user("kierownik"))) == set(lebork_people)
    assert not Participant.objects.for_user(user("sw.leszno")).exists()


def _snapshot():
    models = [Participant, Enrolment, EligibilityCheck, SeatBooking, EnrolmentExit, FollowUp]
    counts = {m.__name__: m.objects.count() for m in models}
    counts |= {f"{m.__name__}.history": m.history.count() for m in models}
    counts["statuses"] = tuple(Enrolment.objects.order_by("pk").values_list("status", flat=True))
    return counts


def test_running_it_twice_changes_nothing(demo, settings):
    settings.DEBUG = True
    before = _snapshot()
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert _snapshot() == before
    assert str(before["Participant"]) in out.getvalue()
