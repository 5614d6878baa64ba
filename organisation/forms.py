"""The form a user names their substitute with (the service checks dates and overlaps)."""


from django import forms
from django.utils.translation import gettext_lazy as _

from organisation.models import User

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SubstituteChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return f"{user} ({user.position_title})" if user.position_title else str(user)


class SubstitutionForm(forms.Form):
    substitute = SubstituteChoiceField(
        label=_("Substitute"), queryset=User.objects.none(), empty_label=_("— choose —"),
    )
    starts_on = forms.DateField(label=_("From"), widget=DATE)
    ends_on = forms.DateField(label=_("Until (inclusive)"), widget=DATE)
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False,
                             help_text=_("E.g. leave, business trip. Your head sees it."))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["substitute"].queryset = (
            User.objects.filter(is_active=True).exclude(pk=user.pk).order_by("last_name", "first_name")
        )


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Reason for revoking"), max_length=200, required=False)
