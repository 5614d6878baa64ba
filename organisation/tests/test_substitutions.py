"""Users name their own substitute; the head is told (Celery, after commit) and may revoke; past, reversed,
overlapping and self substitutions are refused with Polish messages; everything stays on record."""

import datetime as dt
import time

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from organisation import services
from organisation.models import Substitution, principals_of
from organisation.tasks import notify_substitution
from registry.access import scope_for

pytestmark = pytest.mark.django_db
URL = "/zastepstwa/"


def days(n):
    return (timezone.localdate() + dt.timedelta(days=n)).isoformat()


def test_the_page_is_in_the_menu_and_names_the_head(client, office):
    client.force_login(office["worker_rb"])
    page = client.get(reverse("registry:home")).content.decode()
    assert f'href="{URL}"' in page and "Zastępstwa" in page
    page = client.get(URL).content.decode()
    assert "Wskaż zastępcę" in page and str(office["head_rb"]) in page


def test_user_names_a_substitute_and_the_head_is_told(client, office, django_capture_on_commit_callbacks):
    client.force_login(office["worker_rb"])
    data = {"substitute": office["worker_rb_a"].pk, "starts_on": days(1), "ends_on": days(10), "reason": "urlop"}
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(URL, data, follow=True)
    assert len(callbacks) == 1  # published after commit
    substitution = Substitution.objects.get()
    assert (substitution.principal, substitution.substitute, substitution.created_by) == (
        office["worker_rb"], office["worker_rb_a"], office["worker_rb"])
    page = response.content.decode()
    assert "zastępuje Cię od" in page and "urlop" in page
    recipients = sorted(r for m in mail.outbox for r in m.to)
    assert recipients == sorted([office["head_rb"].email, office["worker_rb_a"].email])
    message = mail.outbox[0]
    assert "Zastępstwo" in message.subject and "urlop" in message.body and URL in message.body
    assert substitution.announced_at is not None or Substitution.objects.get().announced_at is not None
    # The task again (a retry): nothing is sent twice.
    mail.outbox.clear()
    assert notify_substitution(substitution.pk, services.NAMED) == 0 and not mail.outbox


def test_double_submission_names_one_substitute(client, office):
    client.force_login(office["worker_rb"])
    data = {"substitute": office["worker_rb_a"].pk, "starts_on": days(0), "ends_on": days(3)}
    client.post(URL, data)
    client.post(URL, data)
    assert Substitution.objects.count() == 1


@pytest.mark.parametrize("change, field, message", [
    ({"starts_on": -1}, "starts_on", "Zastępstwo nie może zaczynać się w przeszłości"),
    ({"ends_on": -5}, "ends_on", "Ostatni dzień nie może być wcześniejszy niż pierwszy."),
    ({"self": True}, "substitute", "Wybierz poprawną wartość"),  # not offered; the service refuses it too
])
def test_past_reversed_and_self_substitutions_are_refused(client, office, change, field, message):
    client.force_login(office["worker_rb"])
    data = {"substitute": office["worker_rb_a"].pk, "starts_on": days(change.get("starts_on", 1)),
            "ends_on": days(change.get("ends_on", 4))}
    if change.get("self"):
        data["substitute"] = office["worker_rb"].pk
    response = client.post(URL, data)
    assert response.status_code == 200 and Substitution.objects.count() == 0
    page = response.content.decode()
    assert message in page and f'id="id_{field}_errors"' in page


def test_self_substitution_is_refused_by_the_service(office):
    with pytest.raises(ValidationError) as refused:
        services.name_substitute(principal=office["worker_rb"], substitute=office["worker_rb"],
                                 starts_on=timezone.localdate(), ends_on=timezone.localdate())
    assert refused.value.message_dict == {"substitute": ["Nie możesz zastępować samego siebie."]}


