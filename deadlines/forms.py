from django import forms
from django.utils.translation import gettext_lazy as _

from deadlines.models import DeadlineKind, ExcludedPeriod
from deadlines.selectors import BUCKET_LABELS, BUCKETS


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class NarrowingChoiceField(forms.TypedChoiceField):
    """A select whose choices are a convenience: any id is accepted, since a filter only narrows what the access
    rule already allows (drill-down links may name a unit or person no longer listed)."""

    def valid_value(self, value):
        return str(value).isdigit() or super().valid_value(value)


class FilterForm(forms.Form):
    unit = NarrowingChoiceField(label=_("Unit"), required=False, coerce=int, empty_value=None)
    case_worker = NarrowingChoiceField(label=_("Case worker"), required=False, coerce=int, empty_value=None)
    kind = forms.ModelChoiceField(
        label=_("Kind of deadline"), required=False, queryset=DeadlineKind.objects.all(), empty_label=_("all")
    )
    bucket = forms.ChoiceField(
        label=_("Deadline state"), required=False, choices=[("", _("all"))] + [(b, BUCKET_LABELS[b]) for b in BUCKETS]
    )
    q = forms.CharField(label=_("Case sign or title"), required=False, max_length=100)

    def __init__(self, *args, units=(), case_workers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", _("all"))] + [(u["id"], f'{u["symbol"]} – {u["name"]}') for u in units]
        self.fields["case_worker"].choices = [("", _("all")), *list(case_workers)]


class KindForm(forms.Form):
    kind = forms.ModelChoiceField(label=_("Kind of deadline"), queryset=DeadlineKind.objects.filter(active=True))
    reason = forms.CharField(label=_("Reason for the change"), required=False, max_length=300)


class ExcludedPeriodForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=ExcludedPeriod.Reason.choices)
    starts_on = forms.DateField(label=_("From"), widget=DateInput())
    ends_on = forms.DateField(
        label=_("Until (inclusive)"), required=False, widget=DateInput(),
        help_text=_("Leave empty while the period lasts."),
    )
    description = forms.CharField(label=_("Description"), required=False, max_length=500)


class EndPeriodForm(forms.Form):
    period = forms.IntegerField(widget=forms.HiddenInput)
    ends_on = forms.DateField(label=_("Until (inclusive)"), widget=DateInput())


class ExtensionForm(forms.Form):
    new_date = forms.DateField(label=_("New date for handling the case"), widget=DateInput())
    reason = forms.CharField(label=_("Reasons for the delay"), widget=forms.Textarea(attrs={"rows": 4}))
    decided_on = forms.DateField(label=_("Date of the notice"), widget=DateInput(), required=False)
