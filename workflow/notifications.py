"""E-mail notifications: a new task, a return for corrections, a step past its due time. Published after commit to
Celery (ids only); users who chose the daily digest get one e-mail a day instead."""

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

NEW, RETURNED, OVERDUE = "new", "returned", "overdue"


def notify_new_task(task) -> None:
    from workflow.tasks import send_task_notification

    kind = RETURNED if task.flow_task.name == "revise" else NEW
    send_task_notification.delay_on_commit(task.pk, kind)


def compose(task, kind) -> tuple[str, str]:
    with translation.override(settings.LANGUAGE_CODE):
        url = settings.SITE_URL.rstrip("/") + reverse("workflow:task", args=[task.pk])
        subject = {
            NEW: _("New task: %(label)s"),
            RETURNED: _("Returned for corrections: %(label)s"),
            OVERDUE: _("Past its due time: %(label)s"),
        }[kind] % {"label": task.label}
        lines = [subject, ""]
        if task.comment:
            lines += [_("Comment: %(comment)s") % {"comment": task.comment}, ""]
        if task.due_at:
            lines.append(_("Due: %(when)s") % {"when": timezone.localtime(task.due_at).strftime("%Y-%m-%d %H:%M")})
        lines.append(url)
        return subject[:250], "\n".join(lines)


def deliver(user, subject: str, body: str) -> bool:
    """Send now, queue for the digest, or drop, as the user chose. True when an e-mail went out."""
    from workflow.models import NotificationPreference, PendingNotification

    if not user.email or not user.is_active:
        return False
    pref = NotificationPreference.objects.filter(user=user).values_list("mode", flat=True).first()
    mode = pref or NotificationPreference.Mode.IMMEDIATE
    if mode == NotificationPreference.Mode.OFF:
        return False
    if mode == NotificationPreference.Mode.DIGEST:
        PendingNotification.objects.create(user=user, subject=subject, body=body)
        return False
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    return True


def recipients(task):
    """The owner and whoever stands in for them today."""
    from organisation.models import Substitution

    if task.owner is None:
        return []
    subs = [s.substitute for s in Substitution.objects.active_on().filter(principal=task.owner)
            .select_related("substitute")]
    return [task.owner, *subs]
