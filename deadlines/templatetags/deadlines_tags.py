"""`{% load deadlines_tags %}{% case_deadline case %}` – a small panel with the case's due date and its state,
linking to the deadline page; for the registry's case page."""

from django import template
from django.utils import timezone

from deadlines import selectors
from deadlines.models import CaseDeadline, DeadlineState

register = template.Library()


@register.inclusion_tag("deadlines/_case_panel.html")
def case_deadline(case):
    deadline = CaseDeadline.objects.filter(case_id=case.pk).select_related("kind").first()
    bucket = None
    if deadline is not None and deadline.state != DeadlineState.CLOSED:
        bucket = selectors.bucket_of(deadline, timezone.localdate())
    return {
        "deadline": deadline, "case": case, "bucket": bucket,
        "bucket_label": selectors.BUCKET_LABELS.get(bucket) if bucket else None,
    }
