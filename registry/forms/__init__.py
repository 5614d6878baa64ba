"""Forms of the registry pages. They only parse and check input; the services decide and write.

One module per register; every name is re-exported here (`from registry import forms as f`)."""

from registry.forms.cases import (
    CaseForm,
    CaseWorkerForm,
    ClassCorrectionForm,
    DocumentForm,
    PartyForm,
    StatusForm,
    VersionForm,
)
from registry.forms.common import (
    DATE,
    DATETIME,
    DATETIME_FORMATS,
    MultipleFileField,
    MultipleFileInput,
    apply_errors,
    jrwa_from_text,
    unit_choices,
)
from registry.forms.correspondents import CorrespondentForm, MergeForm
from registry.forms.deliveries import AttachDeliveryForm, DeliveryForm, NewCorrespondentMixin
from registry.forms.filters import CaseFilterForm, DeliveryFilterForm, ListFilterForm, OutgoingFilterForm
from registry.forms.outgoing import EvidenceForm, MarkSentForm, OutgoingForm
from registry.forms.registers import RegisterPeriodForm
from registry.forms.spis_spraw import CaseRegisterForm

__all__ = [
    "DATE",
    "DATETIME",
    "DATETIME_FORMATS",
    "AttachDeliveryForm",
    "CaseFilterForm",
    "CaseForm",
    "CaseRegisterForm",
    "CaseWorkerForm",
    "ClassCorrectionForm",
    "CorrespondentForm",
    "DeliveryFilterForm",
    "DeliveryForm",
    "DocumentForm",
    "EvidenceForm",
    "ListFilterForm",
    "MarkSentForm",
    "MergeForm",
    "MultipleFileField",
    "MultipleFileInput",
    "NewCorrespondentMixin",
    "OutgoingFilterForm",
    "OutgoingForm",
    "PartyForm",
    "RegisterPeriodForm",
    "StatusForm",
    "VersionForm",
    "apply_errors",
    "jrwa_from_text",
    "unit_choices",
]
