import datetime as dt
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from registry.models import JrwaClass, JrwaVersion
from registry.services.jrwa_import import parse_jrwa_csv

SAMPLE = Path(__file__).resolve().parents[1] / "fixtures" / "jrwa-gmina-sample.csv"


@pytest.mark.django_db
def test_sample_jrwa_imports_with_leaves_and_parents():
    call_command("import_jrwa", str(SAMPLE), name="JRWA gminy (próbka)", valid_from="2011-01-01", verbosity=0)
    version = JrwaVersion.objects.get()
    leaf = JrwaClass.objects.get(version=version, symbol="6730")
    assert leaf.is_leaf and leaf.category_own == "A" and leaf.parent.symbol == "673"
    assert not JrwaClass.objects.get(version=version, symbol="673").is_leaf
    assert JrwaClass.objects.get(version=version, symbol="152").is_leaf  # a 3-digit last-level class
    assert JrwaVersion.in_force(dt.date(2025, 1, 1)) == version


@pytest.mark.django_db
def test_new_version_closes_the_previous_one():
    call_command("import_jrwa", str(SAMPLE), name="A", valid_from="2011-01-01", verbosity=0)
    call_command("import_jrwa", str(SAMPLE), name="B", valid_from="2026-01-01", verbosity=0)
    old = JrwaVersion.objects.get(name="A")
    assert old.valid_to == dt.date(2025, 12, 31)
    assert JrwaVersion.in_force(dt.date(2025, 6, 1)).name == "A"
    assert JrwaVersion.in_force(dt.date(2026, 6, 1)).name == "B"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"symbol,title\n1,X\n", "Brak kolumn"),
        (b"symbol,title,category_own,category_other\n12345,X,A,Bc\n", "od 1 do 4 cyfr"),
        (b"symbol,title,category_own,category_other\n1,X,,\n1,Y,,\n", "powtarza wiersz"),
        (b"symbol,title,category_own,category_other\n1,X,,\n123,Y,A,Bc\n", "klasy nadrzędnej 12"),
        (b"symbol,title,category_own,category_other\n1,X,,\n10,Y,Z9,Bc\n", "nie jest kategorią archiwalną"),
        (b"symbol,title,category_own,category_other\n1,X,,\n10,Y,,\n", "musi mieć kategorię archiwalną"),
        ("symbol,title,category_own,category_other\n1,Żółw,A,Bc\n".encode("cp1250"), "nie jest tekstem w UTF-8"),
        (b"", "Brak kolumn"),
    ],
)
def test_bad_files_are_explained(content, message):
    parsed = parse_jrwa_csv(content)
    assert any(message in e for e in parsed.errors), parsed.errors


@pytest.mark.django_db
def test_bad_file_imports_nothing(tmp_path):
    bad = tmp_path / "zly.csv"
    bad.write_bytes(b"symbol,title,category_own,category_other\n1,X,,\n10,Y,,\n")
    with pytest.raises(CommandError, match="musi mieć kategorię archiwalną"):
        call_command("import_jrwa", str(bad), name="Zły", valid_from="2011-01-01", verbosity=0)
    assert JrwaVersion.objects.count() == 0


def test_semicolon_separated_file_is_accepted():
    parsed = parse_jrwa_csv(b"symbol;title;category_own;category_other\n1;X;;\n10;Y;B5;Bc\n")
    assert parsed.errors == [] and [r.symbol for r in parsed.rows] == ["1", "10"]
