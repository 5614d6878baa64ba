"""Archival packages (paczki archiwalne) of category A files for the state archive (domain.md § 6.4–6.5).
Imported by `archive.models`; kept apart so the package's rows stay next to the code that writes them."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PackageStatus(models.TextChoices):
    QUEUED = "queued", _("waiting to be built")
    BUILDING = "building", _("being built")
    READY = "ready", _("validated, ready for the state archive")
    FAILED = "failed", _("failed")
    TRANSFERRED = "transferred", _("transferred to the state archive")


# A case belongs to at most one package in these states; a failed package frees its cases.
HOLDING = (PackageStatus.QUEUED, PackageStatus.BUILDING, PackageStatus.READY, PackageStatus.TRANSFERRED)


class ArchivalPackage(models.Model):
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("number"))
    status = models.CharField(_("status"), max_length=12, choices=PackageStatus.choices,
                              default=PackageStatus.QUEUED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("prepared by"))
    created_at = models.DateTimeField(_("prepared"), default=timezone.now)
    documents_total = models.PositiveIntegerField(_("documents"), default=0)
    documents_done = models.PositiveIntegerField(_("documents written"), default=0)
    file = models.FileField(_("package file"), upload_to="archive/packages/", max_length=200, blank=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    sha256 = models.CharField(_("SHA-256 digest"), max_length=64, blank=True)
    files_count = models.PositiveIntegerField(_("files in the package"), default=0)
    built_at = models.DateTimeField(_("built and validated"), null=True, blank=True)
    error = models.TextField(_("reason it failed"), blank=True)
    transfer_reference = models.CharField(_("reference of the state archive's confirmation"), max_length=200,
                                          blank=True)
    transferred_on = models.DateField(_("date of the confirmation"), null=True, blank=True)
    transferred_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="+", verbose_name=_("transfer recorded by"))

    class Meta:
        verbose_name = _("archival package")
        verbose_name_plural = _("archival packages")
        ordering = ["-year", "-number"]
        constraints = [models.UniqueConstraint(fields=["year", "number"], name="unique_archival_package_number")]

    def __str__(self):
        return self.sign

    @property
    def sign(self) -> str:
        return f"PA/{self.year}/{self.number}"

    @property
    def percent(self) -> int:
        if not self.documents_total:
            return 100 if self.status in (PackageStatus.READY, PackageStatus.TRANSFERRED) else 0
        return min(100, self.documents_done * 100 // self.documents_total)


class PackageItem(models.Model):
    package = models.ForeignKey(ArchivalPackage, on_delete=models.PROTECT, related_name="items")
    case = models.ForeignKey("registry.Case", on_delete=models.PROTECT, related_name="package_items")
    position = models.PositiveIntegerField(_("no."))
    documents_count = models.PositiveIntegerField(_("number of documents"))

    class Meta:
        verbose_name = _("file in an archival package")
        verbose_name_plural = _("files in archival packages")
        ordering = ["package", "position"]
        constraints = [models.UniqueConstraint(fields=["package", "case"], name="unique_package_case")]
