import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError

from deadlines import services
from deadlines.models import CaseDeadline, DeadlineKind, DeadlineState, ExcludedPeriod, JrwaDeadlineRule
from deadlines.tests.factories import JrwaClassFactory, at, case_from_delivery, make_case
from registry.models import Action, CaseStatus, Channel, HistoryEntry
from registry.services.cases import change_status

D = dt.date


def history(case, action):
    return list(HistoryEntry.objects.filter(case=case, action=action).values_list("description", flat=True))


def test_seeded_kinds_and_mapping(db):
    codes = set(DeadlineKind.objects.values_list("code", flat=True))
    assert {"KPA-NIEZWL", "KPA-1M", "KPA-2M", "UDIP-14D", "PET-3M", "SKARGA-1M", "ODW-7D"} <= codes
    assert DeadlineKind.objects.get(is_default=True).code == "KPA-1M"
    assert services.kind_for_symbol("1431").code == "UDIP-14D"
    assert services.kind_for_symbol("152").code == "PET-3M"
    assert services.kind_for_symbol("1510").code == "SKARGA-1M"
    assert services.kind_for_symbol("6730").code == "KPA-1M"  # default


def test_longest_prefix_wins(db):
    two_months = DeadlineKind.objects.get(code="KPA-2M")
    JrwaDeadlineRule.objects.create(symbol_prefix="6", kind=DeadlineKind.objects.get(code="KPA-NIEZWL"))
    JrwaDeadlineRule.objects.create(symbol_prefix="67", kind=two_months)
    assert services.kind_for_symbol("6730") == two_months
    assert services.kind_for_symbol("6131").code == "KPA-NIEZWL"
    assert services.kind_for_symbol("1000").code == "KPA-1M"


def test_case_from_delivery_gets_its_deadline_in_the_same_transaction(office):
    # domain.md § 8 ex. 1: ePUAP letter received Fri 2025-01-31 17:45 → 1 month → Fri 28 Feb 2025
    case = case_from_delivery(
        office["clerk"], unit=office["RB"], jrwa_class=office["6730"], received_at=at(2025, 1, 31, 17, 45),
        case_worker=office["worker_rb"], channel=Channel.EPUAP,
    )
    deadline = CaseDeadline.objects.get(case=case)
    assert deadline.kind.code == "KPA-1M"
    assert deadline.start_date == D(2025, 1, 31)
    assert deadline.due_date == D(2025, 2, 28)
    assert "RPW/" in deadline.start_source
    [entry] = history(case, Action.DEADLINE_SET)
    assert "28" in entry and "2025" in entry
    # particularly complicated → 2 months → Mon 31 Mar 2025
    services.change_kind(case, DeadlineKind.objects.get(code="KPA-2M"), actor=office["head_rb"])
    deadline.refresh_from_db()
    assert deadline.due_date == D(2025, 3, 31)
    assert len(history(case, Action.DEADLINE_CHANGED)) == 1


def test_receipt_time_is_taken_in_warsaw(office):
    # 23:30 UTC on 31 Jan is 00:30 on 1 Feb in Warsaw: the term starts on 1 Feb → 1 Mar (Sat) → Mon 3 Mar.
    import datetime

    received = datetime.datetime(2025, 1, 31, 23, 30, tzinfo=datetime.UTC)
    case = case_from_delivery(office["clerk"], unit=office["RB"], jrwa_class=office["6730"], received_at=received)
    assert case.deadline.start_date == D(2025, 2, 1)
    assert case.deadline.due_date == D(2025, 3, 3)


def test_edoreczenia_wigilia(office):
    # e-Doręczenia request received 2025-12-10 in a UDIP class → 14 days → 24 Dec (Wigilia) → Mon 29 Dec
    case = case_from_delivery(
        office["clerk"], unit=office["OR"], jrwa_class=office["1431"], received_at=at(2025, 12, 10, 9),
        channel=Channel.EDORECZENIA,
    )
    deadline = case.deadline
    assert deadline.kind.code == "UDIP-14D"
    assert deadline.raw_due_date == D(2025, 12, 24)
    assert deadline.due_date == D(2025, 12, 29)
    assert "e-Doręczenia" in deadline.start_source


def test_edoreczenia_start_from_evidence_of_receipt(office):
    # E.1 evidence: the message reached the box on 3 Nov 2025 at 23:30 UTC = Tue 4 Nov 00:30 in Warsaw; the
    # office registered it a day later. The term runs from 4 Nov: 14 days → Tue 18 Nov.
    from deadlines.tests.factories import CorrespondentFactory, make_delivery
    from registry.models import Form

    delivery = make_delivery(
        office["clerk"], channel=Channel.EDORECZENIA, form=Form.ELECTRONIC, received_at=at(2025, 11, 5, 8),
        sender=CorrespondentFactory(), receipt_evidence={"code": "E.1", "eventDate": "2025-11-03T23:30:00Z"},
    )
    case = make_case(office["clerk"], unit=office["OR"], jrwa_class=office["1431"], delivery=delivery)
    assert case.deadline.start_date == D(2025, 11, 4)
    assert case.deadline.due_date == D(2025, 11, 18)


