"""Checks for Polish identifiers and addresses. Each raises ValidationError with a translated message."""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

PESEL_WEIGHTS = (1, 3, 7, 9, 1, 3, 7, 9, 1, 3)
NIP_WEIGHTS = (6, 5, 7, 2, 3, 4, 5, 6, 7)
REGON9_WEIGHTS = (8, 9, 2, 3, 4, 5, 6, 7)
REGON14_WEIGHTS = (2, 4, 8, 5, 0, 9, 7, 3, 6, 1, 2, 4, 8)
# UDE: AE:PL-12345-12345-ABCDE-12 (cross-border addresses carry another country code).
ADE_RE = re.compile(r"^AE:[A-Z]{2}-\d{5}-\d{5}-[A-Z]{5}-\d{2}$")
EPUAP_RE = re.compile(r"^/[A-Za-z0-9_.\-]+/[A-Za-z0-9_.\-]+$")
POSTAL_CODE_RE = re.compile(r"^\d{2}-\d{3}$")


def _digits(value: str, length: int, message) -> list[int]:
    value = (value or "").strip()
    if len(value) != length or not value.isdigit():
        raise ValidationError(message, code="format")
    return [int(c) for c in value]


def validate_pesel(value: str) -> None:
    digits = _digits(value, 11, _("A PESEL has 11 digits."))
    check = (10 - sum(d * w for d, w in zip(digits, PESEL_WEIGHTS, strict=False)) % 10) % 10
    if check != digits[10]:
        raise ValidationError(_("The PESEL has a wrong check digit."), code="checksum")
    month = digits[2] * 10 + digits[3]
    if month % 20 < 1 or month % 20 > 12:
        raise ValidationError(_("The PESEL contains an invalid month of birth."), code="date")


def normalise_nip(value: str) -> str:
    """Accept the usual spellings (123-456-32-18, PL1234563218) and keep the 10 digits."""
    value = (value or "").strip().upper()
    value = value.removeprefix("PL")
    return re.sub(r"[\s-]", "", value)


def validate_nip(value: str) -> None:
    digits = _digits(normalise_nip(value), 10, _("A NIP has 10 digits."))
    check = sum(d * w for d, w in zip(digits, NIP_WEIGHTS, strict=False)) % 11
    if check == 10 or check != digits[9]:
        raise ValidationError(_("The NIP has a wrong check digit."), code="checksum")


def validate_regon(value: str) -> None:
    value = (value or "").strip()
    if len(value) == 9:
        digits, weights = _digits(value, 9, ""), REGON9_WEIGHTS
    elif len(value) == 14:
        digits, weights = _digits(value, 14, ""), REGON14_WEIGHTS
    else:
        raise ValidationError(_("A REGON has 9 or 14 digits."), code="format")
    if not value.isdigit():
        raise ValidationError(_("A REGON has 9 or 14 digits."), code="format")
    check = sum(d * w for d, w in zip(digits, weights, strict=False)) % 11 % 10
    if check != digits[-1]:
        raise ValidationError(_("The REGON has a wrong check digit."), code="checksum")
    if len(value) == 14:
        validate_regon(value[:9])


def validate_krs(value: str) -> None:
    # KRS numbers carry no check digit: ten digits, zero-padded.
    _digits(value, 10, _("A KRS number has 10 digits."))


def validate_ade(value: str) -> None:
    if not ADE_RE.match((value or "").strip()):
        raise ValidationError(
            _("An address for electronic deliveries looks like AE:PL-12345-12345-ABCDE-12."), code="format"
        )


def validate_epuap_address(value: str) -> None:
    if not EPUAP_RE.match((value or "").strip()):
        raise ValidationError(_("An ePUAP box address looks like /identifier/box."), code="format")


def validate_postal_code(value: str) -> None:
    if not POSTAL_CODE_RE.match((value or "").strip()):
        raise ValidationError(_("A postal code looks like 00-000."), code="format")


def validate_jrwa_category(value: str) -> None:
    if not re.match(r"^(A|Bc|B\d{1,3}|BE\d{1,3})$", value or ""):
        raise ValidationError(
            _("An archival category is A, Bc, B with years (e.g. B10) or BE with years (e.g. BE5)."),
            code="category",
        )


FORBIDDEN_NAME_CHARS = set('/\\:*?"<>|')


def validate_file_name(name: str) -> str:
    """Return the original file name if it is safe to keep as a label; never used as a path."""
    if name is None or not name.strip():
        raise ValidationError(_("The file has no name."), code="file_name")
    name = unicodedata.normalize("NFC", name)
    if any(unicodedata.category(c) in ("Cc", "Cf") for c in name):
        raise ValidationError(_("The file name contains control characters."), code="file_name")
    if ".." in name or any(c in FORBIDDEN_NAME_CHARS for c in name) or name.startswith("."):
        raise ValidationError(
            _("A file name cannot contain a path or the characters / \\ : * ? \" < > | and cannot start with a dot."),
            code="file_name",
        )
    if len(name) > 255:
        raise ValidationError(_("The file name is longer than 255 characters."), code="file_name")
    return name
