"""The delay notice cites the kind's legal basis ("Na podstawie …"). For public information and petitions the
extension is in another paragraph than the term (UDIP art. 13 ust. 2, petycje art. 10 ust. 2), so the seeded
basis names the whole article. Only rows still holding the seeded text are changed."""

from django.db import migrations

CHANGES = [
    ("UDIP-14D", "art. 13 ust. 1 ustawy o dostępie do informacji publicznej",
     "art. 13 ustawy o dostępie do informacji publicznej"),
    ("PET-3M", "art. 10 ust. 1 ustawy o petycjach", "art. 10 ustawy o petycjach"),
]


def forwards(apps, schema_editor):
    DeadlineKind = apps.get_model("deadlines", "DeadlineKind")
    for code, old, new in CHANGES:
        DeadlineKind.objects.filter(code=code, legal_basis=old).update(legal_basis=new)


def backwards(apps, schema_editor):
    DeadlineKind = apps.get_model("deadlines", "DeadlineKind")
    for code, old, new in CHANGES:
        DeadlineKind.objects.filter(code=code, legal_basis=new).update(legal_basis=old)


class Migration(migrations.Migration):
    dependencies = [("deadlines", "0003_reminder_index")]

    operations = [migrations.RunPython(forwards, backwards)]
