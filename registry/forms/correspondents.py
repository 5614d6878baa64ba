"""Forms of the correspondents: create / edit, merge of duplicates."""

from django import forms
from django.utils.translation import gettext_lazy as _

from registry.models import Correspondent


class CorrespondentForm(forms.ModelForm):
    class Meta:
        model = Correspondent
        fields = [
            "kind", "first_name", "last_name", "name", "pesel", "nip", "regon", "krs", "street", "building_number",
            "flat_number", "postal_code", "city", "country", "email", "epuap_address", "ade",
        ]
        widgets = {"kind": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nip"].max_length = 13  # 123-456-32-18 and PL1234563218 are accepted and normalised
        self.fields["nip"].widget.attrs["maxlength"] = 13
        self.fields["nip"].validators = []

    def clean_nip(self):
        from registry.validators import normalise_nip

        value = self.cleaned_data.get("nip") or ""
        return normalise_nip(value) if value else ""


class MergeForm(forms.Form):
    keep = forms.ModelChoiceField(
        label=_("Keep"), queryset=Correspondent.objects.filter(merged_into__isnull=True), widget=forms.RadioSelect,
        empty_label=None,
    )

    def __init__(self, *args, pair, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["keep"].queryset = Correspondent.objects.filter(pk__in=[c.pk for c in pair])
