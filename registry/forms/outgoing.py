"""Forms of the outgoing register: registering an item, marking it sent, evidence of delivery."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registry.forms.common import DATETIME, DATETIME_FORMATS
from registry.models import Case, Correspondent, OutgoingChannel


class OutgoingForm(forms.Form):
    recipient = forms.ModelChoiceField(
        label=_("Recipient"), queryset=Correspondent.objects.filter(merged_into__isnull=True), required=False,
        widget=forms.HiddenInput,
    )
    recipient_search = forms.CharField(label=_("Recipient"), max_length=300)
    case_sign = forms.CharField(label=_("Case sign"), required=False, max_length=60,
                                help_text=_("E.g. RB.6730.1.2026; leave empty if the item belongs to no case."))
    channel = forms.ChoiceField(label=_("Dispatch channel"), choices=OutgoingChannel.choices)
    subject = forms.CharField(label=_("Title"), max_length=500)
    sent_at = forms.DateTimeField(
        label=_("Date sent"), required=False, input_formats=DATETIME_FORMATS, widget=DATETIME,
        help_text=_("Leave empty if the item is only prepared for dispatch."),
    )
    tracking_number = forms.CharField(label=_("Tracking number / message identifier"), required=False,
                                      max_length=100)

    def __init__(self, *args, cases=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.cases = cases if cases is not None else Case.objects.none()

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("recipient") and "recipient_search" not in self.errors:
            self.add_error("recipient_search", _("Choose the recipient from the list."))
        sign = (cleaned.get("case_sign") or "").strip()
        cleaned["case"] = None
        if sign:
            case = self.cases.filter(sign=sign).first()
            if case is None:
                self.add_error("case_sign", _("There is no case with this sign that you may see."))
            cleaned["case"] = case
        sent_at = cleaned.get("sent_at")
        if sent_at and sent_at > timezone.now() + timezone.timedelta(minutes=5):
            self.add_error("sent_at", _("The dispatch date cannot be in the future."))
        return cleaned


class MarkSentForm(forms.Form):
    sent_at = forms.DateTimeField(label=_("Date sent"), input_formats=DATETIME_FORMATS, widget=DATETIME)
    tracking_number = forms.CharField(label=_("Tracking number / message identifier"), required=False,
                                      max_length=100)


class EvidenceForm(forms.Form):
    OUTCOME = [("delivered", _("delivered")), ("deemed", _("deemed delivered")),
               ("returned", _("returned / not delivered"))]
    outcome = forms.ChoiceField(label=_("Outcome"), choices=OUTCOME, widget=forms.RadioSelect, initial="delivered")
    delivered_at = forms.DateTimeField(label=_("Date of delivery"), input_formats=DATETIME_FORMATS,
                                       widget=DATETIME)
    evidence_kind = forms.CharField(
        label=_("Kind of evidence"), max_length=50,
        help_text=_("E.g. return receipt (zwrotka), e-Doręczenia evidence, UPD."),
    )
    evidence_file = forms.FileField(label=_("Scan or file of the evidence"), required=False)

    def clean_delivered_at(self):
        value = self.cleaned_data["delivered_at"]
        if value and value > timezone.now() + timezone.timedelta(minutes=5):
            raise ValidationError(_("The date of delivery cannot be in the future."))
        return value
