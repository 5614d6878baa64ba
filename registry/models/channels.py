"""What the electronic channels brought in: one row per channel message, with the outcome of its last attempt."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .deliveries import Channel


class ChannelImport(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("pending (still being transferred or to be retried)")
        IMPORTED = "imported", _("imported")
        DUPLICATE = "duplicate", _("already registered")
        FAILED = "failed", _("failed")
        SKIPPED = "skipped", _("not a delivery (skipped)")

    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    mailbox = models.CharField(_("mailbox"), max_length=200)
    message_id = models.CharField(_("message identifier in the channel"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    error = models.TextField(_("error"), blank=True)
    delivery = models.ForeignKey(
        "registry.Delivery", null=True, blank=True, on_delete=models.PROTECT, related_name="channel_imports",
        verbose_name=_("delivery"),
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    deleted_from_mailbox_at = models.DateTimeField(_("deleted from the mailbox"), null=True, blank=True)
    created_at = models.DateTimeField(_("first seen"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last attempt"), auto_now=True)

    class Meta:
        verbose_name = _("channel import")
        verbose_name_plural = _("channel imports")
        ordering = ["-updated_at"]
        constraints = [
            models.UniqueConstraint(fields=["channel", "mailbox", "message_id"], name="unique_channel_import"),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self):
        return f"{self.channel}:{self.message_id} ({self.status})"
