"""Polish text analysis: the *one* analysis used for documents and for queries, by every search backend.

PostgreSQL has no Polish stemmer and the embedded server has no ``unaccent``, so everything happens here, in Python.

Terms
-----
A *term* is a folded string (``obieg.text.fold``: lower case, no diacritics, ł → l). For every word of the text the
analysis emits

* the folded surface form (``Urzędzie`` → ``urzedzie``),
* every folded morfeusz2 lemma of it (``urzad``; the ``:s1``/``:Sm1`` sense suffix is cut; ``ign`` – an unknown
  word – gives the surface form only),
* for an identifier such as ``RPW/12/2025``, ``OR.0012.1.2024``, ``12-345``, ``123-456-32-18`` or an e-mail
  address: the whole identifier (``rpw/12/2025``), for digit-only identifiers also the bare digit run
  (``1234563218``, so a NIP typed without dashes is found), and then each part analysed as a word
  (``rpw``, ``12``, ``2025``).

Each word gets one *position*; all the terms of a word share it (a compound's first part shares the compound's
position, the following parts take the next positions), so a phrase query ``a <-> b`` works.

Queries are analysed the same way, plus a **diacritic-restoration** step: a word typed without diacritics
(``doreczeniami``, ``urzedzie``) is unknown to morfeusz2, so we generate the diacritised spellings of it (a→ą, c→ć,
e→ę, l→ł, n→ń, o→ó, s→ś, z→ź/ż; at most ``MAX_RESTORED_LETTERS`` letters changed, at most
``MAX_CANDIDATES`` candidates) and keep the lemmas of those morfeusz2 recognises. The same step runs at index time
for unknown diacritic-less words, and for every word of a text typed without diacritics altogether (a citizen's
e-mail without Polish letters: ``typed_without_diacritics``), so a query *with* diacritics also finds text written
*without* them. See ``search/data/analysis_results.md`` for the measurements.

API (stable; other modules and both backends rely on these names)
-----------------------------------------------------------------
``analyze(text) -> list[tuple[int, tuple[str, ...]]]``
    (position, terms) per word, positions from 1, terms deduplicated within a word, surface form first.
``index_terms(text) -> list[str]``
    all terms of the text in order (what a whitespace-analysed Elasticsearch field or any other engine indexes).
``word_terms(word, *, restore="unknown") -> tuple[str, ...]``
    the terms of one simple word (no separators), for callers that tokenise themselves; pass ``restore="all"``
    for the words of a document where ``typed_without_diacritics(text)`` is true.
``typed_without_diacritics(text) -> bool``
    whether a text of some length was written without Polish letters (then every word is restored).
``query_terms(word) -> set[str]``
    the alternatives one query word should match: folded surface + folded lemmas + lemmas of restored spellings.
``query_words(text) -> list[set[str]]``
    a whole query: one OR-set per word, the sets to be ANDed. Identifiers stay whole (``{"rpw/12/2025"}``);
    letter compounds (``Kowalska-Nowak``) become one set per part.
``tsvector_literal(text) -> str``
    **preferred for PostgreSQL**: a tsvector in its external form with exact positions (``'urzad':3 'urzedzie':3``);
    store it with ``%s::tsvector`` (a cast, no parser). Lexemes are capped at ``MAX_POSITIONS_PER_TERM`` positions,
    positions at 16383 (PostgreSQL's limit).
``tsvector_text(text) -> str``
    space-joined terms for ``to_tsvector('simple', …)``. Word order is kept but the alternatives of a word take
    successive positions, so only ``&`` queries are exact with it (phrases need ``tsvector_literal``); PostgreSQL's
    parser also splits some identifiers (``12-345`` → ``12``, ``-345``) – consistently with ``to_tsquery``.
``tsquery_for_word(word) -> str``
    ``('a' | 'b' | …)`` – OR of the word's alternatives, each quoted; valid both for ``%s::tsquery`` (pair with
    ``tsvector_literal``) and for ``to_tsquery('simple', %s)``. ``""`` when the word has no terms.
``tsquery_prefix(word) -> str``
    ``'pref':*`` on the folded word (search-as-you-type); ``""`` when empty.
``tsquery(text) -> str`` / ``tsquery_phrase(text) -> str``
    a whole query: words joined by ``&`` / by ``<->``.

Morfeusz is loaded once per process, lazily, under a lock; look-ups are cached with ``functools.lru_cache`` and the
(non-thread-safe) analyser is called under a lock, so the module is safe in threads and in Celery's prefork pool.
"""

