import datetime as dt

import pytest

from organisation.models import Role
from registry.tests.factories import JrwaClassFactory, JrwaVersionFactory, OrgUnitFactory, make_case, member


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def office(db):
    rb = OrgUnitFactory(symbol="RB", name="Wydział Rozwoju i Budownictwa")
    or_unit = OrgUnitFactory(symbol="OR", name="Wydział Organizacyjny")
    version = JrwaVersionFactory(name="JRWA 2011", valid_from=dt.date(2011, 1, 1))
    classes = {
        "6730": JrwaClassFactory(version=version, symbol="6730", title="Warunki zabudowy", category_own="B10"),
        "0002": JrwaClassFactory(version=version, symbol="0002", title="Sesje rady gminy", category_own="A"),
        "0033": JrwaClassFactory(version=version, symbol="0033", title="Referendum gminne", category_own="BE5"),
        "1431": JrwaClassFactory(version=version, symbol="1431", title="Udostępnianie informacji publicznej",
                                 category_own="Bc"),
        "2110": JrwaClassFactory(version=version, symbol="2110", title="Nabór", category_own="B5"),
    }
    return {
        "RB": rb, "OR": or_unit, "version": version, **classes,
        "worker": member(rb, Role.CASE_WORKER, username="referent_rb", first_name="Anna", last_name="Nowak"),
        "head": member(rb, Role.HEAD, username="kierownik_rb"),
        "worker_or": member(or_unit, Role.CASE_WORKER, username="referent_or"),
        "archivist": member(or_unit, Role.ARCHIVIST, username="archiwista", first_name="Jan",
                            last_name="Archiwalny"),
    }


def closed_case(office, symbol="6730", *, started_on, closed_on, unit="RB", title="Sprawa testowa", **kwargs):
    from registry.services.cases import change_status

    case = make_case(office["worker"], unit=office[unit], jrwa_class=office[symbol], started_on=started_on,
                     title=title, **kwargs)
    return change_status(case, actor=office["worker"], status="closed", remarks="załatwiono decyzją",
                         on_day=closed_on)
