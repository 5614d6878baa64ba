"""The office: organisational units (komórki), users with roles, named positions and substitutions."""

import re

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# IK: a unit symbol; a hyphen only between a department and its section (referat), e.g. "ABC-A".
UNIT_SYMBOL_RE = re.compile(r"^[A-ZĄĆĘŁŃÓŚŹŻ0-9]+(?:-[A-ZĄĆĘŁŃÓŚŹŻ0-9]+)?$")


def validate_unit_symbol(value: str) -> None:
    if not UNIT_SYMBOL_RE.match(value or ""):
        raise ValidationError(
            _("A unit symbol is capital letters or digits, with one hyphen before a section symbol (e.g. OR, RB-A)."),
            code="unit_symbol",
        )


class Role(models.TextChoices):
    REGISTRY_CLERK = "clerk", _("Registry clerk")
    HEAD = "head", _("Head of unit")
    CASE_WORKER = "worker", _("Case worker")
    SECRETARY = "secretary", _("Secretary")
    ARCHIVIST = "archivist", _("Archivist")
    ADMINISTRATOR = "admin", _("Administrator")


class User(AbstractUser):
    position_title = models.CharField(_("position"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["last_name", "first_name"]

    def __str__(self):
        return self.get_full_name() or self.username

    def roles(self) -> set[str]:
        """All roles the user holds in any unit (cached per instance)."""
        if not hasattr(self, "_roles_cache"):
            self._roles_cache = set(self.memberships.values_list("role", flat=True))
        return self._roles_cache

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles() & set(roles))


class OrgUnit(models.Model):
    symbol = models.CharField(_("symbol"), max_length=20, validators=[validate_unit_symbol])
    name = models.CharField(_("name"), max_length=200)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent unit"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="children",
    )
    active = models.BooleanField(_("active"), default=True)
    valid_from = models.DateField(_("valid from"), default=timezone.localdate)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        verbose_name = _("organisational unit")
        verbose_name_plural = _("organisational units")
        ordering = ["symbol"]
        constraints = [
            # IK: one symbol belongs to one unit at a time; closed units keep theirs for history.
            models.UniqueConstraint(fields=["symbol"], condition=Q(active=True), name="unique_active_unit_symbol"),
        ]

    def __str__(self):
        return f"{self.symbol} – {self.name}"

    @property
    def head(self):
        membership = self.memberships.filter(role=Role.HEAD).select_related("user").first()
        return membership.user if membership else None

    def descendant_ids(self) -> set[int]:
        """Ids of this unit and every unit below it (one query per level; trees are shallow)."""
        ids, frontier = {self.pk}, {self.pk}
        while frontier:
            frontier = set(OrgUnit.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)) - ids
            ids |= frontier
        return ids


class Membership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user"))
    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("unit"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("unit membership")
        verbose_name_plural = _("unit memberships")
        constraints = [models.UniqueConstraint(fields=["user", "unit", "role"], name="unique_membership")]
        indexes = [models.Index(fields=["unit", "role"])]

    def __str__(self):
        return f"{self.user} – {self.unit.symbol} ({self.get_role_display()})"


class Position(models.Model):
    """A named position used by approval routes (radca prawny, wójt, skarbnik…)."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200)
    holder = models.ForeignKey(
        User, verbose_name=_("person"), null=True, blank=True, on_delete=models.SET_NULL, related_name="positions"
    )

    class Meta:
        verbose_name = _("named position")
        verbose_name_plural = _("named positions")
        ordering = ["name"]

    def __str__(self):
        return self.name


class SubstitutionQuerySet(models.QuerySet):
    def in_force(self):
        """Not revoked (a revoked substitution stays as the record of what was set up and undone)."""
        return self.filter(revoked_at__isnull=True)

    def active_on(self, day=None):
        day = day or timezone.localdate()
        return self.in_force().filter(starts_on__lte=day, ends_on__gte=day)


class Substitution(models.Model):
    """Zastępstwo: `substitute` stands in for `principal` over a date range (both ends included)."""

    principal = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="substituted_by", verbose_name=_("person substituted")
    )
    substitute = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="substitutes_for", verbose_name=_("substitute")
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    can_sign = models.BooleanField(_("may sign"), default=False)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("set up by")
    )
    created_at = models.DateTimeField(_("set up"), default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("revoked by")
    )
    revoke_reason = models.CharField(_("reason for revoking"), max_length=200, blank=True)
    # Set by the notification task so a retried task never sends the same e-mail twice.
    announced_at = models.DateTimeField(null=True, blank=True, editable=False)
    revocation_announced_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = SubstitutionQuerySet.as_manager()

    class Meta:
        verbose_name = _("substitution")
        verbose_name_plural = _("substitutions")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="substitution_dates_order"),
            models.CheckConstraint(condition=~Q(principal=models.F("substitute")), name="substitution_not_self"),
        ]
        indexes = [
            models.Index(fields=["substitute", "starts_on", "ends_on"]),
            models.Index(fields=["principal", "starts_on"], name="substitution_principal_start"),
        ]

    def __str__(self):
        return f"{self.substitute} → {self.principal} ({self.starts_on}–{self.ends_on})"

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError(_("A substitution cannot end before it starts."))
        if self.principal_id and self.principal_id == self.substitute_id:
            raise ValidationError(_("A person cannot substitute for themselves."))


def principals_of(user, day=None) -> list[int]:
    """Ids of users for whom `user` stands in on `day`."""
    return list(Substitution.objects.active_on(day).filter(substitute=user).values_list("principal_id", flat=True))
