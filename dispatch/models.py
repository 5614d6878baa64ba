"""The outgoing half of the circulation: a shipment per outgoing register entry (what is sent, how, where it is in
the service) and the evidences the service or the post office returned for it.

The register entry itself stays `registry.OutgoingItem` (number, addressee, channel, dates); a `Shipment` holds the
sending state, the keys that make a send happen once, and the computed delivery dates with their reasons."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    """Our states; the e-Doręczenia message statuses (domain.md § 4.3) map onto the later ones."""

    WAITING = "waiting", _("waiting for dispatch")
    QUEUED = "queued", _("queued for sending")
    SENDING = "sending", _("being sent")
    FAILED = "failed", _("sending failed")
    SUBMITTED = "submitted", _("Submitted")  # Nadana (A.1)
    SENT = "sent", _("Sent")  # Wysłana
    AWAITING = "awaiting", _("Awaiting delivery")  # Czeka na doręczenie (D.1)
    DELIVERED = "delivered", _("Delivered")  # Doręczona (E.1 / ZPO signed)
    DEEMED = "deemed", _("Deemed delivered")  # Uznana za doręczoną
    UNDELIVERED = "undelivered", _("Not delivered")  # Niedoręczona


SENDABLE = (State.WAITING, State.FAILED)
IN_SERVICE = (State.SUBMITTED, State.SENT, State.AWAITING)
FINAL = (State.DELIVERED, State.DEEMED, State.UNDELIVERED)


class Shipment(models.Model):
    item = models.OneToOneField(
        "registry.OutgoingItem", primary_key=True, on_delete=models.CASCADE, related_name="shipment",
        verbose_name=_("outgoing item"),
    )
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.WAITING, db_index=True)
    documents = models.ManyToManyField("registry.Document", related_name="shipments", verbose_name=_("documents sent"))
    channel_reason = models.CharField(_("reason for the channel"), max_length=300, blank=True)
    ade = models.CharField(_("address for electronic deliveries (ADE)"), max_length=40, blank=True)
    postal_address = models.JSONField(_("postal address"), default=dict, blank=True)
    public_addressee = models.BooleanField(
        _("the addressee is a public entity"), default=False,
        help_text=_("No deemed delivery for public entities (their mailboxes confirm receipt at once)."),
    )
    # Sending once: the key is stored (committed) before anything is sent and travels with the message, so after
    # a crash or a timeout the service is asked what it has under that key instead of sending again.
    send_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    draft_id = models.CharField(_("draft identifier"), max_length=100, blank=True)
    task_id = models.CharField(_("send task identifier"), max_length=100, blank=True)
    message_id = models.CharField(_("message identifier"), max_length=100, blank=True)
    thread_id = models.CharField(_("thread identifier"), max_length=100, blank=True)
    ref_to_message_id = models.CharField(_("in reply to message"), max_length=100, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True, editable=False)
    last_error = models.TextField(_("reason of the failure"), blank=True)
    queued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("sent by"),
    )
    polls = models.PositiveSmallIntegerField(default=0, editable=False)
    next_poll_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # Dates of delivery.
    submitted_at = models.DateTimeField(_("submitted (A.1)"), null=True, blank=True)
    available_at = models.DateTimeField(_("made available (D.1)"), null=True, blank=True)
    received_at = models.DateTimeField(_("received (E.1)"), null=True, blank=True)
    first_notice_on = models.DateField(_("first notice (awizo)"), null=True, blank=True)
    second_notice_on = models.DateField(_("second notice"), null=True, blank=True)
    delivered_on = models.DateField(_("date of delivery"), null=True, blank=True)
    delivery_basis = models.JSONField(_("why this date"), default=list, blank=True)
    deemed_on = models.DateField(_("deemed delivered on"), null=True, blank=True)

    class Meta:
        verbose_name = _("shipment")
        verbose_name_plural = _("shipments")
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="shipment_retry")]

    def __str__(self):
        return str(self.item)


class Evidence(models.Model):
    """An evidence of the service (A.1, D.1, E.1, failures, hybrid H.*) or a returned paper ZPO."""

    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="evidences")
    code = models.CharField(_("code"), max_length=10)
    evidence_id = models.CharField(_("evidence identifier"), max_length=200, blank=True)
    event_at = models.DateTimeField(_("time of the event"), null=True, blank=True)
    document = models.ForeignKey(
        "registry.Document", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("evidence document"),
    )
    data = models.JSONField(default=dict, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidences")
        ordering = ["event_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["shipment", "evidence_id"], condition=~Q(evidence_id=""), name="unique_shipment_evidence"
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.evidence_id}"
