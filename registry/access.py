"""The one access rule. Pages, the API, workflow task lists and search all ask `scope_for(user)`.

- staff see the deliveries and cases of their units (heads: also the sub-units) and what they handle;
- registry clerks see the registers (every delivery and outgoing item);
- the secretary and archivists see everything that is not confidential;
- a confidential case (and what belongs to it) is seen only by its case worker and named participants. Registry
  clerks still see the register entries they made (a delivery's sender, subject, RPW number; an outgoing item),
  but never that the entry belongs to a confidential case: no sign, title or link, in pages, API, search
  (results, highlights, facets, counts) and exports alike (`with_case_shown`, `search.index.documents`);
- a substitute sees what the people they stand in for see, for the duration of the substitution.
"""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q

from organisation.models import Membership, OrgUnit, Role, principals_of


@dataclass(frozen=True)
class AccessScope:
    user_ids: frozenset[int]  # the user and anyone they currently substitute for
    unit_ids: frozenset[int]  # units whose non-confidential records are visible
    all_units: bool  # secretary / archivist / superuser: every non-confidential record
    registers: bool  # registry clerk: every entry of the registers

    # --- ORM filters -------------------------------------------------------------------------------------------
    def case_q(self, prefix: str = "") -> Q:
        """The rule as a Q over Case, or over a model that reaches a case through `prefix` (e.g. "case__")."""
        from registry.models import Case

        p = prefix
        personal = Q(**{f"{p}case_worker_id__in": self.user_ids}) | Q(
            Exists(
                Case.participants.through.objects.filter(
                    case_id=OuterRef(f"{p}pk" if p else "pk"), user_id__in=self.user_ids
                )
            )
        )
        if self.all_units:
            open_part = Q(**{f"{p}confidential": False})
        else:
            open_part = Q(**{f"{p}confidential": False, f"{p}unit_id__in": self.unit_ids})
        return open_part | personal

    def cases(self, queryset):
        return queryset.filter(self.case_q())

    def deliveries(self, queryset):
        if self.registers:
            return queryset
        from registry.models import Case

        visible_case = Exists(Case.objects.filter(self.case_q(), pk=OuterRef("case_id")))
        if self.all_units:
            no_case = Q(case__isnull=True)
        else:
            no_case = Q(case__isnull=True) & (
                Q(assigned_unit_id__in=self.unit_ids)
                | Q(addressed_unit_id__in=self.unit_ids, assigned_unit__isnull=True)
                | Q(assigned_to_id__in=self.user_ids)
                | Q(registered_by_id__in=self.user_ids)
            )
        return queryset.filter(no_case | (Q(case__isnull=False) & visible_case))

    def documents(self, queryset):
        from registry.models import Case, Delivery

        visible_case = Exists(Case.objects.filter(self.case_q(), pk=OuterRef("case_id")))
        visible_delivery = Exists(self.deliveries(Delivery.objects.filter(pk=OuterRef("delivery_id"))))
        return queryset.filter((Q(case__isnull=False) & visible_case) | (Q(case__isnull=True) & visible_delivery))

    def outgoing(self, queryset):
        if self.registers:
            return queryset
        from registry.models import Case

        return queryset.filter(Exists(Case.objects.filter(self.case_q(), pk=OuterRef("case_id"))))

    def with_case_shown(self, queryset):
        """Deliveries or outgoing items annotated with `case_shown`: may the user see the case the entry belongs to?
        False for no case, and for a registry clerk's entry of a confidential case they take no part in: show
        such an entry as if it had no case."""
        from registry.models import Case

        return queryset.annotate(case_shown=Exists(Case.objects.filter(self.case_q(), pk=OuterRef("case_id"))))

    # --- single-object checks -----------------------------------------------------------------------------------
    def can_see_case(self, case) -> bool:
        from registry.models import Case

        return self.cases(Case.objects.filter(pk=case.pk)).exists()

    def can_see_delivery(self, delivery) -> bool:
        from registry.models import Delivery

        return self.deliveries(Delivery.objects.filter(pk=delivery.pk)).exists()

    # --- for search indexes: the same rule over flat fields ------------------------------------------------------
    def allows_record(self, *, confidential: bool, unit_ids: set[int], user_ids: set[int], is_register_entry: bool):
        if is_register_entry and self.registers:
            return True
        if user_ids & self.user_ids:
            return True
        if confidential:
            return False
        return self.all_units or bool(unit_ids & self.unit_ids)


def scope_for(user) -> AccessScope:
    if not user or not user.is_authenticated:
        return AccessScope(frozenset(), frozenset(), False, False)
    user_ids = {user.pk, *principals_of(user)}
    memberships = list(Membership.objects.filter(user_id__in=user_ids).values_list("unit_id", "role"))
    roles = {role for _, role in memberships}
    # Unit visibility comes from working in the unit; a clerk's seat in a unit gives the registers only.
    unit_ids = {unit_id for unit_id, role in memberships if role in (Role.HEAD, Role.CASE_WORKER)}
    head_units = [unit_id for unit_id, role in memberships if role == Role.HEAD]
    if head_units:
        unit_ids |= _descendants(head_units)
    return AccessScope(
        user_ids=frozenset(user_ids),
        unit_ids=frozenset(unit_ids),
        all_units=user.is_superuser or bool(roles & {Role.SECRETARY, Role.ARCHIVIST}),
        registers=bool(roles & {Role.REGISTRY_CLERK}),
    )


def _descendants(unit_ids) -> set[int]:
    found, frontier = set(unit_ids), set(unit_ids)
    while frontier:
        frontier = set(OrgUnit.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)) - found
        found |= frontier
    return found
