"""Who does what in the archive. Seeing a record is always `registry.access.scope_for`; these only say who may act."""

from organisation.models import Role


def is_archivist(user) -> bool:
    return bool(user and user.is_authenticated and (user.is_superuser or user.has_role(Role.ARCHIVIST)))
