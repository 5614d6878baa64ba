"""Finding and merging correspondents."""

import re

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from obieg.text import fold
from registry.models import Action, Case, CaseParty, Correspondent, Delivery, OutgoingItem
from registry.services.history import record


def find(query: str, limit: int = 10):
    """Search as you type: every word typed must start a word of the name, town or an identifier.
    Uses the GIN index on to_tsvector('simple', search_text); diacritics are folded on both sides."""
    words = [re.sub(r"[^\w]", "", w) for w in fold(query).split()]
    words = [w for w in words if w][:6]
    qs = Correspondent.objects.filter(merged_into__isnull=True)
    if not words:
        return qs.none()
    tsquery = " & ".join(f"{w}:*" for w in words)
    return (
        qs.annotate(words=SearchVector("search_text", config="simple"))
        .filter(words=SearchQuery(tsquery, search_type="raw", config="simple"))
        .order_by("last_name", "name", "first_name")[:limit]
    )


def merge(keep: Correspondent, duplicate: Correspondent, *, actor) -> Correspondent:
    """Move every reference from `duplicate` to `keep`; the duplicate stays, marked as merged, for history."""
    if keep.pk == duplicate.pk:
        raise ValidationError(_("Choose two different correspondents."))
    if duplicate.merged_into_id:
        raise ValidationError(_("This correspondent was already merged."))
    with transaction.atomic():
        for field in ("pesel", "nip", "regon", "krs", "email", "epuap_address", "ade", "street", "building_number",
                      "flat_number", "postal_code", "city"):
            if not getattr(keep, field) and getattr(duplicate, field):
                setattr(keep, field, getattr(duplicate, field))
        keep.save()
        deliveries = list(Delivery.objects.filter(sender=duplicate).values_list("pk", "year", "number", "case_id"))
        items = list(OutgoingItem.objects.filter(recipient=duplicate).values_list("pk", "year", "number", "case_id"))
        Delivery.objects.filter(sender=duplicate).update(sender=keep)
        OutgoingItem.objects.filter(recipient=duplicate).update(recipient=keep)
        for link in CaseParty.objects.filter(correspondent=duplicate):
            if CaseParty.objects.filter(case_id=link.case_id, correspondent=keep, role=link.role).exists():
                link.delete()
            else:
                link.correspondent = keep
                link.save(update_fields=["correspondent"])
        duplicate.merged_into = keep
        duplicate.save(update_fields=["merged_into"])
        text = _("Correspondent %(dup)s merged into %(keep)s.") % {"dup": duplicate, "keep": keep}
        for case in Case.objects.filter(party_links__correspondent=keep).distinct():
            record(actor, Action.CASE_UPDATED, text, case=case)
        # Each delivery and outgoing item whose sender or recipient changed has it in its own metryka, also when it
        # belongs to no case.
        for pk, year, number, case_id in deliveries:
            record(actor, Action.OTHER, _("Sender of %(number)s: %(text)s")
                   % {"number": f"RPW/{number}/{year}", "text": text}, delivery=Delivery(pk=pk, case_id=case_id))
        for pk, year, number, case_id in items:
            record(actor, Action.OTHER, _("Recipient of %(number)s: %(text)s")
                   % {"number": f"RPWych/{number}/{year}", "text": text},
                   outgoing_item=OutgoingItem(pk=pk, case_id=case_id))
    return keep


IDENTIFYING_FIELDS = ("ade", "pesel", "nip", "regon", "krs", "epuap_address")


def get_or_create(data: dict) -> Correspondent:
    """Reuse a correspondent with the same identifier (ADE, PESEL, NIP, REGON, KRS, ePUAP) or create one."""
    for field in IDENTIFYING_FIELDS:
        value = data.get(field)
        if value:
            found = Correspondent.objects.filter(merged_into__isnull=True, **{field: value}).first()
            if found:
                return found
    correspondent = Correspondent(**data)
    correspondent.full_clean(exclude=["search_text"])
    correspondent.save()
    return correspondent


EDITABLE_FIELDS = (
    "kind", "first_name", "last_name", "name", "pesel", "nip", "regon", "krs", "street", "building_number",
    "flat_number", "postal_code", "city", "country", "email", "epuap_address", "ade",
)


def update(correspondent: Correspondent, data: dict) -> Correspondent:
    """Change a correspondent's details (validated like a new one). Merged correspondents stay as they were."""
    if correspondent.merged_into_id:
        raise ValidationError(_("This correspondent was merged into another one; edit that one instead."))
    for field in EDITABLE_FIELDS:
        if field in data:
            setattr(correspondent, field, data[field])
    correspondent.full_clean(exclude=["search_text", "merged_into"])
    correspondent.save()
    return correspondent
