"""Demo pathways of the Lębork project (seed 000): the support the demo people received.

Used by `manage.py load_demo`, after `partners.demo` (the project, its partners,
quotas, stipend rules and users) and `participants.demo` (the people). Everything
is written through `pathways.services`, acting as the user whose work it is: the
social worker of the recruiting centre where the demo has one (sw.lebork, sw.wicko)
and the project manager (kierownik) elsewhere; the coordinators of Starostwo
(koord.starostwo) and PCE-ZSP (koord.pce) for vocational activation. So the demo
obeys every rule a user does: support only for people in support, on or after the
day they entered it; vocational support only after a referral; seats within quotas;
no internship without a valid medical examination; stipends computed by the service.

Only people in support get a pathway with support; those who completed or dropped
out can no longer receive any (the services refuse), and people qualified with
their consent or on the reserve list get just the diagnosis.

What is shown, 2016–2018:
* pathways in both stages — the social one at the centre, the vocational one after
  a referral to Starostwo and/or PCE-ZSP — with goals and planned support;
* group sessions at every centre with their attendance lists (psychological
  counselling, personal-skills workshops, legal advice, integration trips; the
  WTZ's occupational rehabilitation), a few absences;
* Starostwo: career counselling, job placement, a forklift-operator course with its
  UDT exam and certificates, training stipends; employers, medical examinations and
  internships with their monthly attendance and stipends;
* PCE-ZSP: a cook's qualification course on Saturdays, with protective clothing;
* refunds of travel and childcare at the centres, and social-assistance benefits
  counted as the own contribution.

Deterministic (one generator per person, seeded with the PESEL) and loaded once: if
the project already has pathways, nothing is done, so a second run changes nothing.
"""

import calendar
import datetime
import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from stdnum.pl import nip as stdnum_nip

from participants.demo import HOLIDAYS, MOVABLE_HOLIDAYS
from participants.models import Enrolment
from partners.models import BudgetLine, Funding, Organisation, PlaceKind, Project

from . import services
from .models import (
    Course,
    CourseParticipation,
    Employer,
    Internship,
    MedicalExam,
    Pathway,
    PathwayGoal,
    Payment,
    SupportForm,
)
from .services import AttendanceRow
from .stipends import month_bounds, training_stipend, working_days

Log = Callable[[str], None]
Status = Enrolment.Status
Goal = PathwayGoal.Status
Kind = Payment.Kind
D = Decimal

PROJECT = "lebork-2016"
SEED = 2016
MANAGER = "kierownik"
SOCIAL_WORKERS = {"MOPS Lębork": "sw.lebork", "OPS Wicko": "sw.wicko"}
STAROSTWO = "Starostwo Lębork"
SCHOOL = "PCE-ZSP Lębork"
COORDINATORS = {STAROSTWO: "koord.starostwo", SCHOOL: "koord.pce"}

# The catalogue (migration 0002).
PSYCHOLOGY = "Poradnictwo psychologiczne"
LEGAL = "Poradnictwo prawne i obywatelskie"
WORKSHOP = "Warsztaty kształtujące umiejętności osobiste"
INTEGRATION = "Integracja społeczna (kino, wioska tematyczna, teatr, rajd, piknik)"
REHABILITATION = "Rehabilitacja zawodowa w warsztacie terapii zajęciowej"
TRAVEL = "Koszty przejazdów na zajęcia"
CARE = "Koszty opieki nad dzieckiem lub osobą zależną"
COUNSELLING = "Doradztwo zawodowe"
PLACEMENT = "Pośrednictwo pracy"
SPECIALIST_COURSE = "Kursy i szkolenia specjalistyczne"
INTERNSHIP = "Staże i zajęcia reintegracji zawodowej u pracodawców"
SCHOOL_COURSE = "Kursy i szkolenia zawodowe w PCE-ZSP"

# The calendar ----------------------------------------------------------------------

SOCIAL_STAGE_DAYS = (80, 150)  # from entering support to the referral
REFERRALS_UNTIL = datetime.date(2018, 2, 28)
SOCIAL_UNTIL = datetime.date(2018, 6, 29)  # the centres' last sessions
COUNSELLING_DAYS = 120  # career counselling after a referral
CENTRE_EVERY = 28  # days between a centre's sessions
LAST_DAY = datetime.date(2018, 10, 31)  # the project's end
EXAMS_VALID_UNTIL = datetime.date(2018, 12, 31)  # the occupational physician's certificates

COURSE_DAYS = [datetime.date(2017, 5, d) for d in (8, 9, 10, 11, 12, 15, 16, 17, 18, 19)]
COURSE_EXAM = datetime.date(2017, 5, 23)
SCHOOL_START = datetime.date(2017, 9, 9)  # Saturdays, 6 h each
SCHOOL_SESSIONS = 30
SCHOOL_CERTIFICATES = datetime.date(2018, 8, 31)  # OKE results of the June session

# (day, hours, what and where) — each centre takes its own group.
INTEGRATION_EVENTS = [
    (
        datetime.date(2016, 9, 23),
        7,
        "Rajd pieszy po Słowińskim Parku Narodowym (Rąbka – Wydma Łącka)",
    ),
    (datetime.date(2016, 12, 9), 8, "Wyjazd do Teatru Muzycznego w Gdyni"),
    (datetime.date(2017, 5, 26), 7, "Wioska tematyczna „Kraina w Kratę” w Swołowie"),
    (datetime.date(2017, 6, 23), 6, "Piknik integracyjny nad jeziorem Sarbsko"),
    (datetime.date(2017, 10, 20), 4, "Seans filmowy w kinie w Lęborku"),
    (datetime.date(2018, 3, 16), 6, "Wyjazd do Nowego Teatru w Słupsku"),
]

