"""Forms of the archive's pages: they parse and check input; the services decide and write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from archive.models import CategoryGroup, LoanStatus
from organisation.models import OrgUnit, User
from registry.models import JrwaClass

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PrepareForm(forms.Form):
    unit = forms.ModelChoiceField(queryset=OrgUnit.objects.all(), widget=forms.HiddenInput)
    jrwa_class = forms.ModelChoiceField(queryset=JrwaClass.objects.filter(is_leaf=True), widget=forms.HiddenInput)
    year = forms.IntegerField(min_value=1900, max_value=2200, widget=forms.HiddenInput)
    group = forms.ChoiceField(choices=CategoryGroup.choices, widget=forms.HiddenInput)


class AcceptForm(forms.Form):
    storage_location = forms.CharField(
        label=_("Storage location of paper originals"), max_length=200, required=False,
        help_text=_("Room, shelf and box, e.g. “pok. 12, regał 3, półka 2”; leave empty for electronic files."),
    )
    remarks = forms.CharField(label=_("Remarks"), required=False, max_length=2000, widget=forms.Textarea(
        attrs={"rows": 2}))


class ReturnForm(forms.Form):
    remarks = forms.CharField(label=_("What must be corrected"), max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}))


class LoanRequestForm(forms.Form):
    purpose = forms.CharField(label=_("Purpose"), max_length=500)
    due_on = forms.DateField(label=_("To be returned by"), widget=DATE)
    borrower = forms.ModelChoiceField(
        label=_("For whom"), queryset=User.objects.filter(is_active=True).order_by("last_name", "first_name"),
        required=False, help_text=_("Leave empty to ask for yourself."),
    )

    def __init__(self, *args, archivist=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not archivist:
            del self.fields["borrower"]


class RefuseForm(forms.Form):
    remarks = forms.CharField(label=_("Reason for the refusal"), max_length=500)


class ReturnLoanForm(forms.Form):
    on_day = forms.DateField(label=_("Returned on"), widget=DATE)


class StorageForm(forms.Form):
    location = forms.CharField(label=_("Storage location of paper originals"), max_length=200, required=False)


class LoanFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("all")), *LoanStatus.choices], required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)


class InventoryFilterForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=OrgUnit.objects.order_by("symbol"), required=False)
    symbol = forms.RegexField(label=_("JRWA class (any level)"), regex=r"^\d{1,4}$", max_length=4, required=False)
    year = forms.IntegerField(label=_("Year"), min_value=1900, max_value=2200, required=False)


class ArchiveSearchForm(InventoryFilterForm):
    q = forms.CharField(label=_("Sign or title"), max_length=200, required=False)
    category = forms.RegexField(label=_("Archival category"), regex=r"^(A|Bc|B\d{1,3}|BE\d{1,3})$", max_length=6,
                                required=False)

    field_order = ["q", "unit", "symbol", "year", "category"]


class MetadataForm(forms.Form):
    description = forms.CharField(label=_("Description"), required=False, max_length=4000,
                                  widget=forms.Textarea(attrs={"rows": 3}),
                                  help_text=_("A summary or short description of the content."))
    addressee = forms.CharField(label=_("Addressee"), max_length=300, required=False,
                                help_text=_("Only if it differs from what the registry knows."))
    language = forms.CharField(label=_("Language (ISO 639-2)"), max_length=3, required=False,
                               help_text=_("Three letters, e.g. pol; empty means Polish."))
    access = forms.CharField(label=_("Access"), max_length=300, required=False,
                             help_text=_("Who may access the document and on what terms, if not the default."))
    rights = forms.CharField(label=_("Rights"), max_length=300, required=False,
                             help_text=_("Who may dispose of the document, if not the unit."))
