"""Callbacks of the UA API (subscriptions: `evidenceCallbackUrl`, `messageCreatedCallbackUrl`). A notification only
says *that* something happened to a message, a send task or an evidence; nothing in it is trusted: the shipments it
names are polled at once (the service is asked), the rest keeps its bounded polling. The URL carries a secret
(settings.EDORECZENIA_CALLBACK_TOKEN); without it configured the endpoint does not exist (404).

How the service authenticates its callbacks is not in the yaml (docs/channels.md)."""

import hmac

from django.conf import settings
from django.db.models import Q
from django.http import Http404, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from dispatch.models import FINAL, Shipment


def ids_in(payload) -> set[str]:
    found: set[str] = set()
    items = payload.get("notification") if isinstance(payload, dict) else None
    for n in items or []:
        if not isinstance(n, dict):
            continue
        for key in ("id", "messageTaskId"):
            if isinstance(n.get(key), str):
                found.add(n[key][:100])
        for m in n.get("messages") or []:
            if isinstance(m, dict) and isinstance(m.get("messageId"), str):
                found.add(m["messageId"][:100])
    return found


def poll_now(ids: set[str]) -> int:
    if not ids:
        return 0
    return (
        Shipment.objects.filter(Q(message_id__in=ids) | Q(task_id__in=ids) | Q(evidences__evidence_id__in=ids))
        .exclude(state__in=FINAL).update(next_poll_at=timezone.now())
    )


@csrf_exempt
@require_POST
def callback(request, token):
    expected = getattr(settings, "EDORECZENIA_CALLBACK_TOKEN", "")
    if not expected or not hmac.compare_digest(token.encode(), expected.encode()):
        raise Http404
    import json

    try:
        payload = json.loads(request.body or b"{}")
    except ValueError:
        return JsonResponse({"status": "ERROR", "error": "not JSON"}, status=400)
    marked = poll_now(ids_in(payload))
    if marked:
        from django.db import transaction

        from dispatch.tasks import poll_evidences

        transaction.on_commit(lambda: poll_evidences.delay())
    return JsonResponse({"status": "OK"})
