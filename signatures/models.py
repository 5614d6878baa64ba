"""The verification result of one document version's electronic signature(s), computed in Celery after upload."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    VALID = "valid", _("valid signature")
    UNTRUSTED = "untrusted", _("intact, issuer not trusted")
    EXPIRED = "expired", _("certificate expired")
    INVALID = "invalid", _("broken signature")
    UNSIGNED = "unsigned", _("not signed")
    ERROR = "error", _("could not be verified")


class SignatureCheck(models.Model):
    version = models.OneToOneField(
        "registry.DocumentVersion", on_delete=models.CASCADE, related_name="signature_check",
        verbose_name=_("document version"),
    )
    status = models.CharField(_("signature status"), max_length=10, choices=Status.choices)
    format = models.CharField(_("signature format"), max_length=10, blank=True)
    signer = models.CharField(_("signer"), max_length=300, blank=True)
    issuer = models.CharField(_("certificate issuer"), max_length=300, blank=True)
    signed_at = models.DateTimeField(_("signing time (declared by the signer)"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    details = models.JSONField(_("all signatures"), default=list, blank=True)
    checked_at = models.DateTimeField(_("verified"), auto_now=True)

    class Meta:
        verbose_name = _("signature verification")
        verbose_name_plural = _("signature verifications")

    def __str__(self):
        return f"{self.version}: {self.get_status_display()}"

    @property
    def is_valid(self):
        return self.status == Status.VALID
