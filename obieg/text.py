"""Text folding shared by quick look-ups and full-text search: lower case, no diacritics (ł → l too)."""

import unicodedata

_EXTRA = str.maketrans({"ł": "l", "Ł": "l", "ø": "o", "đ": "d", "ß": "ss"})


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", (text or "").translate(_EXTRA))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
