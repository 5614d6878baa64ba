"""Forms of the dispatch pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dispatch import channels
from dispatch.services.delivery import RETURN_NOTICES, RETURN_SIGNED, RETURN_UNDELIVERED
from registry.models import Correspondent, OutgoingChannel
from workflow.forms import AccessibleForm

CHANNELS = [(c.value, c.label) for c in OutgoingChannel if c.value in channels.SUPPORTED]


class PrepareForm(AccessibleForm):
    """Per proposed addressee: send or not, channel (empty = proposed), reason, public entity; plus another
    addressee by correspondent number, and the documents."""

    other = forms.ModelChoiceField(
        label=_("Another addressee (correspondent number)"), queryset=Correspondent.objects.filter(
            merged_into__isnull=True), required=False, widget=forms.NumberInput,
        help_text=_("The number shown in the correspondents register."),
    )
    documents = forms.ModelMultipleChoiceField(label=_("Documents to send"), queryset=None,
                                               widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, proposed=(), documents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.proposed = list(proposed)
        from registry.models import Document

        self.fields["documents"].queryset = Document.objects.filter(pk__in=[d.pk for d in documents])
        self.fields["documents"].initial = [d.pk for d in documents]
        self.rows = []
        for c in self.proposed:
            choice = channels.choose(c)
            self.fields[f"send_{c.pk}"] = forms.BooleanField(label=_("Send to %(who)s") % {"who": c}, required=False,
                                                             initial=True)
            self.fields[f"channel_{c.pk}"] = forms.ChoiceField(
                label=_("Channel for %(who)s") % {"who": c}, choices=CHANNELS, initial=choice.channel,
                help_text=choice.reason,
            )
            self.fields[f"reason_{c.pk}"] = forms.CharField(
                label=_("Reason for another channel"), required=False, max_length=300)
            self.fields[f"public_{c.pk}"] = forms.BooleanField(
                label=_("Public entity (no deemed delivery)"), required=False)
            self.rows.append({"correspondent": c, "choice": choice, "send": self[f"send_{c.pk}"],
                              "channel": self[f"channel_{c.pk}"], "reason": self[f"reason_{c.pk}"],
                              "public": self[f"public_{c.pk}"]})
        self.fields["other_channel"] = forms.ChoiceField(label=_("Channel for the other addressee"),
                                                         choices=[("", _("as proposed")), *CHANNELS], required=False)
        self.fields["other_reason"] = forms.CharField(label=_("Reason for another channel"), required=False,
                                                      max_length=300)

    def addressees(self):
        from dispatch.services.prepare import Addressee

        d = self.cleaned_data
        result = []
        for c in self.proposed:
            if d.get(f"send_{c.pk}"):
                channel = d[f"channel_{c.pk}"]
                proposed = channels.choose(c).channel
                result.append(Addressee(c, channel="" if channel == proposed else channel,
                                        reason=d.get(f"reason_{c.pk}", ""), public=d.get(f"public_{c.pk}", False)))
        if d.get("other") and d["other"] not in self.proposed:
            result.append(Addressee(d["other"], channel=d.get("other_channel", ""), reason=d.get("other_reason", "")))
        return result


class ChangeChannelForm(AccessibleForm):
    channel = forms.ChoiceField(label=_("New channel"), choices=CHANNELS)
    reason = forms.CharField(label=_("Reason for the change"), max_length=300)


class TrackingForm(AccessibleForm):
    tracking_number = forms.CharField(label=_("Tracking number"), max_length=100)


class ReturnForm(AccessibleForm):
    OUTCOMES = [
        (RETURN_SIGNED, _("received by the addressee (signed)")),
        (RETURN_NOTICES, _("not collected after two notices (KPA art. 44)")),
        (RETURN_UNDELIVERED, _("returned undelivered")),
    ]
    tracking_number = forms.CharField(label=_("Tracking number (type or scan it)"), max_length=100)
    outcome = forms.ChoiceField(label=_("What the return receipt says"), choices=OUTCOMES, widget=forms.RadioSelect)
    signed_on = forms.DateField(label=_("Date of receipt"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}))
    first_notice_on = forms.DateField(label=_("First notice"), required=False,
                                      widget=forms.DateInput(attrs={"type": "date"}))
    second_notice_on = forms.DateField(label=_("Second notice"), required=False,
                                       widget=forms.DateInput(attrs={"type": "date"}))
    scan = forms.FileField(label=_("Scan of the return receipt"), required=False)
    remarks = forms.CharField(label=_("Remarks"), required=False, max_length=300)


class CloseCaseForm(AccessibleForm):
    final_on = forms.DateField(label=_("The decision became final on"),
                               widget=forms.DateInput(attrs={"type": "date"}))
    remarks = forms.CharField(label=_("Closing remarks"), required=False, max_length=500)