def test_own_initiative_case_starts_on_its_start_date(office):
    case = make_case(office["worker_rb"], unit=office["RB"], jrwa_class=office["152"], started_on=D(2025, 11, 30))
    assert case.deadline.start_date == D(2025, 11, 30)
    assert case.deadline.due_date == D(2026, 3, 2)  # 3 months → Sat 28 Feb 2026 → Mon 2 Mar


def test_suspension_example_4(office):
    # domain.md § 8 ex. 4: started 3 Mar 2025, 1 month → 3 Apr; suspended 10–24 Mar (15 days) → Fri 18 Apr
    case = make_case(office["worker_rb"], unit=office["RB"], jrwa_class=office["6730"], started_on=D(2025, 3, 3))
    assert case.deadline.due_date == D(2025, 4, 3)
    change_status(case, actor=office["worker_rb"], status=CaseStatus.SUSPENDED, on_day=D(2025, 3, 10))
    deadline = CaseDeadline.objects.get(case=case)
    assert deadline.state == DeadlineState.SUSPENDED
    change_status(case, actor=office["worker_rb"], status=CaseStatus.OPEN, on_day=D(2025, 3, 24))
    deadline.refresh_from_db()
    assert deadline.state == DeadlineState.RUNNING
    assert deadline.excluded_days == 15
    assert deadline.due_date == D(2025, 4, 18)
    [period] = deadline.excluded_periods.all()
    assert (period.reason, period.starts_on, period.ends_on) == ("suspension", D(2025, 3, 10), D(2025, 3, 24))
    assert len(history(case, Action.DEADLINE_CHANGED)) == 2
    # closing on the due date is on time; the completion date is kept for the on-time rate
    change_status(case, actor=office["worker_rb"], status=CaseStatus.CLOSED, on_day=D(2025, 4, 18))
    deadline.refresh_from_db()
    assert (deadline.state, deadline.completed_on, deadline.completed_on_time) == ("closed", D(2025, 4, 18), True)
    change_status(case, actor=office["worker_rb"], status=CaseStatus.OPEN, on_day=D(2025, 4, 22))
    deadline.refresh_from_db()
    assert (deadline.state, deadline.completed_on, deadline.completed_on_time) == ("running", None, None)


def test_party_delay_periods_overlap_counted_once(office):
    case = make_case(office["worker_rb"], unit=office["RB"], jrwa_class=office["6730"], started_on=D(2025, 3, 3))
    actor = office["worker_rb"]
    services.add_excluded_period(
        case, actor=actor, reason=ExcludedPeriod.Reason.PARTY_DELAY, starts_on=D(2025, 3, 10), ends_on=D(2025, 3, 16)
    )
    services.add_excluded_period(
        case, actor=actor, reason=ExcludedPeriod.Reason.STATUTORY_ACT, starts_on=D(2025, 3, 14),
        ends_on=D(2025, 3, 24), description="Wezwanie do usunięcia braków – 7 dni",
    )
    deadline = CaseDeadline.objects.get(case=case)
    assert deadline.excluded_days == 15  # 10–24 March
    assert deadline.due_date == D(2025, 4, 18)
    with pytest.raises(ValidationError):
        services.add_excluded_period(
            case, actor=actor, reason="party_delay", starts_on=D(2025, 3, 20), ends_on=D(2025, 3, 19)
        )


def test_closed_late_is_not_on_time(office):
    case = make_case(office["worker_rb"], unit=office["RB"], jrwa_class=office["6730"], started_on=D(2025, 3, 3))
    change_status(case, actor=office["worker_rb"], status=CaseStatus.CLOSED, on_day=D(2025, 4, 4))
    assert CaseDeadline.objects.get(case=case).completed_on_time is False


def test_udip_extension_example_5_and_notice(office):
    # domain.md § 8 ex. 5: request Mon 14 Apr 2025 → 28 Apr; extension at most 2 months → Sat 14 Jun → Mon 16 Jun
    case = case_from_delivery(
        office["clerk"], unit=office["OR"], jrwa_class=office["1431"], received_at=at(2025, 4, 14, 8),
        case_worker=office["worker_or"],
    )
    assert case.deadline.due_date == D(2025, 4, 28)
    assert services.max_extended_date(case.deadline) == D(2025, 6, 16)
    with pytest.raises(ValidationError):
        services.extend(case, actor=office["worker_or"], new_date=D(2025, 6, 17), reason="Duża ilość danych")
    with pytest.raises(ValidationError):
        services.extend(case, actor=office["worker_or"], new_date=D(2025, 4, 25), reason="Wcześniej")
    with pytest.raises(ValidationError):
        services.extend(case, actor=office["worker_or"], new_date=D(2025, 6, 16), reason=" ")
    extension = services.extend(
        case, actor=office["worker_or"], new_date=D(2025, 6, 16), reason="Konieczność anonimizacji 300 stron.",
        decided_on=D(2025, 4, 25),
    )
    deadline = CaseDeadline.objects.get(case=case)
    assert deadline.due_date == D(2025, 6, 16)
    assert extension.previous_due_date == D(2025, 4, 28)
    assert any("16" in text and "anonimizacji" in text for text in history(case, Action.DEADLINE_CHANGED))
    text = services.notice_text(extension)
    assert "ustawy o dostępie do informacji publicznej" in text
    assert "16 czerwca 2025" in text and "28 kwietnia 2025" in text
    assert "ponaglenie" not in text  # not a KPA procedure


