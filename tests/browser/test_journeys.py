"""The users' journeys through the real pages, in Chromium: each starts at the login
form and goes on as its user would, by the links, buttons and labels they read
(accessible names in Polish), not by typing URLs — except the outsider of journey 4,
whose typed URLs must all be refused. Each saves screenshots of its key screens
(artefacts/browser/<test>/) and checks in the database that what the screen says
really happened."""

import csv
import datetime
import io
import re
from decimal import Decimal
from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.urls import reverse
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from participants.models import Enrolment, Participant
from pathways.models import Attendance, Internship, InternshipMonth, MedicalExam, Referral, Stage
from pathways.stipends import internship_stipend
from reporting.exports import participants_queryset
from reporting.funder import FUNDER_COLUMNS
from reporting.quality import quality_check
from reporting.selection import Selection
from tests.factories import make_pesel

from .support import BROWSER, log_in, placed_person, referred_person

pytestmark = BROWSER

DAY = datetime.date(2018, 3, 1)  # within the demo project (01.04.2016 – 31.10.2018)


def _d(day: datetime.date) -> str:
    return day.strftime("%d.%m.%Y")


def _message(page: Page, pattern: str):
    """The message the app shows after an action (success, warning or error)."""
    shown = page.get_by_role("status").or_(page.get_by_role("alert"))
    return shown.filter(has_text=re.compile(pattern))


def _choose(select, words: str) -> None:
    """Choose the option of a list whose text holds these words."""
    option = select.locator("option").filter(has_text=words)
    select.select_option(label=option.inner_text().strip())


# 1. The social worker: registration to referral ----------------------------------------


