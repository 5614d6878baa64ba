import pytest

from organisation.models import Role
from registry.tests.factories import JrwaClassFactory, JrwaVersionFactory, OrgUnitFactory, member


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def office(db):
    """A small office: two departments with a section, people in every role, and a JRWA."""
    or_unit = OrgUnitFactory(symbol="OR", name="Wydział Organizacyjny")
    rb = OrgUnitFactory(symbol="RB", name="Wydział Rozwoju i Budownictwa")
    rb_a = OrgUnitFactory(symbol="RB-A", name="Referat Architektury", parent=rb)
    version = JrwaVersionFactory()
    parent = JrwaClassFactory(version=version, symbol="673", title="Planowanie", is_leaf=False, category_own="")
    wz = JrwaClassFactory(version=version, symbol="6730", title="Warunki zabudowy", parent=parent)
    udip = JrwaClassFactory(version=version, symbol="1431", title="Udostępnianie informacji publicznej")
    return {
        "OR": or_unit, "RB": rb, "RB-A": rb_a, "jrwa_parent": parent, "wz": wz, "udip": udip,
        "clerk": member(or_unit, Role.REGISTRY_CLERK, username="kancelaria"),
        "head_rb": member(rb, Role.HEAD, username="kierownik_rb"),
        "worker_rb": member(rb, Role.CASE_WORKER, username="referent_rb"),
        "worker_rb_a": member(rb_a, Role.CASE_WORKER, username="referent_rba"),
        "worker_or": member(or_unit, Role.CASE_WORKER, username="referent_or"),
        "secretary": member(or_unit, Role.SECRETARY, username="sekretarz"),
        "archivist": member(or_unit, Role.ARCHIVIST, username="archiwista"),
    }
