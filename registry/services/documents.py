"""Documents and their versions. A version is immutable; a change is a new version with the next number."""

from datetime import timedelta

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from registry import signals
from registry.models import Action, Document, DocumentVersion, HistoryEntry
from registry.services.files import CheckedUpload, check_upload, remember_stored_file, removing_files_on_error
from registry.services.history import record


def add_document(
    *, actor, title, kind, upload, case=None, delivery=None, comment="", on_behalf_of=None, checked=None
) -> Document:
    from registry.services.cases import ensure_not_in_archive

    ensure_not_in_archive(case)
    checked = checked or check_upload(upload)
    with removing_files_on_error(), transaction.atomic():
        document = Document.objects.create(title=title, kind=kind, case=case, delivery=delivery, created_by=actor)
        version = _create_version(document, checked, actor=actor, comment=comment)
        record(
            actor, Action.DOCUMENT_ADDED,
            _("Added document “%(title)s” (%(file)s, %(size)d B, SHA-256 %(sha)s).")
            % {"title": title, "file": checked.original_name, "size": checked.size, "sha": checked.sha256[:16]},
            case=case, delivery=delivery, document=document, document_version=version, on_behalf_of=on_behalf_of,
        )
        signals.document_version_added.send(sender=DocumentVersion, version=version, actor=actor)
    return document


def store_version(document: Document, upload, *, actor, comment="", on_behalf_of=None) -> DocumentVersion:
    from registry.services.cases import ensure_not_in_archive

    ensure_not_in_archive(document.case)
    checked = check_upload(upload)
    with removing_files_on_error(), transaction.atomic():
        # Lock the document row so two editors cannot both create "version 3".
        Document.objects.select_for_update().get(pk=document.pk)
        version = _create_version(document, checked, actor=actor, comment=comment)
        record(
            actor, Action.DOCUMENT_VERSION_ADDED,
            _("New version %(number)d of “%(title)s” (%(file)s). %(comment)s")
            % {"number": version.number, "title": document.title, "file": checked.original_name, "comment": comment},
            case=document.case, delivery=document.delivery, document=document, document_version=version,
            on_behalf_of=on_behalf_of,
        )
        signals.document_version_added.send(sender=DocumentVersion, version=version, actor=actor)
    return version


def _create_version(document, checked: CheckedUpload, *, actor, comment) -> DocumentVersion:
    last = document.versions.aggregate(last=Max("number"))["last"] or 0
    version = DocumentVersion(
        document=document,
        number=last + 1,
        original_name=checked.original_name,
        size=checked.size,
        sha256=checked.sha256,
        mime_type=checked.mime_type,
        comment=comment,
        created_by=actor,
        created_at=timezone.now(),
    )
    version.file.save("upload", checked.file, save=False)
    remember_stored_file(version.file.storage, version.file.name)
    version.save()
    return version


# A page reloaded or opened again within this interval by the same person is the same look, not a new entry.
VIEW_RECORD_INTERVAL = timedelta(minutes=30)


def record_view(document: Document, *, actor, version: DocumentVersion | None = None, downloaded: bool = False):
    """Record in the metryka that `actor` opened (or downloaded a version of) a document of a *confidential* case.

    Only confidential cases: there access is limited to named people and who read what is part of the record;
    logging every look at an ordinary case would bury the metryka's real actions. A download is always recorded
    (each one is a copy leaving the system); a page view at most once per VIEW_RECORD_INTERVAL and person.
    Returns the entry, or None when nothing was recorded."""
    case = document.case
    if case is None or not case.confidential:
        return None
    with transaction.atomic():
        if not downloaded and HistoryEntry.objects.filter(
            case=case, document=document, actor=actor, action=Action.DOCUMENT_VIEWED,
            at__gte=timezone.now() - VIEW_RECORD_INTERVAL,
        ).exists():
            return None
        if downloaded:
            description = _("Downloaded version %(number)d of “%(title)s”.") % {
                "number": version.number, "title": document.title}
        else:
            description = _("Opened the document “%(title)s”.") % {"title": document.title}
        return record(actor, Action.DOCUMENT_VIEWED, description, case=case, document=document,
                      document_version=version if downloaded else None)
