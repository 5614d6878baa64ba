import os

import pytest

from registry.tests.conftest import office  # noqa: F401  (shared fixture)
from search.index.backends import get_backend, reset_backends


@pytest.fixture
def search_media(settings, tmp_path):
    """Uploaded files of the index tests go to a temporary folder (not autouse: the extraction tests' real worker
    reads the default MEDIA_ROOT)."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


BACKENDS = [
    "postgres",
    pytest.param(
        "elasticsearch",
        marks=[
            pytest.mark.es,
            pytest.mark.skipif(not os.environ.get("ELASTICSEARCH_URL"), reason="no ELASTICSEARCH_URL"),
        ],
    ),
]


@pytest.fixture(params=BACKENDS)
def backend(request, settings, db):
    settings.SEARCH_BACKEND = request.param
    reset_backends()
    if request.param == "elasticsearch":
        import uuid

        settings.ELASTICSEARCH_INDEX_PREFIX = f"obieg-test-{uuid.uuid4().hex[:8]}"
        reset_backends()
        be = get_backend()
        be.ensure_index()
        be.refresh_on_write = True
        yield be
        be.drop_all()
    else:
        yield get_backend()
    reset_backends()