# Who runs the centres' sessions (fictional people) and where.
CENTRES = {
    "PCPR Lębork": ("mgr Ewa Kreft (psycholog)", "Paweł Miotk (trener)", "r.pr. Jan Bach", "sala szkoleniowa PCPR, Lębork"),
    "MOPS Lębork": ("mgr Anna Hinz (psycholog)", "Karolina Lipska (trener)", "r.pr. Jan Bach", "świetlica MOPS, Lębork"),
    "MOPS Łeba": ("mgr Marta Klein (psycholog)", "Karolina Lipska (trener)", "r.pr. Jan Bach", "sala MOPS, Łeba"),
    "OPS Cewice": ("mgr Ewa Kreft (psycholog)", "Tomasz Wenta (trener)", "adw. Irena Szymikowska", "Gminny Ośrodek Kultury, Cewice"),
    "GOPS Nowa Wieś Lęborska": ("mgr Marta Klein (psycholog)", "Tomasz Wenta (trener)", "adw. Irena Szymikowska", "sala GOPS, Nowa Wieś Lęborska"),
    "OPS Wicko": ("mgr Anna Hinz (psycholog)", "Paweł Miotk (trener)", "adw. Irena Szymikowska", "świetlica wiejska, Wicko"),
    "WTZ „Jesteśmy Razem”": ("mgr Joanna Cyman (psycholog)", "Beata Formela (terapeuta zajęciowy)", "r.pr. Jan Bach", "pracownie WTZ, Lębork"),
}  # fmt: skip
CENTRE_ROTATION = [PSYCHOLOGY, WORKSHOP, PSYCHOLOGY, LEGAL, WORKSHOP]
WTZ_ROTATION = [REHABILITATION, PSYCHOLOGY, REHABILITATION, WORKSHOP]
HOURS = {PSYCHOLOGY: D("2"), LEGAL: D("2"), WORKSHOP: D("4"), REHABILITATION: D("5")}

CAREER_ADVISER = "mgr Krystyna Dettlaff (doradca zawodowy)"
JOB_BROKER = "Jolanta Miotk (pośrednik pracy)"
STAROSTWO_ROOM = "Starostwo Powiatowe, ul. Czołgistów 5, Lębork"

FORKLIFT = {
    "title": "Operator wózków widłowych z egzaminem UDT",
    "provider_name": "Centrum Szkoleniowe „Operator” s.c., Lębork",
    "hours": 60,
    "capacity": 8,
    "exam": "Egzamin przed komisją Urzędu Dozoru Technicznego",
}
FORKLIFT_TRAINER = "Zbigniew Lipski (instruktor)"
FORKLIFT_PLACE = "plac manewrowy i sala Centrum Szkoleniowego „Operator”, Lębork"
FORKLIFT_CERTIFICATE = (
    "Zaświadczenie kwalifikacyjne UDT – operator wózków jezdniowych podnośnikowych"
)
COOK = {
    "title": "Kucharz – kurs kwalifikacyjny",
    "provider_name": "Powiatowe Centrum Edukacyjne – ZSP w Lęborku",
    "hours": 6 * SCHOOL_SESSIONS,
    "capacity": 12,
    "exam": "Egzamin potwierdzający kwalifikację T.6 (OKE w Gdańsku)",
}
COOK_TEACHER = "mgr inż. Danuta Block (nauczyciel gastronomii)"
COOK_PLACE = "pracownia gastronomiczna PCE-ZSP, Lębork"
COOK_CERTIFICATE = "Certyfikat kwalifikacji T.6 Sporządzanie potraw i napojów"

# (key, name, NIP without its check digit, street, postcode, town, contact, phone)
EMPLOYERS = [
    ("hurtownia", "Hurtownia Spożywcza „Pomorzanka” Sp. z o.o.", "841152638", "ul. Czołgistów 41", "84-300", "Lębork", "Robert Lesner", "59 862 41 17"),
    ("piekarnia", "Piekarnia „Pod Kłosem” s.c. A. i J. Borkowscy", "841208455", "ul. Staromiejska 14", "84-300", "Lębork", "Anna Borkowska", "59 862 18 40"),
    ("pensjonat", "Pensjonat „Bursztynowa Fala” Halina Konkol", "841307219", "ul. Nadmorska 21", "84-360", "Łeba", "Halina Konkol", "59 866 23 05"),
    ("stolarnia", "Zakład Stolarski „Drew-Las” Marek Szulc", "841263908", "ul. Lęborska 40", "84-351", "Nowa Wieś Lęborska", "Marek Szulc", "59 861 57 22"),
]  # fmt: skip
# The internships, in the order of the people placed (course graduates first):
# (employer, post, mentor, months)
INTERNSHIPS = [
    ("hurtownia", "magazynier – operator wózka widłowego", "Robert Lesner", 4),
    ("hurtownia", "magazynier", "Krzysztof Wenta", 3),
    ("piekarnia", "pomocnik piekarza", "Jan Borkowski", 6),
    ("stolarnia", "pomocnik stolarza", "Marek Szulc", 4),
    ("pensjonat", "pokojowa", "Halina Konkol", 5),  # for the season at the seaside
]

# Payments
STIPEND_CATEGORY = "Stypendia stażowe"
TRAINING_CATEGORY = "Stypendia szkoleniowe"
CENTRE_TRAVEL_CATEGORY = "Koszty przejazdów na zajęcia"
VOCATIONAL_TRAVEL_CATEGORY = "Koszty dojazdów na szkolenia i staże"
CARE_CATEGORY = "Koszty opieki nad dzieckiem lub osobą zależną"
BENEFIT_CATEGORY = "Wkład własny – zasiłki okresowe z pomocy społecznej"
MATERIALS_CATEGORY = "Odzież ochronna i materiały szkoleniowe"
MATERIALS_COST = D("186.40")
# The plan of each partner's budget line (what the payments of the demo are set against).
PLANNED = {
    STIPEND_CATEGORY: D("120000.00"),
    TRAINING_CATEGORY: D("24000.00"),
    CENTRE_TRAVEL_CATEGORY: D("3500.00"),
    VOCATIONAL_TRAVEL_CATEGORY: D("9000.00"),
    CARE_CATEGORY: D("2500.00"),
    BENEFIT_CATEGORY: D("12000.00"),
    MATERIALS_CATEGORY: D("10500.00"),
}
CARE_PER_HOUR = D("12.00")
FARES = [D("5.60"), D("7.20"), D("9.80")]  # one way, by bus from the village
BENEFITS = [D("317.00"), D("418.00"), D("502.50")]
DOCUMENT_PREFIX = {
    "PCPR Lębork": "PCPR",
    "MOPS Lębork": "MOPS-LB",
    "MOPS Łeba": "MOPS-LE",
    "OPS Cewice": "OPS-CE",
    "GOPS Nowa Wieś Lęborska": "GOPS-NW",
    "OPS Wicko": "OPS-WI",
    "WTZ „Jesteśmy Razem”": "WTZ",
    STAROSTWO: "SP-LB",
    SCHOOL: "PCE",
}
KIND_CODE = {
    Kind.INTERNSHIP_STIPEND: "STS",
    Kind.TRAINING_STIPEND: "STSZ",
    Kind.TRAVEL_REFUND: "DOJ",
    Kind.CARE_REFUND: "OPK",
    Kind.BENEFIT: "ZAS",
    Kind.OTHER_COST: "MAT",
}

