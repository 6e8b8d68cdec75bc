"""What the browser tests share: the marker, logging in through the real forms (with
the authenticator code of the demo's manager), screenshots kept as artefacts, and the
axe-core scan."""

import base64
import os
import re
import time
from pathlib import Path

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import Page, expect

from partners.demo import DEMO_PASSWORD, DEMO_TOTP_KEY, DEMO_TOTP_USERS

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
ARTEFACTS = Path(os.environ.get("BROWSER_ARTEFACTS", ROOT / "artefacts" / "browser"))
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"

# The live server answers from another thread, so what a test writes must be committed:
# a transactional test. Its flush also empties the migrations' seed data, which
# `live_demo` puts back. (Django's serialized_rollback cannot: the flush of a plain
# transactional test recreates the content types, and restoring the copy clashes.)
BROWSER = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# django-otp accepts a time step once: a second login of the same user within 30 s
# uses the next step, which the device's tolerance of one step admits.
_last_step: dict[str, int] = {}


def authenticator_code(username: str) -> str:
    step = max(int(time.time()) // 30, _last_step.get(username, -1) + 1)
    _last_step[username] = step
    totp = TOTP(base64.b32decode(DEMO_TOTP_KEY), step=30)
    totp.time = step * 30
    return f"{totp.token():06d}"


def log_in(page: Page, username: str, password: str = DEMO_PASSWORD) -> None:
    """Log in through the login page, and the code page for those who need one."""
    page.goto("/konto/logowanie/")
    page.get_by_label("Nazwa użytkownika").fill(username)
    page.get_by_label("Hasło").fill(password)
    page.get_by_role("button", name="Zaloguj").click()
    if username in DEMO_TOTP_USERS:
        expect(page).to_have_url(re.compile(r"/konto/weryfikacja/"))
        page.locator("input[name=code]").fill(authenticator_code(username))
        page.get_by_role("button", name=re.compile("Potwierdź|Zweryfikuj|Dalej")).click()
    expect(page.get_by_role("button", name="Wyloguj")).to_be_visible()


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Wyloguj").click()


class Screenshots:
    """Screenshots of a journey's key screens, numbered in the order taken, in
    artefacts/browser/<test>/ (CI keeps the folder)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.count = 0
        self.taken: list[Path] = []

    def __call__(self, page: Page, name: str) -> Path:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.count += 1
        path = self.folder / f"{self.count:02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        self.taken.append(path)
        return path


SERIOUS = {"serious", "critical"}


def axe_violations(page: Page, impacts: set[str] = SERIOUS) -> list[dict]:
    """Run axe-core (WCAG 2.0/2.1 A and AA rules) on the page as it is now; return the
    violations of the given impacts. axe is evaluated through the DevTools protocol,
    which the page's CSP does not govern: no script is added to the page."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
            resultTypes: ['violations'],
        })"""
    )
    return [v for v in result["violations"] if v["impact"] in impacts]


def describe(violations: list[dict]) -> str:
    """A readable list of violations, for an assertion's message."""
    lines = []
    for violation in violations:
        lines.append(f"{violation['impact']}: {violation['id']} — {violation['help']}")
        lines.extend(
            f"    {node['target']}: {node['failureSummary']}" for node in violation["nodes"][:5]
        )
    return "\n".join(lines)


# People set up for a journey through the services the screens call -----------------------
# (imported when called: the services need Django ready, which the fixtures see to)


def referred_person(
    project,
    *,
    first_name: str,
    last_name: str,
    birth_date,
    serial: int,
    day,
    organisation: str = "MOPS Lębork",
    social_worker: str = "sw.lebork",
    to: str = "Starostwo Lębork",
):
    """A woman registered on `day` by the social worker of `organisation`, qualified,
    with both documents signed, in support, with a written pathway and referred to
    `to` ten days later: what the social worker's journey leaves behind. Returns the
    enrolment."""
    import datetime

    from django.contrib.auth import get_user_model

    from participants import services as participation
    from participants.models import Degurba, Education, LabourMarketStatus, Participant
    from partners.models import Commune, Organisation
    from pathways import services
    from tests.factories import make_pesel

    user = get_user_model().objects.get(username=social_worker)
    recruiter = Organisation.objects.get(short_name=organisation)
    person = Participant(
        first_name=first_name,
        last_name=last_name,
        pesel=make_pesel(birth_date, "K", serial=serial),
        sex="K",
        birth_date=birth_date,
        education=Education.ISCED_3,
        commune=Commune.objects.filter(projects=project, name="Lębork").first(),
        town="Lębork",
        building_number="7",
        postcode="84-300",
        degurba=Degurba.TOWNS_SUBURBS,
        labour_market_status=LabourMarketStatus.INACTIVE,
        social_assistance_client=True,
    )
    enrolment = participation.participant_register(
        user=user, project=project, organisation=recruiter, participant=person, registered_on=day
    )
    participation.enrolment_qualify(user=user, enrolment=enrolment, on_date=day)
    participation.consent_record(
        user=user, enrolment=enrolment, declaration_signed_on=day, data_protection_signed_on=day
    )
    participation.enrolment_start_support(user=user, enrolment=enrolment, on_date=day)
    enrolment.refresh_from_db()
    services.pathway_save(user=user, enrolment=enrolment, needs="Powrót na rynek pracy.")
    services.referral_create(
        user=user,
        enrolment=enrolment,
        to_organisation=Organisation.objects.get(short_name=to),
        referred_on=day + datetime.timedelta(days=10),
    )
    return enrolment


def placed_person(project, *, day, **person):
    """A person of `referred_person` who also attended a session of her centre and was
    placed by the Starostwo's coordinator in an internship (after a medical
    examination). Returns (enrolment, session, internship)."""
    import datetime
    from decimal import Decimal

    from django.contrib.auth import get_user_model

    from pathways import services
    from pathways.models import Employer, Internship, MedicalExam, SupportForm

    users = get_user_model().objects
    enrolment = referred_person(project, day=day, **person)
    social_worker = users.get(username=person.get("social_worker", "sw.lebork"))
    session = services.session_record(
        user=social_worker,
        project=project,
        support_form=SupportForm.objects.get(name="Warsztaty kształtujące umiejętności osobiste"),
        provider=enrolment.recruiting_organisation,
        date=day + datetime.timedelta(days=3),
        hours=Decimal("2"),
        specialist="Ewa Trenerska",
        rows=[services.AttendanceRow(enrolment=enrolment, present=True)],
    )
    coordinator = users.get(username="koord.starostwo")
    starostwo = enrolment.referrals.get().to_organisation
    start = day + datetime.timedelta(days=21)
    exam = services.medical_exam_record(
        user=coordinator,
        enrolment=enrolment,
        exam=MedicalExam(
            examined_on=start - datetime.timedelta(days=5),
            valid_until=start + datetime.timedelta(days=365),
            result=MedicalExam.Result.FIT,
            purpose="Staż: sprzedawca",
        ),
    )
    internship = services.internship_assign(
        user=coordinator,
        internship=Internship(
            enrolment=enrolment,
            organiser=starostwo,
            employer=Employer.objects.order_by("name").first(),
            position="Sprzedawca",
            mentor="Jan Opiekun",
            start_date=start,
            end_date=start + datetime.timedelta(days=90),
            hours_per_day=Decimal("8"),
            hours_per_week=Decimal("40"),
        ),
    )
    assert internship.medical_exam == exam
    return enrolment, session, internship
