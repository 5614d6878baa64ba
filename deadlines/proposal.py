"""Which kind of deadline to propose for a new case, and why.

1. a rule for the case's JRWA class (the longest matching symbol prefix, `JrwaDeadlineRule`) – the class was
   chosen deliberately and its rule was set by the office, e.g. 1431 → public information, 14 days;
2. else the kind of letter: a kind whose `letter_keywords` begin a word of the initiating letter's subject or of
   the case title, e.g. "Wniosek o wydanie zaświadczenia" → art. 217 § 3 KPA, 7 days;
3. else the default kind (art. 35 § 3 KPA, one month).

The person opening the case sees the proposal with its reason and confirms or changes it; the metryka keeps both.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from deadlines.models import DeadlineKind, JrwaDeadlineRule
from obieg.text import fold

JRWA, LETTER, DEFAULT = "jrwa", "letter", "default"


@dataclass(frozen=True)
class Proposal:
    kind: DeadlineKind
    source: str  # JRWA, LETTER or DEFAULT
    reason: str  # for the form and the metryka, in the active language


def _rule_for(symbol: str) -> JrwaDeadlineRule | None:
    prefixes = [symbol[:i] for i in range(1, len(symbol) + 1)]
    return (
        JrwaDeadlineRule.objects.filter(symbol_prefix__in=prefixes, kind__active=True)
        .select_related("kind").order_by("-symbol_prefix").first()
    )


def keywords(kind: DeadlineKind) -> list[str]:
    return [fold(w).strip() for w in (kind.letter_keywords or "").split(",") if w.strip()]


def _folded(text: str) -> tuple[str, list[int]]:
    """The folded text and, for each of its characters, the index of the original character (to quote it)."""
    out, where = [], []
    for index, char in enumerate(text):
        piece = fold(char)
        out.append(piece)
        where += [index] * len(piece)
    return "".join(out), where


def letter_kind(texts) -> tuple[DeadlineKind, str] | None:
    """The active kind named by the words of the letter, with the word that matched as written. The longest
    matching keyword wins, so a specific phrase beats a short stem."""
    candidates = [(t, *_folded(t)) for t in texts if t]
    best = None
    for kind in DeadlineKind.objects.filter(active=True).exclude(letter_keywords="").order_by("code"):
        for word in keywords(kind):
            pattern = re.compile(r"(?<!\w)" + re.escape(word))
            for original, folded, where in candidates:
                match = pattern.search(folded)
                if match and (best is None or len(word) > len(best[1])):
                    start, end = where[match.start()], where[match.end() - 1] + 1
                    while end < len(original) and original[end].isalnum():
                        end += 1  # quote the whole word: "zaświadczenia", not the stem
                    best = (kind, word, original[start:end])
    return (best[0], best[2]) if best else None


def propose(*, jrwa_class=None, texts=()) -> Proposal:
    from deadlines.services import default_kind

    if jrwa_class is not None:
        rule = _rule_for(jrwa_class.symbol)
        if rule is not None:
            return Proposal(rule.kind, JRWA, _(
                "for JRWA class %(symbol)s (rule for symbols beginning with %(prefix)s)"
            ) % {"symbol": jrwa_class.symbol, "prefix": rule.symbol_prefix})
    found = letter_kind(texts)
    if found is not None:
        kind, word = found
        return Proposal(kind, LETTER, _("from the kind of letter (the word “%(word)s”)")
                        % {"word": word})
    kind = default_kind()
    if jrwa_class is not None:
        reason = _(
            "as the default kind: no rule for JRWA class %(symbol)s and no known kind of letter in the subject or title"
        ) % {
            "symbol": jrwa_class.symbol}
    else:
        reason = _(
            "as the default kind: no JRWA class chosen yet and no known kind of letter in the subject or title"
        )
    return Proposal(kind, DEFAULT, reason)


def describe(proposal: Proposal) -> str:
    """One sentence for the form: what is proposed, how long, on what basis and why."""
    kind = proposal.kind
    return _("Proposed %(reason)s: %(kind)s – %(term)s (%(basis)s). You may choose another kind.") % {
        "kind": kind.name, "term": kind.term_label, "basis": kind.legal_basis or "–", "reason": proposal.reason,
    }


def for_case(case, delivery=None) -> Proposal:
    delivery = delivery or case.initiating_delivery
    texts = [delivery.subject if delivery else "", case.title]
    return propose(jrwa_class=case.jrwa_class, texts=texts)
