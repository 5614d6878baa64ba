"""Forms of the registry pages. They only parse and check input; the services decide and write."""

import re
import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organisation.models import OrgUnit, Role, User
from registry.models import (
    Case,
    CaseParty,
    CaseStatus,
    Channel,
    Correspondent,
    Delivery,
    DocumentKind,
    Form,
    JrwaClass,
    JrwaVersion,
    OutgoingChannel,
    OutgoingItem,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]


def apply_errors(form, exc: ValidationError, fallback: str | None = None, rename: dict | None = None) -> None:
    """Put a service's ValidationError on the form: known fields get their own message, the rest go to
    `fallback` (or the top of the form)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            field = (rename or {}).get(field, field)
            target = field if field in form.fields else fallback
            for error in errors:
                form.add_error(target, error)
    else:
        for error in exc.error_list:
            form.add_error(fallback, error)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


def unit_choices(user):
    """Active units a user works in (heads: with the sub-units); every active unit for superusers."""
    from registry.access import scope_for

    qs = OrgUnit.objects.filter(active=True)
    if user.is_superuser:
        return qs
    return qs.filter(pk__in=scope_for(user).unit_ids)


def jrwa_from_text(text: str, version: JrwaVersion | None):
    """'6730 Warunki zabudowy' or '6730' → the class with that symbol in `version` (None if not found)."""
    match = re.match(r"\s*(\d{1,4})\b", text or "")
    if not match or version is None:
        return None
    return JrwaClass.objects.filter(version=version, symbol=match.group(1)).select_related("version").first()


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


# ----------------------------------------------------------------------------------------------------------------
# Deliveries
# ----------------------------------------------------------------------------------------------------------------


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
    text_lookups = ("subject", "sender__last_name", "sender__name", "sender__first_name", "sender_reference")

    def filter_more(self, qs, d):
        if d["unit"]:
            # A delivery belongs to the unit it was assigned to, or, before dekretacja, the one it was addressed to.
            qs = qs.filter(Q(assigned_unit=d["unit"]) | Q(assigned_unit__isnull=True, addressed_unit=d["unit"]))
        return qs


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


# ----------------------------------------------------------------------------------------------------------------
# Outgoing register
# ----------------------------------------------------------------------------------------------------------------


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


# ----------------------------------------------------------------------------------------------------------------
# Cases
# ----------------------------------------------------------------------------------------------------------------


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


class CaseForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=OrgUnit.objects.none(), empty_label=_("— choose —"))
    jrwa = forms.CharField(
        label=_("JRWA class"), max_length=300,
        help_text=_("Type a symbol or words of the title and choose a last-level class of the JRWA in force."),
    )
    title = forms.CharField(label=_("Case title"), max_length=500)
    case_worker = forms.ModelChoiceField(
        label=_("Case worker"), queryset=User.objects.none(), empty_label=_("— choose —")
    )
    confidential = forms.BooleanField(
        label=_("Confidential case"), required=False,
        help_text=_("Visible only to the case worker and the participants named below."),
    )
    participants = forms.ModelMultipleChoiceField(
        label=_("Participants (access)"), queryset=User.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        units = unit_choices(user)
        self.fields["unit"].queryset = units
        people = User.objects.filter(is_active=True).order_by("last_name", "first_name")
        if not user.is_superuser:
            people = people.filter(
                memberships__unit__in=units, memberships__role__in=[Role.HEAD, Role.CASE_WORKER]
            ).distinct()
        self.fields["case_worker"].queryset = people
        self.fields["participants"].queryset = User.objects.filter(is_active=True).order_by("last_name")
        self.version = JrwaVersion.in_force()

    def clean_jrwa(self):
        text = self.cleaned_data["jrwa"]
        jrwa_class = jrwa_from_text(text, self.version)
        if jrwa_class is None:
            raise ValidationError(_("There is no class with this symbol in the JRWA in force."))
        from registry.services.cases import validate_jrwa_for_case

        try:
            validate_jrwa_for_case(jrwa_class, timezone.localdate())
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["jrwa_class"]) from exc
        return jrwa_class

    def clean(self):
        cleaned = super().clean()
        unit, worker = cleaned.get("unit"), cleaned.get("case_worker")
        if unit and worker and not worker.is_superuser and not worker.memberships.filter(
            unit=unit, role__in=[Role.HEAD, Role.CASE_WORKER]
        ).exists():
            self.add_error("case_worker", _("The case worker must work in the chosen unit."))
        return cleaned


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=CaseStatus.choices, widget=forms.HiddenInput)
    remarks = forms.CharField(
        label=_("Remarks"), required=False, max_length=500,
        help_text=_("When closing: how the case was settled (shown in the spis spraw)."),
    )


class CaseWorkerForm(forms.Form):
    case_worker = forms.ModelChoiceField(label=_("New case worker"), queryset=User.objects.none(),
                                         empty_label=_("— choose —"))

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case_worker"].queryset = (
            User.objects.filter(is_active=True, memberships__unit=case.unit,
                                memberships__role__in=[Role.HEAD, Role.CASE_WORKER])
            .exclude(pk=case.case_worker_id).distinct().order_by("last_name", "first_name")
        )


class PartyForm(forms.Form):
    correspondent = forms.ModelChoiceField(
        label=_("Party"), queryset=Correspondent.objects.filter(merged_into__isnull=True), widget=forms.HiddenInput,
        required=False,
    )
    party_search = forms.CharField(label=_("Party"), max_length=300)
    role = forms.ChoiceField(label=_("Role"), choices=CaseParty.Role.choices, initial=CaseParty.Role.PARTY)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("correspondent") and "party_search" not in self.errors:
            self.add_error("party_search", _("Choose the party from the list."))
        return cleaned


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Document title"), max_length=500)
    kind = forms.ChoiceField(label=_("Kind"), choices=DocumentKind.choices, initial=DocumentKind.NOTE)
    file = forms.FileField(label=_("File"))
    comment = forms.CharField(label=_("Note"), required=False, max_length=500)


class VersionForm(forms.Form):
    file = forms.FileField(label=_("File of the new version"))
    comment = forms.CharField(label=_("Change note"), required=False, max_length=500)


# ----------------------------------------------------------------------------------------------------------------
# Spis spraw
# ----------------------------------------------------------------------------------------------------------------


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


# ----------------------------------------------------------------------------------------------------------------
# Correspondents
# ----------------------------------------------------------------------------------------------------------------


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
