"""Search reacts to registry events: a new document version gets its text extracted after the registration
commits."""

import logging
from functools import partial

from django.db import transaction
from django.dispatch import receiver

from registry.signals import document_version_added

logger = logging.getLogger(__name__)


def _publish(version_id: int) -> None:
    from search.previews import request_render
    from search.tasks import extract_version_text

    request_render(version_id)  # first: seconds, where OCR may take minutes (never raises)
    try:
        extract_version_text.delay(version_id)
    except Exception:  # broker down: the version stays pending and beat (requeue_pending_texts) picks it up
        logger.exception("could not queue text extraction of version %s", version_id)


@receiver(document_version_added, dispatch_uid="search.extract_version_text")
def queue_text_extraction(sender, version, **kwargs):
    # delay_on_commit, made robust: the task is published only after the registration commits (the worker must see
    # the row), and a failure to publish (or, in eager mode, of the task) never reaches the registration.
    transaction.on_commit(partial(_publish, version.pk), robust=True)
