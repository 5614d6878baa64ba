"""Widgets, fields and helpers shared by the registry forms."""

import re

from django import forms
from django.core.exceptions import ValidationError

from organisation.models import OrgUnit
from registry.models import JrwaClass, JrwaVersion

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]


def apply_errors(form, exc: ValidationError, fallback: str | None = None, rename: dict | None = None) -> None:
    """Put a service's ValidationError on the form: known fields get their own message, the rest go to
    `fallback` (or the top of the form)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            field = (rename or {}).get(field, field)
            target = field if field in form.fields else fallback
            for error in errors:
                form.add_error(target, error)
    else:
        for error in exc.error_list:
            form.add_error(fallback, error)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


def unit_choices(user):
    """Active units a user works in (heads: with the sub-units); every active unit for superusers."""
    from registry.access import scope_for

    qs = OrgUnit.objects.filter(active=True)
    if user.is_superuser:
        return qs
    return qs.filter(pk__in=scope_for(user).unit_ids)


def jrwa_from_text(text: str, version: JrwaVersion | None):
    """'6730 Warunki zabudowy' or '6730' → the class with that symbol in `version` (None if not found)."""
    match = re.match(r"\s*(\d{1,4})\b", text or "")
    if not match or version is None:
        return None
    return JrwaClass.objects.filter(version=version, symbol=match.group(1)).select_related("version").first()
