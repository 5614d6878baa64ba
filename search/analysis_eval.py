"""Quality figures of a word analyser on search/data/polish_forms.tsv (used by bench/analysis.py and the tests).

An analyser is two functions of one word: ``doc(word) -> set`` (the terms indexed for that word in a text) and
``query(word) -> set`` (the alternatives a query word matches). A query matches a text word when the sets meet.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from obieg.text import fold

FORMS_FILE = Path(__file__).resolve().parent / "data" / "polish_forms.tsv"


@dataclass
class Forms:
    groups: dict[str, list[str]]
    negatives: dict[str, tuple[list[str], list[str]]]

    @property
    def form_count(self) -> int:
        return sum(len(f) for f in self.groups.values()) + sum(len(a) + len(b) for a, b in self.negatives.values())


def load_forms(path: Path = FORMS_FILE) -> Forms:
    groups: dict[str, list[str]] = {}
    negatives: dict[str, tuple[list[str], list[str]]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        kind, name, forms = line.split("\t")
        if kind == "group":
            groups[name] = forms.split()
        elif kind == "negative":
            left, right = forms.split("|")
            negatives[name] = (left.split(), right.split())
        else:
            raise ValueError(f"unknown kind {kind!r} in {path}")
    return Forms(groups, negatives)


@dataclass
class Report:
    forms_matched: int = 0  # base form as query finds each other form of its group
    forms_total: int = 0
    pairs_matched: int = 0  # any form as query finds any other form of its group
    pairs_total: int = 0
    groups_full: int = 0  # groups where every pair matches
    groups_total: int = 0
    false_merges: int = 0  # negative pairs where some form of one side finds some form of the other
    negatives_total: int = 0
    plain_queries_matched: int = 0  # query typed without diacritics finds any form of its group (all pairs)
    plain_queries_total: int = 0
    plain_text_matched: int = 0  # query with diacritics finds text typed without them (all pairs)
    plain_text_total: int = 0
    misses: list[str] = field(default_factory=list)
    merges: list[str] = field(default_factory=list)
    plain_misses: list[str] = field(default_factory=list)


def evaluate(
    doc: Callable[[str], set], query: Callable[[str], set], forms: Forms | None = None,
    doc_plain: Callable[[str], set] | None = None,
) -> Report:
    """doc_plain: how the analyser indexes a word of a text typed wholly without diacritics (default: doc)."""
    forms = forms or load_forms()
    doc_plain = doc_plain or doc
    r = Report()
    for name, group in forms.groups.items():
        r.groups_total += 1
        base = query(group[0])
        for form in group[1:]:
            r.forms_total += 1
            if base & doc(form):
                r.forms_matched += 1
            else:
                r.misses.append(f"{group[0]} → {form}")
        full = True
        for q, t in itertools.permutations(group, 2):
            r.pairs_total += 1
            if query(q) & doc(t):
                r.pairs_matched += 1
            else:
                full = False
        r.groups_full += full
        for q, t in itertools.product(group, group):
            plain_q = fold(q)
            if plain_q != q:
                r.plain_queries_total += 1
                if query(plain_q) & doc(t):
                    r.plain_queries_matched += 1
                else:
                    r.plain_misses.append(f"{plain_q} → {t} ({name})")
            if fold(t) != t:
                r.plain_text_total += 1
                if query(q) & doc_plain(fold(t)):
                    r.plain_text_matched += 1
    for name, (left, right) in forms.negatives.items():
        r.negatives_total += 1
        found = []
        for a, b in itertools.chain(itertools.product(left, right), itertools.product(right, left)):
            for q in {a, fold(a)}:
                for text, terms in ((b, doc(b)), (fold(b), doc_plain(fold(b)))):
                    common = query(q) & terms
                    if common:
                        found.append(f"{q} → {text} via {sorted(common)}")
        if found:
            r.false_merges += 1
            r.merges.append(f"{name}: {found[0]}")
    return r


def ours(restore: bool = True):
    """(doc, query, doc_plain) of search.analysis; restore=False switches the diacritic restoration off."""
    from search import analysis

    def terms(w, mode):
        return {t for _pos, group in analysis.analyze(w, restore=mode) for t in group}

    if restore:
        return (lambda w: set(analysis.index_terms(w))), analysis.query_terms, (lambda w: terms(w, "all"))

    def plain(w):
        return terms(w, "never")

    return plain, plain, plain
