"""Writes for deadlines: the deadline of a new case, periods not counted (art. 35 § 5 KPA), extensions (art. 36),
closing and reopening. Every change recomputes the due date and writes the metryka in the same transaction.

How the due date is computed (`compute`):

1. the statutory term of the kind counted from the start (art. 57 § 1–3a) → `raw_due_date`;
2. plus every day of the periods not counted (art. 35 § 5), overlapping periods counted once, both ends included,
   a period still open counted up to today;
3. if an extension (art. 36) was recorded, its new date replaces 1–2; periods that start after the extension was
   decided are added to it (the organ could not have foreseen them);
4. moved off a Saturday or a holiday (art. 57 § 4) if the kind says so.
"""

from __future__ import annotations

import datetime as dt
import io

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from deadlines import calendar as cal
from deadlines.models import (
    CaseDeadline,
    DeadlineKind,
    DeadlineState,
    ExcludedPeriod,
    Extension,
    JrwaDeadlineRule,
    term_text,
)
from registry.models import Action, Case, CaseStatus, Channel
from registry.services.history import record


def _d(day: dt.date | None) -> str:
    return date_format(day, "j E Y") if day else "…"


# --- kinds --------------------------------------------------------------------------------------------------------


def default_kind() -> DeadlineKind:
    """The configured default kind; if an administrator removed every default, the statutory one (KPA art. 35 § 3,
    one month) is restored rather than refusing to open the case."""
    kind = DeadlineKind.objects.filter(is_default=True).first()
    if kind is None:
        kind, _created = DeadlineKind.objects.get_or_create(
            code="KPA-1M",
            defaults={
                "name": "Postępowanie wyjaśniające – 1 miesiąc", "legal_basis": "art. 35 § 3 KPA", "amount": 1,
                "unit": "months", "kpa_procedure": True, "shift_to_working_day": True,
            },
        )
        DeadlineKind.objects.filter(pk=kind.pk).update(is_default=True, active=True)
        kind.refresh_from_db()
    return kind


def kind_for_symbol(symbol: str) -> DeadlineKind:
    """The kind mapped to a JRWA symbol: the rule with the longest matching prefix, else the default kind."""
    prefixes = [symbol[:i] for i in range(1, len(symbol) + 1)]
    rule = (
        JrwaDeadlineRule.objects.filter(symbol_prefix__in=prefixes, kind__active=True)
        .select_related("kind")
        .order_by("-symbol_prefix")  # same-prefix family: longer string sorts later
        .first()
    )
    return rule.kind if rule else default_kind()


# --- computing ----------------------------------------------------------------------------------------------------


def excluded_days(periods, *, today: dt.date, after: dt.date | None = None) -> int:
    """Days covered by the periods (union, both ends included; an open period up to `today`). With `after`,
    only periods that start after that day."""
    spans = []
    for period in periods:
        if after is not None and period.starts_on <= after:
            continue
        end = period.ends_on or max(today, period.starts_on)
        spans.append((period.starts_on, end))
    spans.sort()
    total, current = 0, None
    for start, end in spans:
        if current and start <= current[1] + dt.timedelta(days=1):
            current = (current[0], max(current[1], end))
            continue
        if current:
            total += (current[1] - current[0]).days + 1
        current = (start, end)
    if current:
        total += (current[1] - current[0]).days + 1
    return total


def compute(deadline: CaseDeadline, *, today: dt.date | None = None) -> tuple[dt.date, int, dt.date]:
    """(raw due date, days not counted, due date) for the deadline as it stands in the database."""
    today = today or timezone.localdate()
    kind = deadline.kind
    # .all() – so a caller that prefetched excluded_periods and extensions pays no query here.
    periods = list(deadline.excluded_periods.all()) if deadline.pk else []
    extensions = list(deadline.extensions.all()) if deadline.pk else []
    raw = cal.term_end(deadline.start_date, kind.amount, kind.unit)
    skipped = excluded_days(periods, today=today)
    extension = max(extensions, key=lambda e: (e.created_at, e.pk)) if extensions else None
    if extension:
        due = extension.new_date + dt.timedelta(days=excluded_days(periods, today=today, after=extension.decided_on))
    else:
        due = raw + dt.timedelta(days=skipped)
    if kind.shift_to_working_day:
        due = cal.next_working_day(due)
    return raw, skipped, due


def max_extended_date(deadline: CaseDeadline) -> dt.date | None:
    """The latest date an extension may set, if the kind has a statutory limit (e.g. 2 months for UDIP)."""
    kind = deadline.kind
    if kind.max_extension_amount is None:
        return None
    return cal.term_due(
        deadline.start_date, kind.max_extension_amount, kind.max_extension_unit,
        excluded_days=excluded_days(deadline.excluded_periods.all(), today=timezone.localdate()),
        shift_to_working_day=kind.shift_to_working_day,
    )


