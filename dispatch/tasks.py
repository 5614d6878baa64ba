"""Celery tasks of dispatch: ids only, idempotent (the services claim rows before acting)."""

from celery import shared_task

from dispatch.models import Shipment, State


@shared_task(name="dispatch.send_shipment", ignore_result=True)
def send_shipment(shipment_id: int) -> str:
    from dispatch.services.send import run

    return run(shipment_id)


@shared_task(name="dispatch.resume", ignore_result=True)
def resume() -> int:
    """Items due for another attempt, and those whose worker died mid-send (lease ran out)."""
    from dispatch.services.send import due_for_sending

    ids = due_for_sending()
    for pk in ids:
        send_shipment.delay(pk)
    return len(ids)


@shared_task(name="dispatch.poll_evidences", ignore_result=True)
def poll_evidences(limit: int = 200) -> int:
    from django.utils import timezone

    from dispatch import edoreczenia
    from dispatch.services.delivery import poll

    ids = list(
        Shipment.objects.filter(next_poll_at__lte=timezone.now())
        .exclude(state__in=[State.DELIVERED, State.DEEMED, State.UNDELIVERED])
        .order_by("next_poll_at").values_list("pk", flat=True)[:limit]
    )
    if not ids:
        return 0
    with edoreczenia.client() as api:
        for pk in ids:
            poll(pk, api=api)
    return len(ids)
