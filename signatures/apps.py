from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SignaturesConfig(AppConfig):
    name = "signatures"
    verbose_name = _("Electronic signatures")

    def ready(self):
        from signatures import receivers  # noqa: F401  (verifies every new document version in Celery)
