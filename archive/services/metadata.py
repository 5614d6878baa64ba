"""Filling in the NES elements that cannot be derived (description, language, access, rights, addressee)."""

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from archive.models import DocumentMetadata
from registry.models import Action
from registry.services.history import record

FIELDS = ("description", "language", "access", "rights", "addressee")
LANGUAGE_RE = re.compile(r"^[a-z]{3}$")


def update_metadata(*, actor, document, may_edit: bool, **values) -> DocumentMetadata:
    if not may_edit:
        raise PermissionDenied(_("You may not change the metadata of this document."))
    from registry.services.cases import ensure_not_in_archive

    if not _archivist(actor):
        # Once archived, only the archivist completes the description of the files.
        ensure_not_in_archive(document.case)
    cleaned = {k: (values.get(k) or "").strip() for k in FIELDS}
    if cleaned["language"] and not LANGUAGE_RE.match(cleaned["language"]):
        raise ValidationError({"language": _("A language is a three-letter ISO 639-2 code, e.g. pol, eng, deu.")})
    with transaction.atomic():
        meta = DocumentMetadata.objects.select_for_update().filter(document=document).first()
        before = {k: getattr(meta, k) for k in FIELDS} if meta else dict.fromkeys(FIELDS, "")
        changed = [k for k in FIELDS if before[k] != cleaned[k]]
        if meta is not None and not changed:
            return meta
        meta, _created = DocumentMetadata.objects.update_or_create(
            document=document, defaults=cleaned | {"updated_by": actor}
        )
        if changed:
            record(
                actor, Action.METADATA_CHANGED,
                _("Metadata of “%(title)s” changed: %(fields)s.")
                % {"title": document.title,
                   "fields": "; ".join(f"{DocumentMetadata._meta.get_field(k).verbose_name}: {cleaned[k] or '—'}"
                                       for k in changed)},
                case=document.case, delivery=document.delivery, document=document,
            )
    return meta


def _archivist(user) -> bool:
    from archive.permissions import is_archivist

    return is_archivist(user)
