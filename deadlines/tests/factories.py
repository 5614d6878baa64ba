"""Factories for deadlines tests. Cases go through the registry services (so the case_opened signal creates the
deadline, as in production); the registry's factories are reused."""

import datetime as dt
from zoneinfo import ZoneInfo

from registry.models import Channel, Form
from registry.tests.factories import (  # noqa: F401 – re-exported for the tests
    CorrespondentFactory,
    JrwaClassFactory,
    JrwaVersionFactory,
    OrgUnitFactory,
    UserFactory,
    make_case,
    make_delivery,
    member,
)

WARSAW = ZoneInfo("Europe/Warsaw")


def at(year, month, day, hour=10, minute=0) -> dt.datetime:
    """An aware datetime in Warsaw."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=WARSAW)


def case_from_delivery(actor, *, unit, jrwa_class, received_at, case_worker=None, channel=Channel.POST, **kwargs):
    # A plain request under art. 35 KPA: a subject naming a kind of letter would propose another kind.
    delivery = make_delivery(
        actor, received_at=received_at, channel=channel,
        subject=kwargs.pop("subject", "Wniosek o wszczęcie postępowania"),
        form=Form.ELECTRONIC if channel in (Channel.EDORECZENIA, Channel.EPUAP) else Form.PAPER,
        sender=kwargs.pop("sender", None) or CorrespondentFactory(),
    )
    return make_case(actor, unit=unit, jrwa_class=jrwa_class, case_worker=case_worker, delivery=delivery, **kwargs)
