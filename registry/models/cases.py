"""Cases (sprawy) with their znak sprawy, parties and the counters that number them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CaseStatus(models.TextChoices):
    OPEN = "open", _("open")
    SUSPENDED = "suspended", _("suspended")
    CLOSED = "closed", _("closed")


class Case(models.Model):
    unit = models.ForeignKey(
        "organisation.OrgUnit", on_delete=models.PROTECT, related_name="cases", verbose_name=_("unit")
    )
    jrwa_class = models.ForeignKey(
        "registry.JrwaClass", on_delete=models.PROTECT, related_name="cases", verbose_name=_("JRWA class")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("number in the case list"))
    sign = models.CharField(_("case sign (znak sprawy)"), max_length=60, unique=True)
    title = models.CharField(_("case title"), max_length=500)
    status = models.CharField(_("status"), max_length=12, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    started_on = models.DateField(_("start date"), default=timezone.localdate)
    closed_on = models.DateField(_("completion date"), null=True, blank=True)
    closing_remarks = models.CharField(_("remarks on how the case was closed"), max_length=500, blank=True)
    case_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="cases_handled",
        verbose_name=_("case worker"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("opened by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    initiating_delivery = models.ForeignKey(
        "registry.Delivery", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("initiating letter"),
    )
    confidential = models.BooleanField(
        _("confidential case"), default=False,
        help_text=_("Visible only to the case worker and the named participants."),
    )
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="cases_participating",
        verbose_name=_("participants (access)"),
    )
    parties = models.ManyToManyField(
        "registry.Correspondent", through="registry.CaseParty", blank=True, related_name="cases",
        verbose_name=_("parties"),
    )

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-year", "unit__symbol", "jrwa_class__symbol", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "jrwa_class", "year", "number"], name="unique_case_number"),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=models.F("started_on")),
                name="case_closed_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "status"]),
            models.Index(fields=["case_worker", "status"]),
            models.Index(fields=["status", "started_on"]),
            models.Index(fields=["jrwa_class", "year"]),
        ]

    def __str__(self):
        return f"{self.sign} {self.title}"

    @property
    def is_own_initiative(self) -> bool:
        return self.initiating_delivery_id is None


class CaseParty(models.Model):
    class Role(models.TextChoices):
        APPLICANT = "applicant", _("applicant")
        PARTY = "party", _("party")
        PARTICIPANT = "participant", _("participant with party rights")
        PROXY = "proxy", _("proxy")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="party_links")
    correspondent = models.ForeignKey("registry.Correspondent", on_delete=models.PROTECT, related_name="party_links")
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.PARTY)

    class Meta:
        verbose_name = _("case party")
        verbose_name_plural = _("case parties")
        constraints = [models.UniqueConstraint(fields=["case", "correspondent", "role"], name="unique_case_party")]


class CaseCounter(models.Model):
    """The spis spraw counter: one row per (unit, JRWA class, year), bumped inside the opening transaction."""

    unit = models.ForeignKey("organisation.OrgUnit", on_delete=models.PROTECT, related_name="+")
    jrwa_class = models.ForeignKey("registry.JrwaClass", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "jrwa_class", "year"], name="unique_case_counter")]


class RegisterCounter(models.Model):
    """Per-year counters of the incoming and outgoing registers."""

    register = models.CharField(max_length=10)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["register", "year"], name="unique_register_counter")]
