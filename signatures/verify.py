"""Verification of electronic signatures on a file: XAdES (XML, signxml) and PAdES (PDF, pyHanko).

Why these libraries: signxml is the maintained XML-DSig/XAdES implementation for Python (it checks the references,
SignedProperties and the SigningCertificate digest); pyHanko is the reference PAdES validator for Python (byte-range
integrity, CMS signature, modification analysis). Certificate paths are checked by pyhanko-certvalidator for both
formats, against the trust anchors configured in settings.SIGNATURE_TRUST_ANCHORS (PEM files). There is no Polish
national trust list (TSL) here and no OCSP/CRL fetching, so revocation is *not* checked and a qualified signature
is "untrusted" until its CA certificate is configured as an anchor.

`verify_bytes(data)` never raises for bad input: every outcome is a `Result` with a status and a Polish reason."""

import asyncio
import base64
import contextlib
import io
import logging
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime

from asn1crypto import pem as asn1_pem
from asn1crypto import x509 as asn1_x509
from django.conf import settings
from django.utils.translation import gettext as _

from signatures.models import Status

logger = logging.getLogger(__name__)

XADES_NS = "http://uri.etsi.org/01903/v1.3.2#"
DS_NS = "http://www.w3.org/2000/09/xmldsig#"
# Worst first: the status of a file with several signatures is the worst of them.
SEVERITY = [Status.INVALID, Status.EXPIRED, Status.UNTRUSTED, Status.ERROR, Status.UNSIGNED, Status.VALID]


@dataclass
class Result:
    status: str
    format: str = ""
    signer: str = ""
    issuer: str = ""
    signed_at: datetime | None = None
    reason: str = ""
    signatures: list = field(default_factory=list)  # one dict per signature when the file has several

    def as_dict(self):
        data = asdict(self)
        data["signed_at"] = self.signed_at.isoformat() if self.signed_at else None
        data.pop("signatures")
        return data


# --------------------------------------------------------------------------------------------------------------------
# Trust anchors and certificate paths
# --------------------------------------------------------------------------------------------------------------------
def trust_anchors() -> list:
    anchors = []
    for path in getattr(settings, "SIGNATURE_TRUST_ANCHORS", []):
        try:
            with open(path, "rb") as fh:
                data = fh.read()
        except OSError:
            logger.warning("signature trust anchor %s cannot be read", path)
            continue
        for _type, _headers, der in asn1_pem.unarmor(data, multiple=True) if asn1_pem.detect(data) else [
            (None, None, data)
        ]:
            anchors.append(asn1_x509.Certificate.load(der))
    return anchors


def _name(name: asn1_x509.Name) -> str:
    native = name.native
    return native.get("common_name") or name.human_friendly


def run_coroutine(coro):
    """Run a coroutine of pyHanko from sync code, also where this thread already runs an event loop (Playwright
    in browser tests, an ASGI server): then in a thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()


def _context(others, moment):
    from pyhanko_certvalidator import ValidationContext

    # No network: no OCSP/CRL fetching (revocation is not checked, see the module note).
    return ValidationContext(
        trust_roots=trust_anchors(), other_certs=list(others), allow_fetching=False, revocation_mode="soft-fail",
        moment=moment,
    )


def _certificate_problem(cert: asn1_x509.Certificate, others, *, moment) -> tuple[str, str] | None:
    """(status, reason) when the signer's certificate cannot be relied on at `moment`; None when it can."""
    validity = cert["tbs_certificate"]["validity"]
    not_before, not_after = validity["not_before"].native, validity["not_after"].native
    if moment > not_after or moment < not_before:
        return Status.EXPIRED, _("The signer's certificate is not valid now (valid from %(start)s to %(end)s).") % {
            "start": f"{not_before:%Y-%m-%d}", "end": f"{not_after:%Y-%m-%d}"
        }
    from pyhanko_certvalidator import CertificateValidator
    from pyhanko_certvalidator.errors import PathBuildingError, PathValidationError

    try:
        validator = CertificateValidator(cert, validation_context=_context(others, moment))
        run_coroutine(validator.async_validate_usage(set()))
    except (PathBuildingError, PathValidationError) as exc:
        logger.info("certificate path of %s not validated: %s", _name(cert.subject), exc)
        return Status.UNTRUSTED, _(
            "The certificate issuer “%(issuer)s” is not among the trust anchors configured in this office "
            "(no national trust list is loaded; revocation is not checked)."
        ) % {"issuer": _name(cert.issuer)}
    return None


