"""`{% dispatch_block case %}` on the case page: the case's outgoing items, delivery dates, party terms, closing."""

from django import template

from dispatch.forms import CloseCaseForm
from dispatch.models import Shipment
from dispatch.services.delivery import case_summary

register = template.Library()


@register.inclusion_tag("dispatch/_case_block.html", takes_context=True)
def dispatch_block(context, case):
    shipments = list(Shipment.objects.filter(item__case=case).select_related("item__recipient").order_by("pk"))
    summary = case_summary(case) if shipments else None
    request = context.get("request")
    can_close = False
    if summary and summary["all_delivered"] and case.status != "closed" and request is not None:
        from registry.access import scope_for
        from registry.views.common import can_work_on_case

        can_close = can_work_on_case(request.user, scope_for(request.user), case)
    return {
        "case": case, "shipments": shipments, "summary": summary, "can_close": can_close,
        "close_form": CloseCaseForm(initial={"final_on": summary["final_on"]}) if can_close else None,
        "csrf_token": context.get("csrf_token"), "request": request,
    }


@register.inclusion_tag("dispatch/_finality.html", takes_context=True)
def dispatch_finality(context, limit: int = 50):
    """On the deadlines dashboard: open cases whose decision was delivered, with the party's term and the
    proposed final date — the cases to close once the term has run. Only cases the user may see."""
    from django.db.models import Max
    from django.utils import timezone

    from dispatch import dates
    from registry.access import scope_for
    from registry.models import Case, CaseStatus

    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return {"rows": []}
    visible = scope_for(request.user).cases(Case.objects.filter(status=CaseStatus.OPEN))
    cases = (
        visible.filter(outgoing_items__shipment__delivered_on__isnull=False)
        .annotate(delivered_on=Max("outgoing_items__shipment__delivered_on")).order_by("delivered_on")[:limit]
    )
    kinds = dict(
        Shipment.objects.filter(item__case__in=[c.pk for c in cases], delivered_on__isnull=False)
        .values_list("item__case_id", "item__document__kind")
    )
    today = timezone.localdate()
    rows = []
    for case in cases:
        terms = dates.party_terms(case.delivered_on, kinds.get(case.pk) or "")
        final_on = dates.proposed_final_on(terms)
        rows.append({"case": case, "delivered_on": case.delivered_on, "terms": terms, "final_on": final_on,
                     "ready": final_on is not None and final_on <= today})
    return {"rows": rows}
