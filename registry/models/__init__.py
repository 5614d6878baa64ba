from .cases import Case, CaseCounter, CaseParty, CaseStatus, RegisterCounter
from .channels import ChannelImport
from .correspondents import Correspondent
from .deliveries import Channel, Delivery, Form, OutgoingChannel, OutgoingItem
from .documents import Document, DocumentKind, DocumentVersion, TextStatus
from .history import Action, HistoryEntry
from .jrwa import JrwaClass, JrwaVersion

__all__ = [
    "Action", "Case", "CaseCounter", "CaseParty", "CaseStatus", "Channel", "ChannelImport", "Correspondent", "Delivery",
    "Document", "DocumentKind", "DocumentVersion", "Form", "HistoryEntry", "JrwaClass", "JrwaVersion",
    "OutgoingChannel", "OutgoingItem", "RegisterCounter", "TextStatus",
]
