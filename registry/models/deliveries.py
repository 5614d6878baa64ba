"""The incoming register (RPW) and the outgoing register."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    EDORECZENIA = "edoreczenia", _("e-Doręczenia")
    EPUAP = "epuap", _("ePUAP")
    POST = "post", _("post")
    IN_PERSON = "in_person", _("in person")
    EMAIL = "email", _("e-mail")


class OutgoingChannel(models.TextChoices):
    EDORECZENIA = "edoreczenia", _("e-Doręczenia (PURDE)")
    HYBRID = "hybrid", _("hybrid service (PUH)")
    EPUAP = "epuap", _("ePUAP")
    POST_REGISTERED = "post_registered", _("post – registered letter with return receipt")
    POST_ORDINARY = "post_ordinary", _("post – ordinary letter")
    COURIER = "courier", _("courier")
    IN_PERSON = "in_person", _("personal collection")
    EMAIL = "email", _("e-mail")


class Form(models.TextChoices):
    PAPER = "paper", _("paper")
    ELECTRONIC = "electronic", _("electronic")


class Delivery(models.Model):
    """A przesyłka wpływająca: one entry of the RPW, numbered per year without gaps."""

    class Status(models.TextChoices):
        REGISTERED = "registered", _("registered")
        ASSIGNED = "assigned", _("assigned")
        IN_CASE = "in_case", _("in a case")
        NOT_A_CASE = "no_case", _("not part of a case file")

    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("RPW number"))
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    form = models.CharField(_("form"), max_length=10, choices=Form.choices)
    received_at = models.DateTimeField(_("date and time of receipt"))
    posted_on = models.DateField(
        _("date posted at the post office"), null=True, blank=True,
        help_text=_("KPA art. 57 § 5: the postmark date, if different from the date of receipt."),
    )
    sender = models.ForeignKey(
        "registry.Correspondent", null=True, blank=True, on_delete=models.PROTECT, related_name="deliveries",
        verbose_name=_("sender"),
    )
    addressed_unit = models.ForeignKey(
        "organisation.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="addressed_deliveries",
        verbose_name=_("addressed unit"),
    )
    assigned_unit = models.ForeignKey(
        "organisation.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="assigned_deliveries",
        verbose_name=_("responsible unit (dekretacja)"),
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="assigned_deliveries",
        verbose_name=_("assigned to"),
    )
    subject = models.CharField(_("subject"), max_length=500)
    sender_reference = models.CharField(_("sender's reference"), max_length=100, blank=True)
    letter_date = models.DateField(_("letter date"), null=True, blank=True)
    paper_attachments = models.PositiveSmallIntegerField(_("number of paper attachments"), default=0)
    paper_location = models.CharField(_("place in the chronological store"), max_length=100, blank=True)
    remarks = models.CharField(_("remarks"), max_length=500, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.REGISTERED)
    case = models.ForeignKey(
        "registry.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="deliveries",
        verbose_name=_("case"),
    )
    external_id = models.CharField(
        _("message identifier in the channel"), max_length=200, blank=True,
        help_text=_(
            "E.g. the e-Doręczenia messageId or the ePUAP document id; the same message is never registered twice."
        ),
    )
    idempotency_key = models.CharField(max_length=100, blank=True, editable=False)
    # For e-Doręczenia: the evidence of receipt (E.1) the receipt time comes from; for ePUAP: the UPP.
    receipt_evidence = models.JSONField(_("evidence of receipt"), default=dict, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="registered_deliveries",
        verbose_name=_("registered by"),
    )
    registered_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("incoming delivery")
        verbose_name_plural = _("incoming deliveries")
        ordering = ["-year", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="unique_rpw_number"),
            models.UniqueConstraint(
                fields=["channel", "external_id"], condition=~Q(external_id=""), name="unique_channel_message"
            ),
            models.UniqueConstraint(
                fields=["idempotency_key"], condition=~Q(idempotency_key=""), name="unique_delivery_idempotency_key"
            ),
        ]
        indexes = [
            models.Index(fields=["assigned_unit", "status"]),
            models.Index(fields=["addressed_unit", "status"]),
            models.Index(fields=["received_at"]),
            models.Index(fields=["case"]),
        ]

    def __str__(self):
        return f"{self.rpw} {self.subject}"

    @property
    def rpw(self) -> str:
        return f"RPW/{self.number}/{self.year}"


class OutgoingItem(models.Model):
    """A przesyłka wychodząca: one entry of the outgoing register, with the evidence of delivery."""

    class Status(models.TextChoices):
        PREPARED = "prepared", _("prepared for dispatch")
        SENT = "sent", _("sent")
        DELIVERED = "delivered", _("delivered")
        DEEMED = "deemed", _("deemed delivered")
        RETURNED = "returned", _("returned / not delivered")

    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("outgoing register number"))
    case = models.ForeignKey(
        "registry.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="outgoing_items",
        verbose_name=_("case"),
    )
    document = models.ForeignKey(
        "registry.Document", null=True, blank=True, on_delete=models.PROTECT, related_name="outgoing_items",
        verbose_name=_("letter"),
    )
    recipient = models.ForeignKey(
        "registry.Correspondent", on_delete=models.PROTECT, related_name="outgoing_items", verbose_name=_("recipient")
    )
    channel = models.CharField(_("dispatch channel"), max_length=20, choices=OutgoingChannel.choices)
    subject = models.CharField(_("title"), max_length=500)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PREPARED)
    sent_at = models.DateTimeField(_("date sent"), null=True, blank=True)
    tracking_number = models.CharField(_("tracking number / message identifier"), max_length=100, blank=True)
    delivered_at = models.DateTimeField(_("date of delivery"), null=True, blank=True)
    evidence_kind = models.CharField(_("kind of evidence"), max_length=50, blank=True)
    evidence = models.ForeignKey(
        "registry.Document", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("evidence of delivery"),
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("registered by")
    )
    registered_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("outgoing item")
        verbose_name_plural = _("outgoing items")
        ordering = ["-year", "-number"]
        constraints = [models.UniqueConstraint(fields=["year", "number"], name="unique_outgoing_number")]
        indexes = [models.Index(fields=["case"]), models.Index(fields=["status"])]

    def __str__(self):
        return f"{self.register_number} {self.subject}"

    @property
    def register_number(self) -> str:
        return f"RPWych/{self.number}/{self.year}"
