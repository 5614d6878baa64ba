from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organisation.models import Membership, OrgUnit, Role, User, principals_of
from registry.access import scope_for
from registry.models import Case, CaseStatus, Document, DocumentKind, JrwaClass
from workflow.models import ApprovalProcess, CaseFlag, Decision, NotificationPreference, RouteVersion


class AccessibleForm(forms.Form):
    """Marks invalid fields with aria-invalid and ties each field to its help and error text."""

    def full_clean(self):
        super().full_clean()
        for name, field in self.fields.items():
            described = []
            if field.help_text:
                described.append(f"id_{name}_helptext")
            if name in self.errors:
                field.widget.attrs["aria-invalid"] = "true"
                described.append(f"id_{name}_errors")
            if described:
                field.widget.attrs["aria-describedby"] = " ".join(described)


class ChooseUnitForm(AccessibleForm):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=OrgUnit.objects.filter(active=True))
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class DecreeForm(AccessibleForm):
    ASSIGN, FORWARD = "assign", "forward"
    action = forms.ChoiceField(
        label=_("What to do"), widget=forms.RadioSelect,
        choices=[(ASSIGN, _("Assign to a case worker")), (FORWARD, _("Pass to another unit"))], initial=ASSIGN,
    )
    worker = forms.ModelChoiceField(label=_("Case worker"), queryset=User.objects.none(), required=False)
    instruction = forms.CharField(label=_("Instruction"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    due_on = forms.DateField(label=_("Due date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    forward_to = forms.ModelChoiceField(label=_("Unit to pass it to"), queryset=OrgUnit.objects.filter(active=True),
                                        required=False)
    reason = forms.CharField(label=_("Reason for passing it on"), required=False, max_length=500)

    def __init__(self, *args, unit=None, **kwargs):
        super().__init__(*args, **kwargs)
        if unit is not None:
            self.fields["worker"].queryset = User.objects.filter(
                memberships__unit=unit, memberships__role__in=[Role.CASE_WORKER, Role.HEAD], is_active=True
            ).distinct()
            self.fields["forward_to"].queryset = OrgUnit.objects.filter(active=True).exclude(pk=unit.pk)

    def clean(self):
        data = super().clean()
        if data.get("action") == self.FORWARD:
            if not data.get("forward_to"):
                self.add_error("forward_to", _("Choose the unit."))
            if not (data.get("reason") or "").strip():
                self.add_error("reason", _("Give the reason for passing it to another unit."))
        else:
            if not data.get("worker"):
                self.add_error("worker", _("Choose the case worker."))
            if data.get("due_on") and data["due_on"] < timezone.localdate():
                self.add_error("due_on", _("The due date cannot be in the past."))
        return data


class HandleForm(AccessibleForm):
    OPEN, ATTACH = "open", "attach"
    action = forms.ChoiceField(
        label=_("What to do"), widget=forms.RadioSelect,
        choices=[(OPEN, _("Open a new case")), (ATTACH, _("Attach to an existing case"))], initial=OPEN,
    )
    jrwa_class = forms.ModelChoiceField(label=_("JRWA class"), queryset=JrwaClass.objects.none(), required=False)
    title = forms.CharField(label=_("Case title"), required=False, max_length=500)
    case = forms.ModelChoiceField(label=_("Case"), queryset=Case.objects.none(), required=False)

    def __init__(self, *args, user=None, unit=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jrwa_class"].queryset = JrwaClass.objects.filter(is_leaf=True).order_by("symbol")
        if user is not None:
            cases = scope_for(user).cases(Case.objects.exclude(status=CaseStatus.CLOSED))
            if unit is not None:
                cases = cases.filter(unit=unit)
            self.fields["case"].queryset = cases.order_by("-pk")

    def clean(self):
        data = super().clean()
        if data.get("action") == self.ATTACH:
            if not data.get("case"):
                self.add_error("case", _("Choose the case."))
        elif not data.get("jrwa_class"):
            self.add_error("jrwa_class", _("Choose a JRWA class."))
        return data


class DecideForm(AccessibleForm):
    decision = forms.ChoiceField(label=_("Decision"), choices=Decision.choices, widget=forms.RadioSelect)
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required when you return or reject the document."),
    )

    file = forms.FileField(
        label=_("Signed document"), required=False,
        help_text=_("The document signed outside the system (qualified, trusted or personal signature; XAdES .xml "
                    "or PAdES .pdf). It becomes a new version and its signature is verified."),
    )

    def __init__(self, *args, signature=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not signature:  # only a signature stage takes the signed file
            del self.fields["file"]

    def clean(self):
        data = super().clean()
        if data.get("decision") in (Decision.RETURN, Decision.REJECT) and not (data.get("comment") or "").strip():
            self.add_error("comment", _("Say what is wrong: the comment is required."))
        return data


class ReviseForm(AccessibleForm):
    file = forms.FileField(label=_("Corrected document"), required=False,
                           help_text=_("A new version of the document; leave empty if nothing had to change."))
    comment = forms.CharField(label=_("What you corrected"), required=False, max_length=500)


class StartRouteForm(AccessibleForm):
    document = forms.ModelChoiceField(label=_("Document"), queryset=Document.objects.none())
    route_version = forms.ModelChoiceField(
        label=_("Route"), queryset=RouteVersion.objects.none(), required=False,
        help_text=_("Leave empty to use the route set for this JRWA class, document kind and unit."),
    )
    flags = forms.MultipleChoiceField(label=_("Flags"), choices=CaseFlag.choices, required=False,
                                      widget=forms.CheckboxSelectMultiple)
    attachments = forms.ModelMultipleChoiceField(label=_("Attachments"), queryset=Document.objects.none(),
                                                 required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, case=None, document_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        docs = Document.objects.filter(case=case).order_by("pk")
        # a document already on a route cannot be sent again, so it is not offered
        on_route = ApprovalProcess.objects.filter(case=case, finished__isnull=True).values("document_id")
        candidates = docs.filter(
            kind__in=[DocumentKind.DRAFT, DocumentKind.LETTER, DocumentKind.DECISION, DocumentKind.ORDER,
                      DocumentKind.NOTICE]).exclude(pk__in=on_route)
        self.fields["document"].queryset = candidates
        if not self.is_bound:
            ids = list(candidates.values_list("pk", flat=True))
            wanted = int(document_id) if str(document_id or "").isdigit() else None
            if wanted in ids:  # asked for from the case page
                self.initial["document"] = wanted
            elif len(ids) == 1:  # the only draft: nothing to choose
                self.initial["document"] = ids[0]
        # a document is not offered as its own attachment (static/js/start_route.js follows a change of document;
        # clean() refuses it when sent anyway)
        chosen = self.initial.get("document")
        self.fields["attachments"].queryset = docs.exclude(pk=chosen) if chosen and not self.is_bound else docs
        self.fields["attachments"].widget.attrs["data-attachments-of"] = "id_document"
        if not self.is_bound and not self.fields["attachments"].queryset.exists():
            del self.fields["attachments"]  # nothing else in the case to attach: no empty box to puzzle over
        self.fields["route_version"].queryset = RouteVersion.objects.filter(
            status=RouteVersion.Status.PUBLISHED, route__active=True).select_related("route")
        self.fields["route_version"].label_from_instance = lambda v: f"{v.route.name} (v{v.number})"

    def clean(self):
        data = super().clean()
        document = data.get("document")
        if document is not None and document in (data.get("attachments") or []):
            self.add_error("attachments", _("“%(title)s” is the document you send; it cannot be its own attachment.")
                           % {"title": document.title})
        return data

    def choice(self):
        """(document, flags, route version) as chosen so far, for the route preview; None without a document."""
        if self.is_bound:
            if not self.is_valid():
                return None
            d = self.cleaned_data
            return d["document"], d["flags"], d["route_version"]
        pk = self.initial.get("document")
        document = self.fields["document"].queryset.filter(pk=pk).first() if pk else None
        return (document, [], None) if document else None


class NotificationForm(forms.ModelForm):
    class Meta:
        model = NotificationPreference
        fields = ["mode"]
        widgets = {"mode": forms.RadioSelect}


class BulkForm(AccessibleForm):
    """What to do with the tasks selected in a list (`task` ids come with it; `workflow.bulk` checks each one)."""

    CLAIM, CHOOSE_UNIT, DECREE = "claim", "choose_unit", "decree"
    action = forms.ChoiceField(label=_("What to do"), widget=forms.RadioSelect, choices=[
        (CLAIM, _("Take them from the queue")), (CHOOSE_UNIT, _("Send them to a unit")),
        (DECREE, _("Assign them to a case worker")),
    ], initial=CLAIM)
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=OrgUnit.objects.filter(active=True), required=False)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)
    worker = forms.ModelChoiceField(label=_("Case worker"), queryset=User.objects.none(), required=False)
    instruction = forms.CharField(label=_("Instruction"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    due_on = forms.DateField(label=_("Due date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            # only the actions the user's roles allow: choosing the unit is the registry clerks', assigning a case
            # worker the heads'
            user_ids = [user.pk, *principals_of(user)]
            roles = set(Membership.objects.filter(user_id__in=user_ids).values_list("role", flat=True))
            if Role.REGISTRY_CLERK not in roles:
                self._drop(self.CHOOSE_UNIT, "unit", "note")
            if Role.HEAD not in roles:
                self._drop(self.DECREE, "worker", "instruction", "due_on")
        if user is not None and "worker" in self.fields:
            # the case workers of the units the user heads (or stands in for the head of)
            headed = Membership.objects.filter(user_id__in=user_ids, role=Role.HEAD)
            self.fields["worker"].queryset = User.objects.filter(
                is_active=True, memberships__unit__in=headed.values("unit"),
                memberships__role__in=[Role.CASE_WORKER, Role.HEAD],
            ).distinct().order_by("last_name", "first_name", "username")

    def _drop(self, action, *names):
        self.fields["action"].choices = [c for c in self.fields["action"].choices if c[0] != action]
        for name in names:
            del self.fields[name]

    def clean(self):
        data = super().clean()
        action = data.get("action")
        if action == self.CHOOSE_UNIT and not data.get("unit"):
            self.add_error("unit", _("Choose the unit."))
        if action == self.DECREE:
            if not data.get("worker"):
                self.add_error("worker", _("Choose the case worker."))
            if data.get("due_on") and data["due_on"] < timezone.localdate():
                self.add_error("due_on", _("The due date cannot be in the past."))
        return data
