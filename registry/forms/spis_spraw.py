"""The spis spraw (§ 27 IK) query form."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from organisation.models import OrgUnit
from registry.forms.common import DATE


class CaseRegisterForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=OrgUnit.objects.all(), empty_label=_("— choose —"))
    jrwa = forms.CharField(
        label=_("JRWA class (symbol, any level)"), max_length=4, required=False,
        help_text=_("A higher-level symbol includes all its sub-classes."),
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1990, max_value=2100)
    date_from = forms.DateField(label=_("Started from"), required=False, widget=DATE)
    date_to = forms.DateField(label=_("Started until"), required=False, widget=DATE)

    def clean_jrwa(self):
        value = (self.cleaned_data.get("jrwa") or "").strip()
        if value and not value.isdigit():
            raise ValidationError(_("A JRWA symbol is 1 to 4 digits."))
        return value

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("year") or cleaned.get("date_from") or cleaned.get("date_to")) and not self.errors:
            self.add_error("year", _("Choose a year or a date range."))
        df, dt_ = cleaned.get("date_from"), cleaned.get("date_to")
        if df and dt_ and df > dt_:
            self.add_error("date_to", _("The end of the range is before its start."))
        return cleaned
