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
    digits = _digits(value, 11, _("PESEL musi mieć 11 cyfr."))
    check = (10 - sum(d * w for d, w in zip(digits, PESEL_WEIGHTS, strict=False)) % 10) % 10
    if check != digits[10]:
        raise ValidationError(_("PESEL ma błędną cyfrę kontrolną."), code="checksum")
    month = digits[2] * 10 + digits[3]
    if month % 20 < 1 or month % 20 > 12:
        raise ValidationError(_("PESEL zawiera niepoprawny miesiąc urodzenia."), code="date")


def normalise_nip(value: str) -> str:
    """Accept the usual spellings (123-456-32-18, PL1234563218) and keep the 10 digits."""
    value = (value or "").strip().upper()
    value = value.removeprefix("PL")
    return re.sub(r"[\s-]", "", value)


def validate_nip(value: str) -> None:
    digits = _digits(normalise_nip(value), 10, _("NIP musi mieć 10 cyfr."))
    check = sum(d * w for d, w in zip(digits, NIP_WEIGHTS, strict=False)) % 11
    if check == 10 or check != digits[9]:
        raise ValidationError(_("NIP ma błędną cyfrę kontrolną."), code="checksum")


def validate_regon(value: str) -> None:
    value = (value or "").strip()
    if len(value) == 9:
        digits, weights = _digits(value, 9, ""), REGON9_WEIGHTS
    elif len(value) == 14:
        digits, weights = _digits(value, 14, ""), REGON14_WEIGHTS
    else:
        raise ValidationError(_("REGON musi mieć 9 albo 14 cyfr."), code="format")
    if not value.isdigit():
        raise ValidationError(_("REGON musi mieć 9 albo 14 cyfr."), code="format")
    check = sum(d * w for d, w in zip(digits, weights, strict=False)) % 11 % 10
    if check != digits[-1]:
        raise ValidationError(_("REGON ma błędną cyfrę kontrolną."), code="checksum")
    if len(value) == 14:
        validate_regon(value[:9])


def validate_krs(value: str) -> None:
    # KRS numbers carry no check digit: ten digits, zero-padded.
    _digits(value, 10, _("Numer KRS musi mieć 10 cyfr."))


def validate_ade(value: str) -> None:
    if not ADE_RE.match((value or "").strip()):
        raise ValidationError(
            _("Adres do doręczeń elektronicznych ma postać AE:PL-12345-12345-ABCDE-12."), code="format"
        )


def validate_epuap_address(value: str) -> None:
    if not EPUAP_RE.match((value or "").strip()):
        raise ValidationError(_("Adres skrytki ePUAP ma postać /identyfikator/skrytka."), code="format")


def validate_postal_code(value: str) -> None:
    if not POSTAL_CODE_RE.match((value or "").strip()):
        raise ValidationError(_("Kod pocztowy ma postać 00-000."), code="format")


def validate_jrwa_category(value: str) -> None:
    if not re.match(r"^(A|Bc|B\d{1,3}|BE\d{1,3})$", value or ""):
        raise ValidationError(
            _("Kategoria archiwalna to A, Bc, B z liczbą lat (np. B10) albo BE z liczbą lat (np. BE5)."),
            code="category",
        )


FORBIDDEN_NAME_CHARS = set('/\\:*?"<>|')


def validate_file_name(name: str) -> str:
    """Return the original file name if it is safe to keep as a label; never used as a path."""
    if name is None or not name.strip():
        raise ValidationError(_("Plik nie ma nazwy."), code="file_name")
    name = unicodedata.normalize("NFC", name)
    if any(unicodedata.category(c) in ("Cc", "Cf") for c in name):
        raise ValidationError(_("Nazwa pliku zawiera znaki sterujące."), code="file_name")
    if ".." in name or any(c in FORBIDDEN_NAME_CHARS for c in name) or name.startswith("."):
        raise ValidationError(
            _("Nazwa pliku nie może zawierać ścieżki ani znaków / \\ : * ? \" < > | i nie może zaczynać się kropką."),
            code="file_name",
        )
    if len(name) > 255:
        raise ValidationError(_("Nazwa pliku jest dłuższa niż 255 znaków."), code="file_name")
    return name
