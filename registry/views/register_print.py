"""The RPW and the outgoing register printed for a day or a month (PDF), for the registry clerks and the
secretary. Rows go through the access rule like the register pages; the file is built in a spooled temporary
file (bounded memory, see `registry.printing`) and streamed."""

import tempfile

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import FileResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from organisation.models import Role
from registry import forms as f
from registry import printing
from registry.access import scope_for
from registry.models import Delivery, Document, OutgoingItem

CHUNK = 1000
IN_MEMORY = 4 * 1024 * 1024  # a bigger file goes to disk while it is written


def can_print_registers(user) -> bool:
    return user.is_superuser or user.has_role(Role.REGISTRY_CLERK, Role.SECRETARY)


def _period(request, back: str):
    if not can_print_registers(request.user):
        raise PermissionDenied(_("Only the registry clerks and the secretary print the registers."))
    form = f.RegisterPeriodForm(request.GET)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return None, redirect(back)
    return form.period(), None


def _respond(scope, *, title, period_label, slug, columns, rows, filename):
    notes = [] if scope.registers else [
        _("Entries of cases you may not see (confidential cases) are left out of this print.")
    ]
    out = tempfile.SpooledTemporaryFile(max_size=IN_MEMORY)  # noqa: SIM115 – FileResponse closes it when streamed
    try:
        printing.write_register(out, title=title, period=period_label, columns=columns, rows=rows, notes=notes)
    except BaseException:
        out.close()
        raise
    out.seek(0)
    return FileResponse(out, content_type="application/pdf", filename=f"{filename}-{slug}.pdf")


@login_required
def incoming_register_pdf(request):
    period, refused = _period(request, "registry:delivery-list")
    if refused:
        return refused
    start, end, label, slug = period
    scope = scope_for(request.user)
    files = Document.objects.filter(delivery=OuterRef("pk")).exclude(kind="evidence").values("delivery").annotate(
        n=Count("pk")).values("n")
    qs = (
        scope.deliveries(Delivery.objects.filter(received_at__gte=start, received_at__lt=end))
        .select_related("sender", "assigned_unit", "addressed_unit", "assigned_to", "case")
        .annotate(file_count=Coalesce(Subquery(files, output_field=IntegerField()), Value(0)))
        .order_by("received_at", "year", "number")
    )
    return _respond(
        scope, title=_("Register of incoming deliveries (RPW)"), period_label=label, slug=slug,
        columns=printing.incoming_columns(),
        rows=(printing.incoming_row(d) for d in qs.iterator(chunk_size=CHUNK)), filename="rpw",
    )


@login_required
def outgoing_register_pdf(request):
    period, refused = _period(request, "registry:outgoing-list")
    if refused:
        return refused
    start, end, label, slug = period
    scope = scope_for(request.user)
    qs = (
        scope.outgoing(OutgoingItem.objects.filter(registered_at__gte=start, registered_at__lt=end))
        .select_related("recipient", "case").order_by("year", "number")
    )
    return _respond(
        scope, title=_("Register of outgoing deliveries"), period_label=label, slug=slug,
        columns=printing.outgoing_columns(),
        rows=(printing.outgoing_row(item) for item in qs.iterator(chunk_size=CHUNK)), filename="rejestr-wychodzacy",
    )
