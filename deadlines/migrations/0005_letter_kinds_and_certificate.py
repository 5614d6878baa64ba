"""Kinds of letter: words in the initiating letter's subject (or the case title) that propose a kind of deadline,
and the kind for certificates – art. 217 § 3 KPA, without undue delay and at most 7 days. Only blank keyword
fields are filled and only a missing kind is created, so an administrator's changes stay."""

from django.db import migrations, models

CERTIFICATE = {
    "code": "ZASW-7D",
    "name": "Wydanie zaświadczenia – 7 dni",
    "legal_basis": "art. 217 § 3 KPA",
    "amount": 7,
    "unit": "days",
    "kpa_procedure": True,
    "shift_to_working_day": True,
    "description": "Zaświadczenie wydaje się bez zbędnej zwłoki, nie później niż w terminie siedmiu dni "
                   "(art. 217 § 3 KPA); odmowa – w drodze postanowienia (art. 219 KPA).",
}

# Polish word stems (data, not UI text): matched at the start of a word, without diacritics.
KEYWORDS = {
    "ZASW-7D": "zaświadczeni",
    "UDIP-14D": "informacji publicznej, informacja publiczna",
    "PET-3M": "petycj",
    "SKARGA-1M": "skarg",
    "ODW-7D": "odwołani",
}


def seed(apps, schema_editor):
    DeadlineKind = apps.get_model("deadlines", "DeadlineKind")
    DeadlineKind.objects.get_or_create(code=CERTIFICATE["code"], defaults=CERTIFICATE)
    for code, words in KEYWORDS.items():
        DeadlineKind.objects.filter(code=code, letter_keywords="").update(letter_keywords=words)


class Migration(migrations.Migration):
    dependencies = [("deadlines", "0004_notice_legal_basis")]

    operations = [
        migrations.AddField(
            model_name="deadlinekind",
            name="letter_keywords",
            field=models.CharField(
                blank=True,
                help_text="Comma-separated beginnings of words, e.g. “zaświadczeni”: a new case whose letter or "
                "title contains one is proposed this kind when its JRWA class has no rule of its own.",
                max_length=300,
                verbose_name="words that name this kind of letter",
            ),
        ),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
