"""The daily job: reminders, overdue notices and the weekly summary are sent once, however often it runs."""

import datetime as dt
import threading

import pytest
from django.core import mail
from django.db import connection

from deadlines import services
from deadlines.models import CaseDeadline, ReminderSent
from deadlines.tasks import _claim, daily, run_daily
from deadlines.tests.factories import make_case

MONDAY = dt.date(2025, 6, 16)  # Corpus Christi is Thu 19 June: 3 working days ahead = Fri 20 June


def _case(office, worker, unit, due, **kwargs):
    case = make_case(office[worker], unit=office[unit], jrwa_class=office["6730"], case_worker=office[worker],
                     started_on=dt.date(2025, 5, 5), **kwargs)
    CaseDeadline.objects.filter(case=case).update(due_date=due)
    return case


@pytest.fixture
def cases(office):
    return office, {
        "soon": _case(office, "worker_rb", "RB", dt.date(2025, 6, 18)),
        "soon_2": _case(office, "worker_rb", "RB", dt.date(2025, 6, 20)),  # 3rd working day: still reminded
        "later": _case(office, "worker_rb", "RB", dt.date(2025, 6, 23)),  # 4th working day: not yet
        "or_soon": _case(office, "worker_or", "OR", dt.date(2025, 6, 16)),
        "overdue": _case(office, "worker_rb", "RB", dt.date(2025, 6, 13)),
        "overdue_section": _case(office, "worker_rb_a", "RB-A", dt.date(2025, 6, 12)),  # RB-A has no head
        "overdue_old": _case(office, "worker_rb", "RB", dt.date(2025, 5, 2)),  # beyond the catch-up window
    }


def by_recipient():
    result = {}
    for message in mail.outbox:
        result.setdefault(message.to[0], []).append(message)
    return result


def test_daily_job_twice_sends_once(cases, settings):
    office, c = cases
    settings.DEADLINE_REMINDER_WORKING_DAYS = 3
    first = run_daily(MONDAY)
    assert first["reminders"] == 2 and first["overdue_notices"] == 1 and first["weekly"] == 1
    sent = by_recipient()
    assert set(sent) == {"referent_rb@urzad.example", "referent_or@urzad.example", "kierownik_rb@urzad.example",
                         "sekretarz@urzad.example"}
    [reminder] = sent["referent_rb@urzad.example"]
    assert c["soon"].sign in reminder.body and c["soon_2"].sign in reminder.body
    assert c["later"].sign not in reminder.body
    assert reminder.subject == "Obieg: 2 sprawy z bliskim terminem"
    [notice] = sent["kierownik_rb@urzad.example"]
    assert c["overdue"].sign in notice.body and c["overdue_section"].sign in notice.body
    assert c["overdue_old"].sign not in notice.body
    [weekly] = sent["sekretarz@urzad.example"]
    assert "tydzień" in weekly.subject
    count = len(mail.outbox)

    second = daily(MONDAY.isoformat())  # the Celery task body, same day
    assert (second["reminders"], second["overdue_notices"], second["weekly"]) == (0, 0, 0)
    assert len(mail.outbox) == count

    # Next day: only what is new – the 4th working day moved into the window, and one case became overdue.
    tuesday = MONDAY + dt.timedelta(days=1)
    run_daily(tuesday)
    new = {m.to[0]: m for m in mail.outbox[count:]}
    assert set(new) == {"referent_rb@urzad.example", "kierownik_or@urzad.example"}
    assert c["later"].sign in new["referent_rb@urzad.example"].body
    assert c["soon"].sign not in new["referent_rb@urzad.example"].body
    assert c["or_soon"].sign in new["kierownik_or@urzad.example"].body
    count = len(mail.outbox)
    run_daily(tuesday)
    assert len(mail.outbox) == count
    # … but a new due date (art. 36 extension) is a new event.
    services.extend(c["overdue"], actor=office["worker_rb"], new_date=dt.date(2025, 6, 18), reason="Opinia",
                    decided_on=MONDAY)
    run_daily(tuesday)
    assert len(mail.outbox) == count + 1
    assert c["overdue"].sign in mail.outbox[-1].body
    assert ReminderSent.objects.filter(case=c["overdue"]).count() == 2  # overdue (13 Jun) + reminder (18 Jun)


def test_reminder_days_are_configurable(cases, settings):
    _office, c = cases
    settings.DEADLINE_REMINDER_WORKING_DAYS = 4
    run_daily(MONDAY)
    [reminder] = by_recipient()["referent_rb@urzad.example"]
    assert c["later"].sign in reminder.body


def test_failed_mail_is_retried(cases, settings, monkeypatch):
    from django.core.mail import EmailMessage

    original = EmailMessage.send
    calls = {"n": 0}

    def flaky(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            raise OSError("SMTP down")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(EmailMessage, "send", flaky)
    run_daily(MONDAY)
    first = len(mail.outbox)
    run_daily(MONDAY)
    assert len(mail.outbox) == first + 1  # only the failed one is sent again


def test_claims_are_exclusive(db):
    items = [("reminder:1:2025-06-18:1", None, dt.date(2025, 6, 18), None)]
    assert _claim("reminder", items) == {"reminder:1:2025-06-18:1"}
    assert _claim("reminder", items) == set()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_concurrent_runs_send_once(settings):
    """Two daily jobs at the same moment, each in its own connection: every mail goes out once."""
    from deadlines.tests.conftest import build_office

    office = build_office()
    for i in range(20):
        _case(office, "worker_rb" if i % 2 else "worker_or", "RB" if i % 2 else "OR", MONDAY + dt.timedelta(days=1))
    barrier = threading.Barrier(2)
    errors = []

    def run():
        try:
            barrier.wait()
            run_daily(MONDAY)
        except Exception as error:  # pragma: no cover – reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted(set(recipients))  # nobody twice
    assert {"referent_rb@urzad.example", "referent_or@urzad.example", "sekretarz@urzad.example"} <= set(recipients)


def test_long_lists_are_cut(office, settings, monkeypatch):
    from deadlines import tasks

    monkeypatch.setattr(tasks, "MAX_LISTED", 2)
    cases = [_case(office, "worker_rb", "RB", dt.date(2025, 6, 17)) for _ in range(4)]
    run_daily(MONDAY)
    [reminder] = by_recipient()["referent_rb@urzad.example"]
    assert reminder.subject == "Obieg: 4 sprawy z bliskim terminem"
    assert sum(case.sign in reminder.body for case in cases) == 2
    assert "i jeszcze 2 sprawy" in reminder.body
    assert ReminderSent.objects.filter(event="reminder").count() == 4


def test_overdue_notice_never_names_a_confidential_case_the_head_may_not_see(office, settings):
    secret = _case(office, "worker_rb", "RB", dt.date(2025, 6, 13), confidential=True, title="Sprawa poufna")
    shared = _case(office, "worker_rb", "RB", dt.date(2025, 6, 13), confidential=True, title="Poufna z kierownikiem",
                   participants=[office["head_rb"]])
    run_daily(MONDAY)
    notices = by_recipient().get("kierownik_rb@urzad.example", [])
    body = "".join(m.body for m in notices)
    assert secret.sign not in body and "Sprawa poufna" not in body
    assert shared.sign in body  # a named participant sees the case, so is told about it