def _apply(deadline: CaseDeadline, *, today=None) -> tuple[dt.date, dt.date]:
    """Recompute and save; returns (old due date, new due date)."""
    old = deadline.due_date
    deadline.raw_due_date, deadline.excluded_days, deadline.due_date = compute(deadline, today=today)
    deadline.save()
    return old, deadline.due_date


def _lock(case) -> CaseDeadline:
    try:
        return CaseDeadline.objects.select_for_update().select_related("kind", "case").get(case_id=case.pk)
    except CaseDeadline.DoesNotExist:
        raise ValidationError(_("This case has no deadline.")) from None


# --- the deadline of a new case -----------------------------------------------------------------------------------


EVIDENCE_TIME_KEYS = ("eventDate", "event_date", "receiptDate", "receipt_date")


def _evidence_time(delivery) -> dt.datetime | None:
    """The receipt time in the delivery's evidence of receipt (e-Doręczenia E.1 `eventDate`), if it has one."""
    evidence = getattr(delivery, "receipt_evidence", None) or {}
    for key in EVIDENCE_TIME_KEYS:
        value = evidence.get(key) if isinstance(evidence, dict) else None
        if value:
            try:
                moment = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
            except ValueError:
                continue
            return moment if timezone.is_aware(moment) else timezone.make_aware(moment)
    return None


def start_of(case: Case, delivery=None) -> tuple[dt.date, str]:
    """The day the term starts from and where it comes from: the day the initiating delivery was received, in
    Europe/Warsaw – for e-Doręczenia the time in its evidence of receipt (E.1) when the delivery keeps one, else
    `received_at` (which registration takes from that evidence); for a case opened on the office's own
    initiative, the day it was started."""
    delivery = delivery or case.initiating_delivery
    if delivery is None:
        return case.started_on, _("own initiative, case started %(day)s") % {"day": _d(case.started_on)}
    if delivery.channel == Channel.EDORECZENIA:
        moment = _evidence_time(delivery) or delivery.received_at
        source = _("e-Doręczenia evidence of receipt of %(rpw)s") % {"rpw": delivery.rpw}
    else:
        moment = delivery.received_at
        source = _("receipt of %(rpw)s") % {"rpw": delivery.rpw}
    return timezone.localtime(moment).date(), source


def create_for_case(case: Case, *, actor, delivery=None, kind: DeadlineKind | None = None) -> CaseDeadline:
    """Give a newly opened case its deadline (idempotent: an existing deadline is returned unchanged).

    `kind` is what the person opening the case confirmed or chose; without it (API, backfill) the proposal is
    taken. Either way the metryka says which kind was proposed, why, and whether the person changed it."""
    from deadlines.proposal import for_case

    existing = CaseDeadline.objects.filter(case_id=case.pk).first()
    if existing:
        return existing
    proposal = for_case(case, delivery)
    if kind is None:
        kind = proposal.kind
        choice = _("Kind proposed %(reason)s, taken without a choice.") % {"reason": proposal.reason}
    elif kind.pk == proposal.kind.pk:
        choice = _("Kind proposed %(reason)s, confirmed when opening the case.") % {"reason": proposal.reason}
    else:
        choice = _("Kind chosen when opening the case instead of the proposed %(proposed)s (proposed %(reason)s).") % {
            "proposed": proposal.kind.name, "reason": proposal.reason}
    start, source = start_of(case, delivery)
    deadline = CaseDeadline(case=case, kind=kind, start_date=start, start_source=source[:200])
    deadline.raw_due_date, deadline.excluded_days, deadline.due_date = compute(deadline)
    if case.status == CaseStatus.CLOSED:
        deadline.state = DeadlineState.CLOSED
    deadline.save(force_insert=True)
    record(
        actor, Action.DEADLINE_SET,
        _("Deadline: %(kind)s (%(term)s, %(basis)s) from %(start)s (%(source)s) – due %(due)s.")
        % {
            "kind": kind.name, "term": kind.term_label, "basis": kind.legal_basis or "–", "start": _d(start),
            "source": source, "due": _d(deadline.due_date),
        } + " " + choice,
        case=case, data={
            "kind": kind.code, "start": start.isoformat(), "due": deadline.due_date.isoformat(),
            "proposed": proposal.kind.code, "proposed_from": proposal.source,
            "changed_by_user": kind.pk != proposal.kind.pk,
        },
    )
    return deadline


