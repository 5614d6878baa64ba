"""Seed data: the statutory kinds of deadline and the default mapping for the sample JRWA
(registry/fixtures/jrwa-gmina-sample.csv). Administrators may change or add to both; this migration only creates
rows that are missing."""

from django.db import migrations

# code, name (Polish – data, not UI text), legal basis, amount, unit, max extension (amount, unit), kpa, default
KINDS = [
    ("KPA-NIEZWL", "Sprawa załatwiana niezwłocznie", "art. 35 § 2 KPA", 0, "days", None, "", True, False,
     "Sprawy, które mogą być rozpatrzone w oparciu o dowody przedstawione przez stronę, fakty powszechnie znane "
     "lub dane, którymi rozporządza organ. Termin liczony jako dzień wpływu (z przesunięciem art. 57 § 4)."),
    ("KPA-1M", "Postępowanie wyjaśniające – 1 miesiąc", "art. 35 § 3 KPA", 1, "months", None, "", True, True,
     "Sprawa wymagająca postępowania wyjaśniającego. Rodzaj domyślny."),
    ("KPA-2M", "Sprawa szczególnie skomplikowana – 2 miesiące", "art. 35 § 3 KPA", 2, "months", None, "", True,
     False, "Sprawa szczególnie skomplikowana – nie później niż w ciągu dwóch miesięcy od wszczęcia."),
    ("UDIP-14D", "Dostęp do informacji publicznej – 14 dni",
     "art. 13 ust. 1 ustawy o dostępie do informacji publicznej", 14, "days", 2, "months", False, False,
     "Bez zbędnej zwłoki, nie później niż 14 dni od złożenia wniosku; przedłużenie do 2 miesięcy z powiadomieniem "
     "o powodach i nowym terminie (art. 13 ust. 2)."),
    ("PET-3M", "Petycja – 3 miesiące", "art. 10 ust. 1 ustawy o petycjach", 3, "months", 6, "months", False, False,
     "Bez zbędnej zwłoki, nie później niż 3 miesiące od złożenia; przedłużenie o nie więcej niż 3 miesiące "
     "(art. 10 ust. 2)."),
    ("SKARGA-1M", "Skarga lub wniosek – 1 miesiąc", "art. 237 § 1 i art. 244 § 2 KPA", 1, "months", None, "", True,
     False, "Skargi i wnioski (dział VIII KPA): bez zbędnej zwłoki, nie później niż w ciągu miesiąca."),
    ("ODW-7D", "Przekazanie odwołania – 7 dni", "art. 133 KPA", 7, "days", None, "", True, False,
     "Organ przekazuje odwołanie wraz z aktami organowi odwoławczemu w ciągu 7 dni od dnia jego otrzymania."),
]

RULES = [("1431", "UDIP-14D"), ("152", "PET-3M"), ("1510", "SKARGA-1M")]


def seed(apps, schema_editor):
    DeadlineKind = apps.get_model("deadlines", "DeadlineKind")
    JrwaDeadlineRule = apps.get_model("deadlines", "JrwaDeadlineRule")
    has_default = DeadlineKind.objects.filter(is_default=True).exists()
    for code, name, basis, amount, unit, max_amount, max_unit, kpa, default, description in KINDS:
        DeadlineKind.objects.get_or_create(
            code=code,
            defaults={
                "name": name, "legal_basis": basis, "amount": amount, "unit": unit,
                "max_extension_amount": max_amount, "max_extension_unit": max_unit, "kpa_procedure": kpa,
                "is_default": default and not has_default, "description": description,
                "shift_to_working_day": True,
            },
        )
    for prefix, code in RULES:
        JrwaDeadlineRule.objects.get_or_create(
            symbol_prefix=prefix, defaults={"kind": DeadlineKind.objects.get(code=code)}
        )


class Migration(migrations.Migration):
    dependencies = [("deadlines", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
