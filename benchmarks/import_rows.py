"""How long the import of a participant list takes: the preview (dry run) and the
import itself, for N generated rows, on the database of DATABASE_URL.

    DATABASE_URL=postgres://… .venv/bin/python benchmarks/import_rows.py --rows 10000

Needs a migrated database with the Lębork demo (`manage.py load_demo`). The rows are
new people of OPS Wicko (valid PESELs not yet registered); the real import runs in a
transaction that is rolled back at the end, so the database is left as it was
(`--keep` keeps the people).
"""

import argparse
import csv
import datetime
import io
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aktywizacja.settings")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import translation  # noqa: E402
from stdnum.pl import pesel as stdnum_pesel  # noqa: E402

from participants.imports import HEADERS, import_run, read_table  # noqa: E402
from participants.models import Participant  # noqa: E402
from partners.models import Organisation, Project  # noqa: E402


def pesel(n: int) -> str:
    born = datetime.date(1960, 1, 1) + datetime.timedelta(days=n % 12000)
    body = f"{born:%y%m%d}{(n // 12000) % 1000:03d}{(n * 7) % 10}"
    return body + stdnum_pesel.calc_check_digit(body)


def rows(count: int) -> list[dict]:
    taken = set(Participant.objects.values_list("pesel", flat=True))
    result, n = [], 0
    while len(result) < count:
        number = pesel(n)
        n += 1
        if number in taken:
            continue
        result.append(
            {
                "PESEL": number,
                "Imię": "Anna",
                "Nazwisko": f"Próbna{n}",
                "Wykształcenie": "ISCED_3",
                "Gmina": "Wicko",
                "Miejscowość": "Wicko",
                "Nr budynku": str(n % 90 + 1),
                "Kod pocztowy": "84-352",
                "DEGURBA": "3",
                "Status na rynku pracy": "INACTIVE",
                "Klient pomocy społecznej": "Tak",
                "Osoba z niepełnosprawnościami": "Nie",
                "Mniejszość, migrant, obce pochodzenie": "Nie",
                "Bezdomność lub wykluczenie z dostępu do mieszkań": "Nie",
                "Inna niekorzystna sytuacja społeczna": "Nie",
                "Data rejestracji": "02.05.2016",
            }
        )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--keep", action="store_true", help="keep the imported people")
    args = parser.parse_args()
    translation.activate("pl")
    user = get_user_model().objects.get(username="sw.wicko")
    project = Project.objects.get(short_name="lebork-2016")
    organisation = Organisation.objects.get(short_name="OPS Wicko")
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, HEADERS, delimiter=";")
    writer.writeheader()
    writer.writerows(rows(args.rows))
    content = buffer.getvalue().encode("utf-8")

    started = time.perf_counter()
    table = read_table(content, "lista.csv")
    read = time.perf_counter() - started
    common = {"user": user, "project": project, "organisation": organisation, "table": table}

    started = time.perf_counter()
    preview = import_run(dry_run=True, **common)
    previewed = time.perf_counter() - started
    if not preview.ok:
        raise SystemExit(f"the preview refused the rows: {preview.errors[:5] or preview.refused}")

    with transaction.atomic():
        started = time.perf_counter()
        outcome = import_run(dry_run=False, **common)
        imported = time.perf_counter() - started
        if not outcome.ok or outcome.new != args.rows:
            raise SystemExit(f"the import failed: {outcome.errors[:5] or outcome.refused}")
        if not args.keep:
            transaction.set_rollback(True)

    engine = django.db.connection.vendor
    print(f"rows: {args.rows} ({len(content) / 1024 / 1024:.1f} MB CSV), database: {engine}")
    print(f"read the file:  {read:7.2f} s")
    print(f"preview:        {previewed:7.2f} s  ({args.rows / previewed:6.0f} rows/s)")
    print(f"import:         {imported:7.2f} s  ({args.rows / imported:6.0f} rows/s)")


if __name__ == "__main__":
    main()
