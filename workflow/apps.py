from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowConfig(AppConfig):
    name = "workflow"
    verbose_name = _("Routing and approval")

    def ready(self):
        from registry import signals
        from workflow import receivers

        signals.delivery_registered.connect(receivers.start_dekretacja_on_registration, dispatch_uid="workflow-dek")
        signals.case_opened.connect(receivers.close_dekretacja_when_case_opened, dispatch_uid="workflow-dek-close")
