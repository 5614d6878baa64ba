import os

import pytest

from registry.tests.conftest import _media_root, office  # noqa: F401  (shared fixtures)
from search.index.backends import get_backend, reset_backends

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
