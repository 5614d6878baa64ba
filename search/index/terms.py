"""Tokens and their terms, shared by both backends so they match the same way.

We split text into words here (`TOKEN_RE`) and ask the analysis module (`search.analysis`, owned by the analysis
branch) for each word's terms: the folded surface form plus folded lemmas. Every term of a word is indexed at the
word's position, so a phrase query can match word by word and an inflected form can still find its lemma.

- PostgreSQL: a tsvector literal with positions and weights (A = title and identifiers, B = metadata, D = text).
- Elasticsearch: "alt1|alt2 alt3" strings; the index analyser (whitespace + pattern_capture) puts the
  alternatives of a word at the same position, exactly as the tsvector does.
"""

import re
from dataclasses import dataclass
from functools import lru_cache

from obieg.text import fold
from search import analysis as _analysis

TOKEN_RE = re.compile(r"[^\W_]+", re.UNICODE)  # as search.analysis: letters and digits
MAX_TOKEN = 60
MAX_TOKENS = 200_000  # per document; beyond this the text is not indexed (the snippet source is bounded anyway)
MAX_POS = 16383  # PostgreSQL's largest position
MAX_POSITIONS_PER_LEXEME = 255
FIELD_GAP = 2  # positions between fields, so a phrase never spans a title and a body

# Not used on their own in AND queries (they are in every letter); phrases still use them.
STOPWORDS = frozenset(
    [
        "a", "aby", "albo", "ale", "bo", "by", "czy", "dla", "do", "i", "iz", "jak", "jako", "jest", "juz",
        "lub", "na", "nad", "nie", "o", "od", "oraz", "po", "pod", "przez", "przy", "sa", "sie", "ta", "tak",
        "te", "to", "tym", "u", "w", "we", "z", "za", "ze", "zl",
    ]
)


def words(text: str) -> list[str]:
    return [w for w in TOKEN_RE.findall(text or "") if len(w) <= MAX_TOKEN][:MAX_TOKENS]


@lru_cache(maxsize=300_000)
def word_terms(word: str, restore: str = "unknown") -> tuple[str, ...]:
    """All index terms of one word (surface form first), deduplicated. `restore`: see `search.analysis.word_terms`
    ("all" for a field typed without diacritics, so `urzedzie` in such a text is also indexed as `urzad`)."""
    terms = [fold(word)]
    for term in _analysis.word_terms(word, restore=restore):
        term = fold(term)
        if term and term not in terms and TOKEN_RE.fullmatch(term):
            terms.append(term)
    return tuple(terms)


def field_restore(text: str) -> str:
    """Diacritic restoration for the words of one field: every word when the whole field was typed without Polish
    letters (an e-mail, an export of an old system), else only words morfeusz2 does not know."""
    return "all" if _analysis.typed_without_diacritics(text) else "unknown"


@lru_cache(maxsize=300_000)
def _quoted_terms(word: str, restore: str) -> tuple[str, ...]:
    return tuple(_quote(t) for t in word_terms(word, restore))


@lru_cache(maxsize=50_000)
def query_word_terms(word: str) -> tuple[str, ...]:
    """What one typed word may match: the analysis module's alternatives (incl. diacritic restoration)."""
    terms = {fold(word)}
    terms.update(fold(t) for t in _analysis.query_terms(word))
    return tuple(sorted(t for t in terms if t and TOKEN_RE.fullmatch(t)))


def surface(word: str) -> str:
    return fold(word)


@dataclass
class Field:
    text: str
    weight: str  # A, B, C or D


def tsvector_literal(fields: list[Field]) -> str:
    """A tsvector in its input syntax: 'term':3A,7A 'other':5D ..."""
    positions: dict[str, list[str]] = {}
    pos = 0
    for field in fields:
        restore = field_restore(field.text)
        weight = field.weight
        for word in words(field.text):
            pos = min(pos + 1, MAX_POS)
            label = f"{pos}{weight}"
            for term in _quoted_terms(word, restore):
                slot = positions.get(term)
                if slot is None:
                    positions[term] = [label]
                elif len(slot) < MAX_POSITIONS_PER_LEXEME:
                    slot.append(label)
        pos = min(pos + FIELD_GAP, MAX_POS)
    return " ".join(f"'{term}':{','.join(ps)}" for term, ps in positions.items())


def es_terms(text: str) -> str:
    """Pre-analysed text for Elasticsearch: one whitespace token per word, alternatives joined by '|'."""
    restore = field_restore(text)
    return " ".join("|".join(word_terms(word, restore)) for word in words(text))


def _quote(term: str) -> str:
    return term.replace("\\", "\\\\").replace("'", "''")


def tsquery_quote(term: str) -> str:
    return "'" + _quote(term) + "'"
