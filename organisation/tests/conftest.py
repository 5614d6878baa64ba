import pytest

from registry.tests.conftest import _media_root, office  # noqa: F401  (shared fixtures)


@pytest.fixture(autouse=True)
def _mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.CELERY_TASK_ALWAYS_EAGER = True  # delay_on_commit runs the task here (the real worker: its own test)
