"""JRWA: the classification scheme, kept in versions that take effect on a date."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registry.validators import validate_jrwa_category


class JrwaVersion(models.Model):
    name = models.CharField(_("name"), max_length=200)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    source = models.CharField(_("legal basis / source"), max_length=300, blank=True)
    imported_at = models.DateTimeField(_("imported"), default=timezone.now)

    class Meta:
        verbose_name = _("JRWA version")
        verbose_name_plural = _("JRWA versions")
        ordering = ["-valid_from"]
        constraints = [models.UniqueConstraint(fields=["valid_from"], name="unique_jrwa_version_start")]

    def __str__(self):
        return f"{self.name} ({self.valid_from:%Y-%m-%d})"

    @classmethod
    def in_force(cls, day=None):
        """The version in force on `day` (the newest one that started on or before it)."""
        day = day or timezone.localdate()
        return (
            cls.objects.filter(valid_from__lte=day)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
            .order_by("-valid_from")
            .first()
        )


class JrwaClass(models.Model):
    version = models.ForeignKey(
        JrwaVersion, on_delete=models.CASCADE, related_name="classes", verbose_name=_("version")
    )
    symbol = models.CharField(_("symbol"), max_length=4)
    title = models.CharField(_("classification title"), max_length=500)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children",
        verbose_name=_("parent class"),
    )
    category_own = models.CharField(
        _("category in the originating unit"), max_length=6, blank=True, validators=[validate_jrwa_category]
    )
    category_other = models.CharField(
        _("category in other units"), max_length=6, blank=True, validators=[validate_jrwa_category]
    )
    is_leaf = models.BooleanField(_("last-level class"), default=False)
    kept_electronically = models.BooleanField(_("kept in the EZD system"), default=True)
    remarks = models.TextField(_("remarks"), blank=True)

    class Meta:
        verbose_name = _("JRWA class")
        verbose_name_plural = _("JRWA classes")
        ordering = ["version", "symbol"]
        constraints = [
            models.UniqueConstraint(fields=["version", "symbol"], name="unique_jrwa_symbol_per_version"),
            models.CheckConstraint(condition=Q(symbol__regex=r"^\d{1,4}$"), name="jrwa_symbol_digits"),
        ]

    def __str__(self):
        return f"{self.symbol} {self.title}"

    @property
    def level(self) -> int:
        return len(self.symbol)
