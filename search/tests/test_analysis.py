"""The Polish analysis: figures on the word list (bench/analysis.py prints the same), identifiers, diacritics,
thread safety, and the tsvector/tsquery strings in the real PostgreSQL."""

import threading

import pytest
from django.db import connection

from search import analysis
from search.analysis_eval import evaluate, load_forms, ours


@pytest.fixture(scope="module")
def report():
    doc, query, doc_plain = ours()
    return evaluate(doc, query, load_forms(), doc_plain)


def test_word_list_is_big_enough():
    forms = load_forms()
    assert forms.form_count >= 200
    assert sum(len(g) for g in forms.groups.values()) >= 200
    assert len(forms.negatives) >= 10
    for required in ("doręczenie", "urząd", "wniosek", "gmina", "decyzja", "pismo", "skarga", "droga", "miasto",
                     "wójt", "nieruchomość", "postępowanie", "opłata", "wydział", "termin", "odwołanie",
                     "zaświadczenie", "pozwolenie", "podatek", "mieszkaniec", "sprawa"):
        assert required in forms.groups
    for pair in ("urząd/urzędnik", "wniosek/wnioskodawca", "budowa/budynek", "gmina/gminny", "decyzja/decyzyjny",
                 "pismo/pisarz", "sprawa/sprawca", "miasto/miejski", "podatek/podatnik", "droga/drogowy"):
        assert pair in forms.negatives


def test_every_form_of_every_group_matches(report):
    assert report.misses == []
    assert report.forms_matched == report.forms_total
    assert report.pairs_matched == report.pairs_total
    assert report.groups_full == report.groups_total == len(load_forms().groups)


def test_no_false_merges(report):
    assert report.merges == []
    assert report.false_merges == 0


def test_queries_without_diacritics_find_every_form(report):
    assert report.plain_misses == []
    assert report.plain_queries_matched == report.plain_queries_total > 1000


def test_text_without_diacritics_is_found_by_queries_with_them(report):
    assert report.plain_text_matched == report.plain_text_total


def test_restoration_is_what_makes_diacritic_less_queries_work():
    doc, query, doc_plain = ours(restore=False)
    without = evaluate(doc, query, load_forms(), doc_plain)
    assert without.plain_queries_matched < without.plain_queries_total / 2


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ("doreczenia", "doręczenia"),
        ("doreczeniami", "doręczenie"),
        ("urzedzie", "urząd"),
        ("Urzad", "urzędzie"),
        ("nieruchomosciach", "nieruchomość"),
        ("zaswiadczen", "zaświadczenia"),
        ("skardze", "skarga"),
        ("piśmie", "pismo"),
        ("wójcie", "wójt"),
        ("DRÓG", "drodze"),
    ],
)
def test_query_word_finds_text(query, text):
    assert analysis.query_terms(query) & set(analysis.index_terms(text))


def test_terms_are_folded_surface_plus_lemmas():
    assert analysis.analyze("Urzędzie Gminy") == [(1, ("urzedzie", "urzad")), (2, ("gminy", "gmin", "gmina"))]
    # the sense suffix is cut (zamek:Sm3~a), unknown words give the surface form only
    assert analysis.index_terms("zamek") == ["zamek"]
    assert analysis.index_terms("Qwxyzk") == ["qwxyzk"]
    # digits are not looked up
    assert analysis.index_terms("2025") == ["2025"]


def test_identifiers_are_kept_whole_and_in_parts():
    terms = analysis.index_terms("Pismo RPW/12/2025 w sprawie OR.0012.1.2024, NIP 123-456-32-18, PESEL 85010112345.")
    for term in ("rpw/12/2025", "rpw", "12", "2025", "or.0012.1.2024", "0012", "123-456-32-18", "1234563218",
                 "85010112345"):
        assert term in terms
    assert analysis.query_terms("RPW/12/2025") == {"rpw/12/2025"}
    assert analysis.query_terms("123-456-32-18") == {"123-456-32-18", "1234563218"}
    assert analysis.query_words("rb.6730.12.2025 Kowalska-Nowak") == [
        {"rb.6730.12.2025"}, analysis.query_terms("Kowalska"), analysis.query_terms("Nowak")
    ]


def test_positions_are_shared_by_the_terms_of_a_word():
    analysed = analysis.analyze("Wniosek RPW/12/2025 o doręczenie")
    assert analysed == [
        (1, ("wniosek",)), (2, ("rpw/12/2025", "rpw")), (3, ("12",)), (4, ("2025",)), (5, ("o",)),
        (6, ("doreczenie", "doreczyc")),
    ]


