"""TEMPORARY stand-in for `search.analysis` (owned by the analysis branch) until it is merged. Delete after merge.

Same names and contracts: folded surface forms + folded morfeusz2 lemmas; query alternatives."""

from functools import lru_cache

from obieg.text import fold

try:
    import morfeusz2

    _MORF = morfeusz2.Morfeusz(generate=False)
except Exception:  # pragma: no cover
    _MORF = None


@lru_cache(maxsize=200_000)
def _word_terms(word: str) -> tuple[str, ...]:
    out = [fold(word)]
    if _MORF is not None and any(c.isalpha() for c in word):
        for _s, _e, (_orth, lemma, tag, *_rest) in _MORF.analyse(word.lower()):
            if tag != "ign":
                term = fold(lemma.split(":")[0])
                if term not in out:
                    out.append(term)
    return tuple(out)


def index_terms(text: str) -> list[str]:
    out: list[str] = []
    for word in (text or "").split():
        out.extend(_word_terms(word))
    return out


def query_terms(word: str) -> set[str]:
    return set(_word_terms(word))


def tsvector_text(text: str) -> str:
    return " ".join(index_terms(text))


def tsquery_for_word(word: str) -> str:
    return " | ".join(sorted(query_terms(word)))


def tsquery_prefix(word: str) -> str:
    return f"{fold(word)}:*"