from __future__ import annotations

import functools
import itertools
import re
import threading

from obieg.text import fold

__all__ = [
    "analyze",
    "index_terms",
    "lemmas",
    "query_terms",
    "query_words",
    "restore_diacritics",
    "tokenize",
    "tsquery",
    "tsquery_for_word",
    "tsquery_phrase",
    "tsquery_prefix",
    "tsvector_literal",
    "tsvector_text",
    "typed_without_diacritics",
    "word_terms",
]

# A word: letters and digits (no underscore). An identifier: words joined by / . - _ : @ with no spaces.
_WORD = r"[^\W_]+"
_TOKEN_RE = re.compile(rf"{_WORD}(?:[/.\-_:@]{_WORD})*")
_PART_RE = re.compile(_WORD)
_HAS_DIGIT = re.compile(r"\d")

MAX_TOKEN_LENGTH = 64  # longer "words" are base64, hashes or garbage: skipped
MAX_POSITIONS_PER_TERM = 256  # PostgreSQL keeps at most 256 positions per lexeme
MAX_POSITION = 16383  # PostgreSQL's largest position
MAX_RESTORED_LETTERS = 3  # at most this many letters of one word get a diacritic
MAX_CANDIDATES = 2000  # diacritised spellings tried per word
_RESTORE_MIN_LENGTH = 3
_PLAIN_TEXT_MIN_LETTERS = 80
_PLAIN_TEXT_MAX_RATIO = 0.005

_DIACRITIC_ALTERNATIVES = {
    "a": "ą", "c": "ć", "e": "ę", "l": "ł", "n": "ń", "o": "ó", "s": "ś", "z": "źż",
}
_POLISH_DIACRITICS = set("ąćęłńóśźż")
_VOWELS = set("aeiouyąęó")
# Segments that are never the word's meaning: the "-em/-ś" agglutinate of być, punctuation, the "by" particle.
_SKIP_TAGS = ("aglt", "interp")
_SKIP_LEMMAS = {"by"}

_morfeusz = None
_load_lock = threading.Lock()
_call_lock = threading.Lock()


def _analyser():
    global _morfeusz
    if _morfeusz is None:
        with _load_lock:
            if _morfeusz is None:
                import morfeusz2

                _morfeusz = morfeusz2.Morfeusz(expand_tags=False, generate=False)
    return _morfeusz


def _clean_lemma(lemma: str) -> str:
    head = lemma.split(":", 1)[0]
    return head or lemma


@functools.lru_cache(maxsize=50_000)
def _raw_lemmas(word: str) -> tuple[str, ...]:
    """Unfolded morfeusz2 lemmas of one word (as written), () when morfeusz2 does not know it."""
    analyser = _analyser()
    with _call_lock:
        result = analyser.analyse(word)
    out: list[str] = []
    for start, _end, (_form, lemma, tag, _names, _quals) in result:
        if start != 0 or tag == "ign" or tag.startswith(_SKIP_TAGS):
            continue
        lemma = _clean_lemma(lemma)
        if lemma.lower() in _SKIP_LEMMAS and tag == "part":
            continue
        if lemma not in out:
            out.append(lemma)
    return tuple(out)


@functools.lru_cache(maxsize=100_000)
def lemmas(word: str) -> tuple[str, ...]:
    """Folded morfeusz2 lemmas of one word; () for an unknown word. ALL CAPS and Capitalised words are retried in
    lower case."""
    found = list(_raw_lemmas(word))
    lower = word.lower()
    if lower != word:
        found += _raw_lemmas(lower)
    out: list[str] = []
    for lemma in found:
        folded = fold(lemma)
        if folded not in out:
            out.append(folded)
    return tuple(out)


def _alternatives_at(word: str, i: int) -> str:
    """The diacritised letters possible at word[i], by Polish spelling: ą/ę never start a word; ć, ś, ź, ń stand
    only before a consonant or at the end (before a vowel Polish writes ci, si, zi, ni)."""
    letter = word[i]
    options = _DIACRITIC_ALTERNATIVES.get(letter, "")
    if not options:
        return ""
    if letter in "ae" and i == 0:
        return ""
    if letter in "csnz":
        before_vowel = i + 1 < len(word) and word[i + 1] in _VOWELS
        if before_vowel:
            options = options.replace("ć", "").replace("ś", "").replace("ź", "").replace("ń", "")
    return options


