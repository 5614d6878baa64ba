import pytest

from deadlines.tests.factories import JrwaClassFactory, JrwaVersionFactory, OrgUnitFactory, member
from organisation.models import Role


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def office(db):
    return build_office()


def build_office():
    """Two departments with a section, people in every role, and JRWA classes mapped by the seed migration."""
    or_unit = OrgUnitFactory(symbol="OR", name="Wydział Organizacyjny")
    rb = OrgUnitFactory(symbol="RB", name="Wydział Rozwoju i Budownictwa")
    rb_a = OrgUnitFactory(symbol="RB-A", name="Referat Architektury", parent=rb)
    version = JrwaVersionFactory()
    classes = {
        symbol: JrwaClassFactory(version=version, symbol=symbol, title=title)
        for symbol, title in [
            ("6730", "Warunki zabudowy"), ("1431", "Udostępnianie informacji publicznej"), ("152", "Petycje"),
            ("1510", "Skargi i wnioski"),
        ]
    }
    return {
        "OR": or_unit, "RB": rb, "RB-A": rb_a, **classes,
        "clerk": member(or_unit, Role.REGISTRY_CLERK, username="kancelaria"),
        "head_rb": member(rb, Role.HEAD, username="kierownik_rb", email="kierownik_rb@urzad.example"),
        "head_or": member(or_unit, Role.HEAD, username="kierownik_or"),
        "worker_rb": member(rb, Role.CASE_WORKER, username="referent_rb"),
        "worker_rb2": member(rb, Role.CASE_WORKER, username="referent_rb2"),
        "worker_rb_a": member(rb_a, Role.CASE_WORKER, username="referent_rba"),
        "worker_or": member(or_unit, Role.CASE_WORKER, username="referent_or"),
        "secretary": member(or_unit, Role.SECRETARY, username="sekretarz"),
    }
