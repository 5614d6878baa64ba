"""Everything checked before anything leaves the office: an address for the channel, the documents' files against
the service's rules, and the signature of what must be signed. Problems are Polish sentences for the clerk."""

from dispatch import attachments, channels
from dispatch.signature import signature_problem
from registry.models import OutgoingChannel


def files_of(shipment) -> list[tuple]:
    """(document, its current version) of each document to send, in order."""
    return [(d, d.current_version) for d in shipment.documents.order_by("pk").prefetch_related("versions")]


def versions_to_send(shipment) -> list:
    """The current version of each document to send (what goes out as the message's attachments)."""
    return [version for _document, version in files_of(shipment) if version is not None]


def preflight(shipment) -> list[str]:
    item = shipment.item
    found = []
    problem = channels.address_problem(item.channel, item.recipient, shipment.ade)
    if problem:
        found.append(problem)
    pairs = files_of(shipment)
    for document, version in pairs:
        if version is None:
            found.append(f"“{document.title}”: —")
            continue
        problem = signature_problem(document)
        if problem:
            found.append(problem)
    if item.channel in (OutgoingChannel.EDORECZENIA, OutgoingChannel.HYBRID):
        files = [attachments.File(v.original_name, v.size, v.mime_type) for _d, v in pairs if v is not None]
        found += attachments.problems(files, hybrid=item.channel == OutgoingChannel.HYBRID)
    elif not pairs:
        found += attachments.problems([])
    return found
