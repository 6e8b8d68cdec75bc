"""Demo participants of the Lębork project (seed 000): sixty-odd fictional people.

Used by `manage.py load_demo`, after `partners.demo` has made the project, its
partners, quotas and users. The people are invented — common Polish first names
and surnames put together by a seeded random generator — and every step of their
participation goes through `participants.services`, acting as the social worker of
the recruiting organisation where the demo has one (sw.lebork, sw.wicko) and as
the project manager (kierownik) elsewhere, so the demo obeys every rule a user does.

Every status of an enrolment is shown: candidates (one refused by the eligibility
check for being under age, with its reasons), people qualified by the rules or by
the manager's override, rejected, in support, on the reserve list of a full
partner (OPS Cewice), completed with exit data and follow-ups, and dropped out.

A person whose PESEL is already registered is skipped whole, so a second run
changes nothing.
"""

import datetime
import random
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _
from stdnum.pl.pesel import calc_check_digit

from partners.models import Commune, Organisation, Project

from . import services
from .models import (
    Answer,
    Degurba,
    DisabilityDegree,
    Education,
    Enrolment,
    FollowUp,
    LabourMarketStatus,
    LabourMarketSubstatus,
    Participant,
    Sex,
    SocialProgress,
)

Log = Callable[[str], None]
Status = Enrolment.Status

PROJECT = "lebork-2016"
MANAGER = "kierownik"
# Organisations whose own social worker records their people in the demo.
SOCIAL_WORKERS = {"MOPS Lębork": "sw.lebork", "OPS Wicko": "sw.wicko"}
SEED = 2016

# Fictional people: common first names and surnames, combined at random.
FIRST_NAMES = {
    Sex.FEMALE: [
        "Anna", "Maria", "Katarzyna", "Małgorzata", "Barbara", "Krystyna", "Elżbieta",
        "Magdalena", "Joanna", "Monika", "Beata", "Dorota", "Renata", "Aleksandra",
        "Justyna", "Iwona", "Sylwia", "Halina", "Jolanta", "Danuta", "Grażyna", "Natalia",
    ],
    Sex.MALE: [
        "Piotr", "Krzysztof", "Andrzej", "Jan", "Paweł", "Michał", "Marcin", "Grzegorz",
        "Józef", "Łukasz", "Adam", "Zbigniew", "Jerzy", "Tadeusz", "Mariusz", "Dariusz",
        "Rafał", "Kamil", "Sławomir", "Ryszard", "Wojciech", "Dawid",
    ],
}  # fmt: skip
# (man's form, woman's form)
SURNAMES = [
    ("Nowak", "Nowak"), ("Kowalski", "Kowalska"), ("Wójcik", "Wójcik"),
    ("Kowalczyk", "Kowalczyk"), ("Szymański", "Szymańska"), ("Woźniak", "Woźniak"),
    ("Kozłowski", "Kozłowska"), ("Jankowski", "Jankowska"), ("Mazur", "Mazur"),
    ("Kwiatkowski", "Kwiatkowska"), ("Krawczyk", "Krawczyk"), ("Piotrowski", "Piotrowska"),
    ("Grabowski", "Grabowska"), ("Pawłowski", "Pawłowska"), ("Michalski", "Michalska"),
    ("Król", "Król"), ("Wieczorek", "Wieczorek"), ("Jabłoński", "Jabłońska"),
    ("Wróbel", "Wróbel"), ("Majewski", "Majewska"), ("Olszewski", "Olszewska"),
    ("Stępień", "Stępień"), ("Jaworski", "Jaworska"), ("Adamczyk", "Adamczyk"),
    ("Dudek", "Dudek"), ("Pawlak", "Pawlak"), ("Górski", "Górska"), ("Sikora", "Sikora"),
    ("Baran", "Baran"), ("Rutkowski", "Rutkowska"), ("Szewczyk", "Szewczyk"),
    ("Ostrowski", "Ostrowska"), ("Zalewski", "Zalewska"), ("Konkol", "Konkol"),
    ("Formela", "Formela"), ("Labuda", "Labuda"), ("Szulc", "Szulc"), ("Necel", "Necel"),
    ("Bigus", "Bigus"), ("Lesner", "Lesner"),
]  # fmt: skip

