"""Documents and their immutable versions. Files are stored under generated names, never the original one."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def version_upload_to(instance, filename):
    # The original name is only a label (DocumentVersion.original_name); the path is ours.
    return f"documents/{instance.created_at:%Y/%m}/{uuid.uuid4().hex}"


class DocumentKind(models.TextChoices):
    INCOMING = "incoming", _("incoming letter")
    ATTACHMENT = "attachment", _("attachment")
    DRAFT = "draft", _("draft letter")
    LETTER = "letter", _("outgoing letter")
    DECISION = "decision", _("decision")
    ORDER = "order", _("procedural order (postanowienie)")
    NOTICE = "notice", _("notice")
    NOTE = "note", _("internal note")
    EVIDENCE = "evidence", _("evidence of delivery / UPO")
    OTHER = "other", _("other")


class TextStatus(models.TextChoices):
    PENDING = "pending", _("text extraction pending")
    DONE = "done", _("extracted text")
    FAILED = "failed", _("text extraction failed")
    NONE = "none", _("no text to extract")


class Document(models.Model):
    title = models.CharField(_("title"), max_length=500)
    kind = models.CharField(_("kind"), max_length=12, choices=DocumentKind.choices, default=DocumentKind.OTHER)
    case = models.ForeignKey(
        "registry.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="documents",
        verbose_name=_("case"),
    )
    delivery = models.ForeignKey(
        "registry.Delivery", null=True, blank=True, on_delete=models.PROTECT, related_name="documents",
        verbose_name=_("delivery"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["case", "created_at"]), models.Index(fields=["delivery"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(case__isnull=False) | Q(delivery__isnull=False), name="document_has_case_or_delivery"
            )
        ]

    def __str__(self):
        return self.title

    @property
    def current_version(self):
        versions = getattr(self, "_prefetched_objects_cache", {}).get("versions")
        if versions is not None:
            return max(versions, key=lambda v: v.number, default=None)
        return self.versions.order_by("-number").first()


class DocumentVersion(models.Model):
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    file = models.FileField(_("file"), upload_to=version_upload_to, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256 digest"), max_length=64)
    mime_type = models.CharField(_("type (detected from content)"), max_length=150)
    comment = models.CharField(_("change note"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("added by")
    )
    created_at = models.DateTimeField(_("added"))
    # Filled by search's extraction task (Celery); kept here so a reindex never repeats OCR.
    text = models.TextField(_("extracted text"), blank=True)
    text_status = models.CharField(
        _("text extraction state"), max_length=10, choices=TextStatus.choices, default=TextStatus.PENDING
    )
    text_error = models.CharField(_("reason extraction failed"), max_length=500, blank=True)
    text_method = models.CharField(_("extraction method"), max_length=30, blank=True)
    text_extracted_at = models.DateTimeField(null=True, blank=True)
    text_attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")
        ordering = ["document", "number"]
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="unique_document_version")]
        indexes = [
            models.Index(fields=["text_status"], condition=Q(text_status="pending"), name="docver_text_pending"),
            models.Index(fields=["sha256"]),
        ]

    def __str__(self):
        return f"{self.document.title} v{self.number}"
