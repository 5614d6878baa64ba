"""Retention: the one function that says how long a closed case is kept and what happens to it afterwards. Pages,
the API, reports and the packages all use it (directly, or through the `CaseRetention` rows it writes).

The rule (domain.md § 2.2, § 6): periods are counted in full calendar years from 1 January of the year after the
case was closed. A → kept permanently, to the state archive after `state_archive_after_years`; Bn → eligible for
disposal (with the state archive's consent) after n years; BEn → the same date, but for expert review by the state
archive, never eligible by itself; Bc → as the office configures (`ArchivePolicy.bc_years`). The category is the
one of the case's JRWA class in the version in force when the case was opened, in the case's own unit (category
"in the originating unit")."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from archive.models import RetentionKind

CATEGORY_RE = re.compile(r"^(?:(A)|(Bc)|B(\d{1,3})|BE(\d{1,3}))$")


@dataclass(frozen=True)
class Retention:
    category: str
    kind: str
    years: int | None
    closed_on: dt.date
    counted_from: dt.date
    office_archive_from: dt.date
    eligible_from: dt.date | None = None  # B and Bc only: disposal may be requested from this day
    review_from: dt.date | None = None  # BE only: due for the state archive's expert review
    state_archive_from: dt.date | None = None  # A only


def full_years_after(closed_on: dt.date, years: int) -> dt.date:
    """1 January after `years` full calendar years counted from 1 January of the year after `closed_on`."""
    return dt.date(closed_on.year + 1 + years, 1, 1)


def parse_category(category: str) -> tuple[str, int | None]:
    match = CATEGORY_RE.match((category or "").strip())
    if not match:
        raise ValueError(f"not an archival category: {category!r}")
    a, bc, b_years, be_years = match.groups()
    if a:
        return RetentionKind.A, None
    if bc:
        return RetentionKind.BC, None
    if b_years is not None:
        return RetentionKind.B, int(b_years)
    return RetentionKind.BE, int(be_years)


def compute(category: str, closed_on: dt.date, policy) -> Retention:
    """The retention of a file of `category` closed on `closed_on` under the office's `policy`."""
    kind, years = parse_category(category)
    if kind == RetentionKind.BC:
        years = policy.bc_years
    common = {
        "category": category, "kind": kind, "years": years, "closed_on": closed_on,
        "counted_from": dt.date(closed_on.year + 1, 1, 1),
        "office_archive_from": full_years_after(closed_on, policy.transfer_after_years),
    }
    if kind == RetentionKind.A:
        return Retention(**common, state_archive_from=full_years_after(closed_on, policy.state_archive_after_years))
    if kind == RetentionKind.BE:
        return Retention(**common, review_from=full_years_after(closed_on, years))
    return Retention(**common, eligible_from=full_years_after(closed_on, years))


def class_in_force_at_opening(case):
    """The case's JRWA class as it stood in the version in force on the day the case was opened. Normally the case's
    own class; a case whose class belongs to another version (a correction made later, imported data) is qualified
    by the class with the same symbol in the version of its opening day, when that version has one."""
    from registry.models import JrwaClass, JrwaVersion

    cls = case.jrwa_class
    version = cls.version
    opened = case.started_on
    if version.valid_from <= opened and (version.valid_to is None or version.valid_to >= opened):
        return cls
    in_force = JrwaVersion.in_force(opened)
    if in_force is None:
        return cls
    return JrwaClass.objects.filter(version=in_force, symbol=cls.symbol).select_related("version").first() or cls


def retention_for_case(case, policy, decisions=None) -> tuple[Retention, object] | None:
    """(Retention, JRWA class used) for a closed case; None while it is open or its class has no category. A
    category decided by the state archive (`CategoryDecision`, e.g. BE requalified to A) takes precedence;
    `decisions` ({case id: category}) saves the query when called for many cases."""
    if case.closed_on is None or case.status != "closed":
        return None
    cls = class_in_force_at_opening(case)
    if decisions is None:
        from archive.models import CategoryDecision

        decisions = dict(CategoryDecision.objects.filter(case_id=case.pk).values_list("case_id", "category"))
    category = decisions.get(case.pk) or cls.category_own
    if not category:
        return None
    return compute(category, case.closed_on, policy), cls


def explain(retention, jrwa_class=None) -> list[str]:
    """Why this date: the steps of the computation in words, for the pages and the metryka."""
    r = retention
    lines = []
    if jrwa_class is not None and r.category != jrwa_class.category_own:
        lines.append(
            _("The state archive set category %(category)s for this case (instead of %(jrwa)s of class %(symbol)s).")
            % {"category": r.category, "jrwa": jrwa_class.category_own or "—", "symbol": jrwa_class.symbol}
        )
    elif jrwa_class is not None:
        lines.append(
            _("JRWA class %(symbol)s “%(title)s” in “%(version)s” (in force when the case was opened) has category "
              "%(category)s in the originating unit.")
            % {"symbol": jrwa_class.symbol, "title": jrwa_class.title, "version": jrwa_class.version.name,
               "category": r.category}
        )
    lines.append(
        _("The case was closed on %(closed)s; periods count in full calendar years from %(start)s.")
        % {"closed": r.closed_on.isoformat(), "start": r.counted_from.isoformat()}
    )
    if r.kind == RetentionKind.A:
        lines.append(
            _("Category A is kept permanently; transfer to the state archive from %(day)s.")
            % {"day": r.state_archive_from.isoformat()}
        )
    elif r.kind == RetentionKind.BE:
        lines.append(
            _("%(years)s full years end on %(last)s: from %(day)s the state archive performs an expert review "
              "(it may requalify the files to A); never destroyed without it.")
            % {"years": r.years, "last": (r.review_from - dt.timedelta(days=1)).isoformat(),
               "day": r.review_from.isoformat()}
        )
    else:
        if r.kind == RetentionKind.BC:
            lines.append(_("Category Bc: the office keeps such files %(years)s full years.") % {"years": r.years})
        lines.append(
            _("%(years)s full years end on %(last)s: eligible for disposal from %(day)s, with the state archive's "
              "consent.")
            % {"years": r.years, "last": (r.eligible_from - dt.timedelta(days=1)).isoformat(),
               "day": r.eligible_from.isoformat()}
        )
    lines.append(
        _("Due for transfer to the office archive from %(day)s.") % {"day": r.office_archive_from.isoformat()}
    )
    return lines


def summary(retention) -> str:
    """One line: the category and the date that matters for it."""
    r = retention
    if r.kind == RetentionKind.A:
        return _("%(category)s: permanent, to the state archive from %(day)s") % {
            "category": r.category, "day": r.state_archive_from.isoformat()}
    if r.kind == RetentionKind.BE:
        return _("%(category)s: expert review from %(day)s") % {
            "category": r.category, "day": r.review_from.isoformat()}
    return _("%(category)s: eligible for disposal from %(day)s") % {
        "category": r.category, "day": r.eligible_from.isoformat()}