# commune → (postcode, DEGURBA, [(town, [streets]; no streets: a village)])
PLACES = {
    "Lębork": ("84-300", Degurba.TOWNS_SUBURBS, [
        ("Lębork", ["Krzywoustego", "Staromiejska", "Armii Krajowej", "Czołgistów",
                    "Kossaka", "Wojska Polskiego", "Kusocińskiego", "Pileckiego"]),
    ]),
    "Łeba": ("84-360", Degurba.TOWNS_SUBURBS, [
        ("Łeba", ["Kościuszki", "Tysiąclecia", "Nadmorska", "Abrahama", "Wojska Polskiego"]),
    ]),
    "Cewice": ("84-312", Degurba.RURAL, [
        ("Cewice", ["Kasztanowa", "Długa", "Szkolna"]),
        ("Bukowina", []), ("Maszewo Lęborskie", []), ("Siemirowice", []),
        ("Osowo Lęborskie", []),
    ]),
    "Nowa Wieś Lęborska": ("84-351", Degurba.RURAL, [
        ("Nowa Wieś Lęborska", ["Szkolna", "Lęborska", "Ogrodowa"]),
        ("Garczegorze", []), ("Pogorzelice", []), ("Rozłazino", []), ("Nawcz", []),
    ]),
    "Wicko": ("84-352", Degurba.RURAL, [
        ("Wicko", ["Kościuszki", "Lęborska", "Parkowa"]),
        ("Charbrowo", []), ("Steknica", []), ("Szczenurze", []), ("Roszczyce", []),
    ]),
}  # fmt: skip

# Where each partner's people live: its own commune; PCPR and WTZ serve the county.
PARTNER_COMMUNES = {
    "PCPR Lębork": ["Lębork", "Lębork", "Łeba", "Cewice", "Nowa Wieś Lęborska", "Wicko"],
    "MOPS Lębork": ["Lębork"],
    "MOPS Łeba": ["Łeba"],
    "OPS Cewice": ["Cewice"],
    "GOPS Nowa Wieś Lęborska": ["Nowa Wieś Lęborska"],
    "OPS Wicko": ["Wicko"],
    "WTZ „Jesteśmy Razem”": ["Lębork", "Lębork", "Nowa Wieś Lęborska", "Wicko"],
}

# What happens to each person. They are recorded in the order they registered,
# so OPS Cewice fills its 12 seats before two more people go on its reserve list.
STORIES = [
    ("MOPS Lębork", "completed_job"),
    ("MOPS Lębork", "completed_progress"),
    ("MOPS Lębork", "completed"),
    ("MOPS Lębork", "support"),
    ("MOPS Lębork", "support"),
    ("MOPS Lębork", "support"),
    ("MOPS Lębork", "support"),
    ("MOPS Lębork", "resigned"),
    ("MOPS Lębork", "rejected_not_at_risk"),
    ("MOPS Lębork", "no_consent"),
    ("MOPS Lębork", "candidate"),
    ("OPS Wicko", "completed_job"),
    ("OPS Wicko", "completed_progress"),
    ("OPS Wicko", "completed"),
    ("OPS Wicko", "left_for_job"),
    ("OPS Wicko", "support"),
    ("OPS Wicko", "support"),
    ("OPS Wicko", "support"),
    ("OPS Wicko", "rejected"),
    ("OPS Wicko", "no_consent"),
    ("OPS Wicko", "candidate"),
    ("OPS Cewice", "completed_job"),
    ("OPS Cewice", "completed_progress"),
    ("OPS Cewice", "completed"),
    ("OPS Cewice", "dropped_out"),
    *[("OPS Cewice", "support")] * 8,
    ("OPS Cewice", "reserve"),
    ("OPS Cewice", "reserve"),
    ("PCPR Lębork", "completed_job"),
    ("PCPR Lębork", "completed_progress"),
    ("PCPR Lębork", "completed"),
    *[("PCPR Lębork", "support")] * 4,
    ("PCPR Lębork", "override"),
    ("PCPR Lębork", "too_young"),
    ("MOPS Łeba", "completed_progress"),
    ("MOPS Łeba", "completed"),
    ("MOPS Łeba", "dropped_out"),
    *[("MOPS Łeba", "support")] * 3,
    ("MOPS Łeba", "waiting"),
    ("GOPS Nowa Wieś Lęborska", "completed_job"),
    ("GOPS Nowa Wieś Lęborska", "completed"),
    *[("GOPS Nowa Wieś Lęborska", "support")] * 4,
    ("WTZ „Jesteśmy Razem”", "completed_progress"),
    ("WTZ „Jesteśmy Razem”", "completed"),
    *[("WTZ „Jesteśmy Razem”", "support")] * 3,
]

