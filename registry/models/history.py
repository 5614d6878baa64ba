"""Metryka sprawy: the append-only history of every action on a case, its deliveries and documents.

The database itself refuses UPDATE and DELETE on this table (trigger in migration 0002)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    DELIVERY_REGISTERED = "delivery_registered", _("rejestracja przesyłki")
    DELIVERY_ASSIGNED = "delivery_assigned", _("dekretacja")
    DELIVERY_FORWARDED = "delivery_forwarded", _("przekazanie do innej komórki")
    DELIVERY_ATTACHED = "delivery_attached", _("dołączenie przesyłki do sprawy")
    CASE_OPENED = "case_opened", _("założenie sprawy")
    CASE_UPDATED = "case_updated", _("zmiana danych sprawy")
    CASE_WORKER_CHANGED = "case_worker_changed", _("zmiana prowadzącego")
    CASE_SUSPENDED = "case_suspended", _("zawieszenie")
    CASE_RESUMED = "case_resumed", _("podjęcie")
    CASE_CLOSED = "case_closed", _("zakończenie sprawy")
    CASE_REOPENED = "case_reopened", _("wznowienie sprawy")
    PARTY_ADDED = "party_added", _("dodanie strony")
    DOCUMENT_ADDED = "document_added", _("dodanie dokumentu")
    DOCUMENT_VERSION_ADDED = "document_version_added", _("nowa wersja dokumentu")
    DOCUMENT_VIEWED = "document_viewed", _("wgląd w dokument")
    ROUTE_STARTED = "route_started", _("skierowanie do akceptacji")
    APPROVED = "approved", _("akceptacja")
    RETURNED = "returned", _("zwrot do poprawy")
    REJECTED = "rejected", _("odrzucenie")
    OPINION = "opinion", _("opinia")
    SIGNED = "signed", _("podpisanie")
    DISPATCHED = "dispatched", _("wysyłka")
    DELIVERY_EVIDENCE = "delivery_evidence", _("dowód doręczenia")
    DEADLINE_SET = "deadline_set", _("ustalenie terminu")
    DEADLINE_CHANGED = "deadline_changed", _("zmiana terminu")
    ACCESS_GRANTED = "access_granted", _("udostępnienie")
    OTHER = "other", _("inna czynność")


class HistoryEntry(models.Model):
    at = models.DateTimeField(_("data czynności"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("wykonał")
    )
    # Snapshot: the metryka must show name and position as they were on the day of the action.
    actor_name = models.CharField(_("imię i nazwisko"), max_length=300)
    actor_position = models.CharField(_("stanowisko"), max_length=200, blank=True)
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("w zastępstwie"),
    )
    action = models.CharField(_("czynność"), max_length=40, choices=Action.choices)
    description = models.TextField(_("opis czynności"))
    case = models.ForeignKey(
        "registry.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="history",
        verbose_name=_("sprawa"),
    )
    delivery = models.ForeignKey(
        "registry.Delivery", null=True, blank=True, on_delete=models.PROTECT, related_name="history",
        verbose_name=_("przesyłka"),
    )
    document = models.ForeignKey(
        "registry.Document", null=True, blank=True, on_delete=models.PROTECT, related_name="history",
        verbose_name=_("dokument"),
    )
    document_version = models.ForeignKey(
        "registry.DocumentVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="history",
        verbose_name=_("wersja dokumentu"),
    )
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("wpis metryki")
        verbose_name_plural = _("metryka – wpisy")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["case", "at"]), models.Index(fields=["delivery", "at"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name}: {self.get_action_display()}"

    def save(self, *args, **kwargs):
        if self.pk:
            raise ValueError("HistoryEntry is append-only")
        super().save(*args, **kwargs)
