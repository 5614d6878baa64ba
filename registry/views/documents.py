"""Documents: a new version of a case document, download of a stored version."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from registry import forms as f
from registry.access import scope_for
from registry.models import Document, DocumentVersion
from registry.services import documents as document_services
from registry.views.common import _case_for_action, _form_errors_to_messages


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
    version = DocumentVersion.objects.select_related("document").filter(pk=pk).first()
    if version is None or not scope_for(request.user).documents(
        Document.objects.filter(pk=version.document_id)
    ).exists():
        raise Http404
    if not version.file:
        raise Http404  # contents destroyed under a disposal list; the metadata stay
    if version.document.case_id:
        from archive.services.custody import note_read

        note_read(request.user, version.document.case, what=f"{version.document.title} v{version.number}")
    response = FileResponse(
        version.file.open("rb"), as_attachment=True, filename=version.original_name,
        content_type=version.mime_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
