"""Opening and running cases (sprawy). The znak sprawy is UNIT.JRWA.N.YEAR, N counted per unit, class and year."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from registry import signals
from registry.models import Action, Case, CaseParty, CaseStatus, Delivery, JrwaClass
from registry.services import numbering
from registry.services.history import record


def case_sign(unit_symbol: str, jrwa_symbol: str, number: int, year: int) -> str:
    return f"{unit_symbol}.{jrwa_symbol}.{number}.{year}"


def is_in_archive(case) -> bool:
    """The office archive holds the case (archive.CaseCustody): it is read-only from then on."""
    return Case.objects.filter(pk=case.pk, custody__isnull=False).exists()


def ensure_not_in_archive(case) -> None:
    if case is not None and is_in_archive(case):
        raise ValidationError(
            _("Case %(sign)s is in the office archive and can no longer be changed.") % {"sign": case.sign}
        )


def validate_jrwa_for_case(jrwa_class: JrwaClass | None, on_day) -> None:
    if jrwa_class is None:
        raise ValidationError({"jrwa_class": _("Choose a JRWA class.")})
    if not jrwa_class.is_leaf:
        raise ValidationError(
            {"jrwa_class": _("Class %(symbol)s is not a last-level class; cases are registered only under those.")
             % {"symbol": jrwa_class.symbol}}
        )
    version = jrwa_class.version
    if version.valid_from > on_day or (version.valid_to and version.valid_to < on_day):
        raise ValidationError(
            {"jrwa_class": _("Class %(symbol)s belongs to a JRWA version not in force on %(day)s.")
             % {"symbol": jrwa_class.symbol, "day": on_day}}
        )


def open_case(
    *, actor, unit, jrwa_class, title, case_worker, delivery=None, started_on=None, confidential=False,
    parties=(), participants=(), on_behalf_of=None, deadline_kind=None,
) -> Case:
    """Open a case from a delivery or on the office's own initiative (delivery=None). `deadline_kind` is the kind
    of statutory deadline the person confirmed or chose (the deadlines app proposes one when it is None)."""
    if delivery is not None and started_on is None:
        started_on = timezone.localtime(delivery.received_at).date()
    started_on = started_on or timezone.localdate()
    if started_on > timezone.localdate():
        raise ValidationError({"started_on": _("A case cannot start in the future.")})
    validate_jrwa_for_case(jrwa_class, started_on)
    if not (title or "").strip():
        raise ValidationError({"title": _("Enter the case title.")})
    if not unit.active:
        raise ValidationError({"unit": _("This unit is no longer active.")})
    with transaction.atomic():
        if delivery is not None:
            delivery = Delivery.objects.select_for_update().get(pk=delivery.pk)
            if delivery.case_id:
                raise ValidationError(
                    _("Delivery %(rpw)s already belongs to case %(sign)s.")
                    % {"rpw": delivery.rpw, "sign": delivery.case.sign}
                )
        year = started_on.year
        number = numbering.next_case_number(unit.pk, jrwa_class.pk, year)
        case = Case.objects.create(
            unit=unit,
            jrwa_class=jrwa_class,
            year=year,
            number=number,
            sign=case_sign(unit.symbol, jrwa_class.symbol, number, year),
            title=title.strip(),
            started_on=started_on,
            case_worker=case_worker,
            created_by=actor,
            initiating_delivery=delivery,
            confidential=confidential,
        )
        if participants:
            case.participants.set(participants)
        for correspondent, role in parties:
            CaseParty.objects.create(case=case, correspondent=correspondent, role=role)
        record(
            actor, Action.CASE_OPENED,
            _("Opened case %(sign)s “%(title)s”, case worker %(worker)s%(source)s.")
            % {
                "sign": case.sign, "title": case.title, "worker": case_worker,
                "source": (_(", from delivery %(rpw)s") % {"rpw": delivery.rpw}) if delivery else _(", own initiative"),
            },
            case=case, on_behalf_of=on_behalf_of,
        )
        if delivery is not None:
            _attach(case, delivery, actor=actor, on_behalf_of=on_behalf_of)
            if delivery.sender_id and not parties:
                CaseParty.objects.get_or_create(
                    case=case, correspondent_id=delivery.sender_id, role=CaseParty.Role.APPLICANT
                )
        signals.case_opened.send(sender=Case, case=case, delivery=delivery, actor=actor, deadline_kind=deadline_kind)
    return case


def _attach(case, delivery, *, actor, on_behalf_of=None):
    delivery.case = case
    delivery.status = Delivery.Status.IN_CASE
    if delivery.assigned_unit_id is None:
        delivery.assigned_unit_id = case.unit_id
    delivery.save(update_fields=["case", "status", "assigned_unit"])
    delivery.documents.update(case=case)
    record(
        actor, Action.DELIVERY_ATTACHED,
        _("Delivery %(rpw)s (%(subject)s) attached to the case.") % {"rpw": delivery.rpw, "subject": delivery.subject},
        case=case, delivery=delivery, on_behalf_of=on_behalf_of,
    )


def attach_delivery(case, delivery, *, actor, on_behalf_of=None) -> Delivery:
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().get(pk=delivery.pk)
        if delivery.case_id == case.pk:
            return delivery
        if delivery.case_id:
            raise ValidationError(
                _("Delivery %(rpw)s already belongs to case %(sign)s.")
                % {"rpw": delivery.rpw, "sign": delivery.case.sign}
            )
        if case.status == CaseStatus.CLOSED:
            raise ValidationError(_("Case %(sign)s is closed; reopen it first.") % {"sign": case.sign})
        ensure_not_in_archive(case)
        _attach(case, delivery, actor=actor, on_behalf_of=on_behalf_of)
        signals.delivery_attached.send(sender=Case, case=case, delivery=delivery, actor=actor)
    return delivery


ALLOWED_TRANSITIONS = {
    CaseStatus.OPEN: {CaseStatus.SUSPENDED, CaseStatus.CLOSED},
    CaseStatus.SUSPENDED: {CaseStatus.OPEN, CaseStatus.CLOSED},
    CaseStatus.CLOSED: {CaseStatus.OPEN},
}
STATUS_ACTIONS = {
    (CaseStatus.OPEN, CaseStatus.SUSPENDED): Action.CASE_SUSPENDED,
    (CaseStatus.SUSPENDED, CaseStatus.OPEN): Action.CASE_RESUMED,
    (CaseStatus.OPEN, CaseStatus.CLOSED): Action.CASE_CLOSED,
    (CaseStatus.SUSPENDED, CaseStatus.CLOSED): Action.CASE_CLOSED,
    (CaseStatus.CLOSED, CaseStatus.OPEN): Action.CASE_REOPENED,
}


def change_status(case, *, actor, status, remarks="", on_day=None, on_behalf_of=None) -> Case:
    on_day = on_day or timezone.localdate()
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        ensure_not_in_archive(case)
        old = case.status
        if status not in ALLOWED_TRANSITIONS[old]:
            raise ValidationError(
                _("A case that is “%(old)s” cannot become “%(new)s”.")
                % {"old": case.get_status_display(), "new": CaseStatus(status).label}
            )
        if on_day < case.started_on:
            raise ValidationError(_("The date cannot be before the case started."))
        case.status = status
        if status == CaseStatus.CLOSED:
            case.closed_on = on_day
            case.closing_remarks = remarks
        elif old == CaseStatus.CLOSED:
            case.closed_on = None
        case.save(update_fields=["status", "closed_on", "closing_remarks"])
        record(
            actor, STATUS_ACTIONS[(old, status)],
            (_("Status changed to “%(status)s” on %(day)s.") % {"status": case.get_status_display(), "day": on_day})
            + (f" {remarks}" if remarks else ""),
            case=case, on_behalf_of=on_behalf_of, data={"old": old, "new": status, "on_day": on_day.isoformat()},
        )
        signals.case_status_changed.send(
            sender=Case, case=case, old_status=old, new_status=status, actor=actor, on_day=on_day
        )
    return case


def set_case_worker(case, *, actor, user, on_behalf_of=None) -> Case:
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        ensure_not_in_archive(case)
        old = case.case_worker
        case.case_worker = user
        case.save(update_fields=["case_worker"])
        record(
            actor, Action.CASE_WORKER_CHANGED,
            _("Case worker changed from %(old)s to %(new)s.") % {"old": old, "new": user},
            case=case, on_behalf_of=on_behalf_of,
        )
    return case


def add_party(case, correspondent, *, actor, role=CaseParty.Role.PARTY) -> CaseParty:
    ensure_not_in_archive(case)
    with transaction.atomic():
        party, created = CaseParty.objects.get_or_create(case=case, correspondent=correspondent, role=role)
        if created:
            record(
                actor, Action.PARTY_ADDED,
                _("Added %(who)s as %(role)s.") % {"who": correspondent, "role": party.get_role_display()},
                case=case,
            )
    return party


def correct_jrwa_class(case, *, actor, jrwa_class, reason, on_behalf_of=None) -> Case:
    """An audited correction of the case's JRWA class. The case gets the next number in the new class's case list
    (the sign carries the class symbol); the old sign stays in the metryka. Retention follows (signal)."""
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for the correction.")})
    with transaction.atomic():
        case = Case.objects.select_for_update().select_related("jrwa_class", "unit").get(pk=case.pk)
        ensure_not_in_archive(case)
        if jrwa_class is not None and jrwa_class.pk == case.jrwa_class_id:
            raise ValidationError({"jrwa_class": _("The case already has this class.")})
        validate_jrwa_for_case(jrwa_class, case.started_on)
        old_class, old_sign = case.jrwa_class, case.sign
        case.jrwa_class = jrwa_class
        case.number = numbering.next_case_number(case.unit_id, jrwa_class.pk, case.year)
        case.sign = case_sign(case.unit.symbol, jrwa_class.symbol, case.number, case.year)
        case.save(update_fields=["jrwa_class", "number", "sign"])
        record(
            actor, Action.JRWA_CLASS_CHANGED,
            _("JRWA class corrected from %(old)s to %(new)s; case sign %(old_sign)s became %(new_sign)s. Reason: "
              "%(reason)s")
            % {"old": old_class.symbol, "new": jrwa_class.symbol, "old_sign": old_sign, "new_sign": case.sign,
               "reason": reason.strip()},
            case=case, on_behalf_of=on_behalf_of,
            data={"old_class": old_class.pk, "new_class": jrwa_class.pk, "old_sign": old_sign, "new_sign": case.sign},
        )
        signals.case_class_changed.send(sender=Case, case=case, old_class=old_class, actor=actor)
    return case
