from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RepliesConfig(AppConfig):
    name = "replies"
    verbose_name = _("Replies to our letters")

    def ready(self):
        from replies import receivers  # noqa: F401  (proposes cases for every registered delivery)
