"""Writing the metryka. Every service that changes a case, a delivery or a document calls `record` in the same
transaction as the change."""

from registry.models import Action, HistoryEntry


def record(
    actor,
    action: str,
    description: str,
    *,
    case=None,
    delivery=None,
    document=None,
    document_version=None,
    outgoing_item=None,
    on_behalf_of=None,
    data=None,
) -> HistoryEntry:
    if case is None and delivery is not None:
        case = delivery.case
    if case is None and document is not None:
        case = document.case
    if case is None and outgoing_item is not None:
        case = outgoing_item.case
    return HistoryEntry.objects.create(
        actor=actor,
        actor_name=actor.get_full_name() or actor.username,
        actor_position=getattr(actor, "position_title", ""),
        on_behalf_of=on_behalf_of,
        action=action,
        description=description,
        case=case,
        delivery=delivery,
        document=document or (document_version.document if document_version else None),
        document_version=document_version,
        outgoing_item=outgoing_item,
        data=data or {},
    )


__all__ = ["Action", "record"]
