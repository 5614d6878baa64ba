"""Titles of documents created from deliveries and uploads: what the letter is, not what its file was called.

The file name ("skan0001.pdf", "dokument-epuap.xml") stays on the version (`original_name`); the title is what
clerks read in lists and in the metryka, so it is made from the delivery's subject and the kind of copy, e.g.
"Wniosek o wydanie zaświadczenia (skan)" or "Wniosek o wydanie zaświadczenia – załącznik 2 (ePUAP)"."""

from django.utils.translation import gettext as _

from registry.models import Channel, Form

TITLE_MAX = 500
# IK: when the clerk cannot tell the subject, "brak danych" is written; a title of only that says nothing.
NO_DATA = "brak danych"


def copy_kind(*, channel: str, form: str) -> str:
    """How the office holds this copy: a scan of paper, or the electronic original from its channel."""
    if form == Form.PAPER:
        return _("scan")
    return {
        Channel.EPUAP: _("ePUAP"),
        Channel.EDORECZENIA: _("e-Doręczenia"),
        Channel.EMAIL: _("e-mail"),
    }.get(channel, _("electronic document"))


def delivery_document_title(delivery, index: int) -> str:
    """Title of the `index`-th file of a delivery (0 is the letter itself, the rest its attachments)."""
    subject = (delivery.subject or "").strip()
    if not subject or subject.casefold() == NO_DATA:
        subject = _("Letter %(rpw)s") % {"rpw": delivery.rpw}
    kind = copy_kind(channel=delivery.channel, form=delivery.form)
    if index == 0:
        return _fit(subject, f" ({kind})")
    return _fit(subject, " – " + _("attachment %(number)d (%(kind)s)") % {"number": index, "kind": kind})


def case_document_title(case, kind_label: str) -> str:
    """Default title of a document uploaded into a case without one: its kind and the case title."""
    return _fit(f"{kind_label[:1].upper()}{kind_label[1:]} – {case.title}", "")


def _fit(subject: str, suffix: str) -> str:
    """Shorten the subject, never the suffix, so the kind of copy is always readable."""
    room = TITLE_MAX - len(suffix)
    if len(subject) > room:
        subject = subject[: room - 1].rstrip() + "…"
    return subject + suffix
