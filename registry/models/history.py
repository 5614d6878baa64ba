"""Metryka sprawy: the append-only history of every action on a case, its deliveries, documents and outgoing items
(also of those that belong to no case: a delivery or an outgoing item is then the entry's only link).

The database itself refuses UPDATE and DELETE on this table (trigger in migration 0002)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    DELIVERY_REGISTERED = "delivery_registered", _("delivery registered")
    DELIVERY_ASSIGNED = "delivery_assigned", _("assignment (dekretacja)")
    DELIVERY_FORWARDED = "delivery_forwarded", _("forwarded to another unit")
    DELIVERY_ATTACHED = "delivery_attached", _("delivery attached to case")
    CASE_OPENED = "case_opened", _("case opened")
    CASE_UPDATED = "case_updated", _("case details changed")
    CASE_WORKER_CHANGED = "case_worker_changed", _("case worker changed")
    CASE_SUSPENDED = "case_suspended", _("suspension")
    CASE_RESUMED = "case_resumed", _("resumption")
    CASE_CLOSED = "case_closed", _("case closed")
    CASE_REOPENED = "case_reopened", _("case reopened")
    PARTY_ADDED = "party_added", _("party added")
    DOCUMENT_ADDED = "document_added", _("document added")
    DOCUMENT_VERSION_ADDED = "document_version_added", _("new document version")
    DOCUMENT_VIEWED = "document_viewed", _("document viewed")
    ROUTE_STARTED = "route_started", _("sent for approval")
    APPROVED = "approved", _("approval")
    RETURNED = "returned", _("returned for corrections")
    REJECTED = "rejected", _("rejection")
    OPINION = "opinion", _("opinion")
    SIGNED = "signed", _("signing")
    DISPATCHED = "dispatched", _("dispatch")
    DELIVERY_EVIDENCE = "delivery_evidence", _("evidence of delivery")
    DEADLINE_SET = "deadline_set", _("deadline set")
    DEADLINE_CHANGED = "deadline_changed", _("deadline changed")
    ACCESS_GRANTED = "access_granted", _("access granted")
    JRWA_CLASS_CHANGED = "jrwa_class_changed", _("JRWA class corrected")
    RETENTION_SET = "retention_set", _("retention computed")
    RETENTION_WITHDRAWN = "retention_withdrawn", _("retention withdrawn")
    HANDOVER_LISTED = "handover_listed", _("put on a handover list")
    ARCHIVE_TRANSFER = "archive_transfer", _("transfer to the office archive")
    ARCHIVE_LOAN = "archive_loan", _("loan from the archive")
    ARCHIVE_RETURN = "archive_return", _("returned to the archive")
    ARCHIVE_READ = "archive_read", _("archived confidential file read")
    METADATA_CHANGED = "metadata_changed", _("document metadata changed")
    OTHER = "other", _("other action")


class HistoryEntry(models.Model):
    at = models.DateTimeField(_("date of action"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("performed by")
    )
    # Snapshot: the metryka must show name and position as they were on the day of the action.
    actor_name = models.CharField(_("full name"), max_length=300)
    actor_position = models.CharField(_("position"), max_length=200, blank=True)
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("on behalf of"),
    )
    action = models.CharField(_("action"), max_length=40, choices=Action.choices)
    description = models.TextField(_("description of the action"))
    case = models.ForeignKey(
        "registry.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="history",
        verbose_name=_("case"),
    )
    delivery = models.ForeignKey(
        "registry.Delivery", null=True, blank=True, on_delete=models.PROTECT, related_name="history",
        verbose_name=_("delivery"),
    )
    document = models.ForeignKey(
        "registry.Document", null=True, blank=True, on_delete=models.PROTECT, related_name="history",
        verbose_name=_("document"),
    )
    document_version = models.ForeignKey(
        "registry.DocumentVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="history",
        verbose_name=_("document version"),
    )
    # An outgoing item sent outside any case has only this link to its metryka entries (the others reach it
    # through the case).
    outgoing_item = models.ForeignKey(
        "registry.OutgoingItem", null=True, blank=True, on_delete=models.PROTECT, related_name="history",
        verbose_name=_("outgoing item"),
    )
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("case history entry")
        verbose_name_plural = _("case history entries")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["case", "at"]), models.Index(fields=["delivery", "at"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name}: {self.get_action_display()}"

    def save(self, *args, **kwargs):
        if self.pk:
            raise ValueError("HistoryEntry is append-only")
        super().save(*args, **kwargs)
