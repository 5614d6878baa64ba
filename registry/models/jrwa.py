"""JRWA: the classification scheme, kept in versions that take effect on a date."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registry.validators import validate_jrwa_category


class JrwaVersion(models.Model):
    name = models.CharField(_("nazwa"), max_length=200)
    valid_from = models.DateField(_("obowiązuje od"))
    valid_to = models.DateField(_("obowiązuje do"), null=True, blank=True)
    source = models.CharField(_("podstawa / źródło"), max_length=300, blank=True)
    imported_at = models.DateTimeField(_("zaimportowano"), default=timezone.now)

    class Meta:
        verbose_name = _("wersja JRWA")
        verbose_name_plural = _("wersje JRWA")
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
    version = models.ForeignKey(JrwaVersion, on_delete=models.CASCADE, related_name="classes", verbose_name=_("wersja"))
    symbol = models.CharField(_("symbol"), max_length=4)
    title = models.CharField(_("hasło klasyfikacyjne"), max_length=500)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children",
        verbose_name=_("klasa nadrzędna"),
    )
    category_own = models.CharField(
        _("kategoria w komórce macierzystej"), max_length=6, blank=True, validators=[validate_jrwa_category]
    )
    category_other = models.CharField(
        _("kategoria w innych komórkach"), max_length=6, blank=True, validators=[validate_jrwa_category]
    )
    is_leaf = models.BooleanField(_("klasa końcowa"), default=False)
    kept_electronically = models.BooleanField(_("prowadzona w systemie EZD"), default=True)
    remarks = models.TextField(_("uwagi"), blank=True)

    class Meta:
        verbose_name = _("klasa JRWA")
        verbose_name_plural = _("klasy JRWA")
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
