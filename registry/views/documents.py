"""Documents: the document page (metadata, versions, text layer, page previews), a new version of a case document,
download of a stored version and the preview images.

A document is seen by whoever sees its case (or, without a case, its delivery): `scope_for(user).documents`. A
document, version or preview the user may not see answers 404, exactly like a missing one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from registry import forms as f
from registry.access import scope_for
from registry.models import Document, DocumentVersion
from registry.services import documents as document_services
from registry.views.common import _case_for_action, _form_errors_to_messages, is_pk

TEXT_SHOWN_CHARS = 200_000  # the page shows this much of the text layer; the rest is in the file
# How the text was obtained (DocumentVersion.text_method, set by search/tasks.py); other methods are file formats
# (docx, odt, eml, …), shown as such.
TEXT_METHODS = {
    "pdf-text": gettext_lazy("the text layer of the PDF"),
    "pdf-ocr": gettext_lazy("text recognition (OCR) of the PDF pages"),
    "pdf-text+ocr": gettext_lazy("the text layer of the PDF and OCR of its scanned pages"),
    "image-ocr": gettext_lazy("text recognition (OCR) of the image"),
}


def text_method_label(method: str) -> str:
    return str(TEXT_METHODS.get(method, method.upper()))


def visible_documents(user):
    return scope_for(user).documents(Document.objects.all())


def visible_version(user, pk) -> DocumentVersion:
    """The version with its document, if the user may see the document; else Http404 (also for a non-numeric id)."""
    if not str(pk).isdigit():
        raise Http404
    version = (
        DocumentVersion.objects.select_related("document__case").defer("text")
        .filter(pk=pk, document__in=visible_documents(user)).first()
    )
    if version is None:
        raise Http404
    return version


@login_required
def document_detail(request, pk):
    scope = scope_for(request.user)
    document = get_object_or_404(
        scope.documents(Document.objects.select_related("case__unit", "delivery", "created_by")), pk=pk
    )
    versions = list(document.versions.select_related("created_by").defer("text").order_by("number"))
    if not versions:
        raise Http404  # a document is always stored with its first version; without one there is nothing to show
    wanted = request.GET.get("wersja", "")
    selected = next((v for v in versions if is_pk(wanted) and v.number == int(wanted)), versions[-1])
    text = DocumentVersion.objects.filter(pk=selected.pk).values_list("text", flat=True)[0]
    # Through a case the delivery is shown only when the user may see it on its own (it may be another unit's).
    delivery = document.delivery
    if delivery is not None and document.case_id is not None and not scope.can_see_delivery(delivery):
        delivery = None
    from search.previews import preview_of

    document_services.record_view(document, actor=request.user)
    return render(request, "registry/document_detail.html", {
        "document": document, "versions": versions, "selected": selected, "current": versions[-1],
        "delivery": delivery, "preview": preview_of(selected), "text_method": text_method_label(selected.text_method),
        "text": text[:TEXT_SHOWN_CHARS], "text_cut": len(text) > TEXT_SHOWN_CHARS, "text_length": len(text),
    })


@login_required
def document_page(request, pk, page):
    """The larger view of one page of a version's preview."""
    from search.previews import preview_of

    version = visible_version(request.user, pk)
    preview = preview_of(version)
    if preview.status != "ready" or not 1 <= page <= preview.pages:
        raise Http404
    return render(request, "registry/document_page.html", {
        "version": version, "document": version.document, "preview": preview, "page": page,
        "previous": page - 1 if page > 1 else None, "next": page + 1 if page < preview.pages else None,
    })


def _preview_image(request, pk, page, *, thumb):
    from search.previews import image_name

    version = visible_version(request.user, pk)
    storage = version.file.storage
    name = image_name(version, page, thumb=thumb)
    try:
        image = storage.open(name, "rb")
    except OSError:  # not rendered (yet), or the cache was cleared
        raise Http404 from None
    response = FileResponse(image, content_type="image/jpeg")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Content-Disposition"] = f'inline; filename="{"miniatura" if thumb else "strona"}-{page}.jpg"'
    response["Cache-Control"] = "private, max-age=3600"  # versions never change; private: access-checked
    return response


@login_required
def version_thumbnail(request, pk, page):
    return _preview_image(request, pk, page, thumb=True)


@login_required
def version_page_image(request, pk, page):
    return _preview_image(request, pk, page, thumb=False)


@login_required
@require_POST
def document_version(request, pk):
    document = get_object_or_404(Document.objects.select_related("case"), pk=pk, case__isnull=False)
    case = _case_for_action(request, document.case_id)
    form = f.VersionForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            version = document_services.store_version(document, form.cleaned_data["file"], actor=request.user,
                                                      comment=form.cleaned_data["comment"])
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Version %(number)s of “%(title)s” stored.")
                             % {"number": version.number, "title": document.title})
    else:
        _form_errors_to_messages(request, form)
    return redirect(reverse("registry:case-detail", args=[case.pk]) + "#dokumenty")


@login_required
def document_download(request, pk):
    version = visible_version(request.user, pk)
    if not version.file:
        raise Http404  # contents destroyed under a disposal list; the metadata stay
    from archive.models import CaseCustody
    from archive.services.custody import note_read

    case = version.document.case
    if case is not None and case.confidential and CaseCustody.objects.filter(case_id=case.pk).exists():
        # an archived confidential file: the archive's own read record (one entry, not two)
        note_read(request.user, case, what=f"{version.document.title} v{version.number}")
    else:
        document_services.record_view(version.document, actor=request.user, version=version, downloaded=True)
    response = FileResponse(
        version.file.open("rb"), as_attachment=True, filename=version.original_name,
        content_type=version.mime_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
