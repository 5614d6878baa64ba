"""Archival packages for the state archive (category A, domain.md § 6.4–6.5):

    queued ──build (Celery)──▶ building ──(written, read back, valid)──▶ ready ──record_transfer──▶ transferred
                                   └──(a file breaks the schema, or an error)──▶ failed ──rebuild──▶ queued

A package is offered for download only once it was read back and validated. A build holds a session advisory lock
on its package for as long as it runs; a worker killed mid-build loses its connection and so the lock, which is how
a `building` package is known to be stalled: the redelivered task (acks_late) or the archivist's "build again" then
writes the file from nothing, so nothing is half-offered and no document is counted twice.
The transfer is recorded only with the state archive's confirmation (reference and date)."""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.models import Count, Exists, Max, OuterRef
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from archive.models import CaseCustody, CaseRetention, Loan, LoanStatus, RetentionKind
from archive.package import verify, writer
from archive.package.schema import InvalidPackage
from archive.package_models import HOLDING, ArchivalPackage, PackageItem, PackageStatus
from archive.permissions import is_archivist
from registry.access import scope_for
from registry.models import Action, Case
from registry.services.history import record


def _require_archivist(user):
    if not is_archivist(user):
        raise PermissionDenied(_("Only the archivist prepares archival packages."))


def in_a_package(qs):
    return qs.filter(Exists(PackageItem.objects.filter(case_id=OuterRef("pk"), package__status__in=HOLDING)))


def candidates(user):
    """Archived category A files that may go into a new package."""
    cases = scope_for(user).cases(Case.objects.all()).filter(custody__isnull=False, retention__kind=RetentionKind.A)
    return cases.exclude(pk__in=in_a_package(Case.objects.all()).values("pk"))


def blockers(case) -> list[str]:
    reasons = []
    retention = CaseRetention.objects.filter(case=case).first()
    custody = CaseCustody.objects.filter(case=case).first()
    if custody is None:
        reasons.append(_("%(sign)s is not held by the office archive.") % {"sign": case.sign})
    elif custody.legal_hold:
        reasons.append(_("%(sign)s is under a legal hold: %(reason)s") % {"sign": case.sign,
                                                                           "reason": custody.legal_hold})
    if retention is None or retention.kind != RetentionKind.A:
        reasons.append(_("%(sign)s is not archival material (category A); only category A goes to the state "
                         "archive.") % {"sign": case.sign})
    if Loan.objects.filter(case=case, status__in=[LoanStatus.REQUESTED, LoanStatus.LENT]).exists():
        reasons.append(_("%(sign)s is lent out.") % {"sign": case.sign})
    if PackageItem.objects.filter(case=case, package__status__in=HOLDING).exists():
        reasons.append(_("%(sign)s is already in an archival package.") % {"sign": case.sign})
    return reasons


def create_package(*, actor, cases) -> ArchivalPackage:
    """A new package of `cases`; its file is built in the background (`archive.tasks.build_package`)."""
    _require_archivist(actor)
    cases = list(cases)
    if not cases:
        raise ValidationError(_("Choose the files for the archival package."))
    scope = scope_for(actor)
    problems = [_("%(sign)s cannot be seen by you.") % {"sign": c.sign} for c in cases if not scope.can_see_case(c)]
    problems += [reason for case in cases for reason in blockers(case)]
    if problems:
        raise ValidationError(problems)
    from archive.tasks import build_package

    counts = dict(Case.objects.filter(pk__in=[c.pk for c in cases]).annotate(n=Count("documents"))
                  .values_list("pk", "n"))
    with transaction.atomic():
        year = timezone.localdate().year
        # Serialise numbering (packages are rare): the lock keeps the numbers gap-free.
        list(ArchivalPackage.objects.select_for_update().filter(year=year).values_list("pk", flat=True))
        last = ArchivalPackage.objects.filter(year=year).aggregate(last=Max("number"))["last"] or 0
        package = ArchivalPackage.objects.create(year=year, number=last + 1, created_by=actor,
                                                 documents_total=sum(counts.values()))
        ordered = sorted(cases, key=lambda c: (c.unit_id, c.jrwa_class_id, c.year, c.number))
        PackageItem.objects.bulk_create(
            PackageItem(package=package, case=case, position=i, documents_count=counts[case.pk])
            for i, case in enumerate(ordered, 1)
        )
        for case in ordered:
            record(actor, Action.OTHER, _("Included in archival package %(sign)s for the state archive.")
                   % {"sign": package.sign}, case=case, data={"package": package.pk})
        build_package.delay_on_commit(package.pk)
    return package


