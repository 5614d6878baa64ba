"""Workflow data: routing rules for dekretacja, approval routes stored as data (versioned), and the process and task
rows of the two viewflow flows (multi-table subclasses of viewflow's Process/Task, so task lists query real columns).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process, Task

from obieg.text import fold
from registry.models import Channel, DocumentKind


# --------------------------------------------------------------------------------------------------------------------
# Dekretacja: routing rules propose the unit for a registered delivery
# --------------------------------------------------------------------------------------------------------------------
class RoutingRule(models.Model):
    """A rule proposing the unit for a delivery. Rules are tried by `priority`; every filled condition must match."""

    name = models.CharField(_("name"), max_length=200)
    priority = models.PositiveSmallIntegerField(
        _("priority"), default=100, help_text=_("Lower numbers are tried first.")
    )
    active = models.BooleanField(_("active"), default=True)
    channel = models.CharField(_("channel"), max_length=12, blank=True, choices=[("", "—"), *Channel.choices])
    sender = models.ForeignKey(
        "registry.Correspondent", null=True, blank=True, on_delete=models.CASCADE, related_name="+",
        verbose_name=_("sender"),
    )
    addressed_unit = models.ForeignKey(
        "organisation.OrgUnit", null=True, blank=True, on_delete=models.CASCADE, related_name="+",
        verbose_name=_("addressed unit"),
    )
    keywords = models.CharField(
        _("keywords"), max_length=500, blank=True,
        help_text=_("Comma-separated; the rule matches when the subject contains any of them."),
    )
    target_unit = models.ForeignKey(
        "organisation.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("proposed unit")
    )
    auto = models.BooleanField(
        _("send without confirmation"), default=False,
        help_text=_("Otherwise the proposal waits for a registry clerk to confirm or change it."),
    )

    class Meta:
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        ordering = ["priority", "pk"]

    def __str__(self):
        return self.name

    def matches(self, delivery) -> bool:
        if self.channel and delivery.channel != self.channel:
            return False
        if self.sender_id and delivery.sender_id != self.sender_id:
            return False
        if self.addressed_unit_id and delivery.addressed_unit_id != self.addressed_unit_id:
            return False
        words = [fold(w.strip()) for w in self.keywords.split(",") if w.strip()]
        return not words or any(w in fold(delivery.subject) for w in words)


# --------------------------------------------------------------------------------------------------------------------
# Approval routes as data
# --------------------------------------------------------------------------------------------------------------------
class CaseFlag(models.TextChoices):
    """Flags a stage can be conditional on: read from the case, or ticked by the author when sending."""

    CONFIDENTIAL = "confidential", _("confidential case")
    FINANCIAL = "financial", _("has financial consequences")
    DECISION = "decision", _("administrative decision (KPA)")
    EXTERNAL = "external", _("goes outside the office")


class Route(models.Model):
    """An approval route as administrators see it: a name and what it applies to; its content lives in versions."""

    name = models.CharField(_("name"), max_length=200)
    jrwa_symbol = models.CharField(
        _("JRWA class (symbol or prefix)"), max_length=4, blank=True,
        help_text=_("Empty: any class. A prefix (e.g. 67) covers every class below it."),
    )
    document_kind = models.CharField(
        _("document kind"), max_length=12, blank=True, choices=[("", "—"), *DocumentKind.choices]
    )
    unit = models.ForeignKey(
        "organisation.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("unit"),
    )
    is_default = models.BooleanField(_("default route"), default=False)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("approval route")
        verbose_name_plural = _("approval routes")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["is_default"], condition=Q(is_default=True, active=True),
                                    name="one_default_route"),
        ]

    def __str__(self):
        return self.name

    @property
    def published_version(self):
        return self.versions.filter(status=RouteVersion.Status.PUBLISHED).order_by("-number").first()


class RouteVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")
        RETIRED = "retired", _("retired")

    route = models.ForeignKey(Route, on_delete=models.CASCADE, related_name="versions", verbose_name=_("route"))
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    dispatch = models.BooleanField(
        _("ends with dispatch"), default=True,
        help_text=_("After the last stage the document goes to the registry clerks for the outgoing register."),
    )
    note = models.CharField(_("what changed"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        verbose_name = _("route version")
        verbose_name_plural = _("route versions")
        ordering = ["route", "-number"]
        constraints = [models.UniqueConstraint(fields=["route", "number"], name="unique_route_version")]

    def __str__(self):
        return f"{self.route.name} v{self.number}"


class Stage(models.Model):
    class Kind(models.TextChoices):
        OPINION = "opinion", _("opinion")
        APPROVAL = "approval", _("approval")
        SIGNATURE = "signature", _("signature")

    class Mode(models.TextChoices):
        ALL = "all", _("all steps must approve")
        ANY = "any", _("one approval is enough")

    version = models.ForeignKey(RouteVersion, on_delete=models.CASCADE, related_name="stages",
                                verbose_name=_("route version"))
    order = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.APPROVAL)
    mode = models.CharField(_("completion"), max_length=3, choices=Mode.choices, default=Mode.ALL)
    return_to = models.PositiveSmallIntegerField(
        _("after a return, start again from stage"), null=True, blank=True,
        help_text=_("Order number of the stage; empty means this stage."),
    )
    # Conditions: every filled one must hold for the stage to run.
    if_jrwa_symbol = models.CharField(_("only for JRWA class (symbol or prefix)"), max_length=4, blank=True)
    if_document_kind = models.CharField(
        _("only for document kind"), max_length=12, blank=True, choices=[("", "—"), *DocumentKind.choices]
    )
    if_unit = models.ForeignKey(
        "organisation.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("only for unit"),
    )
    if_flag = models.CharField(_("only when the case is flagged"), max_length=20, blank=True,
                               choices=[("", "—"), *CaseFlag.choices])
    # Signature stages only: the signer uploads the file signed outside the system (XAdES/PAdES) and the stage
    # cannot be completed, nor the document sent, without a verified valid signature on the current version.
    requires_valid_signature = models.BooleanField(
        _("requires a valid electronic signature"), default=False,
        help_text=_("Signature stages: the signed file (XAdES or PAdES) must pass verification before the stage "
                    "completes and before dispatch."),
    )

    class Meta:
        verbose_name = _("route stage")
        verbose_name_plural = _("route stages")
        ordering = ["version", "order"]
        constraints = [models.UniqueConstraint(fields=["version", "order"], name="unique_stage_order")]

    def __str__(self):
        return f"{self.order}. {self.name}"


class Step(models.Model):
    class Assignee(models.TextChoices):
        UNIT_HEAD = "unit_head", _("head of the case's unit")
        POSITION = "position", _("named position")
        USER = "user", _("specific person")

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="steps", verbose_name=_("stage"))
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    label = models.CharField(_("label"), max_length=200, blank=True)
    assignee = models.CharField(_("assignee"), max_length=10, choices=Assignee.choices)
    position = models.ForeignKey(
        "organisation.Position", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("position"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("person"),
    )
    due_days = models.PositiveSmallIntegerField(_("due in working days"), default=3)

    class Meta:
        verbose_name = _("route step")
        verbose_name_plural = _("route steps")
        ordering = ["stage", "order", "pk"]

    def __str__(self):
        return self.label or self.get_assignee_display()

    def clean(self):
        if self.assignee == self.Assignee.POSITION and not self.position_id:
            raise ValidationError({"position": _("Choose the position.")})
        if self.assignee == self.Assignee.USER and not self.user_id:
            raise ValidationError({"user": _("Choose the person.")})


# --------------------------------------------------------------------------------------------------------------------
# Processes and tasks of the two flows
# --------------------------------------------------------------------------------------------------------------------
class DeliveryProcess(Process):
    """Dekretacja of one delivery: unit → head → case worker → case."""

    delivery = models.ForeignKey("registry.Delivery", on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("delivery"))
    unit = models.ForeignKey("organisation.OrgUnit", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+", verbose_name=_("unit"))
    proposed_by_rule = models.ForeignKey(RoutingRule, null=True, blank=True, on_delete=models.SET_NULL,
                                         related_name="+", verbose_name=_("proposed by rule"))

    class Meta:
        verbose_name = _("dekretacja")
        verbose_name_plural = _("dekretacje")


class ApprovalProcess(Process):
    """One run of an approval route for one document. `route` is the snapshot the run started with."""

    case = models.ForeignKey("registry.Case", on_delete=models.PROTECT, related_name="+", verbose_name=_("case"))
    document = models.ForeignKey("registry.Document", on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("document"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("author"))
    route_version = models.ForeignKey(RouteVersion, null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="processes", verbose_name=_("route version"))
    route = models.JSONField(_("route snapshot"), default=dict)
    flags = models.JSONField(_("flags"), default=list, blank=True)
    attachments = models.JSONField(_("attachments"), default=list, blank=True)
    stage_index = models.IntegerField(default=-1)
    stage_seq = models.PositiveIntegerField(default=0)
    outcome = models.CharField(_("outcome"), max_length=12, blank=True)

    class Meta:
        verbose_name = _("approval")
        verbose_name_plural = _("approvals")

    @property
    def current_stage(self):
        stages = self.route.get("stages", [])
        return stages[self.stage_index] if 0 <= self.stage_index < len(stages) else None


class Decision(models.TextChoices):
    APPROVE = "approve", _("approve")
    RETURN = "return", _("return for corrections")
    REJECT = "reject", _("reject")


class WorkTask(Task):
    """A viewflow task with the columns task lists filter on."""

    unit = models.ForeignKey("organisation.OrgUnit", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+", verbose_name=_("unit"))
    queue_role = models.CharField(_("who may take it"), max_length=20, blank=True)
    case = models.ForeignKey("registry.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("case"))
    delivery = models.ForeignKey("registry.Delivery", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("delivery"))
    document = models.ForeignKey("registry.Document", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("document"))
    label = models.CharField(_("task"), max_length=300, blank=True)
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    decision = models.CharField(_("decision"), max_length=10, blank=True, choices=Decision.choices)
    comment = models.TextField(_("comment"), blank=True)
    document_version = models.ForeignKey("registry.DocumentVersion", null=True, blank=True,
                                         on_delete=models.PROTECT, related_name="+",
                                         verbose_name=_("document version"))
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+", verbose_name=_("done by"))
    on_behalf_of = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("on behalf of"))
    overdue_notified = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        indexes = [
            models.Index(fields=["unit", "queue_role"]),
            models.Index(fields=["due_at"], condition=Q(overdue_notified=False), name="worktask_due_pending"),
        ]


class NotificationPreference(models.Model):
    class Mode(models.TextChoices):
        IMMEDIATE = "immediate", _("an e-mail for each event")
        DIGEST = "digest", _("one daily digest")
        OFF = "off", _("no e-mail")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                                verbose_name=_("user"))
    mode = models.CharField(_("e-mail notifications"), max_length=10, choices=Mode.choices, default=Mode.IMMEDIATE)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")


class PendingNotification(models.Model):
    """Events waiting for a user's daily digest."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    subject = models.CharField(max_length=300)
    body = models.TextField()

    class Meta:
        indexes = [models.Index(fields=["user", "created_at"])]