OUTCOME = {
    "candidate": Status.CANDIDATE,
    "too_young": Status.CANDIDATE,
    "no_consent": Status.QUALIFIED,
    "waiting": Status.QUALIFIED,
    "override": Status.QUALIFIED,
    "rejected": Status.REJECTED,
    "rejected_not_at_risk": Status.REJECTED,
    "support": Status.IN_SUPPORT,
    "reserve": Status.RESERVE,
    "completed": Status.COMPLETED,
    "completed_job": Status.COMPLETED,
    "completed_progress": Status.COMPLETED,
    "resigned": Status.DROPPED_OUT,
    "left_for_job": Status.DROPPED_OUT,
    "dropped_out": Status.DROPPED_OUT,
}

# When people registered, by what happened to them next.
EARLY = ("completed", "completed_job", "completed_progress", "resigned", "left_for_job",
         "dropped_out")  # fmt: skip
LATE = ("candidate", "no_consent", "waiting", "override", "rejected", "rejected_not_at_risk")
WINDOWS = {**dict.fromkeys(EARLY, "early"), **dict.fromkeys(LATE, "late"), "reserve": "reserve"}
REGISTRATION_WINDOWS = {
    "early": (datetime.date(2016, 4, 4), datetime.date(2016, 11, 30)),
    "support": (datetime.date(2016, 5, 2), datetime.date(2017, 9, 29)),
    # After the last of OPS Cewice's twelve has started: its quota is full by then.
    "reserve": (datetime.date(2017, 11, 13), datetime.date(2017, 12, 15)),
    "late": (datetime.date(2017, 10, 2), datetime.date(2018, 5, 31)),
}
LAST_DAY_OF_SUPPORT = datetime.date(2018, 9, 28)
LEAVING_FROM = datetime.date(2017, 1, 9)  # those who leave early do so in 2017
# Polish public holidays, so that nothing is signed on Christmas Day.
HOLIDAYS = {(1, 1), (1, 6), (5, 1), (5, 3), (8, 15), (11, 1), (11, 11), (12, 25), (12, 26)}
MOVABLE_HOLIDAYS = {
    datetime.date(2016, 3, 28), datetime.date(2016, 5, 26),  # Easter Monday, Corpus Christi
    datetime.date(2017, 4, 17), datetime.date(2017, 6, 15),
    datetime.date(2018, 4, 2), datetime.date(2018, 5, 31),
}  # fmt: skip

PROGRESS_EVIDENCE = {
    SocialProgress.EDUCATION_STARTED: "Zaświadczenie szkoły o podjęciu nauki w liceum dla dorosłych.",
    SocialProgress.MOTIVATION: "Ankieta ex-post: wyższa samoocena i motywacja niż w ankiecie ex-ante.",
    SocialProgress.FUNCTIONING: "Opinia pracownika socjalnego po wywiadzie środowiskowym.",
    SocialProgress.VOLUNTEERING: "Porozumienie wolontariackie z lokalnym stowarzyszeniem.",
    SocialProgress.HEALTH: "Zaświadczenie lekarskie o poprawie stanu zdrowia.",
    SocialProgress.ADDICTION_TREATMENT: "Zaświadczenie poradni leczenia uzależnień o kontynuacji terapii.",
}  # fmt: skip
DROPOUT_REASON = "Długotrwała choroba uniemożliwiająca udział w zajęciach."
RESIGNATION_REASON = "Rezygnacja przed rozpoczęciem zajęć: opieka nad chorym rodzicem."
JOB_REASON = "Podjęcie zatrudnienia na umowę o pracę przed zakończeniem ścieżki reintegracji."
REJECTION_NOT_AT_RISK = (
    "Nie spełnia kryterium zagrożenia ubóstwem lub wykluczeniem społecznym "
    "(nie korzysta z pomocy społecznej, brak czynników ryzyka)."
)
REJECTION_EMPLOYED = (
    "Przed rozpoczęciem wsparcia osoba podjęła pracę na umowę o pracę: nie jest już "
    "nieaktywna zawodowo ani bezrobotna."
)
OVERRIDE_JUSTIFICATION = (
    "Zarejestrowany w PUP wyłącznie dla ubezpieczenia zdrowotnego; długotrwale bezrobotny "
    "klient MOPS, złożył wniosek o wyrejestrowanie. Kwalifikuję decyzją kierownika projektu."
)


