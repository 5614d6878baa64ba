from celery import shared_task

from registry.models import Delivery
from replies import services


@shared_task(name="replies.propose_cases")
def propose_cases(delivery_id: int) -> int:
    """Idempotent: a delivery already in a case gets no proposal; a repeated run adds nothing new."""
    delivery = Delivery.objects.filter(pk=delivery_id).first()
    return len(services.propose(delivery)) if delivery else 0
