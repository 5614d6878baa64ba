"""Top-level conftest: every app's tests get the shared fixtures and marker rules of `tests/fixtures.py`.

(They live in a plugin module rather than in `tests/conftest.py` because pytest cannot load one module both as a
directory conftest and as a plugin; only this root conftest is seen by `registry/tests`, `workflow/tests`, ….)
"""

pytest_plugins = ["tests.fixtures"]
