"""Pages of brakowanie: prepare a disposal list, the units' review, the request, the state archive's decision and
the destruction (in the background, chunk by chunk). Thin: `archive.services.disposal` decides."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from archive import disposal_exports, selectors
from archive.models import DisposalItem, DisposalList, DisposalStatus
from archive.permissions import is_archivist
from archive.services import disposal as ds
from organisation.models import OrgUnit
from registry.access import scope_for

MAX_ITEMS = 1000


class DecisionForm(forms.Form):
    reference = forms.CharField(label=gettext_lazy("Reference of the state archive's decision"), max_length=200)
    decided_on = forms.DateField(label=gettext_lazy("Date of the decision"),
                                 widget=forms.DateInput(attrs={"type": "date"}))
    consent = forms.TypedChoiceField(
        label=gettext_lazy("Decision"), coerce=lambda v: v == "yes", widget=forms.RadioSelect,
        choices=[("yes", gettext_lazy("consent to destroy")), ("no", gettext_lazy("refusal"))],
    )
    remarks = forms.CharField(label=gettext_lazy("Remarks of the state archive"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The fields sit next to the table's per-file checkboxes; all belong to one <form id="decision-form">.
        for field in self.fields.values():
            field.widget.attrs["form"] = "decision-form"


class HoldForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Legal hold"), max_length=300, required=False,
                             help_text=gettext_lazy("Leave empty to lift the hold."))


def _visible(request, pk) -> DisposalList:
    disposal = get_object_or_404(DisposalList.objects.all(), pk=pk)
    if is_archivist(request.user):
        return disposal
    if disposal.items.filter(case__unit_id__in=scope_for(request.user).unit_ids).exists():
        return disposal
    raise Http404


def _ids(values) -> set[int]:
    return {int(v) for v in values if str(v).isascii() and str(v).isdigit()}


def _errors(request, exc):
    for message in exc.messages:
        messages.error(request, message)


@login_required
@require_POST
def create(request):
    if not is_archivist(request.user):
        raise PermissionDenied(_("Only the archivist conducts the disposal of records."))
    cases = list(ds.eligible_not_listed(selectors.eligible_for_disposal(request.user))[:MAX_ITEMS])
    cases += list(ds.eligible_not_listed(selectors.due_for_review(request.user))[:MAX_ITEMS - len(cases)])
    try:
        disposal = ds.create_list(actor=request.user, cases=cases)
    except ValidationError as exc:
        _errors(request, exc)
        return redirect("archive:disposal")
    messages.success(request, _("Disposal list %(sign)s prepared.") % {"sign": disposal.sign})
    return redirect("archive:disposal-detail", pk=disposal.pk)


@login_required
def detail(request, pk):
    disposal = _visible(request, pk)
    scope = scope_for(request.user)
    archivist = is_archivist(request.user)
    items = disposal.items.select_related("case__unit", "case__jrwa_class", "reviewed_by").order_by("position")
    if not archivist:
        items = items.filter(case__unit_id__in=scope.unit_ids)
    my_units = OrgUnit.objects.filter(
        pk__in=disposal.items.filter(case__unit_id__in=scope.unit_ids, review=DisposalItem.Review.PENDING)
        .values("case__unit_id")
    ).order_by("symbol")
    return render(request, "archive/disposal_detail.html", {
        "disposal": disposal, "items": items, "is_archivist": archivist, "review_units": my_units,
        "decision_form": DecisionForm(), "pending_reviews": disposal.items.filter(
            review=DisposalItem.Review.PENDING).count(),
        "done": disposal.items.filter(destroyed_at__isnull=False).count(),
        "to_destroy": disposal.items.filter(decision=DisposalItem.Decision.CONSENT).count(),
    })


@login_required
@require_POST
def action(request, pk, step):
    disposal = _visible(request, pk)
    try:
        if step == "review-send":
            ds.send_for_review(actor=request.user, disposal=disposal)
            messages.success(request, _("The list was sent to the units for review."))
        elif step == "review":
            unit_pk = request.POST.get("unit", "")
            if not (unit_pk.isascii() and unit_pk.isdigit()):
                raise Http404
            unit = get_object_or_404(OrgUnit, pk=unit_pk)
            keep = {case_id: request.POST.get(f"reason-{case_id}", "") for case_id in
                    _ids(request.POST.getlist("keep"))}
            ds.review(actor=request.user, disposal=disposal, unit=unit, keep=keep)
            messages.success(request, _("The review of %(unit)s was recorded.") % {"unit": unit.symbol})
        elif step == "request":
            ds.request_consent(actor=request.user, disposal=disposal)
            messages.success(request, _("The request to the state archive was recorded; send it the list."))
        elif step == "decision":
            form = DecisionForm(request.POST)
            if not form.is_valid():
                raise ValidationError([f"{form.fields[f].label}: {e}" for f, errs in form.errors.items()
                                       for e in errs if f in form.fields])
            d = form.cleaned_data
            ds.record_decision(actor=request.user, disposal=disposal, reference=d["reference"],
                               decided_on=d["decided_on"], consent=d["consent"], remarks=d["remarks"],
                               refused=_ids(request.POST.getlist("refused")),
                               requalified=_ids(request.POST.getlist("requalified")))
            messages.success(request, _("The decision of the state archive was recorded."))
        elif step == "destroy":
            from archive.tasks import destroy_disposal

            if disposal.status not in (DisposalStatus.APPROVED, DisposalStatus.DESTROYING):
                raise ValidationError(_("Nothing is destroyed before the state archive's consent is recorded."))
            if not is_archivist(request.user):
                raise PermissionDenied(_("Only the archivist conducts the disposal of records."))
            destroy_disposal.delay(disposal.pk, request.user.pk)
            messages.success(request, _("The destruction runs in the background; reload the page to follow it."))
        else:
            raise Http404
    except ValidationError as exc:
        _errors(request, exc)
    except PermissionDenied as exc:
        messages.error(request, str(exc) or _("You may not do this."))
    return redirect("archive:disposal-detail", pk=disposal.pk)


@login_required
def export(request, pk, fmt):
    disposal = _visible(request, pk)
    if not is_archivist(request.user):
        raise Http404
    return disposal_exports.as_xml(disposal) if fmt == "xml" else disposal_exports.as_pdf(disposal)


@login_required
@require_POST
def hold(request, pk):
    case = get_object_or_404(selectors.archived_cases(request.user), pk=pk)
    form = HoldForm(request.POST)
    if form.is_valid():
        try:
            ds.set_legal_hold(actor=request.user, case=case, reason=form.cleaned_data["reason"])
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Legal hold saved."))
    return redirect("archive:case", pk=case.pk)
