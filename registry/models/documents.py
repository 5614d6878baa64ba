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
    INCOMING = "incoming", _("pismo wpływające")
    ATTACHMENT = "attachment", _("załącznik")
    DRAFT = "draft", _("projekt pisma")
    LETTER = "letter", _("pismo wychodzące")
    DECISION = "decision", _("decyzja")
    ORDER = "order", _("postanowienie")
    NOTICE = "notice", _("zawiadomienie")
    NOTE = "note", _("notatka służbowa")
    EVIDENCE = "evidence", _("dowód doręczenia / UPO")
    OTHER = "other", _("inny")


class TextStatus(models.TextChoices):
    PENDING = "pending", _("oczekuje na odczyt treści")
    DONE = "done", _("treść odczytana")
    FAILED = "failed", _("odczyt nieudany")
    NONE = "none", _("brak treści do odczytu")


class Document(models.Model):
    title = models.CharField(_("tytuł"), max_length=500)
    kind = models.CharField(_("rodzaj"), max_length=12, choices=DocumentKind.choices, default=DocumentKind.OTHER)
    case = models.ForeignKey(
        "registry.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="documents",
        verbose_name=_("sprawa"),
    )
    delivery = models.ForeignKey(
        "registry.Delivery", null=True, blank=True, on_delete=models.PROTECT, related_name="documents",
        verbose_name=_("przesyłka"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("utworzył")
    )
    created_at = models.DateTimeField(_("utworzono"), auto_now_add=True)

    class Meta:
        verbose_name = _("dokument")
        verbose_name_plural = _("dokumenty")
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
    number = models.PositiveIntegerField(_("wersja"))
    file = models.FileField(_("plik"), upload_to=version_upload_to, max_length=200)
    original_name = models.CharField(_("nazwa pliku"), max_length=255)
    size = models.PositiveBigIntegerField(_("rozmiar (bajty)"))
    sha256 = models.CharField(_("skrót SHA-256"), max_length=64)
    mime_type = models.CharField(_("typ (wykryty z treści)"), max_length=150)
    comment = models.CharField(_("opis zmiany"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("dodał")
    )
    created_at = models.DateTimeField(_("dodano"))
    # Filled by search's extraction task (Celery); kept here so a reindex never repeats OCR.
    text = models.TextField(_("treść odczytana"), blank=True)
    text_status = models.CharField(
        _("stan odczytu treści"), max_length=10, choices=TextStatus.choices, default=TextStatus.PENDING
    )
    text_error = models.CharField(_("przyczyna błędu odczytu"), max_length=500, blank=True)
    text_method = models.CharField(_("metoda odczytu"), max_length=30, blank=True)
    text_extracted_at = models.DateTimeField(null=True, blank=True)
    text_attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("wersja dokumentu")
        verbose_name_plural = _("wersje dokumentów")
        ordering = ["document", "number"]
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="unique_document_version")]
        indexes = [
            models.Index(fields=["text_status"], condition=Q(text_status="pending"), name="docver_text_pending"),
            models.Index(fields=["sha256"]),
        ]

    def __str__(self):
        return f"{self.document.title} v{self.number}"
