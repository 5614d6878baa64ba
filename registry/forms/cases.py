"""Forms of a case: opening it, status, case worker, parties, documents and their versions."""

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organisation.models import OrgUnit, Role, User
from registry.forms.common import jrwa_from_text, unit_choices
from registry.models import CaseParty, CaseStatus, Correspondent, DocumentKind, JrwaVersion


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
    # Proposed from the JRWA class and the kind of letter (deadlines.proposal); shown for confirmation.
    deadline_kind = forms.ModelChoiceField(
        label=_("Kind of statutory deadline"), queryset=User.objects.none(), required=False,
        empty_label=_("— choose —"),
    )
    # The kind the page proposed when it was shown: tells a confirmed proposal from a deliberate choice.
    deadline_proposed = forms.CharField(widget=forms.HiddenInput, required=False, max_length=20)

    def __init__(self, *args, user, delivery=None, **kwargs):
        from deadlines.models import DeadlineKind

        super().__init__(*args, **kwargs)
        self.delivery = delivery
        self.fields["deadline_kind"].queryset = DeadlineKind.objects.filter(active=True).order_by("name")
        self.fields["deadline_kind"].widget.attrs.update({
            "data-proposal-url": reverse("deadlines:proposal"),
            "data-subject": delivery.subject if delivery else "",
        })
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
        self.proposal = None
        if not self.is_bound:
            self.proposal = self.propose(None, self.initial.get("title", ""))
            self.initial["deadline_kind"] = self.initial["deadline_proposed"] = self.proposal.kind.pk

    def propose(self, jrwa_class, title):
        from deadlines.proposal import describe, propose

        proposal = propose(jrwa_class=jrwa_class, texts=[self.delivery.subject if self.delivery else "", title or ""])
        self.fields["deadline_kind"].help_text = describe(proposal)
        return proposal

    def _show_proposal(self, proposal, message):
        """Put the fresh proposal into the form the person sees again, with why it is asked for."""
        self.data = self.data.copy()
        self.data["deadline_kind"] = self.data["deadline_proposed"] = str(proposal.kind.pk)
        self.add_error("deadline_kind", message)

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
        self._check_deadline_kind(cleaned)
        return cleaned

    def _check_deadline_kind(self, cleaned):
        """Never a silent default: the kind is either the proposal the person saw, or one they chose instead."""
        if "jrwa" not in cleaned:
            self.propose(None, cleaned.get("title"))  # the help text still says what is proposed so far
            return  # the JRWA error comes first; the proposal depends on the class
        self.proposal = proposal = self.propose(cleaned["jrwa"], cleaned.get("title"))
        chosen, shown = cleaned.get("deadline_kind"), cleaned.get("deadline_proposed") or ""
        values = {"kind": proposal.kind.name, "term": proposal.kind.term_label, "reason": proposal.reason}
        if chosen is None:
            self._show_proposal(proposal, _(
                "Confirm the kind of deadline: we propose %(kind)s (%(term)s) %(reason)s; or choose another."
            ) % values)
        elif str(chosen.pk) == shown and chosen.pk != proposal.kind.pk:
            # The person accepted an earlier proposal; the JRWA class or the title now gives another one.
            self._show_proposal(proposal, _(
                "For this JRWA class and title we propose %(kind)s (%(term)s) %(reason)s. Confirm it or choose "
                "another kind."
            ) % values)


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
    title = forms.CharField(
        label=_("Document title"), max_length=500, required=False,
        help_text=_("If left empty: the kind of document and the case title, e.g. “Draft letter – Wniosek o …”."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=DocumentKind.choices, initial=DocumentKind.NOTE)
    file = forms.FileField(label=_("File"))
    comment = forms.CharField(label=_("Note"), required=False, max_length=500)


class VersionForm(forms.Form):
    file = forms.FileField(label=_("File of the new version"))
    comment = forms.CharField(label=_("Change note"), required=False, max_length=500)


class ClassCorrectionForm(forms.Form):
    """An audited correction of the case's JRWA class (the class of the version in force when it was opened)."""

    jrwa = forms.CharField(label=_("Correct JRWA class"), max_length=300,
                           help_text=_("Type a symbol or words of the title; the case gets a new sign."))
    reason = forms.CharField(label=_("Reason for the correction"), max_length=500)

    prefix = "klasa"  # the case page holds several forms

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case

    def clean_jrwa(self):
        version = JrwaVersion.in_force(self.case.started_on)
        jrwa_class = jrwa_from_text(self.cleaned_data["jrwa"], version)
        if jrwa_class is None:
            raise ValidationError(
                _("There is no class with this symbol in the JRWA in force when the case was opened.")
            )
        return jrwa_class
