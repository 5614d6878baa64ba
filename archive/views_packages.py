"""Pages of archival packages: choose category A files, follow the build (progress bar), download the validated
package, record the state archive's confirmation. Only the archivist sees packages; anyone else gets a 404, as for
a missing one. Thin: `archive.services.packages` decides."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from archive.package_models import ArchivalPackage, PackageStatus
from archive.permissions import is_archivist
from archive.services import packages as ps

MAX_ITEMS = 5000


class TransferForm(forms.Form):
    reference = forms.CharField(label=gettext_lazy("Reference of the state archive's confirmation"), max_length=200)
    confirmed_on = forms.DateField(label=gettext_lazy("Date of the confirmation"),
                                   widget=forms.DateInput(attrs={"type": "date"}))


def _archivist(request):
    if not is_archivist(request.user):
        raise Http404


def _package(request, pk) -> ArchivalPackage:
    _archivist(request)
    return get_object_or_404(ArchivalPackage, pk=pk)


def _errors(request, exc):
    for message in exc.messages:
        messages.error(request, message)


@login_required
def package_list(request):
    _archivist(request)
    candidates = ps.candidates(request.user).select_related("jrwa_class", "unit", "retention").order_by(
        "year", "unit__symbol", "jrwa_class__symbol", "number")
    page = Paginator(candidates, 100).get_page(request.GET.get("page"))
    packages = ArchivalPackage.objects.annotate(n=Count("items")).order_by("-created_at")[:50]
    return render(request, "archive/packages.html", {"page": page, "packages": packages})


@login_required
@require_POST
def package_create(request):
    _archivist(request)
    chosen = {int(v) for v in request.POST.getlist("case") if v.isascii() and v.isdigit()}
    cases = list(ps.candidates(request.user).filter(pk__in=chosen)[:MAX_ITEMS])
    try:
        if len(cases) != len(chosen):
            raise ValidationError(_("Some of the chosen files can no longer go into a package; choose again."))
        package = ps.create_package(actor=request.user, cases=cases)
    except ValidationError as exc:
        _errors(request, exc)
        return redirect("archive:packages")
    except PermissionDenied as exc:
        messages.error(request, str(exc))
        return redirect("archive:packages")
    messages.success(request, _("Archival package %(sign)s is being built.") % {"sign": package.sign})
    return redirect("archive:package-detail", pk=package.pk)


@login_required
def package_detail(request, pk):
    package = _package(request, pk)
    items = package.items.select_related("case__jrwa_class", "case__unit").order_by("position")
    stalled = ps.is_stalled(package)
    return render(request, "archive/package_detail.html", {
        "package": package, "items": items, "transfer_form": TransferForm(), "stalled": stalled,
        "in_progress": package.status in (PackageStatus.QUEUED, PackageStatus.BUILDING) and not stalled,
    })


@login_required
def package_progress(request, pk):
    package = _package(request, pk)
    return JsonResponse({"status": package.status, "status_display": package.get_status_display(),
                         "done": package.documents_done, "total": package.documents_total,
                         "percent": package.percent})


@login_required
def package_download(request, pk):
    package = _package(request, pk)
    if package.status not in (PackageStatus.READY, PackageStatus.TRANSFERRED) or not package.file:
        raise Http404
    return FileResponse(package.file.open("rb"), as_attachment=True,
                        filename=f"paczka-archiwalna-{package.year}-{package.number}.zip",
                        content_type="application/zip")


@login_required
@require_POST
def package_action(request, pk, step):
    package = _package(request, pk)
    try:
        if step == "transfer":
            form = TransferForm(request.POST)
            if not form.is_valid():
                raise ValidationError([f"{form.fields[f].label}: {e}" for f, errs in form.errors.items()
                                       for e in errs if f in form.fields])
            ps.record_transfer(actor=request.user, package=package, reference=form.cleaned_data["reference"],
                               confirmed_on=form.cleaned_data["confirmed_on"])
            messages.success(request, _("The transfer to the state archive was recorded."))
        elif step == "rebuild":
            ps.rebuild(actor=request.user, package=package)
            messages.success(request, _("The package is being built again."))
        else:
            raise Http404
    except ValidationError as exc:
        _errors(request, exc)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    return redirect("archive:package-detail", pk=package.pk)
