from registry.tests.conftest import _media_root, office  # noqa: F401  (shared fixtures)
from workflow.tests.conftest import _mail, people  # noqa: F401