def test_it_takes_a_social_worker_from_registration_to_referral(live_demo, page, screenshots):
    project = live_demo
    pesel = make_pesel(datetime.date(1984, 5, 14), "K", serial=731)
    wrong = pesel[:-1] + str((int(pesel[-1]) + 1) % 10)
    log_in(page, "sw.lebork")

    page.get_by_role("navigation", name="Nawigacja główna").get_by_role(
        "link", name="Zarejestruj uczestnika"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Zarejestruj uczestnika")
    page.get_by_label("Data rejestracji w projekcie").fill(_d(DAY))
    page.get_by_label("Imię").fill("Zofia")
    page.get_by_label("Nazwisko").fill("Przykładowa")
    page.get_by_label("PESEL", exact=True).fill(wrong)
    page.get_by_label("Wykształcenie").select_option(label="gimnazjalne (ISCED 2)")
    page.get_by_label("Gmina").select_option(label="Lębork (lęborski)")
    page.get_by_label("Miejscowość").fill("Lębork")
    page.get_by_label("Ulica").fill("Słupska")
    page.get_by_label("Numer budynku").fill("12")
    page.get_by_label("Kod pocztowy").fill("84-300")
    page.get_by_label("Obszar wg stopnia urbanizacji").select_option(index=2)
    page.get_by_label("Status na rynku pracy").select_option(label="osoba bierna zawodowo")
    page.get_by_label("Klient pomocy społecznej").check()
    screenshots(page, "registration-form")
    page.get_by_role("button", name="Zarejestruj", exact=True).click()

    # The wrong check digit is said at the PESEL field, in Polish; what was typed stays.
    pesel_field = page.get_by_label("PESEL", exact=True)
    expect(pesel_field).to_have_attribute("aria-invalid", "true")
    expect(pesel_field).to_have_accessible_description(re.compile("cyfrę kontrolną"))
    expect(page.locator("#div_id_pesel")).to_contain_text("cyfrę kontrolną")
    expect(pesel_field).to_have_value(wrong)
    expect(page.get_by_label("Imię")).to_have_value("Zofia")
    expect(page.get_by_label("Nazwisko")).to_have_value("Przykładowa")
    expect(page.get_by_label("Klient pomocy społecznej")).to_be_checked()
    screenshots(page, "pesel-error")
    assert not Participant.objects.filter(last_name="Przykładowa").exists()

    pesel_field.fill(pesel)
    page.get_by_role("button", name="Zarejestruj", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Zofia Przykładowa")
    expect(_message(page, "Zofia Przykładowa")).to_be_visible()
    participant = Participant.objects.get(pesel=pesel)
    assert (participant.birth_date, participant.sex) == (datetime.date(1984, 5, 14), "K")
    enrolment = Enrolment.objects.get(participant=participant, project=project)
    assert enrolment.recruiting_organisation.short_name == "MOPS Lębork"
    screenshots(page, "registered")

    # Qualification, the signed documents, the start of support: the card's actions.
    card = page.locator(f"#enrolment-{enrolment.pk}")
    card.get_by_label("Dzień weryfikacji").fill(_d(DAY + datetime.timedelta(days=1)))
    card.get_by_role("button", name="Zweryfikuj kwalifikowalność").click()
    expect(_message(page, "zakwalifikowan")).to_be_visible()
    card.get_by_role("link", name="Deklaracja i oświadczenie").click()
    page.get_by_label("deklaracji uczestnictwa").fill(_d(DAY + datetime.timedelta(days=1)))
    page.get_by_label("oświadczenia o przetwarzaniu").fill(_d(DAY + datetime.timedelta(days=1)))
    page.get_by_role("button", name="Zapisz").click()
    expect(_message(page, "podpisan")).to_be_visible()
    card.get_by_role("link", name="Przyjmij do wsparcia").click()
    start = DAY + datetime.timedelta(days=4)
    page.get_by_label("Data rozpoczęcia wsparcia").fill(_d(start))
    page.get_by_role("button", name="Zapisz").click()
    expect(_message(page, "wsparci")).to_be_visible()
    screenshots(page, "in-support")
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.IN_SUPPORT
    assert enrolment.support_start == start
    assert enrolment.seat_bookings.filter(released_at__isnull=True).count() == 1

    # The individual pathway: the diagnosis, a goal and a planned support.
    card.get_by_role("link", name="Indywidualna Ścieżka Reintegracji").click()
    page.get_by_role("link", name="Opracuj ścieżkę").click()
    page.get_by_label("Potrzeby").fill("Wsparcie w powrocie na rynek pracy po przerwie.")
    page.get_by_label("Potencjał").fill("Doświadczenie w handlu, chęć nauki.")
    page.get_by_label("Bariery").fill("Opieka nad dzieckiem, dojazd.")
    page.get_by_role("button", name="Zapisz").click()
    expect(page.get_by_role("heading", name="Diagnoza")).to_be_visible()
    page.get_by_role("region", name="Cele").get_by_label("Cel").fill(
        "Ukończenie kursu kasjera-sprzedawcy"
    )
    page.get_by_role("button", name="Dodaj cel").click()
    expect(page.get_by_text("Ukończenie kursu kasjera-sprzedawcy")).to_be_visible()
    page.get_by_role("link", name="Zaplanuj wsparcie").click()
    page.get_by_label("Forma wsparcia").select_option(
        label="Warsztaty kształtujące umiejętności osobiste"
    )
    page.get_by_label("Realizator").select_option(label="MOPS Lębork")
    page.get_by_label("Planowana data rozpoczęcia").fill(_d(start))
    page.get_by_label("Planowana data zakończenia").fill(_d(start + datetime.timedelta(days=60)))
    page.get_by_label("Planowana liczba godzin").fill("12")
    page.get_by_role("button", name="Zapisz").click()
    plan = page.get_by_role("region", name="Zaplanowane wsparcie")
    expect(plan).to_contain_text("Warsztaty kształtujące umiejętności osobiste")
    screenshots(page, "pathway")
    pathway = enrolment.pathway
    assert pathway.goals.count() == 1 and pathway.items.count() == 1

    # A group session with its attendance grid.
    page.get_by_role("link", name="Dodaj zajęcia").first.click()
    page.get_by_label("Forma wsparcia").select_option(
        label="Warsztaty kształtujące umiejętności osobiste"
    )
    session_day = start + datetime.timedelta(days=7)
    page.get_by_label("Data").fill(_d(session_day))
    page.get_by_role("button", name="Pokaż listę obecności").click()
    page.get_by_label("Liczba godzin").first.fill("3")
    page.get_by_label("Prowadzący").fill("Ewa Trenerska")
    page.get_by_label("Miejsce").fill("Sala MOPS, ul. Czołgistów 5")
    grid = page.get_by_role("table")
    grid.get_by_label("Przykładowa Zofia").check()
    screenshots(page, "attendance-grid")
    page.get_by_role("button", name="Zapisz zajęcia").click()
    expect(_message(page, r"obecn\D*1\b")).to_be_visible()
    row = page.get_by_role("row", name=re.compile("Przykładowa Zofia"))
    expect(row.get_by_role("cell", name="obecny", exact=True)).to_be_visible()
    screenshots(page, "session")
    attendance = Attendance.objects.get(enrolment=enrolment)
    assert attendance.present and attendance.hours == Decimal("3")
    assert attendance.session.date == session_day

    # The referral to the Starostwo, from the pathway.
    row.get_by_role("link").click()
    page.get_by_role("link", name="Skieruj").click()
    page.get_by_label("Skierowano do").select_option(label="Starostwo Lębork")
    page.get_by_label("Data skierowania").fill(_d(session_day + datetime.timedelta(days=3)))
    page.get_by_label("Uwagi").fill("Zainteresowana stażem w handlu.")
    page.get_by_role("button", name="Zapisz").click()
    expect(_message(page, "Starostwo Lębork")).to_be_visible()
    referrals = page.get_by_role("region", name="Skierowania")
    expect(referrals).to_contain_text("Starostwo Lębork")
    screenshots(page, "referred")
    referral = Referral.objects.get(enrolment=enrolment)
    assert referral.to_organisation.short_name == "Starostwo Lębork"
    pathway.refresh_from_db()
    assert pathway.stage == Stage.VOCATIONAL


# 2. The Starostwo's coordinator: placing a referred person in an internship -------------


def _open_coordination(page: Page, item: str) -> None:
    page.get_by_role("navigation", name="Nawigacja główna").get_by_role(
        "button", name="Koordynacja"
    ).click()
    page.get_by_role("link", name=item).click()


def test_it_takes_a_coordinator_from_the_referral_to_a_stipend(live_demo, page, screenshots):
    project = live_demo
    enrolment = referred_person(
        project,
        first_name="Teresa",
        last_name="Skierowana",
        birth_date=datetime.date(1979, 9, 3),
        serial=417,
        day=DAY,
    )
    log_in(page, "koord.starostwo")

    _open_coordination(page, "Skierowani, jeszcze nieumieszczeni")
    row = page.get_by_role("row", name=re.compile("Skierowana Teresa"))
    expect(row).to_contain_text("MOPS Lębork")
    expect(row).to_contain_text("Starostwo Lębork")
    screenshots(page, "referred-list")
    row.get_by_role("link", name="Umieść na stażu").click()

    # The internship cannot start before the medical examination.
    start = datetime.date(2018, 4, 3)
    end = datetime.date(2018, 6, 29)

    def fill_internship() -> None:
        _choose(page.get_by_label("Pracodawca"), "Pod Kłosem")
        page.get_by_label("Stanowisko").fill("Sprzedawca w piekarni")
        page.get_by_label("Opiekun stażysty").fill("Jan Opiekun")
        page.get_by_label("Data rozpoczęcia").fill(_d(start))
        page.get_by_label("Data zakończenia").fill(_d(end))
        page.get_by_label("Liczba godzin dziennie").fill("8")
        page.get_by_label("Liczba godzin tygodniowo").fill("40")
        page.get_by_role("button", name="Zapisz").click()

    # Before anything is typed, the form says that the examination comes first.
    expect(page.get_by_role("heading", level=1)).to_have_text("Umieść na stażu")
    expect(_message(page, "nie ma jeszcze badania lekarskiego")).to_be_visible()
    screenshots(page, "medical-exam-first")
    assert not Internship.objects.filter(enrolment=enrolment).exists()

    page.get_by_role("link", name="Dodaj badanie lekarskie").click()
    page.get_by_label("Data badania").fill(_d(start - datetime.timedelta(days=6)))
    page.get_by_label("Ważne do").fill("31.12.2018")
    page.get_by_label("Wynik").select_option(label="brak przeciwwskazań")
    page.get_by_label("Cel").fill("Staż: sprzedawca w piekarni")
    page.get_by_role("button", name="Zapisz").click()
    expect(_message(page, "badani")).to_be_visible()
    exam = MedicalExam.objects.get(enrolment=enrolment)
    assert exam.result == MedicalExam.Result.FIT

    expect(page.get_by_role("heading", level=1)).to_have_text("Umieść na stażu")
    fill_internship()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Skierowana")
    internship = Internship.objects.get(enrolment=enrolment)
    assert internship.medical_exam == exam
    assert (internship.start_date, internship.end_date) == (start, end)
    screenshots(page, "internship")

    # A month of attendance and its stipend: the project's 997,32 zł for 160 hours,
    # here 15 days of 8 hours worked and 2 days excused, so (120 + 16) / 160 of it.
    assert project.internship_stipend == Decimal("997.32")
    assert project.internship_hours_norm == 160
    expected = Decimal("847.72")  # 997,32 × 136 / 160 = 847,722 → 847,72
    assert (
        internship_stipend(
            monthly_amount=project.internship_stipend,
            hours_norm=160,
            hours_worked=Decimal("120"),
            excused_hours=Decimal("16"),
        )
        == expected
    )
    page.get_by_role("link", name="Dodaj miesiąc").click()
    page.get_by_label("Miesiąc").fill("04.2018")
    page.get_by_label("Dni przepracowane").fill("15")
    page.get_by_label("Godziny przepracowane").fill("120")
    page.get_by_label("Dni usprawiedliwionej nieobecności").fill("2")
    page.get_by_role("button", name="Zapisz").click()
    expect(_message(page, r"847,72\s*zł")).to_be_visible()
    month_row = page.get_by_role("row", name=re.compile(r"04\.2018|kwiecień 2018", re.I))
    expect(month_row).to_contain_text(re.compile(r"847,72\s*zł"))
    screenshots(page, "stipend")
    month = InternshipMonth.objects.get(internship=internship)
    assert month.stipend == expected
    internship.refresh_from_db()
    assert internship.status == Internship.Status.RUNNING

    # Placed, the person has left the list of those waiting.
    _open_coordination(page, "Skierowani, jeszcze nieumieszczeni")
    expect(page.get_by_role("row", name=re.compile("Skierowana Teresa"))).to_have_count(0)


# 3. The project manager: dashboard, data-quality check, the funder's files --------------


def _download(page: Page, link_name: str):
    with page.expect_download() as info:
        page.get_by_role("link", name=link_name).click()
    download = info.value
    return download.suggested_filename, download.path().read_bytes()


def test_it_takes_the_manager_from_the_dashboard_to_the_funders_files(live_demo, page, screenshots):
    project = live_demo
    manager = get_user_model().objects.get(username="kierownik")
    selection = Selection(project=project, user=manager)
    enrolments = list(participants_queryset(selection).select_related("participant"))
    known = next(e for e in enrolments if e.end_date)  # with both dates to check
    log_in(page, "kierownik")

    page.get_by_role("row", name=re.compile(project.title)).get_by_role(
        "link", name="Pulpit"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Pulpit")
    screenshots(page, "dashboard")

    page.get_by_role("link", name="Eksport", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Eksport")
    summary = page.get_by_role("region", name="Lista uczestników dla instytucji")
    expect(summary).to_contain_text(f"{len(enrolments)} uczestnik")
    page.get_by_role("link", name="kontroli jakości danych").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kontrola jakości danych")
    total = quality_check(selection).total
    counts = page.get_by_role("region", name=re.compile("według reguł"))
    expect(counts.get_by_role("row").last).to_have_text(re.compile(rf"\D{total}\s*$"))
    screenshots(page, "quality-check")

    page.get_by_role("navigation", name=re.compile("Ścieżka|Okruszki|nawigacji", re.I)).get_by_role(
        "link", name="Eksport"
    ).click()
    screenshots(page, "exports")
    csv_name, csv_bytes = _download(page, "Lista uczestników (CSV)")
    xlsx_name, xlsx_bytes = _download(page, "Lista uczestników (XLSX)")
    assert csv_name.endswith(".csv") and xlsx_name.endswith(".xlsx")
    xlsx_link = page.get_by_role("link", name="Lista uczestników (XLSX)")
    expect(xlsx_link).not_to_have_attribute("aria-busy", "true")  # the page saw it arrive
    screenshots(page, "downloaded")

    # CSV: UTF-8 with a byte-order mark, semicolons, the funder's header, one row each.
    assert csv_bytes.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(csv_bytes.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == FUNDER_COLUMNS
    assert len(rows) - 1 == len(enrolments)
    _check_known_row(rows[1:], known)

    # XLSX: the same sheet.
    sheet = load_workbook(io.BytesIO(xlsx_bytes), read_only=True)["Uczestnicy"]
    cells = [
        ["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)
    ]
    assert cells[0] == FUNDER_COLUMNS
    assert len(cells) - 1 == len(enrolments)
    _check_known_row(cells[1:], known)


def _check_known_row(rows: list[list[str]], enrolment: Enrolment) -> None:
    column = {name: FUNDER_COLUMNS.index(name) for name in FUNDER_COLUMNS}
    [row] = [r for r in rows if r[column["PESEL"]] == enrolment.participant.pesel]
    assert row[column["Nazwisko"]] == enrolment.participant.last_name
    assert row[column["Data rozpoczęcia udziału w projekcie"]] == (
        enrolment.participation_start.isoformat()
    )
    assert row[column["Data zakończenia udziału w projekcie"]] == enrolment.end_date.isoformat()
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", row[column["Data rozpoczęcia udziału we wsparciu"]])


# 4. A social worker of another partner: none of it is within reach -----------------------


def _refused(page: Page, path: str) -> int:
    """Open a typed URL and return the status the server answered."""
    return page.goto(path).status


def test_it_keeps_another_partners_social_worker_out(live_demo, page, screenshots):
    project = live_demo
    enrolment, session, internship = placed_person(
        project,
        first_name="Urszula",
        last_name="Niedostępna",
        birth_date=datetime.date(1975, 2, 11),
        serial=853,
        day=datetime.date(2017, 9, 4),
    )
    person = enrolment.participant
    log_in(page, "sw.wicko")

    # Searched for by surname or PESEL, she is not found; no list shows her.
    page.get_by_role("navigation", name="Nawigacja główna").get_by_role(
        "link", name="Uczestnicy"
    ).click()
    search = page.get_by_label("Nazwisko, imię lub PESEL")
    for words in (person.last_name, person.pesel):
        search.fill(words)
        search.press("Enter")
        expect(page).to_have_url(re.compile(re.escape(urlencode({"q": words}))))
        expect(page.get_by_role("main")).not_to_contain_text(person.last_name)
    screenshots(page, "search-finds-nothing")

    # Typed in, her pages answer 404 in Polish and say nothing about her.
    pages = {
        "participants:detail": person.pk,
        "participants:edit": person.pk,
        "participants:access_history": person.pk,
        "participants:consent": enrolment.pk,
        "participants:exit": enrolment.pk,
        "pathways:detail": enrolment.pk,
        "pathways:edit": enrolment.pk,
        "pathways:plan_add": enrolment.pk,
        "pathways:refer": enrolment.pk,
        "pathways:payment_add": enrolment.pk,
        "pathways:session_detail": session.pk,
        "pathways:medical_exam_add": enrolment.pk,
        "pathways:internship_new": enrolment.pk,
        "pathways:internship_detail": internship.pk,
        "pathways:internship_month_add": internship.pk,
    }
    for name, pk in pages.items():
        status = _refused(page, reverse(name, args=[pk]))
        assert status == 404, f"{name}: {status}"
        expect(page.get_by_role("heading", level=1)).to_have_text("Nie znaleziono strony")
        expect(page.get_by_role("main")).not_to_contain_text(person.last_name)
        if name == "pathways:detail":
            screenshots(page, "pathway-404")

    # The coordinators' lists do not show her either (if they open at all).
    internships = reverse("pathways:internships")
    lists = [reverse("pathways:referred"), reverse("pathways:courses")]
    lists += [f"{internships}?tab={tab}" for tab in ("upcoming", "running", "ending", "completed")]
    for path in lists:
        status = _refused(page, path)
        assert status in (200, 403, 404), f"{path}: {status}"
        expect(page.get_by_role("main")).not_to_contain_text(person.last_name)
