"""`load_demo` builds an office with every state a real one has, through the services, and only once."""

import pytest
from django.core.management import call_command
from django.db.models import Count, Q
from django.utils import timezone
from viewflow.workflow.status import STATUS

from organisation.models import Role, Substitution, User
from registry.models import Action, Case, CaseStatus, Channel, Delivery, DocumentVersion, HistoryEntry, OutgoingItem


def _open_nodes():
    from workflow.models import WorkTask

    tasks = WorkTask.objects.filter(status__in=[STATUS.NEW, STATUS.ASSIGNED])
    return [(t.flow_task.name, t.data.get("kind", "")) for t in tasks]


@pytest.mark.django_db
def test_demo_loads_once_with_every_role_and_state(capsys):
    call_command("load_demo", copies=1)
    out = capsys.readouterr().out
    for username in ("kancelaria", "kierownik_rb", "referent_rb", "sekretarz", "archiwista", "admin", "zastepca"):
        assert f"{username}-demo" in out
    roles = set(User.objects.values_list("memberships__role", flat=True))
    assert {r.value for r in Role} <= roles
    assert Substitution.objects.active_on().filter(substitute__username="zastepca", can_sign=True).exists()

    # Deliveries nobody has assigned yet, from every channel.
    loose = Delivery.objects.filter(addressed_unit__isnull=True, assigned_unit__isnull=True, case__isnull=True)
    assert set(loose.values_list("channel", flat=True)) == set(Channel.values)

    # Cases: confidential with participants, suspended, closed, overdue.
    secret = Case.objects.filter(confidential=True).annotate(n=Count("participants")).filter(n__gt=0)
    assert secret.exists()
    assert Case.objects.filter(status=CaseStatus.SUSPENDED).exists()
    assert Case.objects.filter(status=CaseStatus.CLOSED).exists()
    today = timezone.localdate()
    assert Case.objects.filter(status=CaseStatus.OPEN, deadline__due_date__lt=today).exists()
    # Every case came through open_case: its metryka starts with the opening.
    assert not Case.objects.exclude(history__action=Action.CASE_OPENED).exists()

    # Documents with text and a scanned (image-only) PDF.
    mimes = set(DocumentVersion.objects.values_list("mime_type", flat=True))
    assert {"text/plain", "application/pdf"} <= mimes

    # Work in progress at each step of dekretacja and approval, a returned draft, dispatch waiting and done.
    nodes = _open_nodes()
    for node in ("choose_unit", "decree", "handle", "revise", "dispatch"):
        assert node in {n for n, _kind in nodes}, node
    assert {"approval", "opinion", "signature"} <= {kind for n, kind in nodes if n == "decide"}
    assert OutgoingItem.objects.filter(case__isnull=False).exists()
    assert HistoryEntry.objects.filter(action=Action.RETURNED).exists()
    assert HistoryEntry.objects.filter(~Q(on_behalf_of=None)).exists()  # the substitute acted for the head

    # A few weeks of daily deadline snapshots for the charts.
    from deadlines.models import DeadlineSnapshot

    assert DeadlineSnapshot.objects.values("day").distinct().count() >= 21

    counts = (Delivery.objects.count(), Case.objects.count(), HistoryEntry.objects.count())
    call_command("load_demo", copies=1)
    assert "Demo data already loaded." in capsys.readouterr().out
    assert (Delivery.objects.count(), Case.objects.count(), HistoryEntry.objects.count()) == counts
    assert User.objects.get(username="referent_rb").check_password("referent_rb-demo")
