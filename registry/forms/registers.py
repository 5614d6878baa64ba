"""Which day or month of a register to print."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from registry.forms.common import DATE

MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")


class RegisterPeriodForm(forms.Form):
    day = forms.DateField(label=_("Day"), required=False, widget=DATE)
    month = forms.CharField(
        label=_("Month"), required=False, max_length=40,  # longer text gets the message below, not a length one
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "RRRR-MM", "pattern": r"\d{4}-\d{2}"}),
        help_text=_("Either a day or a month, e.g. 2026-12."),
    )

    def clean_month(self):
        value = (self.cleaned_data.get("month") or "").strip()
        if not value:
            return None
        match = MONTH_RE.match(value)
        if not match or not 1 <= int(match.group(2)) <= 12 or not 1990 <= int(match.group(1)) <= 2100:
            raise ValidationError(_("Give the month as year and month, e.g. 2026-12."))
        return dt.date(int(match.group(1)), int(match.group(2)), 1)

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        day, month = cleaned.get("day"), cleaned.get("month")
        if bool(day) == bool(month):
            raise ValidationError(_("Choose either a day or a month to print."))
        return cleaned

    def period(self) -> tuple[dt.datetime, dt.datetime, str, str]:
        """(start, end) as aware datetimes in the office's time zone, end excluded; a label and a file-name part."""
        zone = ZoneInfo(settings.TIME_ZONE)
        day, month = self.cleaned_data.get("day"), self.cleaned_data.get("month")
        if day:
            first, after = day, day + dt.timedelta(days=1)
            label, slug = date_format(day, "j E Y"), day.isoformat()
        else:
            first = month
            after = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
            label, slug = date_format(month, "F Y"), month.strftime("%Y-%m")
        start = dt.datetime.combine(first, dt.time.min, tzinfo=zone)
        end = dt.datetime.combine(after, dt.time.min, tzinfo=zone)
        return start, end, label, slug
