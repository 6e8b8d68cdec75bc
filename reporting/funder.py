"""The funder's vocabulary: the participant sheet of its monitoring system (2014–2020
layout, DESIGN §6) and the values it accepts, keyed by our own enum values.

The Polish strings below are the funder's data dictionary, not text of our interface:
its system matches them character for character, so they are plain literals, never
translated.
"""

import datetime

from participants.models import (
    Answer,
    Degurba,
    Education,
    EnrolmentExit,
    LabourMarketStatus,
    LabourMarketSubstatus,
    Sex,
)

#: The participant sheet's columns, in the funder's order ("W tym" appears twice).
FUNDER_COLUMNS = [
    "Kraj",
    "Rodzaj uczestnika",
    "Nazwa instytucji",
    "Imię",
    "Nazwisko",
    "PESEL",
    "Brak PESEL",
    "Płeć",
    "Wiek w chwili przystąpienia do projektu",
    "Wykształcenie",
    "Województwo",
    "Powiat",
    "Gmina",
    "Miejscowość",
    "Ulica",
    "Nr budynku",
    "Nr lokalu",
    "Kod pocztowy",
    "Obszar wg stopnia urbanizacji (DEGURBA)",
    "Telefon kontaktowy",
    "Adres e-mail",
    "Data rozpoczęcia udziału w projekcie",
    "Data zakończenia udziału w projekcie",
    "Status osoby na rynku pracy w chwili przystąpienia do projektu",
    "W tym",
    "Wykonywany zawód",
    "Zatrudniony w",
    "Sytuacja (1) osoby w momencie zakończenia udziału w projekcie",
    "Sytuacja (2) osoby w momencie zakończenia udziału w projekcie",
    "Inne rezultaty dotyczące osób młodych",
    "Zakończenie udziału osoby w projekcie zgodnie z zaplanowaną dla niej ścieżką uczestnictwa",
    "Rodzaj przyznanego wsparcia",
    "W tym",
    "Data rozpoczęcia udziału we wsparciu",
    "Data zakończenia udziału we wsparciu",
    "Data założenia działalności gospodarczej",
    "Kwota przyznanych środków na założenie działalności gospodarczej",
    "PKD założonej działalności gospodarczej",
    "Osoba należąca do mniejszości narodowej lub etnicznej, migrant, osoba obcego pochodzenia",
    "Osoba bezdomna lub dotknięta wykluczeniem z dostępu do mieszkań",
    "Osoba z niepełnosprawnościami",
    "Osoba w innej niekorzystnej sytuacji społecznej (niż wymienione powyżej)",
]

COUNTRY = "Polska"
INDIVIDUAL = "Indywidualny"
YES, NO = "Tak", "Nie"

ANSWER = {
    Answer.YES: YES,
    Answer.NO: NO,
    Answer.REFUSED: "Odmowa podania informacji",
}

SEX = {
    Sex.FEMALE: "Kobieta",
    Sex.MALE: "Mężczyzna",
}

LABOUR_MARKET_STATUS = {
    LabourMarketStatus.UNEMPLOYED_REGISTERED: (
        "osoba bezrobotna zarejestrowana w ewidencji urzędów pracy"
    ),
    LabourMarketStatus.UNEMPLOYED_UNREGISTERED: (
        "osoba bezrobotna niezarejestrowana w ewidencji urzędów pracy"
    ),
    LabourMarketStatus.INACTIVE: "osoba bierna zawodowo",
    LabourMarketStatus.EMPLOYED: "osoba pracująca",
}

LABOUR_MARKET_SUBSTATUS = {
    LabourMarketSubstatus.LONG_TERM_UNEMPLOYED: "osoba długotrwale bezrobotna",
    LabourMarketSubstatus.IN_EDUCATION: "osoba ucząca się",
    LabourMarketSubstatus.NOT_IN_EDUCATION: "osoba nieuczestnicząca w kształceniu lub szkoleniu",
    LabourMarketSubstatus.OTHER: "inne",
}

EDUCATION = {
    Education.ISCED_0: "niższe niż podstawowe (ISCED 0)",
    Education.ISCED_1: "podstawowe (ISCED 1)",
    Education.ISCED_2: "gimnazjalne (ISCED 2)",
    Education.ISCED_3: "ponadgimnazjalne (ISCED 3)",
    Education.ISCED_4: "policealne (ISCED 4)",
    Education.ISCED_5_8: "wyższe (ISCED 5-8)",
}

DEGURBA = {
    Degurba.CITIES: "1 - Duże obszary miejskie (o ludności > 50 000 i dużej gęstości zaludnienia)",
    Degurba.TOWNS_SUBURBS: (
        "2 - Małe obszary miejskie (o ludności > 5 000 i średniej gęstości zaludnienia)"
    ),
    Degurba.RURAL: "3 - Obszary wiejskie (o małej gęstości zaludnienia)",
}

#: The situations on leaving, in the funder's order of precedence: Sytuacja (1) is the
#: first that applies, Sytuacja (2) the second.
EXIT_SITUATIONS = [
    ("employed", "osoba pracująca"),
    ("self_employed", "osoba prowadząca działalność na własny rachunek"),
    ("seeking_work", "osoba poszukująca pracy po opuszczeniu programu"),
    ("in_education", "osoba kształcąca się lub szkoląca po opuszczeniu programu"),
    ("qualification_gained", "osoba, która uzyskała kwalifikacje po opuszczeniu programu"),
]
OTHER_SITUATION = "inne"

SUPPORT_KIND = "aktywna integracja"
SUPPORT_SOCIAL = "o charakterze społecznym"
SUPPORT_SOCIAL_AND_VOCATIONAL = "o charakterze społecznym i zawodowym"


def yes_no(value: bool) -> str:
    return YES if value else NO


def funder_date(day: datetime.date | None) -> str:
    """A date as the funder writes it, rrrr-mm-dd; empty when there is none."""
    return day.isoformat() if day else ""


def exit_situations(exit_data: EnrolmentExit | None) -> tuple[str, str]:
    """Sytuacja (1) and (2) on leaving: the first two situations that apply, in the
    funder's order; "inne" when none does; both empty before the exit is recorded."""
    if exit_data is None:
        return "", ""
    applying = [label for name, label in EXIT_SITUATIONS if getattr(exit_data, name)]
    if not applying:
        return OTHER_SITUATION, ""
    return applying[0], applying[1] if len(applying) > 1 else ""
