"""Polish is the language of the product: every catalogue is complete and compiled."""

from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[1]
APPS = ["organisation", "registry", "workflow", "deadlines", "search", "archive"]
CATALOGUES = sorted(p for p in ROOT.glob("*/locale/pl/LC_MESSAGES/django.po") if ".venv" not in p.parts) + sorted(
    ROOT.glob("locale/pl/LC_MESSAGES/django.po")
)


def test_every_app_with_strings_has_a_polish_catalogue():
    present = {p.parts[-5] for p in CATALOGUES}
    assert {"organisation", "registry"} <= present


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_catalogue_is_complete_and_compiled(path):
    po = polib.pofile(str(path))
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert untranslated == [], f"untranslated in {path}: {untranslated[:10]}"
    assert fuzzy == [], f"fuzzy in {path}: {fuzzy[:10]}"
    mo = path.with_suffix(".mo")
    assert mo.exists(), f"{mo} missing: run compilemessages"
    compiled = polib.mofile(str(mo))
    assert {e.msgid for e in compiled} >= {e.msgid for e in po if e.msgstr}, f"{mo} is stale: run compilemessages"
