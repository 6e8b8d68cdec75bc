"""Rows and files for the import tests, built in memory."""

import csv
import datetime
import io

from openpyxl import Workbook

from participants.imports import HEADERS, Table, read_table
from tests.factories import make_pesel

REGISTERED_ON = "02.05.2016"  # inside the world's projects (01.04.2016–31.10.2018)
#: a woman born on 15.03.1908: the PESEL a spreadsheet spoils, dropping its leading zero
LEADING_ZERO_PESEL = make_pesel(datetime.date(1908, 3, 15), "K", 42)


def row(number: int = 0, changes: dict | None = None) -> dict:
    """A valid row of the template for the Lębork project: an economically inactive
    woman (born 1980–1995, her PESEL made from `number`), a client of social
    assistance living in Wicko; `changes` replace cells by header."""
    born = datetime.date(1980 + number % 16, 1 + number % 12, 1 + number % 28)
    data = {
        "PESEL": make_pesel(born, "K", number),
        "Imię": "Anna",
        "Nazwisko": f"Testowa-{number}",
        "Płeć": "",
        "Data urodzenia": "",
        "Wykształcenie": "gimnazjalne (ISCED 2)",
        "Gmina": "Wicko",
        "Miejscowość": "Wicko",
        "Ulica": "Długa",
        "Nr budynku": str(number + 1),
        "Nr lokalu": "",
        "Kod pocztowy": "84-352",
        "DEGURBA": "3",
        "Telefon": "600100200",
        "E-mail": "",
        "Status na rynku pracy": "osoba bierna zawodowo",
        "W tym": "",
        "Klient pomocy społecznej": "Tak",
        "Osoba z niepełnosprawnościami": "Nie",
        "Stopień niepełnosprawności": "",
        "Niepełnosprawność intelektualna lub sprzężona": "",
        "Mniejszość, migrant, obce pochodzenie": "Nie",
        "Bezdomność lub wykluczenie z dostępu do mieszkań": "Nie",
        "Inna niekorzystna sytuacja społeczna": "Nie",
        "Długotrwale bezrobotna": "",
        "Po opuszczeniu zakładu karnego": "",
        "Bezdomna": "",
        "Opieka nad dzieckiem lub osobą zależną": "",
        "Uzależniona w trakcie leczenia": "",
        "Inny czynnik ryzyka": "",
        "Data rejestracji": REGISTERED_ON,
        "Data podpisania deklaracji": "",
        "Data podpisania oświadczenia RODO": "",
        "Data rozpoczęcia wsparcia": "",
    }
    assert list(data) == HEADERS
    return data | (changes or {})


def rows(count: int, changes: dict | None = None) -> list[dict]:
    return [row(number, changes) for number in range(count)]


def table(data: list[dict]) -> Table:
    """The rows as `read_table` gives them: numbered from 2, under the header."""
    return Table(rows=[dict(r) for r in data], numbers=list(range(2, len(data) + 2)))


def csv_bytes(data: list[dict], *, delimiter: str = ";", encoding: str = "utf-8") -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(HEADERS)
    writer.writerows([r[h] for h in HEADERS] for r in data)
    return out.getvalue().encode(encoding)


def xlsx_bytes(data: list[list]) -> bytes:
    """A workbook whose first sheet holds `data`, row by row, values as given."""
    workbook = Workbook()
    sheet = workbook.active
    for values in data:
        sheet.append(values)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def xlsx_table(data: list[dict]) -> Table:
    """The rows written to an XLSX under the header and read back."""
    return read_table(xlsx_bytes([HEADERS, *([r[h] for h in HEADERS] for r in data)]), "lista.xlsx")
