"""Pure rules: the service's attachment rules, delivery dates with their reasons, the ADE lookup adapter."""

import datetime as dt

import pytest

from dispatch import attachments, channels, dates
from dispatch.attachments import File

MB = 1024 * 1024


@pytest.mark.parametrize("name, fragment", [
    ("decyzja nr 5.pdf", "spacje"),
    ("decyzja#5.pdf", "#"),
    ("decyzja:5?.pdf", ":"),
    ("DECYZJA.PDF", "małymi literami"),
    ("decyzja", "rozszerzenia"),
    ("program.exe", ".exe"),
    ("a" * 125 + ".pdf", "dłuższa niż 128"),
])
def test_refused_file_names_say_why(name, fragment):
    [problem] = attachments.problems([File(name, 100, "application/pdf")])
    assert fragment in problem


def test_good_names_sizes_and_the_hybrid_pdf_rule():
    ok = [File("decyzja-RB.6730.1.2026.pdf", 14 * MB, "application/pdf"), File("mapa.jpg", 100, "image/jpeg")]
    assert attachments.problems(ok) == []
    [problem] = attachments.problems([File("plan.pdf", 16 * MB, "application/pdf")])
    assert "15 MB" in problem and "16.0" in problem
    [problem] = attachments.problems(ok, hybrid=True)
    assert "mapa.jpg" in problem and "PDF" in problem
    [problem] = attachments.problems([File("a.pdf", 1, "application/pdf"), File("a.pdf", 1, "application/pdf")])
    assert "a.pdf" in problem
    assert attachments.problems([]) != []


def test_e_doreczenia_deemed_delivery_moves_off_christmas_and_the_weekend():
    # D.1 Friday 11 Dec 2026 + 14 days = Friday 25 Dec (holiday) → 26 (holiday, Saturday), 27 (Sunday) → Mon 28 Dec.
    computed = dates.edoreczenia_deemed(dt.date(2026, 12, 11), public_addressee=False)
    assert computed.day == dt.date(2026, 12, 28)
    assert [s["rule"] for s in computed.basis] == ["d1", "plus_days", "shifted"]
    lines = dates.explain(computed.basis)
    assert len(lines) == 3 and "28 grudnia 2026" in lines[-1] and "art. 57 § 4" in lines[-1]
    assert dates.edoreczenia_deemed(dt.date(2026, 12, 11), public_addressee=True) is None


def test_paper_deemed_delivery_art_44():
    # First notice Monday 7 Dec 2026, second 14 Dec: + 14 = Monday 21 Dec.
    assert dates.paper_deemed(dt.date(2026, 12, 7), dt.date(2026, 12, 14)).day == dt.date(2026, 12, 21)
    # First notice 12 Dec (Saturday) + 14 = Saturday 26 Dec: shifted to Monday 28 Dec, or kept when the office says so.
    assert dates.paper_deemed(dt.date(2026, 12, 12), dt.date(2026, 12, 19)).day == dt.date(2026, 12, 28)
    kept = dates.paper_deemed(dt.date(2026, 12, 12), dt.date(2026, 12, 19), shift=False)
    assert kept.day == dt.date(2026, 12, 26) and kept.basis[-1]["rule"] == "no_shift"
    with pytest.raises(dates.DeliveryDateError):
        dates.paper_deemed(dt.date(2026, 12, 7), None)
    with pytest.raises(dates.DeliveryDateError):
        dates.paper_deemed(dt.date(2026, 12, 7), dt.date(2026, 12, 10))


def test_party_terms_per_kind_of_act():
    [appeal] = dates.party_terms(dt.date(2026, 12, 16), "decision")
    assert appeal.ends_on == dt.date(2026, 12, 30) and "129" in appeal.legal_basis
    [complaint] = dates.party_terms(dt.date(2026, 12, 16), "order")
    assert complaint.ends_on == dt.date(2026, 12, 23)
    assert dates.party_terms(dt.date(2026, 12, 16), "letter") == []
    assert dates.proposed_final_on([appeal]) == dt.date(2026, 12, 31)


def bae_lookup(correspondent):
    return "AE:PL-11111-22222-ABCDE-33" if correspondent.last_name == "Adresowy" else "not-an-ade"


def test_ade_lookup_adapter_is_used_and_remembered(db, settings):
    from registry.tests.factories import CorrespondentFactory

    settings.DISPATCH_ADE_LOOKUP = "dispatch.tests.test_rules.bae_lookup"
    found = CorrespondentFactory(last_name="Adresowy", ade="")
    choice = channels.choose(found)
    assert choice.channel == "edoreczenia" and choice.ade == "AE:PL-11111-22222-ABCDE-33"
    found.refresh_from_db()
    assert found.ade == "AE:PL-11111-22222-ABCDE-33"
    other = CorrespondentFactory(last_name="Inny", ade="")  # the adapter answers garbage: not used
    assert channels.choose(other).channel == settings.DISPATCH_PAPER_CHANNEL