# The diagnosis: short, varied, in the social workers' words.
NEEDS = [
    "Wzmocnienie motywacji do zmiany i wiary we własne możliwości po długim okresie bierności zawodowej.",
    "Zdobycie kwalifikacji zawodowych poszukiwanych na lokalnym rynku pracy i pierwszego doświadczenia zawodowego.",
    "Uporządkowanie sytuacji finansowej (zaległości czynszowe), nauka planowania budżetu domowego.",
    "Poprawa umiejętności komunikacji i radzenia sobie ze stresem; przygotowanie do rozmowy kwalifikacyjnej.",
    "Aktualizacja umiejętności zawodowych (ostatnia praca ponad 5 lat temu) i nauka aktywnego poszukiwania pracy.",
    "Wyjście z izolacji społecznej, nawiązanie kontaktów poza rodziną, udział w życiu lokalnej społeczności.",
    "Wsparcie psychologiczne w trudnej sytuacji rodzinnej; odbudowa poczucia sprawczości.",
    "Rozpoznanie predyspozycji zawodowych i wybór realnego kierunku szkolenia.",
]
NEEDS_CARE = "Powrót na rynek pracy po przerwie na opiekę nad dzieckiem; zorganizowanie opieki na czas zajęć."
NEEDS_ADDICTION = (
    "Utrzymanie abstynencji i kontynuacja terapii; odbudowa codziennej rutyny i relacji z rodziną."
)
NEEDS_WTZ = "Rozwój samodzielności w czynnościach dnia codziennego i umiejętności społecznych; przygotowanie do pracy w warunkach chronionych."
POTENTIAL = [
    "Sumienność i punktualność, chęć nauki; doświadczenie w pracach sezonowych w gastronomii.",
    "Prawo jazdy kat. B, doświadczenie w pracach fizycznych i magazynowych.",
    "Łatwość nawiązywania kontaktów, doświadczenie w opiece nad osobami starszymi.",
    "Zdolności manualne (drobne prace remontowe, stolarka), zainteresowanie pracą w zawodzie.",
    "Ukończona szkoła zawodowa (sprzedawca), podstawowa obsługa komputera.",
    "Wysoka motywacja, wsparcie rodziny, gotowość do codziennych dojazdów do Lęborka.",
    "Doświadczenie w pracy w sklepie i w obsłudze klienta, komunikatywność.",
    "Systematyczność i dokładność; zainteresowanie gotowaniem i pracą w kuchni.",
]
POTENTIAL_WTZ = "Zaangażowanie w zajęcia pracowni, dobra współpraca w grupie, zdolności plastyczne."
BARRIERS = [
    "Niska samoocena, lęk przed porażką, długotrwała bierność zawodowa.",
    "Brak kwalifikacji zawodowych i aktualnego doświadczenia zawodowego.",
    "Zadłużenie i trudna sytuacja mieszkaniowa.",
    "Problemy zdrowotne ograniczające cięższą pracę fizyczną.",
    "Trudności w utrzymaniu stałego rytmu dnia, słaba organizacja czasu.",
    "Nieaktualna wiedza o rynku pracy i brak umiejętności pisania CV.",
]
BARRIER_TRAVEL = "Słabe połączenia komunikacyjne z miejsca zamieszkania do Lęborka."
BARRIER_CARE = "Opieka nad małym dzieckiem, brak miejsca w przedszkolu."
BARRIER_ADDICTION = "Uzależnienie w trakcie leczenia – ryzyko nawrotu."
BARRIER_LONG_TERM = "Długotrwałe bezrobocie (ponad 12 miesięcy bez pracy)."
BARRIER_DISABILITY = "Niepełnosprawność – potrzeba dostosowania stanowiska i tempa pracy."

SOCIAL_GOALS = [
    "Wzrost samooceny i motywacji do działania (ankieta ex ante i ex post)",
    "Nabycie umiejętności radzenia sobie ze stresem i rozwiązywania konfliktów",
    "Poprawa umiejętności komunikacji interpersonalnej",
    "Nauka planowania budżetu domowego i uregulowanie zaległości czynszowych",
    "Nawiązanie kontaktów społecznych poza rodziną",
]
GOAL_CARE = "Zorganizowanie stałej opieki nad dzieckiem na czas zajęć i pracy"
GOAL_ADDICTION = "Utrzymanie abstynencji i kontynuacja terapii w poradni leczenia uzależnień"
GOAL_WTZ = [
    "Rozwój samodzielności w czynnościach dnia codziennego",
    "Nabycie umiejętności pracy w zespole w pracowni WTZ",
]
GOAL_READY = "Przygotowanie do skierowania na aktywizację zawodową"
GOAL_COUNSELLING = "Określenie predyspozycji zawodowych i planu działania z doradcą zawodowym"
GOAL_FORKLIFT = "Uzyskanie uprawnień operatora wózków widłowych (UDT)"
GOAL_COOK = "Zdobycie kwalifikacji zawodowej kucharza (kwalifikacja T.6)"
GOAL_INTERNSHIP = "Zdobycie doświadczenia zawodowego podczas stażu u pracodawcy"
REFERRAL_NOTE = {
    STAROSTWO: "Po zakończeniu etapu aktywizacji społecznej: doradztwo zawodowe, szkolenie lub staż zgodnie z IŚR.",
    SCHOOL: "Kwalifikacyjny kurs zawodowy zgodnie z IŚR.",
}