def test_kpa_extension_notice_docx_and_case_document(office):
    import docx

    case = case_from_delivery(
        office["clerk"], unit=office["RB"], jrwa_class=office["6730"], received_at=at(2025, 5, 31, 8),
        case_worker=office["worker_rb"],
    )
    assert case.deadline.due_date == D(2025, 6, 30)
    extension = services.extend(
        case, actor=office["worker_rb"], new_date=D(2025, 7, 31), reason="Oczekiwanie na opinię konserwatora.",
        decided_on=D(2025, 6, 20),
    )
    text = services.notice_text(extension)
    assert "art. 36 § 1" in text and "ponaglenia" in text and "samorządowego kolegium odwoławczego" in text
    assert "31 lipca 2025" in text and case.sign in text
    content = services.notice_docx(extension)
    paragraphs = [p.text for p in docx.Document(io.BytesIO(content)).paragraphs]
    assert "ZAWIADOMIENIE" in paragraphs
    assert any("opinię konserwatora" in p for p in paragraphs)
    document = services.save_notice_as_document(extension, actor=office["worker_rb"])
    assert document.case == case and document.kind == "draft"
    assert services.save_notice_as_document(extension, actor=office["worker_rb"]) == document  # once


def test_suspension_after_extension_is_added_to_new_date(office):
    case = make_case(office["worker_rb"], unit=office["RB"], jrwa_class=office["6730"], started_on=D(2025, 3, 3))
    services.extend(case, actor=office["worker_rb"], new_date=D(2025, 5, 5), reason="Opinia", decided_on=D(2025, 4, 1))
    services.add_excluded_period(
        case, actor=office["worker_rb"], reason="party_delay", starts_on=D(2025, 4, 7), ends_on=D(2025, 4, 13)
    )
    assert CaseDeadline.objects.get(case=case).due_date == D(2025, 5, 12)  # 5 May + 7 days = Mon 12 May


def test_extension_needs_a_running_case(office):
    case = make_case(office["worker_rb"], unit=office["RB"], jrwa_class=JrwaClassFactory(symbol="6220"),
                     started_on=D(2025, 3, 3))
    change_status(case, actor=office["worker_rb"], status=CaseStatus.CLOSED, on_day=D(2025, 3, 5))
    with pytest.raises(ValidationError):
        services.extend(case, actor=office["worker_rb"], new_date=D(2025, 6, 5), reason="x")


def test_open_suspension_moves_the_due_date_daily(office):
    from deadlines.tasks import refresh_suspended

    case = make_case(office["worker_rb"], unit=office["RB"], jrwa_class=office["6730"], started_on=D(2025, 3, 3))
    change_status(case, actor=office["worker_rb"], status=CaseStatus.SUSPENDED, on_day=D(2025, 3, 10))
    assert refresh_suspended(D(2025, 3, 24)) == 1  # 10–24 March so far: 15 days → Fri 18 Apr
    deadline = CaseDeadline.objects.get(case=case)
    assert (deadline.excluded_days, deadline.due_date) == (15, D(2025, 4, 18))
    assert refresh_suspended(D(2025, 3, 24)) == 0


def test_no_default_kind_does_not_block_opening_cases(office):
    DeadlineKind.objects.update(is_default=False)
    case = make_case(office["worker_rb"], unit=office["RB"], jrwa_class=office["6730"], started_on=D(2025, 3, 3))
    # the statutory one-month kind is restored as the default
    assert CaseDeadline.objects.get(case=case).kind.code == "KPA-1M"
    assert DeadlineKind.objects.get(is_default=True).code == "KPA-1M"


def test_backfill_gives_old_cases_their_deadline(office):
    from django.core.management import call_command

    case = make_case(office["worker_rb"], unit=office["RB"], jrwa_class=office["6730"], started_on=D(2025, 3, 3))
    CaseDeadline.objects.filter(case=case).delete()  # as if opened before the module was installed
    call_command("deadlines_backfill", stdout=io.StringIO())
    assert CaseDeadline.objects.get(case=case).due_date == D(2025, 4, 3)
    call_command("deadlines_backfill", stdout=io.StringIO())  # again: nothing changes
    assert CaseDeadline.objects.filter(case=case).count() == 1
