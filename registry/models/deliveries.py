"""The incoming register (RPW) and the outgoing register."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    EDORECZENIA = "edoreczenia", _("e-Doręczenia")
    EPUAP = "epuap", _("ePUAP")
    POST = "post", _("poczta")
    IN_PERSON = "in_person", _("osobiście")
    EMAIL = "email", _("e-mail")


class OutgoingChannel(models.TextChoices):
    EDORECZENIA = "edoreczenia", _("e-Doręczenia (PURDE)")
    HYBRID = "hybrid", _("usługa hybrydowa (PUH)")
    EPUAP = "epuap", _("ePUAP")
    POST_REGISTERED = "post_registered", _("poczta – list polecony za zwrotnym potwierdzeniem odbioru")
    POST_ORDINARY = "post_ordinary", _("poczta – list zwykły")
    COURIER = "courier", _("kurier")
    IN_PERSON = "in_person", _("odbiór osobisty")
    EMAIL = "email", _("e-mail")


class Form(models.TextChoices):
    PAPER = "paper", _("papierowa")
    ELECTRONIC = "electronic", _("elektroniczna")


class Delivery(models.Model):
    """A przesyłka wpływająca: one entry of the RPW, numbered per year without gaps."""

    class Status(models.TextChoices):
        REGISTERED = "registered", _("zarejestrowana")
        ASSIGNED = "assigned", _("zadekretowana")
        IN_CASE = "in_case", _("w sprawie")
        NOT_A_CASE = "no_case", _("nie tworzy akt sprawy")

    year = models.PositiveSmallIntegerField(_("rok"))
    number = models.PositiveIntegerField(_("numer RPW"))
    channel = models.CharField(_("kanał"), max_length=12, choices=Channel.choices)
    form = models.CharField(_("postać"), max_length=10, choices=Form.choices)
    received_at = models.DateTimeField(_("data i godzina wpływu"))
    posted_on = models.DateField(
        _("data nadania w placówce pocztowej"), null=True, blank=True,
        help_text=_("Art. 57 § 5 KPA: data stempla pocztowego, jeśli inna niż data wpływu."),
    )
    sender = models.ForeignKey(
        "registry.Correspondent", null=True, blank=True, on_delete=models.PROTECT, related_name="deliveries",
        verbose_name=_("nadawca"),
    )
    addressed_unit = models.ForeignKey(
        "organisation.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="addressed_deliveries",
        verbose_name=_("komórka adresowana"),
    )
    assigned_unit = models.ForeignKey(
        "organisation.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="assigned_deliveries",
        verbose_name=_("komórka właściwa (dekretacja)"),
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="assigned_deliveries",
        verbose_name=_("przydzielono"),
    )
    subject = models.CharField(_("tytuł / treść w skrócie"), max_length=500)
    sender_reference = models.CharField(_("znak pisma nadawcy"), max_length=100, blank=True)
    letter_date = models.DateField(_("data pisma"), null=True, blank=True)
    paper_attachments = models.PositiveSmallIntegerField(_("liczba załączników papierowych"), default=0)
    paper_location = models.CharField(_("miejsce w składzie chronologicznym"), max_length=100, blank=True)
    remarks = models.CharField(_("uwagi"), max_length=500, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.REGISTERED)
    case = models.ForeignKey(
        "registry.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="deliveries",
        verbose_name=_("sprawa"),
    )
    external_id = models.CharField(
        _("identyfikator wiadomości w kanale"), max_length=200, blank=True,
        help_text=_(
            "Np. messageId e-Doręczeń albo identyfikator dokumentu ePUAP; "
            "ta sama wiadomość nie zostanie zarejestrowana dwa razy."
        ),
    )
    idempotency_key = models.CharField(max_length=100, blank=True, editable=False)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="registered_deliveries",
        verbose_name=_("zarejestrował"),
    )
    registered_at = models.DateTimeField(_("zarejestrowano"), auto_now_add=True)

    class Meta:
        verbose_name = _("przesyłka wpływająca")
        verbose_name_plural = _("przesyłki wpływające")
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
        PREPARED = "prepared", _("przygotowana do wysyłki")
        SENT = "sent", _("wysłana")
        DELIVERED = "delivered", _("doręczona")
        DEEMED = "deemed", _("uznana za doręczoną")
        RETURNED = "returned", _("zwrócona / niedoręczona")

    year = models.PositiveSmallIntegerField(_("rok"))
    number = models.PositiveIntegerField(_("numer w rejestrze wychodzącym"))
    case = models.ForeignKey(
        "registry.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="outgoing_items",
        verbose_name=_("sprawa"),
    )
    document = models.ForeignKey(
        "registry.Document", null=True, blank=True, on_delete=models.PROTECT, related_name="outgoing_items",
        verbose_name=_("pismo"),
    )
    recipient = models.ForeignKey(
        "registry.Correspondent", on_delete=models.PROTECT, related_name="outgoing_items", verbose_name=_("adresat")
    )
    channel = models.CharField(_("sposób wysyłki"), max_length=20, choices=OutgoingChannel.choices)
    subject = models.CharField(_("tytuł"), max_length=500)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PREPARED)
    sent_at = models.DateTimeField(_("data wysłania"), null=True, blank=True)
    tracking_number = models.CharField(_("numer nadawczy / identyfikator wiadomości"), max_length=100, blank=True)
    delivered_at = models.DateTimeField(_("data doręczenia"), null=True, blank=True)
    evidence_kind = models.CharField(_("rodzaj dowodu doręczenia"), max_length=50, blank=True)
    evidence = models.ForeignKey(
        "registry.Document", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("dowód doręczenia"),
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("zarejestrował")
    )
    registered_at = models.DateTimeField(_("zarejestrowano"), auto_now_add=True)

    class Meta:
        verbose_name = _("przesyłka wychodząca")
        verbose_name_plural = _("przesyłki wychodzące")
        ordering = ["-year", "-number"]
        constraints = [models.UniqueConstraint(fields=["year", "number"], name="unique_outgoing_number")]
        indexes = [models.Index(fields=["case"]), models.Index(fields=["status"])]

    def __str__(self):
        return f"{self.register_number} {self.subject}"

    @property
    def register_number(self) -> str:
        return f"RPWych/{self.number}/{self.year}"
