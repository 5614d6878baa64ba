from django import template

from replies.selectors import visible_proposals

register = template.Library()


@register.inclusion_tag("replies/_proposals.html", takes_context=True)
def case_proposals(context, task, can_act):
    """On a dekretacja task: the proposed cases the user may see; accept only where the task attaches (handle)."""
    request = context["request"]
    delivery = task.delivery
    return {
        "proposals": visible_proposals(delivery, request.user) if delivery else [],
        "task": task, "can_accept": bool(can_act) and task.flow_task.name == "handle", "can_decline": bool(can_act),
        "csrf_token": context.get("csrf_token"),
    }