@dataclass
class Person:
    organisation: str
    story: str
    participant: Participant  # unsaved
    registered: datetime.date
    qualified: datetime.date
    started: datetime.date
    ended: datetime.date
    followed_up: datetime.date


def _workday(day: datetime.date) -> datetime.date:
    """The day itself, or the next working day after a weekend or a public holiday."""
    while day.weekday() >= 5 or (day.month, day.day) in HOLIDAYS or day in MOVABLE_HOLIDAYS:
        day += datetime.timedelta(days=1)
    return day


def _some_day(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.date:
    return first + datetime.timedelta(days=rng.randint(0, (last - first).days))


def _after(rng: random.Random, day: datetime.date, low: int, high: int) -> datetime.date:
    return _workday(day + datetime.timedelta(days=rng.randint(low, high)))


def _years_later(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _pesel(birth_date: datetime.date, sex: str, serial: int) -> str:
    """A valid PESEL: the century is coded in the month (+20 for 2000–2099)."""
    month = (
        birth_date.month
        + {1800: 80, 1900: 0, 2000: 20, 2100: 40, 2200: 60}[birth_date.year // 100 * 100]
    )
    sex_digit = serial % 5 * 2 + (1 if sex == Sex.MALE else 0)
    body = f"{birth_date.year % 100:02d}{month:02d}{birth_date.day:02d}{serial // 5:03d}{sex_digit}"
    return body + calc_check_digit(body)


def _ascii(text: str) -> str:
    text = text.replace("ł", "l").replace("Ł", "L")
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def _people(communes: dict[str, Commune]) -> list[Person]:
    """Everyone the demo records, the same on every run whatever the database holds."""
    rng = random.Random(SEED)  # noqa: S311 — invented demo data, no secrets
    pesels: set[str] = set()
    names: set[tuple[str, str]] = set()
    people = []
    for organisation, story in STORIES:
        sex = Sex.FEMALE if rng.random() < 0.55 else Sex.MALE
        while True:
            first_name = rng.choice(FIRST_NAMES[sex])
            male, female = rng.choice(SURNAMES)
            last_name = female if sex == Sex.FEMALE else male
            if (first_name, last_name) not in names:
                names.add((first_name, last_name))
                break

        window = WINDOWS.get(story, "support")
        if story == "too_young":
            # Born in 2000 (a PESEL with a leading zero), 17 when checked in 2017.
            birth_date = _some_day(rng, datetime.date(2000, 1, 10), datetime.date(2000, 6, 30))
            registered = _workday(_years_later(birth_date, 17) + datetime.timedelta(days=30))
        else:
            registered = _workday(_some_day(rng, *REGISTRATION_WINDOWS[window]))
            youngest = min(datetime.date(1998, 12, 31), _years_later(registered, -18))
            birth_date = _some_day(rng, datetime.date(1955, 1, 1), youngest)
        qualified = _after(rng, registered, 3, 12)
        started = _after(rng, qualified, 5, 20)
        if story == "resigned":
            ended = _after(rng, started, 3, 10)
        elif story in ("left_for_job", "dropped_out"):
            ended = _after(rng, max(started, LEAVING_FROM), 20, 150)
        else:
            ended = min(_after(rng, started, 270, 450), LAST_DAY_OF_SUPPORT)
        followed_up = _after(rng, ended, 95, 120)

        while True:
            pesel = _pesel(birth_date, sex, rng.randrange(5000))
            if pesel not in pesels:
                pesels.add(pesel)
                break

        commune_name = rng.choice(PARTNER_COMMUNES[organisation])
        postcode, degurba, towns = PLACES[commune_name]
        town, streets = rng.choice(towns)
        street = rng.choice(streets) if streets else ""
        flat = str(rng.randint(1, 24)) if street and rng.random() < 0.5 else ""

        wtz = organisation.startswith("WTZ")
        if wtz or story == "too_young" or rng.random() < 0.6:
            status = LabourMarketStatus.INACTIVE
            substatus = LabourMarketSubstatus.NOT_IN_EDUCATION
        else:
            status = LabourMarketStatus.UNEMPLOYED_UNREGISTERED
            substatus = rng.choice(
                [LabourMarketSubstatus.LONG_TERM_UNEMPLOYED, LabourMarketSubstatus.OTHER]
            )
        at_risk = story != "rejected_not_at_risk"
        if story == "override":
            status = LabourMarketStatus.UNEMPLOYED_REGISTERED
            substatus = LabourMarketSubstatus.LONG_TERM_UNEMPLOYED
        elif not at_risk and substatus == LabourMarketSubstatus.LONG_TERM_UNEMPLOYED:
            substatus = LabourMarketSubstatus.OTHER
        disabled = wtz or rng.random() < 0.15

        participant = Participant(
            first_name=first_name,
            last_name=last_name,
            pesel=pesel,
            sex=sex,
            birth_date=birth_date,
            education=(
                rng.choice([Education.ISCED_1, Education.ISCED_2])
                if wtz or story == "too_young"
                else rng.choice(
                    [Education.ISCED_1]
                    + [Education.ISCED_2] * 3
                    + [Education.ISCED_3] * 3
                    + [Education.ISCED_4, Education.ISCED_5_8]
                )
            ),
            commune=communes[commune_name],
            town=town,
            street=street,
            building_number=str(rng.randint(1, 60 if street else 120)),
            flat_number=flat,
            postcode=postcode,
            degurba=degurba,
            email=(
                f"{_ascii(first_name)}.{_ascii(last_name)}@example.org"
                if rng.random() < 0.3
                else ""
            ),
            disability=Answer.YES if disabled and at_risk else Answer.NO,
            disability_degree=(
                rng.choice(
                    [DisabilityDegree.MODERATE, DisabilityDegree.SEVERE]
                    if wtz
                    else [DisabilityDegree.LIGHT, DisabilityDegree.MODERATE]
                )
                if disabled and at_risk
                else ""
            ),
            disability_intellectual_or_multiple=wtz and rng.random() < 0.7,
            homeless_or_housing_exclusion=(
                Answer.YES if at_risk and rng.random() < 0.05 else Answer.NO
            ),
            other_disadvantage=rng.choice([Answer.NO] * 6 + [Answer.YES, Answer.REFUSED])
            if at_risk
            else Answer.NO,
            labour_market_status=status,
            labour_market_substatus=substatus,
            social_assistance_client=at_risk and not wtz,
            risk_long_term_unemployed=substatus == LabourMarketSubstatus.LONG_TERM_UNEMPLOYED,
            risk_after_prison=at_risk and rng.random() < 0.05,
            risk_caring_for_dependant=(
                at_risk and sex == Sex.FEMALE and not wtz and rng.random() < 0.25
            ),
            risk_addiction_in_treatment=at_risk and not wtz and rng.random() < 0.1,
        )
        participant.risk_homeless = participant.homeless_or_housing_exclusion == Answer.YES
        people.append(
            Person(
                organisation=organisation,
                story=story,
                participant=participant,
                registered=registered,
                qualified=qualified,
                started=started,
                ended=ended,
                followed_up=followed_up,
            )
        )
    return people


def _record(person: Person, *, project: Project, organisation, actor, manager, rng) -> Enrolment:
    """Take one person through the services as far as their story goes."""
    story = person.story
    enrolment = services.participant_register(
        user=actor,
        project=project,
        organisation=organisation,
        participant=person.participant,
        registered_on=person.registered,
    )
    if story == "candidate":
        return enrolment
    check = services.enrolment_qualify(user=actor, enrolment=enrolment, on_date=person.qualified)
    if story == "too_young":
        return enrolment
    if story == "rejected_not_at_risk":
        return services.enrolment_reject(
            user=actor, enrolment=enrolment, reason=REJECTION_NOT_AT_RISK
        )
    if story == "override" and not check.eligible:
        services.eligibility_override(
            user=manager,
            enrolment=enrolment,
            justification=OVERRIDE_JUSTIFICATION,
            on_date=_after(rng, person.qualified, 1, 5),
        )
    if story == "no_consent":
        return enrolment
    enrolment = services.consent_record(
        user=actor,
        enrolment=enrolment,
        declaration_signed_on=person.qualified,
        data_protection_signed_on=person.registered,
    )
    if story == "rejected":
        return services.enrolment_reject(user=actor, enrolment=enrolment, reason=REJECTION_EMPLOYED)
    if story in ("waiting", "override"):
        return enrolment
    enrolment = services.enrolment_start_support(
        user=actor, enrolment=enrolment, on_date=person.started
    ).enrolment
    if story in ("support", "reserve"):
        return enrolment
    if story == "resigned":
        services.enrolment_resign(
            user=actor, enrolment=enrolment, on_date=person.ended, reason=RESIGNATION_REASON
        )
        return enrolment
    # Those who leave received support first (counseling on their first day): the
    # funder counts a participant, and their age at entry, from that day.
    with transaction.atomic():
        services.support_gate(enrolment=enrolment, day=person.started)
        enrolment = services.support_received(user=actor, enrolment=enrolment, day=person.started)
    follow_up = None
    if story == "left_for_job":
        services.enrolment_exit(
            user=actor,
            enrolment=enrolment,
            end_date=person.ended,
            completed_pathway=False,
            left_for_job=True,
            employed=True,
            dropout_reason=JOB_REASON,
        )
        follow_up = FollowUp(
            checked_on=person.followed_up,
            employed=True,
            contract_months=12,
            working_time=Decimal("1.00"),
        )
    elif story == "dropped_out":
        services.enrolment_exit(
            user=actor,
            enrolment=enrolment,
            end_date=person.ended,
            completed_pathway=False,
            dropout_reason=DROPOUT_REASON,
        )
    elif story == "completed_job":
        services.enrolment_exit(
            user=actor,
            enrolment=enrolment,
            end_date=person.ended,
            completed_pathway=True,
            employed=True,
            qualification_gained=rng.random() < 0.5,
        )
        follow_up = FollowUp(
            checked_on=person.followed_up,
            employed=True,
            contract_months=rng.choice([3, 6, 12, 24]),
            working_time=rng.choice([Decimal("1.00"), Decimal("0.75"), Decimal("0.50")]),
        )
    else:  # completed, completed_progress
        services.enrolment_exit(
            user=actor,
            enrolment=enrolment,
            end_date=person.ended,
            completed_pathway=True,
            seeking_work=rng.random() < 0.7,
            in_education=rng.random() < 0.2,
            qualification_gained=rng.random() < 0.4,
        )
        if story == "completed_progress":
            progress = rng.choice(list(SocialProgress))
            follow_up = FollowUp(
                checked_on=person.followed_up,
                social_progress=progress,
                social_progress_evidence=PROGRESS_EVIDENCE[progress],
            )
    if follow_up is not None:
        services.follow_up_record(user=actor, enrolment=enrolment, follow_up=follow_up)
    return enrolment


def load(log: Log) -> None:
    project = Project.objects.get(short_name=PROJECT)
    communes = {c.name: c for c in project.communes.all()}
    users = get_user_model().objects
    manager = users.get(username=MANAGER)
    actors = {short: users.get(username=name) for short, name in SOCIAL_WORKERS.items()}
    organisations = {
        o.short_name: o for o in Organisation.objects.filter(partnerships__project=project)
    }
    people = _people(communes)
    registered = set(
        Participant.objects.filter(pesel__in=[p.participant.pesel for p in people]).values_list(
            "pesel", flat=True
        )
    )
    created = skipped = 0
    # In the order people registered: first come, first served (and first in reserve).
    for index, person in sorted(enumerate(people), key=lambda item: (item[1].registered, item[0])):
        if person.participant.pesel in registered:
            skipped += 1
            continue
        # One generator per person, so that skipping someone changes nobody else.
        rng = random.Random(f"{SEED}-{index}")  # noqa: S311
        enrolment = _record(
            person,
            project=project,
            organisation=organisations[person.organisation],
            actor=actors.get(person.organisation, manager),
            manager=manager,
            rng=rng,
        )
        enrolment.refresh_from_db()
        if enrolment.status != OUTCOME[person.story]:
            raise RuntimeError(
                f"Demo participant {person.participant} ended as {enrolment.status}, "
                f"not {OUTCOME[person.story]} ({person.story})."
            )
        created += 1
    log(
        _("Participants: %(created)d people registered, %(skipped)d already there.")
        % {"created": created, "skipped": skipped}
    )