# --------------------------------------------------------------------------------------------------------------------
# XAdES
# --------------------------------------------------------------------------------------------------------------------
def _verify_xades(data: bytes) -> Result:
    from lxml import etree
    from signxml import InvalidInput, InvalidSignature
    from signxml.xades import XAdESVerifier

    try:
        root = etree.fromstring(data, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError:
        return Result(Status.ERROR, "XAdES", reason=_("The XML file cannot be read."))
    signatures = root.findall(f".//{{{DS_NS}}}Signature")
    if root.tag == f"{{{DS_NS}}}Signature":
        signatures = [root]
    if not signatures:
        return Result(Status.UNSIGNED, "XML", reason=_("The file has no electronic signature."))
    certs_b64 = [c.text for c in signatures[0].iter(f"{{{DS_NS}}}X509Certificate") if c.text]
    if not certs_b64:
        return Result(Status.INVALID, "XAdES", reason=_("The signature carries no signer's certificate."))
    certs = [asn1_x509.Certificate.load(base64.b64decode("".join(b.split()))) for b in certs_b64]
    signer_cert = certs[0]
    result = Result(Status.VALID, "XAdES", signer=_name(signer_cert.subject), issuer=_name(signer_cert.issuer))
    signing_time = root.find(f".//{{{XADES_NS}}}SigningTime")
    if signing_time is not None and signing_time.text:
        with contextlib.suppress(ValueError):  # an unreadable declared time is just not shown
            result.signed_at = datetime.fromisoformat(signing_time.text.strip().replace("Z", "+00:00"))
    try:
        # Integrity against the certificate in the signature itself; trust in that certificate is checked below.
        from cryptography.x509 import load_der_x509_certificate
        from signxml.xades import XAdESSignatureConfiguration

        cert = load_der_x509_certificate(signer_cert.dump())
        # Integrity only: signxml would refuse an expired certificate outright; validity is judged below, with a
        # reason of its own, so it is told to check the signature at a moment the certificate was valid. Any number
        # of references (other tools sign more objects than signxml's three).
        config = XAdESSignatureConfiguration(verification_time=cert.not_valid_before_utc, expect_references=True)
        XAdESVerifier().verify(data, x509_cert=cert, expect_config=config)
    except InvalidInput as exc:  # e.g. a detached signature whose content is elsewhere: not "broken"
        logger.info("XAdES not verifiable here: %s", exc)
        result.status, result.reason = Status.ERROR, _("The signature could not be verified: %(error)s") % {
            "error": str(exc)[:200]
        }
        return result
    except InvalidSignature as exc:
        logger.info("XAdES integrity check failed: %s", exc)
        result.status, result.reason = Status.INVALID, _(
            "The signature does not match the content: the document or its signed properties were changed after "
            "signing."
        )
        return result
    except Exception as exc:  # signxml raises assorted errors on unusual input; the clerk sees one reason
        logger.warning("XAdES verification error: %s", exc)
        result.status, result.reason = Status.ERROR, _("The signature could not be verified: %(error)s") % {
            "error": str(exc)[:200]
        }
        return result
    problem = _certificate_problem(signer_cert, certs[1:], moment=datetime.now(UTC))
    if problem:
        result.status, result.reason = problem
    return result


# --------------------------------------------------------------------------------------------------------------------
# PAdES
# --------------------------------------------------------------------------------------------------------------------
def _verify_pades(data: bytes) -> Result:
    from pyhanko.pdf_utils.misc import PdfReadError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import async_validate_pdf_signature

    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        embedded = list(reader.embedded_signatures)
    except (PdfReadError, ValueError, KeyError) as exc:
        logger.info("PDF not readable for signatures: %s", exc)
        if b"/ByteRange" not in data:  # every PDF signature dictionary has one: nothing was signed here
            return Result(Status.UNSIGNED, "PDF", reason=_("The file has no electronic signature."))
        return Result(Status.ERROR, "PDF", reason=_("The PDF file cannot be read."))
    if not embedded:
        return Result(Status.UNSIGNED, "PDF", reason=_("The file has no electronic signature."))
    results = []
    for sig in embedded:
        cert = sig.signer_cert
        result = Result(Status.VALID, "PAdES", signer=_name(cert.subject), issuer=_name(cert.issuer))
        result.signed_at = sig.self_reported_timestamp
        try:
            context = _context(sig.other_embedded_certs, datetime.now(UTC))
            status = run_coroutine(async_validate_pdf_signature(sig, context))
        except Exception as exc:  # a malformed CMS structure
            logger.info("PAdES validation error: %s", exc)
            result.status, result.reason = Status.INVALID, _("The signature structure is damaged.")
            results.append(result)
            continue
        if not (status.intact and status.valid):
            result.status, result.reason = Status.INVALID, _(
                "The signature does not match the content: the document was changed after signing."
            )
        elif status.coverage is not None and status.coverage.name not in ("ENTIRE_FILE", "ENTIRE_REVISION"):
            result.status, result.reason = Status.INVALID, _("The signature does not cover the whole document.")
        else:
            others = list(sig.other_embedded_certs)
            problem = _certificate_problem(cert, others, moment=datetime.now(UTC))
            if problem:
                result.status, result.reason = problem
        results.append(result)
    worst = min(results, key=lambda r: SEVERITY.index(r.status))
    if len(results) > 1:
        worst.signatures = [r.as_dict() for r in results]
    return worst


def looks_signable(head: bytes) -> bool:
    """From the first kilobyte: a PDF or an XML file, the only formats verified (the rest need not be read)."""
    stripped = head.lstrip()
    return head.find(b"%PDF-") != -1 or stripped.startswith(b"<") or stripped.startswith(b"\xef\xbb\xbf<")


def verify_bytes(data: bytes) -> Result:
    head = data[:1024].lstrip()
    if data[:1024].find(b"%PDF-") != -1:
        return _verify_pades(data)
    if head.startswith(b"<") or head.startswith(b"\xef\xbb\xbf<"):
        return _verify_xades(data)
    return Result(Status.UNSIGNED, reason=_(
        "The file is neither a signed PDF (PAdES) nor a signed XML document (XAdES); other formats (e.g. CAdES "
        ".p7s) are not verified."
    ))