def change_kind(case: Case, kind: DeadlineKind, *, actor, reason: str = "") -> CaseDeadline:
    """E.g. a particularly complicated case: one month → two months (art. 35 § 3)."""
    with transaction.atomic():
        deadline = _lock(case)
        if deadline.kind_id == kind.pk:
            return deadline
        old_kind = deadline.kind
        deadline.kind = kind
        old, new = _apply(deadline)
        record(
            actor, Action.DEADLINE_CHANGED,
            _("Kind of deadline changed from %(old_kind)s to %(kind)s (%(term)s); due date %(old)s → %(new)s.")
            % {"old_kind": old_kind.name, "kind": kind.name, "term": kind.term_label, "old": _d(old), "new": _d(new)}
            + (f" {reason}" if reason else ""),
            case=case, data={"kind": kind.code, "old_due": old.isoformat(), "due": new.isoformat()},
        )
    return deadline


# --- periods not counted (art. 35 § 5) ----------------------------------------------------------------------------


def add_excluded_period(
    case: Case, *, actor, reason: str, starts_on: dt.date, ends_on: dt.date | None = None, description: str = ""
) -> ExcludedPeriod:
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError({"ends_on": _("A period cannot end before it starts.")})
    with transaction.atomic():
        deadline = _lock(case)
        if starts_on < deadline.start_date:
            raise ValidationError({"starts_on": _("The period cannot start before the term starts.")})
        period = ExcludedPeriod.objects.create(
            deadline=deadline, reason=reason, starts_on=starts_on, ends_on=ends_on, description=description,
            created_by=actor,
        )
        old, new = _apply(deadline)
        record(
            actor, Action.DEADLINE_CHANGED,
            _("Period not counted into the term (art. 35 § 5 KPA): %(reason)s, %(start)s – %(end)s. "
              "Due date %(old)s → %(new)s.")
            % {
                "reason": period.get_reason_display(), "start": _d(starts_on), "end": _d(ends_on),
                "old": _d(old), "new": _d(new),
            }
            + (f" {description}" if description else ""),
            case=case, data={"period": period.pk, "old_due": old.isoformat(), "due": new.isoformat()},
        )
    return period


def end_excluded_period(period: ExcludedPeriod, *, actor, ends_on: dt.date) -> ExcludedPeriod:
    with transaction.atomic():
        deadline = _lock(period.deadline.case)
        period = ExcludedPeriod.objects.select_for_update().get(pk=period.pk)
        if ends_on < period.starts_on:
            raise ValidationError({"ends_on": _("A period cannot end before it starts.")})
        period.ends_on = ends_on
        period.save(update_fields=["ends_on"])
        old, new = _apply(deadline)
        record(
            actor, Action.DEADLINE_CHANGED,
            _("End of the period not counted (%(reason)s, from %(start)s): %(end)s. Due date %(old)s → %(new)s.")
            % {
                "reason": period.get_reason_display(), "start": _d(period.starts_on), "end": _d(ends_on),
                "old": _d(old), "new": _d(new),
            },
            case=deadline.case, data={"period": period.pk, "old_due": old.isoformat(), "due": new.isoformat()},
        )
    return period


# --- reacting to the case status (signals) ------------------------------------------------------------------------


def on_status_changed(case: Case, *, actor, old_status: str, new_status: str, on_day: dt.date) -> None:
    """Suspension opens a period not counted, resumption ends it; closing records whether the case was handled
    on time; reopening sets the deadline running again."""
    deadline = CaseDeadline.objects.select_for_update().filter(case_id=case.pk).first()
    if deadline is None:
        return
    open_suspension = deadline.excluded_periods.filter(
        reason=ExcludedPeriod.Reason.SUSPENSION, ends_on__isnull=True
    ).first()
    if new_status == CaseStatus.SUSPENDED:
        deadline.state = DeadlineState.SUSPENDED
        deadline.save(update_fields=["state"])
        add_excluded_period(
            case, actor=actor, reason=ExcludedPeriod.Reason.SUSPENSION, starts_on=max(on_day, deadline.start_date),
            description=_("Proceedings suspended."),
        )
        return
    if open_suspension is not None:
        end_excluded_period(open_suspension, actor=actor, ends_on=max(on_day, open_suspension.starts_on))
        deadline.refresh_from_db()
    if new_status == CaseStatus.CLOSED:
        deadline.state = DeadlineState.CLOSED
        deadline.completed_on = on_day
        deadline.completed_on_time = on_day <= deadline.due_date
        deadline.save(update_fields=["state", "completed_on", "completed_on_time"])
    elif new_status == CaseStatus.OPEN:
        deadline.state = DeadlineState.RUNNING
        deadline.completed_on = None
        deadline.completed_on_time = None
        deadline.save(update_fields=["state", "completed_on", "completed_on_time"])