# The calendar's helpers ---------------------------------------------------------


def _holiday(day: datetime.date) -> bool:
    return (day.month, day.day) in HOLIDAYS or day in MOVABLE_HOLIDAYS


def _workday(day: datetime.date) -> datetime.date:
    """The day itself, or the next working day after a weekend or a public holiday."""
    while day.weekday() >= 5 or _holiday(day):
        day += datetime.timedelta(days=1)
    return day


def _days(day: datetime.date, days: int) -> datetime.date:
    return day + datetime.timedelta(days=days)


def _next_month(day: datetime.date) -> datetime.date:
    return _days(month_bounds(day)[1], 1)


def _add_months(day: datetime.date, months: int) -> datetime.date:
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    return day.replace(
        year=year, month=month + 1, day=min(day.day, calendar.monthrange(year, month + 1)[1])
    )


def _working_days_off(start: datetime.date, end: datetime.date) -> int:
    """Public holidays falling on weekdays between `start` and `end`."""
    return sum(
        1
        for n in range((end - start).days + 1)
        if (day := _days(start, n)).weekday() < 5 and _holiday(day)
    )


def _saturdays(start: datetime.date, count: int) -> list[datetime.date]:
    days, day = [], start
    while len(days) < count:
        christmas_break = (day.month == 12 and day.day >= 22) or (day.month == 1 and day.day <= 7)
        if not (_holiday(day) or christmas_break):
            days.append(day)
        day = _days(day, 7)
    return days


def _nip(body: str) -> str:
    """A valid NIP: the nine digits given and the check digit that makes it valid."""
    for digit in "0123456789":
        if stdnum_nip.is_valid(body + digit):
            return body + digit
    raise ValueError(f"No check digit makes {body} a NIP; choose other digits.")


# The plan of the demo -------------------------------------------------------------


@dataclass(frozen=True)
class Placement:
    number: int  # in the order of INTERNSHIPS
    start: datetime.date
    end: datetime.date
    employer: str
    post: str
    mentor: str


@dataclass
class Person:
    enrolment: Enrolment
    rng: random.Random
    centre: Organisation
    referral: datetime.date | None = None  # to Starostwo, PCE-ZSP or both
    to_starostwo: bool = False
    to_school: bool = False
    forklift: bool = False
    forklift_failed: bool = False
    cook: bool = False
    internship: Placement | None = None
    goals: list = field(default_factory=list)  # [(description, final status)]

    @property
    def start(self) -> datetime.date:
        return self.enrolment.support_start

    @property
    def participant(self):
        return self.enrolment.participant

    @property
    def wtz(self) -> bool:
        return self.centre.kind == Organisation.Kind.WTZ

    @property
    def social_until(self) -> datetime.date:
        """The last day of the centre's group sessions for this person."""
        return _days(self.referral, 30) if self.referral else SOCIAL_UNTIL

    @property
    def commutes(self) -> bool:
        """Lives outside the town of the centre, so travels to its sessions."""
        return self.participant.town != self.centre.town


def _people(project: Project) -> list[Person]:
    enrolments = (
        Enrolment.objects.filter(project=project, status=Status.IN_SUPPORT)
        .select_related("participant", "recruiting_organisation", "project")
        .order_by("support_start", "participant__pesel")
    )
    people = []
    for enrolment in enrolments:
        rng = random.Random(f"{SEED}-{enrolment.participant.pesel}")  # noqa: S311 — demo data
        person = Person(enrolment=enrolment, rng=rng, centre=enrolment.recruiting_organisation)
        referral = _workday(_days(person.start, rng.randint(*SOCIAL_STAGE_DAYS)))
        if not person.wtz and referral <= REFERRALS_UNTIL and rng.random() < 0.8:
            person.referral = referral
        people.append(person)
    _choose_tracks(people)
    for person in people:
        person.goals = _goals(person)
    return people


