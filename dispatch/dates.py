"""Delivery dates computed, never typed: deemed delivery of e-Doręczenia (UDE, COI rule R13) and of paper letters
(KPA art. 44), and what the delivery date starts (appeal, finality). Pure functions over dates.

Each result carries its *basis*: the calendar steps as small dicts (`{"rule": …, "date": …}`), stored on the
shipment and rendered in Polish by `explain()`, so the page shows why a date is what it is."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from deadlines import calendar as cal

FICTION_DAYS = 14  # UDE / COI R13 and KPA art. 44 § 1: the same 14 days
SECOND_NOTICE_AFTER = 7  # KPA art. 44 § 3


class DeliveryDateError(ValueError):
    """The recorded facts do not allow the fiction (e.g. no second notice)."""


@dataclass
class Computed:
    day: dt.date
    basis: list[dict] = field(default_factory=list)


def _step(rule: str, day: dt.date, **extra) -> dict:
    return {"rule": rule, "date": day.isoformat(), **extra}


def _shift(end: dt.date, basis: list[dict]) -> dt.date:
    shifted = cal.next_working_day(end)
    if shifted != end:
        basis.append(_step("shifted", shifted, reason=cal.holiday_name(end) or "sobota", raw=end.isoformat()))
    return shifted


def edoreczenia_deemed(available_on: dt.date, *, public_addressee: bool) -> Computed | None:
    """Deemed delivery after D.1: 14 days counted from the day after the message reached the addressee's box; an
    end on a Saturday or a holiday moves to the next working day. None for public-entity addressees."""
    if public_addressee:
        return None
    basis = [_step("d1", available_on)]
    end = cal.add_days(available_on, FICTION_DAYS)
    basis.append(_step("plus_days", end, days=FICTION_DAYS))
    return Computed(_shift(end, basis), basis)


def paper_deemed(first_notice: dt.date, second_notice: dt.date | None, *, shift: bool = True) -> Computed:
    """KPA art. 44: stored 14 days from the first notice, a repeat notice after 7 days; deemed delivered at the end
    of the last day. Both notices must be on the ZPO (courts refuse the fiction otherwise)."""
    if second_notice is None:
        raise DeliveryDateError(_("The second notice is not recorded: the letter cannot be deemed delivered "
                                  "(KPA art. 44 § 3)."))
    if second_notice < first_notice + dt.timedelta(days=SECOND_NOTICE_AFTER):
        raise DeliveryDateError(_("The second notice must come at least 7 days after the first (KPA art. 44 § 3)."))
    basis = [_step("notice1", first_notice), _step("notice2", second_notice)]
    end = cal.add_days(first_notice, FICTION_DAYS)
    basis.append(_step("plus_days", end, days=FICTION_DAYS))
    day = _shift(end, basis) if shift else end
    if not shift:
        basis.append(_step("no_shift", end))
    return Computed(day, basis)


# Party deadlines per kind of act (the document kind of what was delivered).
PARTY_TERMS = {
    "decision": [("appeal", 14, "art. 129 § 2 KPA")],
    "order": [("complaint", 7, "art. 141 § 2 KPA")],
}


@dataclass
class PartyTerm:
    code: str
    label: str
    legal_basis: str
    ends_on: dt.date
    basis: list[dict]


def party_terms(delivered_on: dt.date, document_kind: str) -> list[PartyTerm]:
    labels = {"appeal": _("appeal"), "complaint": _("complaint (zażalenie)")}
    terms = []
    for code, days, legal in PARTY_TERMS.get(document_kind, []):
        basis = [_step("delivered", delivered_on)]
        end = cal.add_days(delivered_on, days)
        basis.append(_step("plus_days", end, days=days))
        terms.append(PartyTerm(code, labels[code], legal, _shift(end, basis), basis))
    return terms


def proposed_final_on(terms: list[PartyTerm]) -> dt.date | None:
    """The decision becomes final when no appeal was filed in time (art. 16 § 1): proposed as the day after the
    last day of the longest party term (office practice, domain.md § 4.6 — the office confirms it)."""
    if not terms:
        return None
    return max(t.ends_on for t in terms) + dt.timedelta(days=1)


def explain(basis: list[dict]) -> list[str]:
    """The steps in Polish, one line each."""
    lines = []
    for step in basis or []:
        day = date_format(dt.date.fromisoformat(step["date"]), "j E Y (l)")
        rule = step["rule"]
        if rule == "d1":
            lines.append(_("%(day)s: the message was made available in the addressee's box (D.1).") % {"day": day})
        elif rule == "notice1":
            lines.append(_("%(day)s: first notice (awizo) left.") % {"day": day})
        elif rule == "notice2":
            lines.append(_("%(day)s: second notice left.") % {"day": day})
        elif rule == "delivered":
            lines.append(_("%(day)s: date of delivery.") % {"day": day})
        elif rule == "plus_days":
            lines.append(_("%(day)s: %(n)s days counted from the next day (KPA art. 57 § 1).")
                         % {"day": day, "n": step["days"]})
        elif rule == "shifted":
            raw = date_format(dt.date.fromisoformat(step["raw"]), "j E Y")
            lines.append(_("%(raw)s is a day off (%(reason)s), so the term ends on the next working day, %(day)s "
                           "(KPA art. 57 § 4).") % {"raw": raw, "reason": step["reason"], "day": day})
        elif rule == "no_shift":
            lines.append(_("%(day)s: the end is not moved off a day off (office setting).") % {"day": day})
        elif rule == "receipt":
            lines.append(_("%(day)s: receipt confirmed (%(what)s).") % {"day": day, "what": step.get("what", "")})
    return lines