# --- extensions (art. 36) -----------------------------------------------------------------------------------------


def extend(case: Case, *, actor, new_date: dt.date, reason: str, decided_on: dt.date | None = None) -> Extension:
    """Set a new date for handling the case, with the reasons for the delay. The party must be notified
    (`notice_docx` drafts the notice)."""
    decided_on = decided_on or timezone.localdate()
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reasons for the delay.")})
    with transaction.atomic():
        deadline = _lock(case)
        if deadline.state == DeadlineState.CLOSED:
            raise ValidationError(_("The case is closed."))
        if new_date <= deadline.due_date:
            raise ValidationError({"new_date": _("The new date must be later than the current due date (%(due)s).")
                                   % {"due": _d(deadline.due_date)}})
        limit = max_extended_date(deadline)
        if limit is not None and new_date > limit:
            raise ValidationError(
                {"new_date": _("The law allows at most %(term)s from the start, i.e. until %(limit)s.")
                 % {"term": term_text(deadline.kind.max_extension_amount, deadline.kind.max_extension_unit),
                    "limit": _d(limit)}}
            )
        extension = Extension.objects.create(
            deadline=deadline, new_date=new_date, reason=reason.strip(), decided_on=decided_on,
            previous_due_date=deadline.due_date, created_by=actor,
        )
        old, new = _apply(deadline)
        record(
            actor, Action.DEADLINE_CHANGED,
            _("New date for handling the case (art. 36 KPA): %(new)s (was %(old)s). Reasons: %(reason)s")
            % {"new": _d(new), "old": _d(old), "reason": extension.reason},
            case=case, data={"extension": extension.pk, "old_due": old.isoformat(), "due": new.isoformat()},
        )
    return extension


# --- the notice to the party --------------------------------------------------------------------------------------


def notice_context(extension: Extension) -> dict:
    deadline = extension.deadline
    case = deadline.case
    parties = [link.correspondent for link in case.party_links.select_related("correspondent")]
    return {
        "case": case,
        "deadline": deadline,
        "kind": deadline.kind,
        "extension": extension,
        "parties": parties,
        "start": _d(deadline.start_date),
        "previous_due": _d(extension.previous_due_date),
        "new_date": _d(extension.new_date),
        "decided_on": _d(extension.decided_on),
    }


def notice_blocks(extension: Extension) -> list[tuple[str, str]]:
    """The notice, always in Polish (it goes to the party), as (style, text) paragraphs; style is "heading",
    "right" (place and date, addressee, signature) or "body"."""
    with translation.override("pl"):
        source = render_to_string("deadlines/notice_art36.txt", notice_context(extension))
    blocks: list[tuple[str, str]] = []
    for chunk in source.split("\n\n"):
        right: list[str] = []
        body: list[str] = []
        for line in chunk.strip("\n").split("\n"):
            if line.startswith("# "):
                blocks.append(("heading", line[2:].strip()))
            elif line.startswith(">> "):
                right.append(line[3:].rstrip())
            elif line.strip():
                body.append(line.rstrip())
        if right:
            blocks.append(("right", "\n".join(right)))
        if body:
            blocks.append(("body", "\n".join(body)))
    return blocks


def notice_text(extension: Extension) -> str:
    return "\n\n".join(text for _style, text in notice_blocks(extension)) + "\n"


def notice_docx(extension: Extension) -> bytes:
    """The notice as an editable DOCX draft."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    document = docx.Document()
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(12)
    for kind, text in notice_blocks(extension):
        paragraph = document.add_paragraph()
        run = paragraph.add_run(text)
        if kind == "heading":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run.bold = True
        elif kind == "right":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        else:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def notice_filename(extension: Extension) -> str:
    sign = extension.deadline.case.sign.replace("/", "-")
    return f"zawiadomienie-art36-{sign}.docx"


def save_notice_as_document(extension: Extension, *, actor):
    """Store the draft notice in the case file (a draft letter), once per extension."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from registry.models import DocumentKind
    from registry.services.documents import add_document

    with transaction.atomic():
        extension = Extension.objects.select_for_update().select_related("deadline__case").get(pk=extension.pk)
        if extension.notice_document_id:
            return extension.notice_document
        upload = SimpleUploadedFile(
            notice_filename(extension), notice_docx(extension),
            content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
        with translation.override("pl"):
            title = _("Notice of failure to handle the case on time (art. 36 KPA)")
        document = add_document(
            actor=actor, title=title, kind=DocumentKind.DRAFT, upload=upload, case=extension.deadline.case,
        )
        extension.notice_document = document
        extension.save(update_fields=["notice_document"])
    return document
