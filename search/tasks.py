"""Celery autodiscovery imports `search.tasks`. The index tasks live in search/index/tasks.py (search branch);
text extraction tasks (analysis branch) are defined here."""

from search.index.tasks import drain_outbox  # noqa: F401