def _candidates(word: str):
    """Diacritised spellings of a lower-case word, fewest changes first, bounded."""
    options = {i: _alternatives_at(word, i) for i in range(len(word))}
    slots = [i for i, alternatives in options.items() if alternatives]
    produced = 0
    for k in range(1, min(MAX_RESTORED_LETTERS, len(slots)) + 1):
        for chosen in itertools.combinations(slots, k):
            for replacement in itertools.product(*(options[i] for i in chosen)):
                chars = list(word)
                for i, r in zip(chosen, replacement, strict=True):
                    chars[i] = r
                yield "".join(chars)
                produced += 1
                if produced >= MAX_CANDIDATES:
                    return


@functools.lru_cache(maxsize=20_000)
def restore_diacritics(word: str) -> tuple[str, ...]:
    """Folded lemmas of the diacritised spellings of `word` that morfeusz2 recognises (``urzedzie`` → ``urzad``).

    Only for alphabetic words; letters that already carry a diacritic are kept."""
    lower = word.lower()
    if len(lower) < _RESTORE_MIN_LENGTH or not lower.isalpha():
        return ()
    out: list[str] = []
    for candidate in _candidates(lower):
        for lemma in lemmas(candidate):
            if lemma not in out:
                out.append(lemma)
    return tuple(out)


def _has_diacritics(word: str) -> bool:
    return any(c in _POLISH_DIACRITICS for c in word.lower())


@functools.lru_cache(maxsize=100_000)  # all caches together: under ~100 MB per process when full
def _word_terms(word: str, restore: str) -> tuple[str, ...]:
    """Terms of one simple word (no separators). restore: "never"; "unknown" (only words morfeusz2 does not know
    and that carry no diacritic – the index side for normal Polish text); "all" (any diacritic-less word and any
    unknown one – queries, and texts typed without diacritics)."""
    surface = fold(word)
    terms = [surface]
    if word.isdigit():
        return tuple(terms)
    found = lemmas(word)
    for lemma in found:
        if lemma not in terms:
            terms.append(lemma)
    if restore == "all":
        wanted = not found or not _has_diacritics(word)
    elif restore == "unknown":
        wanted = not found and not _has_diacritics(word)
    else:
        wanted = False
    if wanted:
        for lemma in restore_diacritics(word):
            if lemma not in terms:
                terms.append(lemma)
    return tuple(terms)


def word_terms(word: str, *, restore: str = "unknown") -> tuple[str, ...]:
    """Terms of one simple word (letters/digits, no separators), surface form first – for a caller that splits text
    itself. Index side: ``restore="all"`` for every word of a document where ``typed_without_diacritics(text)``,
    else "unknown"; query side: "all" (that is what ``query_terms`` does)."""
    if restore not in ("never", "unknown", "all"):
        raise ValueError(restore)
    return _word_terms(word, restore)


def tokenize(text: str) -> list[str]:
    """Tokens as written: words and whole identifiers (``RPW/12/2025``); over-long tokens are dropped."""
    return [t for t in _TOKEN_RE.findall(text or "") if len(t) <= MAX_TOKEN_LENGTH]


def _token_groups(token: str, restore: str) -> list[tuple[str, ...]]:
    """Term groups of one token, one per position: a simple word gives one group; a compound gives
    [whole (+ digit run) + first part's terms, second part's terms, …]."""
    parts = _PART_RE.findall(token)
    if len(parts) == 1:
        return [_word_terms(token, restore)]
    whole = [fold(token)]
    if all(p.isdigit() for p in parts):
        whole.append("".join(parts))
    groups = [_word_terms(p, restore) for p in parts]
    first = list(whole)
    for term in groups[0]:
        if term not in first:
            first.append(term)
    groups[0] = tuple(first)
    return groups


def typed_without_diacritics(text: str) -> bool:
    """A text of some length with (almost) no Polish diacritic was typed without them (an e-mail, an old system's
    export, a poor OCR): every word of it is then a candidate for restoration. Normal Polish text has ~6% of its
    letters with a diacritic."""
    letters = sum(map(str.isalpha, text))  # C-level loops: this runs on every field of every indexed document
    if letters < _PLAIN_TEXT_MIN_LETTERS:
        return False
    lower = text.lower()
    marked = sum(lower.count(c) for c in _POLISH_DIACRITICS)
    return marked / letters < _PLAIN_TEXT_MAX_RATIO