def _choose_tracks(people: list[Person]) -> None:
    """Who goes where after the social stage: the forklift course, the cook's course,
    an internship, or career counselling alone."""
    referred = sorted((p for p in people if p.referral), key=lambda p: (p.referral, p.start))
    forklift = [p for p in referred if p.referral <= _days(COURSE_DAYS[0], -10)][:5]
    in_time = [p for p in referred if p not in forklift and p.referral <= _days(SCHOOL_START, -10)]
    cook = in_time[::2][:4]
    for person in referred:
        person.to_starostwo = True
    for index, person in enumerate(cook):
        person.cook = person.to_school = True
        person.to_starostwo = index % 2 == 1  # half of them also to Starostwo
    if len(forklift) < 4 or len(cook) < 3:
        raise RuntimeError("The demo people do not fill the courses: check participants.demo.")
    for person in forklift:
        person.forklift = True
    forklift[-1].forklift_failed = True  # the practical part of the exam went wrong
    # Internships: two of the course's graduates, then three of those in counselling
    # alone, spread over the project: the first, the middle and the last referred.
    graduates = [p for p in forklift if not p.forklift_failed]
    others = [p for p in referred if not (p.forklift or p.cook)]
    picked = [others[0], others[len(others) // 2], others[-1]] if len(others) >= 3 else others
    placed = 0
    for index, person in enumerate(graduates[:2] + picked):
        if index == 0:  # straight after the course, in the middle of a month
            start = _workday(_days(COURSE_EXAM, 20))
        elif index == 1:
            start = _workday(_next_month(_days(COURSE_EXAM, 20)))
        else:  # from the first working day of a month, after some counselling
            start = _workday(_next_month(_days(person.referral, 30)))
        key, post, mentor, months = INTERNSHIPS[placed]
        if start == _workday(start.replace(day=1)):  # whole months
            end = month_bounds(_add_months(start, months - 1))[1]
        else:
            end = _days(_add_months(start, months), -1)
        if end > LAST_DAY:
            continue
        person.internship = Placement(placed, start, end, key, post, mentor)
        placed += 1
        if placed == len(INTERNSHIPS):
            break


def _goals(person: Person) -> list[tuple[str, str]]:
    rng, participant = person.rng, person.participant
    if person.wtz:
        return [(GOAL_WTZ[0], Goal.IN_PROGRESS), (GOAL_WTZ[1], Goal.ACHIEVED)][: rng.randint(1, 2)]
    if participant.risk_addiction_in_treatment:
        social = GOAL_ADDICTION
    elif participant.risk_caring_for_dependant:
        social = GOAL_CARE
    else:
        social = rng.choice(SOCIAL_GOALS)
    if not person.referral:
        goals = [(social, Goal.IN_PROGRESS)]
        if rng.random() < 0.6:
            goals.append((GOAL_READY, Goal.PLANNED))
        return goals
    goals = [(social, Goal.ACHIEVED)]
    if rng.random() < 0.5:
        second = rng.choice([g for g in SOCIAL_GOALS if g != social])
        goals.append((second, rng.choice([Goal.ACHIEVED, Goal.IN_PROGRESS])))
    if person.forklift:
        goals.append((GOAL_FORKLIFT, Goal.IN_PROGRESS if person.forklift_failed else Goal.ACHIEVED))
    elif person.cook:
        goals.append((GOAL_COOK, Goal.IN_PROGRESS))
    elif person.internship:
        goals.append((GOAL_INTERNSHIP, Goal.ACHIEVED))
    else:
        goals.append((GOAL_COUNSELLING, Goal.IN_PROGRESS))
    return goals


# Writing it through the services ------------------------------------------------------


class _Demo:
    def __init__(self, project: Project) -> None:
        self.project = project
        users = get_user_model().objects
        self.manager = users.get(username=MANAGER)
        self.users = {
            short: users.get(username=name)
            for short, name in {**SOCIAL_WORKERS, **COORDINATORS}.items()
        }
        self.orgs = {
            o.short_name: o for o in Organisation.objects.filter(partnerships__project=project)
        }
        self.forms = {f.name: f for f in SupportForm.objects.all()}
        self.sessions = 0
        self.attendance = 0
        self.payments = 0
        self.documents: dict[tuple, int] = defaultdict(int)
        # Present hours per person per month at the centre: for refunds.
        self.centre_days: dict[int, dict[datetime.date, list]] = defaultdict(
            lambda: defaultdict(list)
        )

    def user_of(self, organisation: Organisation):
        """Who records the work of `organisation`: its own staff, else the manager."""
        return self.users.get(organisation.short_name, self.manager)

    # --- records

    def session(
        self, *, form, provider, date, hours, specialist, rows, place="", course=None, group=True
    ):
        if not rows:
            return None
        session = services.session_record(
            user=self.user_of(provider),
            project=self.project,
            support_form=self.forms[form],
            provider=provider,
            date=date,
            hours=D(hours),
            specialist=specialist,
            rows=rows,
            place=place,
            is_group=group,
            course=course,
        )
        self.sessions += 1
        self.attendance += len(rows)
        return session

    def budget_line(self, organisation: Organisation, category: str) -> BudgetLine:
        funding = Funding.OWN_CONTRIBUTION if category == BENEFIT_CATEGORY else Funding.GRANT
        line, _created = BudgetLine.objects.get_or_create(
            project=self.project,
            organisation=organisation,
            category=category,
            defaults={"funding": funding, "planned_amount": PLANNED[category]},
        )
        return line

    def pay(self, person: Person, *, kind, amount, paid_by, paid_on, period, category, **extra):
        prefix = DOCUMENT_PREFIX.get(paid_by.short_name, "DOC")
        self.documents[(prefix, kind, paid_on.year)] += 1
        number = f"{prefix}/{KIND_CODE[kind]}/{paid_on.year}/{self.documents[(prefix, kind, paid_on.year)]:03d}"
        payment = Payment(
            enrolment=person.enrolment,
            kind=kind,
            amount=D(amount).quantize(D("0.01")),
            paid_on=paid_on,
            period_start=period[0],
            period_end=period[1],
            document_number=number,
            budget_line=self.budget_line(paid_by, category),
            **extra,
        )
        services.payment_record(user=self.user_of(paid_by), payment=payment)
        self.payments += 1
        return payment

    # --- the steps

    def pathways(self, people: list[Person]) -> None:
        for person in people:
            self._pathway(person)
        # The diagnosis alone for those waiting for a seat, with their consent.
        waiting = (
            Enrolment.objects.filter(
                project=self.project,
                status__in=[Status.QUALIFIED, Status.RESERVE],
                declaration_signed_on__isnull=False,
                data_protection_signed_on__isnull=False,
            )
            .select_related("participant", "recruiting_organisation")
            .order_by("qualified_on", "participant__pesel")
        )
        for enrolment in waiting:
            rng = random.Random(f"{SEED}-{enrolment.participant.pesel}")  # noqa: S311
            services.pathway_save(
                user=self.user_of(enrolment.recruiting_organisation),
                enrolment=enrolment,
                needs=rng.choice(NEEDS),
                potential=rng.choice(POTENTIAL),
                barriers=rng.choice(BARRIERS),
                # Signed when the seat is offered; a reserve list's plan is a draft.
                signed_on=enrolment.qualified_on if enrolment.status == Status.QUALIFIED else None,
            )

    def _pathway(self, person: Person) -> None:
        rng, participant, user = person.rng, person.participant, self.user_of(person.centre)
        if person.wtz:
            needs, potential = NEEDS_WTZ, POTENTIAL_WTZ
            barriers = [BARRIER_DISABILITY]
        else:
            needs = rng.choice(NEEDS)
            if participant.risk_addiction_in_treatment:
                needs = f"{NEEDS_ADDICTION} {needs}"
            elif participant.risk_caring_for_dependant:
                needs = f"{NEEDS_CARE} {needs}"
            potential = rng.choice(POTENTIAL)
            barriers = [rng.choice(BARRIERS)]
            for applies, text in (
                (participant.risk_long_term_unemployed, BARRIER_LONG_TERM),
                (participant.risk_caring_for_dependant, BARRIER_CARE),
                (participant.risk_addiction_in_treatment, BARRIER_ADDICTION),
                (participant.disability == "YES", BARRIER_DISABILITY),
                (person.commutes, BARRIER_TRAVEL),
            ):
                if applies:
                    barriers.append(text)
        pathway = services.pathway_save(
            user=user,
            enrolment=person.enrolment,
            needs=needs,
            potential=potential,
            barriers=" ".join(barriers[:3]),
            signed_on=_workday(_days(person.start, rng.randint(0, 7))),
        )
        for description, _status in person.goals:
            services.goal_add(user=user, pathway=pathway, description=description)
        for form, provider, start, end, hours in self._plan(person)[:4]:
            services.planned_support_add(
                user=user,
                pathway=pathway,
                support_form=self.forms[form],
                provider=provider,
                planned_start=start,
                planned_end=end,
                planned_hours=D(hours) if hours else None,
            )

    def _plan(self, person: Person) -> list[tuple]:
        centre, start, rng = person.centre, person.start, person.rng
        social_end = _days(person.referral, 30) if person.referral else _days(start, 300)
        plan = []
        if person.wtz:
            plan.append((REHABILITATION, centre, start, _days(start, 365), 400))
        plan.append((PSYCHOLOGY, centre, start, social_end, rng.choice([8, 10, 12])))
        plan.append((WORKSHOP, centre, start, social_end, rng.choice([16, 24, 32])))
        if person.forklift:
            plan.append((SPECIALIST_COURSE, self.orgs[STAROSTWO], COURSE_DAYS[0], COURSE_EXAM, 60))
        if person.cook:
            days = _saturdays(SCHOOL_START, SCHOOL_SESSIONS)
            plan.append((SCHOOL_COURSE, self.orgs[SCHOOL], days[0], days[-1], COOK["hours"]))
        if person.internship:
            placement = person.internship
            plan.append((INTERNSHIP, self.orgs[STAROSTWO], placement.start, placement.end, None))
        if person.to_starostwo:
            end = _days(person.referral, COUNSELLING_DAYS)
            plan.append((COUNSELLING, self.orgs[STAROSTWO], person.referral, end, 6))
        if not person.referral:
            plan.append((INTEGRATION, centre, start, social_end, None))
        return plan

    def referrals(self, people: list[Person]) -> None:
        for person in people:
            if not person.referral:
                continue
            for target, wanted in ((STAROSTWO, person.to_starostwo), (SCHOOL, person.to_school)):
                if wanted:
                    services.referral_create(
                        user=self.user_of(person.centre),
                        enrolment=person.enrolment,
                        to_organisation=self.orgs[target],
                        referred_on=person.referral,
                        note=REFERRAL_NOTE[target],
                    )

    def _row(self, person: Person, hours: D, *, absence: float = 0.07):
        rng = person.rng
        if rng.random() < absence:
            return AttendanceRow(person.enrolment, present=False)
        if hours >= 4 and rng.random() < 0.05:  # left early
            return AttendanceRow(person.enrolment, present=True, hours=hours - 2)
        return AttendanceRow(person.enrolment, present=True)

    def centre_sessions(self, people: list[Person]) -> None:
        by_centre = defaultdict(list)
        for person in people:
            by_centre[person.centre.short_name].append(person)
        for short_name, members in by_centre.items():
            centre = self.orgs[short_name]
            psychologist, trainer, lawyer, place = CENTRES[short_name]
            specialists = {PSYCHOLOGY: psychologist, WORKSHOP: trainer, LEGAL: lawyer}
            specialists[REHABILITATION] = trainer
            # A first, individual talk with the psychologist on entering support.
            for person in members:
                day = _workday(_days(person.start, person.rng.randint(2, 9)))
                self._centre_session(
                    centre,
                    PSYCHOLOGY,
                    day,
                    D("1.5"),
                    psychologist,
                    place,
                    [person],
                    individual=True,
                )
            rotation = WTZ_ROTATION if centre.kind == Organisation.Kind.WTZ else CENTRE_ROTATION
            day, turn = _workday(_days(min(p.start for p in members), 14)), 0
            while day <= SOCIAL_UNTIL:
                form = rotation[turn % len(rotation)]
                present = [p for p in members if p.start <= day <= p.social_until]
                self._centre_session(
                    centre, form, day, HOURS[form], specialists[form], place, present
                )
                day, turn = _workday(_days(day, CENTRE_EVERY)), turn + 1
            for day, hours, what in INTEGRATION_EVENTS:
                present = [p for p in members if p.start <= day <= p.social_until]
                self._centre_session(centre, INTEGRATION, day, D(hours), trainer, what, present)

    def _centre_session(
        self, centre, form, day, hours, specialist, place, members, individual=False
    ):
        rows = [self._row(p, hours, absence=0 if individual else 0.07) for p in members]
        session = self.session(
            form=form,
            provider=centre,
            date=day,
            hours=hours,
            specialist=specialist,
            rows=rows,
            place=place,
            group=not individual,
        )
        if session is None:
            return
        for attendance in session.attendances.filter(present=True):
            month = day.replace(day=1)
            self.centre_days[attendance.enrolment_id][month].append((day, attendance.hours))

    def starostwo(self, people: list[Person]) -> None:
        starostwo = self.orgs[STAROSTWO]
        referred = [p for p in people if p.to_starostwo]
        for person in referred:  # the first talk with the career adviser
            day = _workday(_days(person.referral, person.rng.randint(5, 12)))
            self.session(
                form=COUNSELLING,
                provider=starostwo,
                date=day,
                hours=D("2"),
                specialist=CAREER_ADVISER,
                rows=[AttendanceRow(person.enrolment, present=True)],
                place=STAROSTWO_ROOM,
                group=False,
            )
        day = _workday(_days(min(p.referral for p in referred), 21))
        while day <= SOCIAL_UNTIL:
            group = [
                p for p in referred if p.referral <= day <= _days(p.referral, COUNSELLING_DAYS)
            ]
            rows = [self._row(p, D("3")) for p in group]
            if any(row.present for row in rows):
                self.session(
                    form=COUNSELLING,
                    provider=starostwo,
                    date=day,
                    hours=D("3"),
                    specialist=CAREER_ADVISER,
                    rows=rows,
                    place=STAROSTWO_ROOM,
                )
            day = _workday(_days(day, 28))

    def forklift_course(self, people: list[Person]) -> None:
        starostwo, user = self.orgs[STAROSTWO], self.users[STAROSTWO]
        members = [p for p in people if p.forklift]
        course = services.course_create(
            user=user,
            course=Course(
                project=self.project,
                organiser=starostwo,
                place_kind=PlaceKind.SPECIALIST_COURSE,
                start_date=COURSE_DAYS[0],
                end_date=COURSE_EXAM,
                **FORKLIFT,
            ),
        )
        for person in members:
            services.medical_exam_record(
                user=user,
                enrolment=person.enrolment,
                exam=MedicalExam(
                    examined_on=_workday(_days(COURSE_DAYS[0], -7)),
                    valid_until=EXAMS_VALID_UNTIL,
                    result=MedicalExam.Result.FIT,
                    purpose="Kurs operatora wózków widłowych",
                ),
            )
            services.course_assign(user=user, course=course, enrolment=person.enrolment)
        hours = defaultdict(D)
        for day in COURSE_DAYS:
            rows = [self._row(p, D("6"), absence=0.05) for p in members]
            session = self.session(
                form=SPECIALIST_COURSE,
                provider=starostwo,
                date=day,
                hours=D("6"),
                specialist=FORKLIFT_TRAINER,
                rows=rows,
                place=FORKLIFT_PLACE,
                course=course,
            )
            for attendance in session.attendances.all():
                hours[attendance.enrolment_id] += attendance.hours
        places = CourseParticipation.objects.filter(course=course).order_by("pk")
        failed = {p.enrolment.pk for p in members if p.forklift_failed}
        for number, place in enumerate(places, start=1):
            passed = place.enrolment_id not in failed
            services.certificate_record(
                user=user,
                participation_record=place,
                exam_passed=passed,
                certificate_name=FORKLIFT_CERTIFICATE if passed else "",
                certificate_number=f"UDT/GD/2017/{4100 + number * 7:05d}" if passed else "",
                certificate_date=COURSE_EXAM if passed else None,
            )
        project = self.project
        for person in members:
            attended = hours[person.enrolment.pk]
            amount = training_stipend(
                monthly_amount=project.training_stipend,
                hours_norm=project.training_hours_norm,
                hours=attended,
                floor_percent=project.training_stipend_floor,
            )
            if amount > 0:
                self.pay(
                    person,
                    kind=Kind.TRAINING_STIPEND,
                    amount=amount,
                    paid_by=starostwo,
                    paid_on=_workday(datetime.date(2017, 6, 9)),
                    period=(COURSE_DAYS[0], COURSE_EXAM),
                    category=TRAINING_CATEGORY,
                )

    def cook_course(self, people: list[Person]) -> None:
        school, user = self.orgs[SCHOOL], self.users[SCHOOL]
        members = [p for p in people if p.cook]
        days = _saturdays(SCHOOL_START, SCHOOL_SESSIONS)
        course = services.course_create(
            user=user,
            course=Course(
                project=self.project,
                organiser=school,
                place_kind=PlaceKind.SCHOOL_COURSE,
                start_date=days[0],
                end_date=days[-1],
                **COOK,
            ),
        )
        for person in members:
            services.medical_exam_record(
                user=user,
                enrolment=person.enrolment,
                exam=MedicalExam(
                    examined_on=_workday(_days(SCHOOL_START, -12)),
                    valid_until=EXAMS_VALID_UNTIL,
                    result=MedicalExam.Result.FIT,
                    purpose="Kurs kucharza – badania do celów sanitarno-epidemiologicznych",
                ),
            )
            services.course_assign(user=user, course=course, enrolment=person.enrolment)
            self.pay(
                person,
                kind=Kind.OTHER_COST,
                amount=MATERIALS_COST,
                paid_by=school,
                paid_on=_workday(_days(SCHOOL_START, -5)),
                period=(days[0], days[-1]),
                category=MATERIALS_CATEGORY,
            )
        for day in days:
            rows = [self._row(p, D("6"), absence=0.06) for p in members]
            self.session(
                form=SCHOOL_COURSE,
                provider=school,
                date=day,
                hours=D("6"),
                specialist=COOK_TEACHER,
                rows=rows,
                place=COOK_PLACE,
                course=course,
            )
        places = CourseParticipation.objects.filter(course=course).order_by("pk")
        for number, place in enumerate(places, start=1):
            passed = True if number < 4 else None  # the fourth sits the exam next year
            services.certificate_record(
                user=user,
                participation_record=place,
                exam_passed=passed,
                certificate_name=COOK_CERTIFICATE if passed else "",
                certificate_number=f"T.6-2018-22{number:04d}" if passed else "",
                certificate_date=SCHOOL_CERTIFICATES if passed else None,
            )
            if passed:
                person = next(p for p in members if p.enrolment.pk == place.enrolment_id)
                person.goals = [
                    (g, Goal.ACHIEVED if g == GOAL_COOK else s) for g, s in person.goals
                ]

    def internships(self, people: list[Person]) -> int:
        starostwo, user = self.orgs[STAROSTWO], self.users[STAROSTWO]
        employers = {}
        for key, name, nip_body, street, postcode, town, contact, phone in EMPLOYERS:
            nip = _nip(nip_body)
            employers[key] = Employer.objects.filter(nip=nip).first() or services.employer_save(
                user=user,
                employer=Employer(
                    name=name,
                    nip=nip,
                    street=street,
                    postcode=postcode,
                    town=town,
                    contact_person=contact,
                    phone=phone,
                ),
            )
        placed = sorted((p for p in people if p.internship), key=lambda p: p.internship.number)
        for person in placed:
            placement = person.internship
            start, end, post = placement.start, placement.end, placement.post
            employer = employers[placement.employer]
            self.session(
                form=PLACEMENT,
                provider=starostwo,
                date=_workday(_days(start, -12)),
                hours=D("1"),
                specialist=JOB_BROKER,
                rows=[AttendanceRow(person.enrolment, present=True)],
                place=STAROSTWO_ROOM,
                group=False,
            )
            examined = _workday(_days(start, -6))
            services.medical_exam_record(
                user=user,
                enrolment=person.enrolment,
                exam=MedicalExam(
                    examined_on=examined,
                    valid_until=EXAMS_VALID_UNTIL,
                    result=MedicalExam.Result.FIT,
                    purpose=f"Staż: {post}",
                ),
            )
            internship = services.internship_assign(
                user=user,
                internship=Internship(
                    enrolment=person.enrolment,
                    organiser=starostwo,
                    employer=employer,
                    position=post,
                    mentor=placement.mentor,
                    start_date=start,
                    end_date=end,
                    hours_per_day=D("8"),
                    hours_per_week=D("40"),
                ),
            )
            fare = person.rng.choice(FARES)
            month, number = start.replace(day=1), 0
            while month <= end:
                first, last = month_bounds(month)
                begin, finish = max(first, start), min(last, end)
                days = working_days(begin, finish) - _working_days_off(begin, finish)
                excused = 0
                if placement.number == 1 and number == 1:  # sick leave (L4): excused days
                    excused, days = 3, days - 3
                elif placement.number == 2 and number == 2:  # days away without excuse
                    days -= 3
                record = services.internship_month_record(
                    user=user,
                    internship=internship,
                    month=month,
                    days_worked=days,
                    hours_worked=D(days * 8),
                    excused_days=excused,
                )
                paid_on = _workday(_days(_next_month(month), 7))
                if record.stipend > 0:
                    self.pay(
                        person,
                        kind=Kind.INTERNSHIP_STIPEND,
                        amount=record.stipend,
                        paid_by=starostwo,
                        paid_on=paid_on,
                        period=(begin, finish),
                        category=STIPEND_CATEGORY,
                        internship_month=record,
                    )
                if person.participant.town != employer.town and days:
                    self.pay(
                        person,
                        kind=Kind.TRAVEL_REFUND,
                        amount=fare * 2 * days,
                        paid_by=starostwo,
                        paid_on=paid_on,
                        period=(begin, finish),
                        category=VOCATIONAL_TRAVEL_CATEGORY,
                    )
                month, number = _next_month(month), number + 1
            services.internship_finish(
                user=user, internship=internship, status=Internship.Status.COMPLETED, end_date=end
            )
        return len(placed)

    def centre_payments(self, people: list[Person]) -> None:
        benefits = 0
        for person in people:
            months = self.centre_days.get(person.enrolment.pk, {})
            rng = person.rng
            fare = rng.choice(FARES)
            for month in sorted(months):
                attended = months[month]
                period = (max(month, person.start), month_bounds(month)[1])
                paid_on = _workday(_days(_next_month(month), 9))
                if person.commutes:
                    self.pay(
                        person,
                        kind=Kind.TRAVEL_REFUND,
                        amount=fare * 2 * len(attended),
                        paid_by=person.centre,
                        paid_on=paid_on,
                        period=period,
                        category=CENTRE_TRAVEL_CATEGORY,
                    )
                if person.participant.risk_caring_for_dependant:
                    self.pay(
                        person,
                        kind=Kind.CARE_REFUND,
                        amount=CARE_PER_HOUR * sum(hours for _day, hours in attended),
                        paid_by=person.centre,
                        paid_on=paid_on,
                        period=period,
                        category=CARE_CATEGORY,
                    )
            # A periodic benefit for some of the centres' clients: the own contribution.
            if benefits < 5 and person.participant.social_assistance_client and rng.random() < 0.5:
                benefits += 1
                amount, month = rng.choice(BENEFITS), _next_month(person.start)
                for _n in range(3):
                    self.pay(
                        person,
                        kind=Kind.BENEFIT,
                        amount=amount,
                        paid_by=person.centre,
                        paid_on=_workday(month.replace(day=5)),
                        period=month_bounds(month),
                        category=BENEFIT_CATEGORY,
                    )
                    month = _next_month(month)

    def goal_statuses(self, people: list[Person]) -> None:
        for person in people:
            user = self.user_of(person.centre)
            goals = PathwayGoal.objects.filter(pathway__enrolment=person.enrolment).order_by("pk")
            for goal, (_description, status) in zip(goals, person.goals, strict=True):
                if status != goal.status:
                    services.goal_set_status(user=user, goal=goal, status=status)


def load(log: Log) -> None:
    project = Project.objects.get(short_name=PROJECT)
    if Pathway.objects.filter(enrolment__project=project).exists():
        log(_("Pathways: the demo's pathways are already there; nothing added."))
        return
    demo = _Demo(project)
    people = _people(project)
    demo.pathways(people)
    demo.referrals(people)
    demo.centre_sessions(people)
    demo.starostwo(people)
    demo.forklift_course(people)
    demo.cook_course(people)
    internships = demo.internships(people)
    demo.centre_payments(people)
    demo.goal_statuses(people)
    log(
        _(
            "Pathways: %(pathways)d pathways, %(sessions)d sessions, %(internships)d "
            "internships, %(payments)d payments."
        )
        % {
            "pathways": Pathway.objects.filter(enrolment__project=project).count(),
            "sessions": demo.sessions,
            "internships": internships,
            "payments": demo.payments,
        }
    )
