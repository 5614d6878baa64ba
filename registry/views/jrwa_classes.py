"""JRWA: the list of classes of a version and the class picker search."""

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from registry.models import JrwaClass, JrwaVersion
from registry.views.common import is_pk


@login_required
def jrwa(request):
    versions = list(JrwaVersion.objects.order_by("-valid_from"))
    in_force = JrwaVersion.in_force()
    chosen = in_force
    wanted = request.GET.get("wersja")
    if wanted and is_pk(wanted):
        chosen = next((v for v in versions if v.pk == int(wanted)), None) or in_force
    classes = list(JrwaClass.objects.filter(version=chosen).order_by("symbol")) if chosen else []
    return render(request, "registry/jrwa.html", {
        "versions": versions, "chosen": chosen, "in_force": in_force, "classes": classes,
    })


@login_required
def jrwa_search(request):
    """JSON for the JRWA class picker: classes of the version in force by symbol or words of the title."""
    q = (request.GET.get("q") or "").strip()
    version = JrwaVersion.in_force()
    if not q or version is None or "\x00" in q:  # PostgreSQL refuses NUL in text
        return JsonResponse({"results": []})
    qs = JrwaClass.objects.filter(version=version)
    symbol = q.split()[0] if q.split()[0].isdigit() else None
    if symbol:
        qs = qs.filter(symbol__startswith=symbol)
    else:
        for word in q.split()[:5]:
            qs = qs.filter(title__icontains=word)
    return JsonResponse({"results": [
        {
            "id": c.pk, "value": c.symbol, "label": f"{c.symbol} {c.title}",
            "detail": "" if c.is_leaf else _("not a last-level class"), "disabled": not c.is_leaf,
        }
        for c in qs.order_by("symbol")[:20]
    ]})