def analyze(text: str, *, restore: str = "auto") -> list[tuple[int, tuple[str, ...]]]:
    """(position, terms) for every word of `text`; positions start at 1. restore: "auto" (default: "all" for a text
    typed without diacritics, else "unknown"), "unknown", "all" or "never" – see ``_word_terms``."""
    if restore == "auto":
        restore = "all" if typed_without_diacritics(text or "") else "unknown"
    out: list[tuple[int, tuple[str, ...]]] = []
    position = 0
    for token in tokenize(text):
        for group in _token_groups(token, restore):
            position += 1
            out.append((position, group))
    return out


def index_terms(text: str) -> list[str]:
    """All terms of `text`, word by word (a word's surface form first, then its lemmas)."""
    return [term for _pos, group in analyze(text) for term in group]


def query_terms(word: str) -> set[str]:
    """The alternatives one query word should match. For an identifier: the whole identifier (and its digit run);
    for anything else: folded surface, folded lemmas and the lemmas of its diacritic-restored spellings."""
    tokens = tokenize(word)
    if not tokens:
        return set()
    token = tokens[0] if len(tokens) == 1 else word.strip()
    parts = _PART_RE.findall(token)
    if len(parts) > 1:
        whole = {fold(token)}
        if all(p.isdigit() for p in parts):
            whole.add("".join(parts))
        return whole
    return set(_word_terms(token, "all"))


def _query_items(text: str) -> list[tuple[set[str], int]]:
    """(OR-set, number of index positions the item spans) per query word."""
    out: list[tuple[set[str], int]] = []
    for token in tokenize(text):
        parts = _PART_RE.findall(token)
        if len(parts) > 1 and not _HAS_DIGIT.search(token) and "@" not in token:
            out.extend((set(_word_terms(p, "all")), 1) for p in parts)
        else:
            out.append((query_terms(token), len(parts)))
    return [(s, span) for s, span in out if s]


def query_words(text: str) -> list[set[str]]:
    """A query as a list of OR-sets (one per word) to be ANDed. Identifiers containing a digit stay whole; letter
    compounds (``Kowalska-Nowak``, ``e-Doręczenia``) give one set per part."""
    return [s for s, _span in _query_items(text)]


# --- PostgreSQL -------------------------------------------------------------------------------------------------


def _quote(term: str) -> str:
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


def tsvector_literal(text: str) -> str:
    """A tsvector in external form with exact positions, for ``%s::tsvector``."""
    positions: dict[str, list[int]] = {}
    for position, group in analyze(text):
        pos = min(position, MAX_POSITION)
        for term in group:
            seen = positions.setdefault(term, [])
            if len(seen) < MAX_POSITIONS_PER_TERM and (not seen or seen[-1] != pos):
                seen.append(pos)
    return " ".join(f"{_quote(term)}:{','.join(map(str, pos))}" for term, pos in positions.items())


def tsvector_text(text: str) -> str:
    """Space-joined terms for ``to_tsvector('simple', …)`` (see the module docstring for its limits)."""
    return " ".join(index_terms(text))


def _or(terms) -> str:
    terms = sorted(terms)
    if not terms:
        return ""
    if len(terms) == 1:
        return _quote(terms[0])
    return "(" + " | ".join(_quote(t) for t in terms) + ")"


def tsquery_for_word(word: str) -> str:
    """OR of the alternatives of one query word; a letter compound gives an AND of its parts."""
    sets = query_words(word)
    if not sets:
        return ""
    if len(sets) == 1:
        return _or(sets[0])
    return "(" + " & ".join(_or(s) for s in sets) + ")"


def tsquery_prefix(word: str) -> str:
    """Prefix match on the folded word: ``'urze':*``."""
    tokens = tokenize(word)
    if not tokens:
        return ""
    return f"{_quote(fold(tokens[0]))}:*"


def tsquery(text: str) -> str:
    """All words of the query, ANDed."""
    return " & ".join(_or(s) for s in query_words(text))


def tsquery_phrase(text: str) -> str:
    """The words of the query as a phrase (needs positions from ``tsvector_literal``). An identifier occupies one
    position per part in the index, so the distance after it is ``<parts>``."""
    items = _query_items(text)
    if not items:
        return ""
    out = _or(items[0][0])
    for (_prev, span), (terms, _span) in itertools.pairwise(items):
        out += (" <-> " if span == 1 else f" <{span}> ") + _or(terms)
    return out