def test_overlapping_substitution_is_refused_but_an_adjacent_one_is_fine(client, office):
    services.name_substitute(principal=office["worker_rb"], substitute=office["worker_rb_a"],
                             starts_on=timezone.localdate() + dt.timedelta(days=5),
                             ends_on=timezone.localdate() + dt.timedelta(days=9))
    client.force_login(office["worker_rb"])
    response = client.post(URL, {"substitute": office["worker_or"].pk, "starts_on": days(9), "ends_on": days(12)})
    page = response.content.decode()
    assert "już Cię zastępuje" in page and "daty się nakładają" in page
    assert Substitution.objects.count() == 1
    client.post(URL, {"substitute": office["worker_or"].pk, "starts_on": days(10), "ends_on": days(12)})
    assert Substitution.objects.count() == 2


def test_head_revokes_and_the_substitute_loses_access(client, office, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    worker, substitute, head = office["worker_rb"], office["worker_rb_a"], office["head_rb"]
    substitution = services.name_substitute(principal=worker, substitute=substitute, starts_on=today,
                                            ends_on=today + dt.timedelta(days=3))
    assert principals_of(substitute) == [worker.pk]
    assert office["RB"].pk in scope_for(substitute).unit_ids
    client.force_login(head)
    page = client.get(URL).content.decode()
    assert "Zastępstwa w Twoich komórkach" in page and "Odwołaj zastępstwo" in page
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("organisation:substitution-revoke", args=[substitution.pk]),
                               {"reason": "pilny projekt"}, follow=True)
    assert "odwołane" in response.content.decode()
    substitution.refresh_from_db()
    assert substitution.revoked_by == head and substitution.revoke_reason == "pilny projekt"
    assert principals_of(substitute) == [] and office["RB"].pk not in scope_for(substitute).unit_ids
    assert sorted(r for m in mail.outbox for r in m.to) == sorted([worker.email, substitute.email])
    assert "pilny projekt" in mail.outbox[0].body
    # A second click changes nothing; the row stays on record.
    client.post(reverse("organisation:substitution-revoke", args=[substitution.pk]))
    assert Substitution.objects.filter(pk=substitution.pk, revoked_by=head).exists()
    assert f"odwołane przez {head}" in client.get(URL).content.decode()


def test_others_cannot_revoke_and_learn_nothing(client, office):
    today = timezone.localdate()
    substitution = services.name_substitute(principal=office["worker_rb"], substitute=office["worker_rb_a"],
                                            starts_on=today, ends_on=today)
    url = reverse("organisation:substitution-revoke", args=[substitution.pk])
    for outsider in ("worker_or", "worker_rb_a", "secretary"):
        client.force_login(office[outsider])
        assert client.post(url).status_code == 404
        assert client.post(reverse("organisation:substitution-revoke", args=[987654])).status_code == 404
    assert Substitution.objects.get().revoked_at is None
    with pytest.raises(ValidationError, match="już się zakończyło"):  # an ended one stays as it was
        services.revoke(substitution, actor=office["worker_rb"], today=today + dt.timedelta(days=1))


def test_heads_of_a_head_is_the_head_of_the_parent_unit(office):
    assert services.heads_of(office["worker_rb_a"]) == []  # RB-A has no head in the fixture
    assert services.heads_of(office["worker_rb"]) == [office["head_rb"]]
    assert services.heads_of(office["head_rb"]) == []  # RB has no parent unit


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_the_head_is_told_by_the_real_worker(office, celery_worker_proc):
    today = timezone.localdate()
    substitution = services.name_substitute(principal=office["worker_rb"], substitute=office["worker_rb_a"],
                                            starts_on=today, ends_on=today + dt.timedelta(days=1))
    expected = f"To: {office['head_rb'].email}"
    deadline = time.monotonic() + 60
    # The worker sends inside its transaction, so the claim is visible a moment after the e-mail is logged.
    while time.monotonic() < deadline and not (
        expected in celery_worker_proc.log()
        and Substitution.objects.filter(pk=substitution.pk, announced_at__isnull=False).exists()
    ):
        time.sleep(0.3)
    log = celery_worker_proc.log()
    assert expected in log and "organisation.notify_substitution" in log, log[-3000:]
    substitution.refresh_from_db()
    assert substitution.announced_at is not None
