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