def test_text_typed_without_diacritics_is_restored_word_by_word():
    plain = "Prosze o wydanie zaswiadczenia o niezaleganiu w podatkach od nieruchomosci dla mojej dzialki w gminie."
    assert analysis.typed_without_diacritics(plain)
    assert not analysis.typed_without_diacritics("Proszę o wydanie zaświadczenia o niezaleganiu w podatkach od "
                                                 "nieruchomości dla mojej działki w gminie Łękołody.")
    terms = set(analysis.index_terms(plain))
    assert {"zaswiadczenie", "nieruchomosc", "dzialka", "prosic"} <= terms


def test_over_long_tokens_are_dropped():
    assert analysis.index_terms("a" * 65 + " wniosek") == ["wniosek"]


def test_restoration_is_bounded():
    candidates = list(analysis._candidates("zaswiadczeniach"))
    assert 0 < len(candidates) <= analysis.MAX_CANDIDATES
    assert "zaświadczeniach" in candidates


def test_thread_safe():
    text = " ".join(g for group in load_forms().groups.values() for g in group)
    expected = analysis.index_terms(text)
    for f in (analysis._raw_lemmas, analysis.lemmas, analysis.restore_diacritics, analysis._word_terms):
        f.cache_clear()
    results, errors = [], []

    def run():
        try:
            results.append(analysis.index_terms(text))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert all(r == expected for r in results)


def test_tsquery_strings():
    assert analysis.tsquery_for_word("urzedzie") == "('urzad' | 'urzedzie')"
    assert analysis.tsquery_for_word("RPW/12/2025") == "'rpw/12/2025'"
    assert analysis.tsquery_for_word("") == ""
    assert analysis.tsquery_for_word("&|!():*'") == ""
    assert analysis.tsquery_prefix("Urzę") == "'urze':*"
    assert analysis.tsquery_prefix("  ") == ""
    assert analysis.tsquery("") == ""


DOC = (
    "Urząd Gminy Zielona Dolina. Znak sprawy RB.6730.12.2025, pismo RPW/1234/2025. Zawiadamiam o doręczeniu "
    "decyzji w sprawie nieruchomości przy ul. Źródlanej; NIP 123-456-32-18."
)


def _matches(sql, *params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("urzędach gmin", True),
        ("urzad gminy", True),
        ("doreczenia decyzja", True),
        ("nieruchomosciach", True),
        ("RPW/1234/2025", True),
        ("rb.6730.12.2025", True),
        ("1234563218", True),
        ("urzędnik", False),
        ("gminny", False),
        ("RPW/1235/2025", False),
    ],
)
def test_postgres_literal_vector_and_cast_query(query, found):
    assert _matches("SELECT %s::tsvector @@ %s::tsquery", analysis.tsvector_literal(DOC), analysis.tsquery(query)) \
        is found
    # the same strings through to_tsquery('simple', …) work for words
    if "/" not in query and "." not in query:
        assert _matches(
            "SELECT %s::tsvector @@ to_tsquery('simple', %s)", analysis.tsvector_literal(DOC), analysis.tsquery(query)
        ) is found


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("phrase", "found"),
    [
        ("urzedu gminy", True),
        ("gminy urząd", False),
        ("pismo RPW/1234/2025", True),
        ("RPW/1234/2025 zawiadamiam", True),
        ("doręczenie decyzji", True),
        ("doręczenie nieruchomości", False),
    ],
)
def test_postgres_phrase(phrase, found):
    assert _matches(
        "SELECT %s::tsvector @@ %s::tsquery", analysis.tsvector_literal(DOC), analysis.tsquery_phrase(phrase)
    ) is found


@pytest.mark.django_db
def test_postgres_text_form_for_to_tsvector():
    vector_text = analysis.tsvector_text(DOC)
    for query in ("urzędach gmin", "urzad gminy", "doreczenia decyzja"):
        assert _matches(
            "SELECT to_tsvector('simple', %s) @@ to_tsquery('simple', %s)", vector_text, analysis.tsquery(query)
        )
    assert not _matches(
        "SELECT to_tsvector('simple', %s) @@ to_tsquery('simple', %s)", vector_text, analysis.tsquery("urzędnik")
    )
    assert _matches(
        "SELECT to_tsvector('simple', %s) @@ to_tsquery('simple', %s)", vector_text, analysis.tsquery_prefix("Źródl")
    )


def test_word_terms_for_callers_that_tokenise_themselves():
    assert analysis.word_terms("Urzędzie") == ("urzedzie", "urzad")
    assert "sad" in analysis.word_terms("sadow", restore="all")  # sądów → sąd
    assert analysis.word_terms("sadow") == ("sadow", "sadowo")  # a known word (a village) is not restored
    with pytest.raises(ValueError):
        analysis.word_terms("x", restore="auto")
