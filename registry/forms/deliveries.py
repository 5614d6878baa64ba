"""Forms of the incoming register: registering a delivery (with an inline new sender), attaching it."""

import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organisation.models import OrgUnit
from registry.forms.common import DATE, DATETIME, DATETIME_FORMATS, MultipleFileField
from registry.models import Case, Channel, Correspondent, Form


class NewCorrespondentMixin(forms.Form):
    """Fields to create the sender inline when the search found nobody."""

    new_kind = forms.ChoiceField(
        label=_("Kind of new sender"), choices=Correspondent.Kind.choices, initial=Correspondent.Kind.PERSON,
        required=False,
    )
    new_first_name = forms.CharField(label=_("First name"), required=False, max_length=100)
    new_last_name = forms.CharField(label=_("Surname"), required=False, max_length=150)
    new_name = forms.CharField(label=_("Institution name"), required=False, max_length=300)
    new_street = forms.CharField(label=_("Street"), required=False, max_length=200)
    new_building_number = forms.CharField(label=_("Building no."), required=False, max_length=20)
    new_postal_code = forms.CharField(label=_("Postal code"), required=False, max_length=6)
    new_city = forms.CharField(label=_("Town"), required=False, max_length=150)
    new_pesel = forms.CharField(label=_("PESEL"), required=False, max_length=11)
    new_nip = forms.CharField(label=_("NIP"), required=False, max_length=13)
    new_email = forms.EmailField(label=_("E-mail"), required=False)

    NEW_FIELDS = ("kind", "first_name", "last_name", "name", "street", "building_number", "postal_code", "city",
                  "pesel", "nip", "email")

    def new_correspondent_data(self) -> dict | None:
        d = self.cleaned_data
        if not any(d.get(f"new_{f}") for f in ("first_name", "last_name", "name")):
            return None
        return {f: d.get(f"new_{f}") or "" for f in self.NEW_FIELDS} | {
            "kind": d.get("new_kind") or Correspondent.Kind.PERSON
        }

    def clean_new_correspondent(self):
        """Check the inline sender like the model would, with messages next to the `new_…` fields."""
        data = self.new_correspondent_data()
        if data is None:
            return None
        if data.get("nip"):
            from registry.validators import normalise_nip

            data["nip"] = normalise_nip(data["nip"])
        candidate = Correspondent(**data)
        try:
            candidate.full_clean(exclude=["search_text", "merged_into"])
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                name = f"new_{field}"
                for error in errors:
                    self.add_error(name if name in self.fields else None, error)
            return None
        return data


class DeliveryForm(NewCorrespondentMixin):
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=100)
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices, initial=Channel.POST)
    form = forms.ChoiceField(label=_("Form"), choices=Form.choices, initial=Form.PAPER, widget=forms.RadioSelect)
    received_at = forms.DateTimeField(
        label=_("Date and time of receipt"), input_formats=DATETIME_FORMATS, widget=DATETIME
    )
    posted_on = forms.DateField(
        label=_("Postmark date"), required=False, widget=DATE,
        help_text=_("KPA art. 57 § 5: only if different from the date of receipt."),
    )
    sender = forms.ModelChoiceField(
        label=_("Sender"), queryset=Correspondent.objects.filter(merged_into__isnull=True), required=False,
        widget=forms.HiddenInput,
    )
    sender_search = forms.CharField(
        label=_("Sender"), required=False, max_length=300,
        help_text=_("Type a name, town or identifier and choose from the list; if there is nobody, fill in "
                    "“New sender” below."),
    )
    addressed_unit = forms.ModelChoiceField(
        label=_("Addressed unit"), queryset=OrgUnit.objects.filter(active=True), required=False,
        empty_label=_("— not stated —"),
    )
    subject = forms.CharField(
        label=_("Subject"), max_length=500,
        help_text=_("Write “brak danych” if it cannot be determined."),
    )
    sender_reference = forms.CharField(label=_("Sender's reference"), required=False, max_length=100)
    letter_date = forms.DateField(label=_("Letter date"), required=False, widget=DATE)
    paper_attachments = forms.IntegerField(
        label=_("Number of paper attachments"), min_value=0, max_value=9999, initial=0, required=False
    )
    paper_location = forms.CharField(
        label=_("Place in the chronological store"), required=False, max_length=100,
        help_text=_("E.g. box and folder of the skład chronologiczny holding the paper original."),
    )
    remarks = forms.CharField(label=_("Remarks"), required=False, max_length=500, widget=forms.Textarea(
        attrs={"rows": 3}))
    files = MultipleFileField(
        label=_("Files (scans, electronic documents)"), required=False,
        help_text=_("You can choose several files; the first one is the letter, the rest are attachments."),
    )

    field_order = [
        "idempotency_key", "channel", "form", "received_at", "posted_on", "sender_search", "sender",
        "new_kind", "new_first_name", "new_last_name", "new_name", "new_street", "new_building_number",
        "new_postal_code", "new_city", "new_pesel", "new_nip", "new_email", "addressed_unit", "subject",
        "sender_reference", "letter_date", "paper_attachments", "paper_location", "remarks", "files",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4().hex)
            self.initial.setdefault("received_at", timezone.localtime().replace(second=0, microsecond=0))

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("sender"):
            cleaned["new_sender"] = self.clean_new_correspondent()
            typed = (cleaned.get("sender_search") or "").strip()
            if typed and cleaned["new_sender"] is None and not self.has_error("new_last_name") \
                    and not self.has_error("new_name"):
                self.add_error("sender_search", _("Choose the sender from the list, or fill in “New sender”."))
        else:
            cleaned["new_sender"] = None
        if cleaned.get("paper_attachments") is None:
            cleaned["paper_attachments"] = 0
        return cleaned

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return {
            "channel": d["channel"], "form": d["form"], "received_at": d["received_at"], "posted_on": d["posted_on"],
            "sender": d["sender"], "addressed_unit": d["addressed_unit"], "subject": d["subject"],
            "sender_reference": d["sender_reference"], "letter_date": d["letter_date"],
            "paper_attachments": d["paper_attachments"], "paper_location": d["paper_location"],
            "remarks": d["remarks"], "idempotency_key": d["idempotency_key"], "files": d["files"],
        }


class AttachDeliveryForm(forms.Form):
    case = forms.ModelChoiceField(label=_("Case"), queryset=Case.objects.none(), empty_label=_("— choose —"))

    def __init__(self, *args, cases=None, **kwargs):
        super().__init__(*args, **kwargs)
        if cases is not None:
            self.fields["case"].queryset = cases
