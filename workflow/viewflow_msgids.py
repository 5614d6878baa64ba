"""viewflow ships no Polish catalogue: the msgids of viewflow that our pages and the admin show are listed here so
that `makemessages` puts them into workflow's catalogue, where we translate them."""

from django.utils.translation import gettext_noop, pgettext_lazy

STATUS_LABELS = [
    pgettext_lazy("STATUS", "Assigned"), pgettext_lazy("STATUS", "Canceled"), pgettext_lazy("STATUS", "Done"),
    pgettext_lazy("STATUS", "Error"), pgettext_lazy("STATUS", "New"), pgettext_lazy("STATUS", "Revived"),
    pgettext_lazy("STATUS", "Scheduled"), pgettext_lazy("STATUS", "Started"),
]
MODEL_LABELS = [
    gettext_noop("Process"), gettext_noop("Process list"), gettext_noop("Task"), gettext_noop("Tasks"),
    gettext_noop("Flow"), gettext_noop("Status"), gettext_noop("Created"), gettext_noop("Finished"),
    gettext_noop("Assigned"), gettext_noop("Started"), gettext_noop("Scheduled"), gettext_noop("Owner"),
    gettext_noop("Permission"), gettext_noop("Previous"), gettext_noop("Token"), gettext_noop("Type"),
    gettext_noop("External Task ID"),
]
