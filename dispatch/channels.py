"""Which channel an addressee gets (UDE art. 4: e-Doręczenia when the addressee has an ADE; otherwise the hybrid
service or registered paper mail with a return receipt, as the office configures), and finding the ADE.

The UA API 3.0.8 has no search of the address base (BAE): the yaml only addresses one's own mailbox. So the lookup
is an adapter (settings.DISPATCH_ADE_LOOKUP, a dotted path to `lookup(correspondent) -> str`), unverified against
the real BAE service; what it finds is remembered on the correspondent."""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from registry import validators
from registry.models import OutgoingChannel

ELECTRONIC = {OutgoingChannel.EDORECZENIA}
POSTAL = {OutgoingChannel.HYBRID, OutgoingChannel.POST_REGISTERED, OutgoingChannel.POST_ORDINARY,
          OutgoingChannel.COURIER}
# The channels dispatch sends through; the others (ePUAP, e-mail, personal collection) stay manual register entries.
SUPPORTED = ELECTRONIC | POSTAL


@dataclass
class Choice:
    channel: str
    reason: str
    ade: str = ""


def lookup_ade(correspondent) -> str:
    """The addressee's ADE: the one on record, else what the configured lookup finds (then remembered)."""
    if correspondent.ade:
        return correspondent.ade
    path = settings.DISPATCH_ADE_LOOKUP
    if not path:
        return ""
    found = (import_string(path)(correspondent) or "").strip()
    if not found:
        return ""
    try:
        validators.validate_ade(found)
    except ValidationError:
        return ""
    correspondent.ade = found
    correspondent.save(update_fields=["ade", "search_text", "updated_at"])
    return found


def has_postal_address(correspondent) -> bool:
    return bool(correspondent.street or correspondent.city) and bool(correspondent.postal_code and correspondent.city)


def choose(correspondent) -> Choice:
    ade = lookup_ade(correspondent)
    if ade:
        return Choice(OutgoingChannel.EDORECZENIA, _("The addressee has an address for electronic deliveries."), ade)
    paper = settings.DISPATCH_PAPER_CHANNEL
    return Choice(paper, _("The addressee has no address for electronic deliveries (UDE art. 4)."))


def postal_address(correspondent) -> dict:
    return {
        "name": correspondent.display_name, "street": correspondent.street,
        "building": correspondent.building_number, "flat": correspondent.flat_number,
        "postal_code": correspondent.postal_code, "city": correspondent.city, "country": correspondent.country or "PL",
    }


def address_problem(channel: str, correspondent, ade: str = "") -> str | None:
    if channel in ELECTRONIC:
        if not (ade or correspondent.ade):
            return _("%(who)s has no address for electronic deliveries (ADE): choose a paper channel.") % {
                "who": correspondent}
        return None
    if channel in POSTAL and not has_postal_address(correspondent):
        return _("%(who)s has no postal address (street or town and postal code): add it to the correspondent "
                 "first.") % {"who": correspondent}
    return None
