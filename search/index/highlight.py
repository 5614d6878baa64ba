"""Snippets with <mark> highlights, computed in Python from the stored text with the same terms as the query,
so both backends highlight inflected and diacritic-less matches identically."""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from search.index import terms as T
from search.index.query import ParsedQuery

SNIPPET_WORDS = 32


def _is_hit(word: str, q: ParsedQuery, restore: str) -> bool:
    wt = T.word_terms(word, restore)
    if q.positive_terms.intersection(wt):
        return True
    return any(t.startswith(p) for p in q.positive_prefixes for t in wt)


def highlight(text: str, q: ParsedQuery, *, whole: bool = False, words: int = SNIPPET_WORDS) -> SafeString:
    """`whole`: the entire (short) text with marks, e.g. a title; otherwise the best window of `words` words."""
    text = text or ""
    if not text:
        return mark_safe("")
    matches = list(T.TOKEN_RE.finditer(text))
    restore = T.field_restore(text)  # as the index did, so a text typed without diacritics highlights its hits
    hits = [
        i for i, m in enumerate(matches)
        if not q.empty and len(m.group()) <= T.MAX_TOKEN and _is_hit(m.group(), q, restore)
    ]
    if whole:
        start_tok, end_tok = 0, len(matches)
    elif not matches:
        return mark_safe(escape(text[:300]))
    else:
        start_tok = 0
        if hits:  # the window with the most hits
            best, best_count, j = hits[0], 0, 0
            for i, h in enumerate(hits):
                while hits[j] < h - words + 1:
                    j += 1
                if i - j + 1 > best_count:
                    best_count, best = i - j + 1, hits[j]
            start_tok = max(0, best - 3)
        end_tok = min(len(matches), start_tok + words)
    hit_set = set(hits)
    out = []
    begin = 0 if whole or start_tok == 0 else matches[start_tok].start()
    end = len(text) if whole or end_tok >= len(matches) else matches[end_tok - 1].end()
    pos = begin
    for i in range(start_tok, end_tok):
        m = matches[i]
        out.append(escape(text[pos : m.start()]))
        out.append(f"<mark>{escape(m.group())}</mark>" if i in hit_set else escape(m.group()))
        pos = m.end()
    out.append(escape(text[pos:end]))
    html = " ".join("".join(out).split())  # collapse whitespace and line breaks
    if not whole:
        html = ("… " if begin > 0 else "") + html + (" …" if end < len(text) else "")
    return mark_safe(html)
