"""A proposal that an incoming delivery belongs to an existing case: a reply to our message or a letter citing our
case sign. Never attached silently: a person accepts (then the delivery is attached and the metryka says why) or
declines it at dekretacja."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Basis(models.TextChoices):
    REF_TO_MESSAGE = "ref_to_message", _("a reply to our e-Doręczenia message")
    THREAD = "thread", _("the thread of our e-Doręczenia message")
    CASE_ID = "case_id", _("the case identifier of the e-Doręczenia message")
    CITED_SIGN = "cited_sign", _("our case sign quoted in the letter")


class CaseProposal(models.Model):
    class State(models.TextChoices):
        PROPOSED = "proposed", _("proposed")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")

    delivery = models.ForeignKey("registry.Delivery", on_delete=models.CASCADE, related_name="case_proposals",
                                 verbose_name=_("delivery"))
    case = models.ForeignKey("registry.Case", on_delete=models.CASCADE, related_name="+", verbose_name=_("case"))
    basis = models.CharField(_("why"), max_length=20, choices=Basis.choices)
    detail = models.CharField(_("what matched"), max_length=200, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PROPOSED)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    created_at = models.DateTimeField(_("proposed"), auto_now_add=True)

    class Meta:
        verbose_name = _("proposed case")
        verbose_name_plural = _("proposed cases")
        ordering = ["delivery", "pk"]
        constraints = [models.UniqueConstraint(fields=["delivery", "case"], name="one_proposal_per_case")]

    def __str__(self):
        return f"{self.delivery} → {self.case}"
