"""Reads for the archivist's pages and reports. Every query starts from `scope_for(user).cases(...)`: an archivist
sees every non-confidential file, a unit its own, a confidential file only its case worker and participants."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import ExtractYear
from django.utils import timezone

from archive.models import CaseCustody, CaseRetention, HandoverItem, HandoverStatus, Loan, LoanStatus, RetentionKind
from registry.access import scope_for
from registry.models import Case, CaseStatus

OPEN_HANDOVER = (HandoverStatus.DRAFT, HandoverStatus.SUBMITTED, HandoverStatus.RETURNED)


def visible_cases(user):
    return scope_for(user).cases(Case.objects.all())


def archived_cases(user):
    return visible_cases(user).filter(custody__isnull=False)


def due_for_transfer(user, today=None) -> list[dict]:
    """Files (unit, JRWA class, year, category group) with closed cases due for the office archive and not yet held
    by it, with the number of cases due, of those already on a list in progress, and of cases still open."""
    today = today or timezone.localdate()
    on_list = HandoverItem.objects.filter(case_id=OuterRef("pk"), handover__status__in=OPEN_HANDOVER)
    rows = (
        visible_cases(user)
        .filter(status=CaseStatus.CLOSED, custody__isnull=True, retention__office_archive_from__lte=today)
        .annotate(listed=Exists(on_list))
        .values("unit_id", "unit__symbol", "unit__name", "jrwa_class_id", "jrwa_class__symbol",
                "jrwa_class__title", "year", "retention__kind")
        .annotate(n=Count("pk"), n_listed=Count("pk", filter=Q(listed=True)))
        .order_by("year", "unit__symbol", "jrwa_class__symbol")
    )
    files: dict[tuple, dict] = {}
    for row in rows:
        group = "A" if row["retention__kind"] == RetentionKind.A else "B"
        key = (row["unit_id"], row["jrwa_class_id"], row["year"], group)
        entry = files.setdefault(key, {
            "unit_id": row["unit_id"], "unit": row["unit__symbol"], "unit_name": row["unit__name"],
            "jrwa_class_id": row["jrwa_class_id"], "symbol": row["jrwa_class__symbol"],
            "title": row["jrwa_class__title"], "year": row["year"], "group": group, "due": 0, "listed": 0,
        })
        entry["due"] += row["n"]
        entry["listed"] += row["n_listed"]
    open_counts = dict(
        ((r["unit_id"], r["jrwa_class_id"], r["year"]), r["n"])
        for r in visible_cases(user).exclude(status=CaseStatus.CLOSED)
        .filter(year__in={k[2] for k in files})
        .values("unit_id", "jrwa_class_id", "year").annotate(n=Count("pk"))
    )
    for (unit_id, class_id, year, _group), entry in files.items():
        entry["still_open"] = open_counts.get((unit_id, class_id, year), 0)
    return list(files.values())


def inventory(user, *, unit=None, symbol="", year=None) -> list[dict]:
    """Holdings of the archive by unit, JRWA class and year, with the count per category."""
    qs = archived_cases(user)
    if unit:
        qs = qs.filter(unit_id=unit)
    if symbol:
        qs = qs.filter(jrwa_class__symbol__startswith=symbol)
    if year:
        qs = qs.filter(year=year)
    return list(
        qs.values("unit__symbol", "jrwa_class__symbol", "jrwa_class__title", "year", "retention__category")
        .annotate(n=Count("pk"))
        .order_by("unit__symbol", "jrwa_class__symbol", "year", "retention__category")
    )


def holdings_by_category_and_year(user) -> dict:
    """{"years": [...], "kinds": [...], "counts": {(kind, year): n}} of the archive's holdings (closing year)."""
    rows = (
        CaseRetention.objects.filter(case__in=archived_cases(user))
        .annotate(closed_year=ExtractYear("closed_on"))
        .values("kind", "closed_year").annotate(n=Count("pk"))
    )
    counts = {(r["kind"], r["closed_year"]): r["n"] for r in rows}
    return {"years": sorted({y for _k, y in counts}), "kinds": [k for k in RetentionKind.values
                                                                  if any(kk == k for kk, _y in counts)],
            "counts": counts}


def retention_calendar(user, *, archived_only=False) -> list[dict]:
    """Per year: how many closed cases become eligible for disposal (B, Bc), due for expert review (BE), due for the
    state archive (A). One grouped query per kind over the indexed `CaseRetention` rows."""
    cases = archived_cases(user) if archived_only else visible_cases(user)
    base = CaseRetention.objects.filter(case__in=cases)
    years: dict[int, dict] = {}
    for field, label in (("eligible_from", "disposal"), ("review_from", "review"), ("state_archive_from", "state")):
        for row in (base.filter(**{f"{field}__isnull": False}).annotate(y=ExtractYear(field))
                    .values("y").annotate(n=Count("pk"))):
            years.setdefault(row["y"], {"year": row["y"], "disposal": 0, "review": 0, "state": 0})[label] = row["n"]
    return [years[y] for y in sorted(years)]


def eligible_for_disposal(user, today=None):
    """Archived B/Bc files past their retention, not lent out, not reopened, not under a legal hold (BE never: it
    is only reviewed, see `due_for_review`)."""
    today = today or timezone.localdate()
    lent = Loan.objects.filter(case_id=OuterRef("pk"), status__in=[LoanStatus.REQUESTED, LoanStatus.LENT])
    return (
        archived_cases(user)
        .filter(status=CaseStatus.CLOSED, retention__kind__in=[RetentionKind.B, RetentionKind.BC],
                retention__eligible_from__lte=today, custody__legal_hold="")
        .exclude(Exists(lent))
        .select_related("unit", "jrwa_class", "retention")
        .order_by("retention__eligible_from", "unit__symbol", "jrwa_class__symbol", "year", "number")
    )


def due_for_review(user, today=None):
    today = today or timezone.localdate()
    return (
        archived_cases(user)
        .filter(retention__kind=RetentionKind.BE, retention__review_from__lte=today, custody__legal_hold="")
        .select_related("unit", "jrwa_class", "retention")
        .order_by("retention__review_from", "unit__symbol", "jrwa_class__symbol", "year", "number")
    )


def loans(user, *, status="", overdue=False, today=None):
    today = today or timezone.localdate()
    qs = Loan.objects.filter(case__in=visible_cases(user)).select_related(
        "case__unit", "borrower", "decided_by"
    )
    if status:
        qs = qs.filter(status=status)
    if overdue:
        qs = qs.filter(status=LoanStatus.LENT, due_on__lt=today)
    return qs.order_by("-requested_at", "-pk")


def overdue_count(user, today=None) -> int:
    return loans(user, overdue=True, today=today).count()


def custody_of(case):
    return CaseCustody.objects.filter(case=case).select_related("handover__unit", "handover__jrwa_class",
                                                               "accepted_by").first()


def search_archive(user, *, q="", unit=None, symbol="", year=None, category=""):
    """Search limited to the archive: sign or title words (all must match), with the usual filters."""
    qs = archived_cases(user).select_related("unit", "jrwa_class", "retention", "custody__handover")
    for word in (q or "").split()[:10]:
        qs = qs.filter(Q(sign__icontains=word) | Q(title__icontains=word))
    if unit:
        qs = qs.filter(unit_id=unit)
    if symbol:
        qs = qs.filter(jrwa_class__symbol__startswith=symbol)
    if year:
        qs = qs.filter(year=year)
    if category:
        qs = qs.filter(retention__category=category)
    return qs.order_by("-year", "unit__symbol", "jrwa_class__symbol", "number")
