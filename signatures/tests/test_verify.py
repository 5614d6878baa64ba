"""The verifier on real XAdES (signxml) and PAdES (pyHanko) files made with a test PKI."""

import pytest

from signatures.models import Status
from signatures.tests import pki
from signatures.verify import verify_bytes

FORMATS = {"XAdES": pki.sign_xades, "PAdES": pki.sign_pades}


def tamper(fmt, signed):
    if fmt == "XAdES":
        return signed.replace(b"uwarunkowaniach", b"warunkach")
    return pki.tamper_pdf(signed)


@pytest.mark.parametrize("fmt", FORMATS)
def test_valid_signature_gives_signer_time_and_issuer(fmt, test_pki, trusted):
    result = verify_bytes(FORMATS[fmt](test_pki["signer"]))
    assert result.status == Status.VALID, result.reason
    assert (result.format, result.signer, result.issuer) == (fmt, "Jan Kowalski", "Testowe Centrum Certyfikacji")
    assert result.signed_at is not None and result.reason == ""


@pytest.mark.parametrize("fmt", FORMATS)
def test_tampered_content_is_a_broken_signature(fmt, test_pki, trusted):
    result = verify_bytes(tamper(fmt, FORMATS[fmt](test_pki["signer"])))
    assert result.status == Status.INVALID
    assert "po podpisaniu" in result.reason  # Polish reason: changed after signing
    assert result.signer == "Jan Kowalski"


@pytest.mark.parametrize("fmt", FORMATS)
def test_issuer_outside_the_trust_anchors_is_untrusted(fmt, test_pki, trusted):
    result = verify_bytes(FORMATS[fmt](test_pki["stranger"]))
    assert result.status == Status.UNTRUSTED
    assert "Nieznane Centrum Certyfikacji" in result.reason and result.signer == "Piotr Obcy"


@pytest.mark.parametrize("fmt", FORMATS)
def test_without_any_anchor_even_our_ca_is_untrusted(fmt, test_pki, settings):
    settings.SIGNATURE_TRUST_ANCHORS = []
    assert verify_bytes(FORMATS[fmt](test_pki["signer"])).status == Status.UNTRUSTED


@pytest.mark.parametrize("fmt", FORMATS)
def test_expired_certificate(fmt, test_pki, trusted):
    result = verify_bytes(FORMATS[fmt](test_pki["expired"]))
    assert result.status == Status.EXPIRED
    assert "nie jest obecnie ważny" in result.reason


@pytest.mark.parametrize("data", [pki.XML, pki.plain_pdf(), b"zwykly tekst"], ids=["xml", "pdf", "text"])
def test_unsigned_files(data, trusted):
    result = verify_bytes(data)
    assert result.status == Status.UNSIGNED and result.reason


@pytest.mark.parametrize("data", [b"%PDF-1.7\n/ByteRange [0 1 2 3] not really", b"<unclosed"], ids=["pdf", "xml"])
def test_damaged_files_give_a_reason_not_an_exception(data, trusted):
    result = verify_bytes(data)
    assert result.status == Status.ERROR and result.reason


@pytest.mark.parametrize("fmt", FORMATS)
def test_verification_inside_a_running_event_loop(fmt, test_pki, trusted):
    """Browser tests (Playwright) and ASGI servers run a loop in the calling thread; pyHanko's coroutines still run."""
    import asyncio

    signed = FORMATS[fmt](test_pki["signer"])

    async def inside():
        return verify_bytes(signed)

    try:
        asyncio.get_running_loop()
        result = verify_bytes(signed)  # the session's browser already runs a loop in this thread
    except RuntimeError:
        result = asyncio.run(inside())
    assert result.status == Status.VALID
