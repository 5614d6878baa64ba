"""Filters of the list pages (deliveries, outgoing items, cases) on the shared `ListFilterForm`."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from organisation.models import OrgUnit, User
from registry.access import scope_for
from registry.forms.common import DATE
from registry.models import CaseStatus, Channel, Delivery, OutgoingChannel, OutgoingItem
from registry.selectors import my_open_cases, waiting_deliveries


class ListFilterForm(forms.Form):
    """Filters of a list page: every field named in `lookups` filters by that ORM lookup when it is given, and `q`
    matches any of `text_lookups` (case-insensitive substring). `filter_more` takes the filters that need more."""

    lookups: dict[str, str] = {}
    text_lookups: tuple[str, ...] = ()

    def filter(self, qs):
        if not self.is_valid():
            return qs
        d = self.cleaned_data
        for field, lookup in self.lookups.items():
            if d.get(field):
                qs = qs.filter(**{lookup: d[field]})
        text = (d.get("q") or "").strip()
        if text and self.text_lookups:
            condition = Q()
            for lookup in self.text_lookups:
                condition |= Q(**{f"{lookup}__icontains": text})
            qs = qs.filter(condition)
        return self.filter_more(qs, d)

    def filter_more(self, qs, d):
        return qs


class DeliveryFilterForm(ListFilterForm):
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1990, max_value=2100)
    channel = forms.ChoiceField(label=_("Channel"), required=False, choices=[("", _("any")), *Channel.choices])
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("any")), *Delivery.Status.choices]
    )
    unit = forms.ModelChoiceField(
        label=_("Unit"), required=False, queryset=OrgUnit.objects.filter(active=True), empty_label=_("any")
    )
    date_from = forms.DateField(label=_("Received from"), required=False, widget=DATE)
    date_to = forms.DateField(label=_("Received until"), required=False, widget=DATE)
    q = forms.CharField(label=_("Subject or sender contains"), required=False, max_length=200)

    lookups = {
        "year": "year", "channel": "channel", "status": "status",
        "date_from": "received_at__date__gte", "date_to": "received_at__date__lte",
    }
    waiting = forms.BooleanField(label=_("Only waiting in my units (no case yet)"), required=False)
    text_lookups = ("subject", "sender__last_name", "sender__name", "sender__first_name", "sender_reference")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def filter_more(self, qs, d):
        if d["unit"]:
            # A delivery belongs to the unit it was assigned to, or, before dekretacja, the one it was addressed to.
            qs = qs.filter(Q(assigned_unit=d["unit"]) | Q(assigned_unit__isnull=True, addressed_unit=d["unit"]))
        if d.get("waiting") and self.user is not None:
            qs = waiting_deliveries(self.user, scope_for(self.user), qs)
        return qs


class OutgoingFilterForm(ListFilterForm):
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1990, max_value=2100)
    channel = forms.ChoiceField(
        label=_("Channel"), required=False, choices=[("", _("any")), *OutgoingChannel.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("any")), *OutgoingItem.Status.choices]
    )
    q = forms.CharField(label=_("Title or recipient contains"), required=False, max_length=200)

    lookups = {"year": "year", "channel": "channel", "status": "status"}
    text_lookups = ("subject", "recipient__last_name", "recipient__name", "tracking_number")


class CaseFilterForm(ListFilterForm):
    unit = forms.ModelChoiceField(
        label=_("Unit"), required=False, queryset=OrgUnit.objects.filter(active=True), empty_label=_("any")
    )
    jrwa = forms.CharField(label=_("JRWA class (symbol)"), required=False, max_length=4)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1990, max_value=2100)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("any")), *CaseStatus.choices])
    case_worker = forms.ModelChoiceField(
        label=_("Case worker"), required=False, queryset=User.objects.filter(is_active=True), empty_label=_("any")
    )
    q = forms.CharField(label=_("Sign or title contains"), required=False, max_length=200)
    mine = forms.BooleanField(label=_("Only my open cases (also of those I stand in for)"), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_jrwa(self):
        value = (self.cleaned_data.get("jrwa") or "").strip()
        if value and not value.isdigit():
            raise ValidationError(_("A JRWA symbol is 1 to 4 digits."))
        return value

    lookups = {
        "unit": "unit", "jrwa": "jrwa_class__symbol__startswith", "year": "year", "status": "status",
        "case_worker": "case_worker",
    }
    text_lookups = ("sign", "title")

    def filter_more(self, qs, d):
        if d.get("mine") and self.user is not None:
            qs = my_open_cases(scope_for(self.user), qs)
        return qs
