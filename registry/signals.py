"""Registry events other apps react to. Sent inside the transaction that made the change, so a receiver's
writes commit or roll back with it."""

from django.dispatch import Signal

# kwargs: delivery, actor
delivery_registered = Signal()
# kwargs: case, delivery (or None for a case opened on the office's own initiative), actor, deadline_kind (the
# kind of deadline the person opening the case confirmed or chose; None: the deadlines app proposes one)
case_opened = Signal()
# kwargs: case, delivery, actor — a registered delivery attached to an existing case
delivery_attached = Signal()
# kwargs: case, old_status, new_status, actor
case_status_changed = Signal()
# kwargs: case, old_class, actor — the JRWA class of a case was corrected
case_class_changed = Signal()
# kwargs: version, actor
document_version_added = Signal()
