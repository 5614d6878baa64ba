"""Statutory deadlines of cases: kinds of deadline, their mapping to JRWA classes, the deadline of each case with
the periods that do not count (art. 35 § 5 KPA) and extensions (art. 36), reminders sent, daily snapshots."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from deadlines.calendar import TermUnit


class Unit(models.TextChoices):
    DAYS = TermUnit.DAYS.value, _("days")
    WEEKS = TermUnit.WEEKS.value, _("weeks")
    MONTHS = TermUnit.MONTHS.value, _("months")
    YEARS = TermUnit.YEARS.value, _("years")


def term_text(amount: int, unit: str) -> str:
    """"1 month", "14 days", "2 months" – with the Polish plural forms from the catalogue."""
    forms = {
        Unit.DAYS: ngettext("%(n)d day", "%(n)d days", amount),
        Unit.WEEKS: ngettext("%(n)d week", "%(n)d weeks", amount),
        Unit.MONTHS: ngettext("%(n)d month", "%(n)d months", amount),
        Unit.YEARS: ngettext("%(n)d year", "%(n)d years", amount),
    }
    return forms[unit] % {"n": amount}


class DeadlineKind(models.Model):
    """A kind of case with its statutory term, e.g. KPA art. 35 § 3 – one month. Administrators may add kinds."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=200)
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    amount = models.PositiveSmallIntegerField(
        _("length of the term"), help_text=_("0 with the unit “days” means “immediately” (KPA art. 35 § 2).")
    )
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices, default=Unit.MONTHS)
    shift_to_working_day = models.BooleanField(
        _("move an end on a Saturday or a holiday to the next working day"), default=True,
        help_text=_("KPA art. 57 § 4. Whether it binds the organ's own deadlines is disputed; on by default."),
    )
    max_extension_amount = models.PositiveSmallIntegerField(
        _("longest term after an extension"), null=True, blank=True,
        help_text=_("Counted from the start, e.g. 2 months for public information. Empty: no statutory limit."),
    )
    max_extension_unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices, blank=True)
    kpa_procedure = models.BooleanField(
        _("conducted under the KPA"), default=True,
        help_text=_("The delay notice cites art. 36 KPA and instructs on the right to file a ponaglenie (art. 37)."),
    )
    letter_keywords = models.CharField(
        _("words that name this kind of letter"), max_length=300, blank=True,
        help_text=_("Comma-separated beginnings of words, e.g. “zaświadczeni”: a new case whose letter or title "
                    "contains one is proposed this kind when its JRWA class has no rule of its own."),
    )
    is_default = models.BooleanField(_("default kind"), default=False)
    active = models.BooleanField(_("active"), default=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("kind of deadline")
        verbose_name_plural = _("kinds of deadline")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["is_default"], condition=Q(is_default=True), name="one_default_kind"),
            models.CheckConstraint(
                condition=Q(max_extension_amount__isnull=True) | ~Q(max_extension_unit=""),
                name="kind_extension_unit_given",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def term_label(self) -> str:
        if self.amount == 0:
            return str(_("immediately"))
        return term_text(self.amount, self.unit)


class JrwaDeadlineRule(models.Model):
    """Maps JRWA class symbols to a kind of deadline. A rule for "14" covers 14, 143, 1431…; the longest matching
    prefix wins; a case with no matching rule gets the default kind."""

    symbol_prefix = models.CharField(_("JRWA symbol (or its beginning)"), max_length=4, unique=True)
    kind = models.ForeignKey(DeadlineKind, on_delete=models.PROTECT, related_name="rules", verbose_name=_("kind"))

    class Meta:
        verbose_name = _("JRWA deadline rule")
        verbose_name_plural = _("JRWA deadline rules")
        ordering = ["symbol_prefix"]
        constraints = [
            models.CheckConstraint(condition=Q(symbol_prefix__regex=r"^\d{1,4}$"), name="rule_symbol_digits"),
        ]

    def __str__(self):
        return f"{self.symbol_prefix} → {self.kind}"


class DeadlineState(models.TextChoices):
    RUNNING = "running", _("running")
    SUSPENDED = "suspended", _("suspended")
    CLOSED = "closed", _("closed")


class CaseDeadline(models.Model):
    """The statutory deadline of one case. `due_date` is recomputed by `deadlines.services.recompute` whenever the
    kind, an excluded period or an extension changes."""

    case = models.OneToOneField(
        "registry.Case", primary_key=True, on_delete=models.CASCADE, related_name="deadline", verbose_name=_("case")
    )
    kind = models.ForeignKey(DeadlineKind, on_delete=models.PROTECT, related_name="+", verbose_name=_("kind"))
    start_date = models.DateField(_("start of the term"))
    start_source = models.CharField(_("start from"), max_length=200, blank=True)
    raw_due_date = models.DateField(
        _("end of the statutory term"), help_text=_("KPA art. 57 § 1–3a, before art. 35 § 5")
    )
    excluded_days = models.PositiveIntegerField(_("days not counted"), default=0)
    due_date = models.DateField(_("due date"))
    state = models.CharField(_("state"), max_length=10, choices=DeadlineState.choices, default=DeadlineState.RUNNING)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    completed_on_time = models.BooleanField(_("completed on time"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("case deadline")
        verbose_name_plural = _("case deadlines")
        indexes = [
            models.Index(fields=["state", "due_date"], name="deadline_state_due"),
            models.Index(fields=["due_date"], name="deadline_due"),
            models.Index(fields=["completed_on"], name="deadline_completed"),
        ]

    def __str__(self):
        return f"{self.case_id}: {self.due_date}"


class ExcludedPeriod(models.Model):
    """A period that does not count into the term (KPA art. 35 § 5). Both ends are included; an open period
    (no end yet, e.g. a suspension still in force) counts up to today."""

    class Reason(models.TextChoices):
        SUSPENSION = "suspension", _("suspension of proceedings")
        PARTY_DELAY = "party_delay", _("delay caused by the party")
        STATUTORY_ACT = "statutory_act", _("time limit for an act provided by law")
        MEDIATION = "mediation", _("mediation")
        OUTSIDE_ORGAN = "outside_organ", _("delay for reasons independent of the organ")

    deadline = models.ForeignKey(
        CaseDeadline, on_delete=models.CASCADE, related_name="excluded_periods", verbose_name=_("deadline")
    )
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    description = models.CharField(_("description"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("period not counted")
        verbose_name_plural = _("periods not counted")
        ordering = ["starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")), name="excluded_period_order"
            ),
        ]

    def __str__(self):
        return f"{self.get_reason_display()} {self.starts_on}–{self.ends_on or '…'}"


class Extension(models.Model):
    """A new date for handling the case set under KPA art. 36 (or the special law), with the reason."""

    deadline = models.ForeignKey(
        CaseDeadline, on_delete=models.CASCADE, related_name="extensions", verbose_name=_("deadline")
    )
    new_date = models.DateField(_("new date"))
    reason = models.TextField(_("reasons for the delay"))
    decided_on = models.DateField(_("decided on"), default=timezone.localdate)
    previous_due_date = models.DateField(_("previous due date"))
    notice_document = models.ForeignKey(
        "registry.Document", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("notice to the party"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("extension")
        verbose_name_plural = _("extensions")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.previous_due_date} → {self.new_date}"


class ReminderSent(models.Model):
    """One row per notification event; the unique `key` makes the daily job idempotent even when two runs
    overlap (INSERT … ON CONFLICT DO NOTHING)."""

    class Event(models.TextChoices):
        REMINDER = "reminder", _("reminder before the due date")
        OVERDUE = "overdue", _("case overdue")
        WEEKLY = "weekly", _("weekly summary")

    key = models.CharField(max_length=120, unique=True)
    event = models.CharField(_("event"), max_length=10, choices=Event.choices)
    case = models.ForeignKey(
        "registry.Case", null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("case")
    )
    on_date = models.DateField(_("due date or week"))
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("recipient"),
    )
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        verbose_name = _("notification sent")
        verbose_name_plural = _("notifications sent")
        indexes = [models.Index(fields=["case", "event", "on_date"], name="reminder_case_event_date")]


class DeadlineSnapshot(models.Model):
    """Counts of running cases by deadline state, per day, unit and case worker – written by the daily job so
    the dashboard can chart overdue cases over time. Confidential cases are not counted."""

    day = models.DateField(_("day"))
    unit = models.ForeignKey("organisation.OrgUnit", on_delete=models.CASCADE, related_name="+")
    case_worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    overdue = models.PositiveIntegerField(default=0)
    due_today = models.PositiveIntegerField(default=0)
    within_3 = models.PositiveIntegerField(default=0)
    within_7 = models.PositiveIntegerField(default=0)
    on_time = models.PositiveIntegerField(default=0)
    suspended = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("daily deadline snapshot")
        verbose_name_plural = _("daily deadline snapshots")
        constraints = [
            models.UniqueConstraint(fields=["day", "unit", "case_worker"], name="unique_snapshot_day_unit_worker"),
        ]
        indexes = [models.Index(fields=["day", "unit"])]
