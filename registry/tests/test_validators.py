import pytest
from django.core.exceptions import ValidationError

from registry import validators as v


@pytest.mark.parametrize("value", ["44051401359", "02070803628", "90090515836"])
def test_valid_pesel(value):
    v.validate_pesel(value)


@pytest.mark.parametrize("value", ["44051401358", "4405140135", "4405140135X", "44135401357", ""])
def test_invalid_pesel(value):
    with pytest.raises(ValidationError):
        v.validate_pesel(value)


@pytest.mark.parametrize("value", ["1234563218", "526-104-08-28", "PL5261040828"])
def test_valid_nip(value):
    v.validate_nip(value)


@pytest.mark.parametrize("value", ["1234563219", "123456321", "abcdefghij"])
def test_invalid_nip(value):
    with pytest.raises(ValidationError):
        v.validate_nip(value)


@pytest.mark.parametrize("value", ["123456785", "12345678512347"])
def test_valid_regon(value):
    v.validate_regon(value)


@pytest.mark.parametrize("value", ["123456786", "12345678512348", "1234567", "12345678A"])
def test_invalid_regon(value):
    with pytest.raises(ValidationError):
        v.validate_regon(value)


def test_krs():
    v.validate_krs("0000123456")
    with pytest.raises(ValidationError):
        v.validate_krs("123456")


@pytest.mark.parametrize("value", [
    "AE:PL-28080-40239-TUSBF-26", "AE:PL-43563-82585-JHWCF-30", "AE:DE-12345-12345-ABCDE-12"
])
def test_valid_ade(value):
    v.validate_ade(value)


@pytest.mark.parametrize("value", [
    "AE:PL-2808-40239-TUSBF-26", "PL-28080-40239-TUSBF-26", "AE:PL-28080-40239-tusbf-26"
])
def test_invalid_ade(value):
    with pytest.raises(ValidationError):
        v.validate_ade(value)


@pytest.mark.parametrize("name", [
    "../etc/passwd", "a/b.pdf", "..\\x.pdf", "zły\x00.pdf", "x\u202e.pdf", ".htaccess", "", " "
])
def test_hostile_file_names(name):
    with pytest.raises(ValidationError):
        v.validate_file_name(name)


def test_polish_file_name_kept():
    assert v.validate_file_name("Wniosek o zaświadczenie (skan).pdf") == "Wniosek o zaświadczenie (skan).pdf"


@pytest.mark.parametrize("value", ["A", "Bc", "B5", "B10", "BE5", "BE50"])
def test_categories(value):
    v.validate_jrwa_category(value)


@pytest.mark.parametrize("value", ["C", "B", "BE", "a", "B10x"])
def test_bad_categories(value):
    with pytest.raises(ValidationError):
        v.validate_jrwa_category(value)
