"""The search parameters, shared by the page, the API and the export."""

from django import forms
from django.utils.translation import gettext_lazy as _

from registry.models import CaseStatus, Channel, Delivery
from search.index.backends import SearchRequest

KIND_CHOICES = [("delivery", _("incoming deliveries")), ("case", _("cases")), ("document", _("documents"))]
SORT_CHOICES = [("relevance", _("relevance")), ("date", _("newest first")), ("date_asc", _("oldest first"))]
STATUS_CHOICES = [
    *[(v, label) for v, label in CaseStatus.choices],
    *[(v, label) for v, label in Delivery.Status.choices],
]
CATEGORY_CHOICES = [(c, c) for c in ("A", "B2", "B5", "B10", "B25", "B50", "BE5", "BE10", "BE25", "Bc")]


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search for"), required=False, max_length=500)
    kind = forms.MultipleChoiceField(label=_("Record type"), choices=KIND_CHOICES, required=False)
    unit = forms.TypedMultipleChoiceField(label=_("Unit"), coerce=int, required=False)
    jrwa = forms.RegexField(label=_("JRWA class (any level)"), regex=r"^\d{0,4}$", required=False, max_length=4)
    date_from = forms.DateField(label=_("From date"), required=False)
    date_to = forms.DateField(label=_("To date"), required=False)
    channel = forms.MultipleChoiceField(label=_("Channel"), choices=Channel.choices, required=False)
    sender = forms.IntegerField(label=_("Sender (correspondent id)"), required=False, min_value=1)
    case_worker = forms.IntegerField(label=_("Case worker (user id)"), required=False, min_value=1)
    status = forms.MultipleChoiceField(label=_("Status"), choices=STATUS_CHOICES, required=False)
    category = forms.MultipleChoiceField(label=_("Archival category"), choices=CATEGORY_CHOICES, required=False)
    year = forms.TypedMultipleChoiceField(label=_("Year"), coerce=int, required=False)
    sort = forms.ChoiceField(label=_("Sort by"), choices=SORT_CHOICES, required=False)
    size = forms.IntegerField(label=_("Results per page"), required=False, min_value=1, max_value=100)
    cursor = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Units and years are open sets: validate the form of the value, not membership in a list.
        self.fields["unit"].valid_value = lambda value: str(value).isdigit()
        self.fields["year"].valid_value = lambda value: str(value).isdigit() and 1900 <= int(value) <= 2200

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The end date is before the start date."))
        return data

    def to_request(self, **overrides) -> SearchRequest:
        d = self.cleaned_data
        units: list[int] = []
        if d.get("unit"):
            from organisation.models import OrgUnit

            for unit in OrgUnit.objects.filter(pk__in=d["unit"]):
                units.extend(unit.descendant_ids())
        req = SearchRequest(
            q=d.get("q") or "",
            kinds=d.get("kind") or [],
            units=sorted(set(units)) if d.get("unit") else [],
            jrwa=d.get("jrwa") or "",
            date_from=d.get("date_from"),
            date_to=d.get("date_to"),
            channels=d.get("channel") or [],
            sender=d.get("sender"),
            case_worker=d.get("case_worker"),
            statuses=d.get("status") or [],
            categories=d.get("category") or [],
            years=d.get("year") or [],
            sort=d.get("sort") or ("relevance" if d.get("q") else "date"),
            size=d.get("size") or 20,
            cursor=d.get("cursor") or "",
        )
        if d.get("unit") and not req.units:
            req.units = [-1]  # unknown unit: nothing
        for k, v in overrides.items():
            setattr(req, k, v)
        return req