def rebuild(*, actor, package) -> ArchivalPackage:
    _require_archivist(actor)
    from archive.tasks import build_package

    with transaction.atomic():
        package = ArchivalPackage.objects.select_for_update().get(pk=package.pk)
        if package.status == PackageStatus.QUEUED:
            return package
        if package.status == PackageStatus.BUILDING and is_stalled(package):
            pass
        elif package.status != PackageStatus.FAILED:
            raise ValidationError(_("Only a failed or stalled package is built again."))
        package.status, package.error, package.documents_done = PackageStatus.QUEUED, "", 0
        package.save(update_fields=["status", "error", "documents_done"])
        build_package.delay_on_commit(package.pk)
    return package


def _set(package, **fields):
    ArchivalPackage.objects.filter(pk=package.pk).update(**fields)


LOCK_SPACE = 0x0B1E_A7  # first key of pg_try_advisory_lock(int, int); the second is the package id


def _try_lock(package) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [LOCK_SPACE, package.pk])
        return cursor.fetchone()[0]


def _unlock(package) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [LOCK_SPACE, package.pk])


def is_stalled(package) -> bool:
    """A `building` package whose builder is gone (its lock is free)."""
    if package.status != PackageStatus.BUILDING:
        return False
    if not _try_lock(package):
        return False
    _unlock(package)
    return True


def build(package) -> ArchivalPackage:
    """Write, read back and validate the package file; idempotent (a ready package is left as it is, a build
    already running elsewhere is left to finish)."""
    if not _try_lock(package):
        return ArchivalPackage.objects.get(pk=package.pk)
    try:
        return _build(package)
    finally:
        _unlock(package)


def _build(package) -> ArchivalPackage:
    with transaction.atomic():
        package = ArchivalPackage.objects.select_for_update().get(pk=package.pk)
        if package.status in (PackageStatus.READY, PackageStatus.TRANSFERRED):
            return package
        package.status, package.documents_done, package.error = PackageStatus.BUILDING, 0, ""
        package.save(update_fields=["status", "documents_done", "error"])
    name = f"archive/packages/paczka-{package.year}-{package.number}.zip"
    local = _local_path(name)
    part = (local or os.path.join(tempfile.gettempdir(), os.path.basename(name))) + ".part"
    os.makedirs(os.path.dirname(part), exist_ok=True)
    try:
        # The package's XML is in Polish whichever language the worker runs in.
        with translation.override("pl"):
            writer.write(package, part, report=lambda done: _set(package, documents_done=done))
        report = verify.verify(part)
        sha, size = _sha256(part), os.path.getsize(part)
        if local:
            os.replace(part, local)
        else:
            with open(part, "rb") as source:
                name = default_storage.save(name, File(source))
            os.remove(part)
    except InvalidPackage as exc:
        _discard(part)
        _set(package, status=PackageStatus.FAILED,
             error=_("The package does not pass validation: %(problem)s") % {"problem": exc})
        return ArchivalPackage.objects.get(pk=package.pk)
    except Exception as exc:
        _discard(part)
        _set(package, status=PackageStatus.FAILED, error=_("The package could not be built: %(problem)s")
             % {"problem": exc})
        raise
    _set(package, status=PackageStatus.READY, file=name, size=size,
         sha256=sha, files_count=report["files"], documents_done=report["documents"], built_at=timezone.now())
    return ArchivalPackage.objects.get(pk=package.pk)


def record_transfer(*, actor, package, reference, confirmed_on) -> ArchivalPackage:
    """The state archive confirmed it took the package over: record it, with a metryka entry on every case."""
    _require_archivist(actor)
    if not (reference or "").strip():
        raise ValidationError({"reference": _("Enter the reference of the state archive's confirmation.")})
    if confirmed_on is None or confirmed_on > timezone.localdate():
        raise ValidationError({"confirmed_on": _("Enter the date of the confirmation (not in the future).")})
    with transaction.atomic():
        package = ArchivalPackage.objects.select_for_update().get(pk=package.pk)
        if package.status == PackageStatus.TRANSFERRED and package.transfer_reference == reference.strip():
            return package
        if package.status != PackageStatus.READY:
            raise ValidationError(_("Only a validated package is transferred to the state archive."))
        package.status, package.transfer_reference = PackageStatus.TRANSFERRED, reference.strip()
        package.transferred_on, package.transferred_by = confirmed_on, actor
        package.save(update_fields=["status", "transfer_reference", "transferred_on", "transferred_by"])
        for item in package.items.select_related("case").order_by("position"):
            record(actor, Action.OTHER,
                   _("Transferred to the state archive in archival package %(sign)s (confirmation %(ref)s of "
                     "%(day)s).") % {"sign": package.sign, "ref": package.transfer_reference,
                                     "day": confirmed_on.isoformat()},
                   case=item.case, data={"package": package.pk})
    return package


def _local_path(name):
    try:
        return default_storage.path(name)
    except NotImplementedError:
        return None


def _discard(path):
    with contextlib.suppress(FileNotFoundError):
        os.remove(path)


def _sha256(path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as source:
        while block := source.read(writer.CHUNK):
            digest.update(block)
    return digest.hexdigest()
