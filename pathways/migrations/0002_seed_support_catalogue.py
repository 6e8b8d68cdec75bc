"""The forms of support named in the seeds (000: Lębork partnership, 003: Leszno)."""

from django.db import migrations

SOCIAL_CENTRES = ["PCPR", "MOPS", "GOPS", "OPS", "WTZ"]
CENTRES = ["PCPR", "MOPS", "GOPS", "OPS"]
STAROSTWO = ["STAROSTWO"]
SCHOOL = ["SCHOOL"]

# (name, category, stage, unit, provider kinds)
CATALOGUE = [
    # Seed 000 — social activation at the centres
    ("Poradnictwo psychologiczne", "SOCIAL", "SOCIAL", "SESSION_HOURS", SOCIAL_CENTRES),
    ("Poradnictwo prawne i obywatelskie", "SOCIAL", "SOCIAL", "SESSION_HOURS", SOCIAL_CENTRES),
    ("Sfinansowanie zajęć związanych z uzupełnieniem wykształcenia", "EDUCATIONAL", "SOCIAL", "REFUND", SOCIAL_CENTRES),
    ("Koszty opieki nad dzieckiem lub osobą zależną", "SOCIAL", "SOCIAL", "REFUND", SOCIAL_CENTRES),
    ("Koszty przejazdów na zajęcia", "SOCIAL", "SOCIAL", "REFUND", SOCIAL_CENTRES),
    ("Wizyty u pracodawców", "VOCATIONAL", "SOCIAL", "SESSION_HOURS", SOCIAL_CENTRES),
    ("Warsztaty kształtujące umiejętności osobiste", "SOCIAL", "SOCIAL", "SESSION_HOURS", SOCIAL_CENTRES),
    ("Integracja społeczna (kino, wioska tematyczna, teatr, rajd, piknik)", "SOCIAL", "SOCIAL", "SESSION_HOURS", SOCIAL_CENTRES),
    ("Rehabilitacja zawodowa w warsztacie terapii zajęciowej", "HEALTH", "SOCIAL", "SESSION_HOURS", ["WTZ"]),
    # Seed 000 — vocational activation by Starostwo
    ("Doradztwo zawodowe", "VOCATIONAL", "VOCATIONAL", "SESSION_HOURS", STAROSTWO),
    ("Trener pracy", "VOCATIONAL", "VOCATIONAL", "SESSION_HOURS", STAROSTWO),
    ("Pośrednictwo pracy", "VOCATIONAL", "VOCATIONAL", "SESSION_HOURS", STAROSTWO),
    ("Broker edukacyjny", "EDUCATIONAL", "VOCATIONAL", "SESSION_HOURS", STAROSTWO),
    ("Kursy i szkolenia specjalistyczne", "VOCATIONAL", "VOCATIONAL", "COURSE", STAROSTWO),
    ("Staże i zajęcia reintegracji zawodowej u pracodawców", "VOCATIONAL", "VOCATIONAL", "INTERNSHIP_MONTH", STAROSTWO),
    ("Stypendium stażowe", "VOCATIONAL", "VOCATIONAL", "STIPEND", STAROSTWO),
    ("Stypendium szkoleniowe", "VOCATIONAL", "VOCATIONAL", "STIPEND", STAROSTWO + SCHOOL),
    ("Koszty dojazdów na szkolenia i staże", "VOCATIONAL", "VOCATIONAL", "REFUND", STAROSTWO + SCHOOL),
    ("Badania lekarskie przed szkoleniem lub stażem", "HEALTH", "VOCATIONAL", "EXAMINATION", STAROSTWO + SCHOOL),
    # Seed 000 — vocational activation by PCE-ZSP
    ("Kursy i szkolenia zawodowe w PCE-ZSP", "EDUCATIONAL", "VOCATIONAL", "COURSE", SCHOOL),
    ("Odzież ochronna i materiały szkoleniowe", "VOCATIONAL", "VOCATIONAL", "MATERIALS", SCHOOL + STAROSTWO),
    # Seed 003 — Leszno: everything given by the OPS itself, within its activation
    ("Kurs zawodowy zakończony certyfikatem (np. florystyka, kasjer-sprzedawca z zaświadczeniem MEN)", "VOCATIONAL", "SOCIAL", "COURSE", CENTRES),
    ("Moduł aktywizujący – kompetencje społeczne i aktywne poszukiwanie pracy", "VOCATIONAL", "SOCIAL", "SESSION_HOURS", CENTRES),
    ("Warsztaty i konsultacje z doradcą zawodowym", "VOCATIONAL", "SOCIAL", "SESSION_HOURS", CENTRES),
    ("Warsztaty wizerunkowe", "SOCIAL", "SOCIAL", "SESSION_HOURS", CENTRES),
    ("Profilaktyczne badania lekarskie", "HEALTH", "SOCIAL", "EXAMINATION", CENTRES),
    ("Ankiety ex ante i ex post samooceny i motywacji", "SOCIAL", "SOCIAL", "SURVEY", CENTRES),
]  # fmt: skip


def seed(apps, schema_editor):
    SupportForm = apps.get_model("pathways", "SupportForm")
    for name, category, stage, unit, kinds in CATALOGUE:
        SupportForm.objects.update_or_create(
            name=name,
            defaults={"category": category, "stage": stage, "unit": unit, "provider_kinds": kinds},
        )


class Migration(migrations.Migration):
    dependencies = [("pathways", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
