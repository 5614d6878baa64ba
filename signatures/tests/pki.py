"""A throw-away PKI for tests: a CA, signer certificates (valid, expired, from an untrusted CA), and XAdES/PAdES
signing with signxml and pyHanko, the same libraries the verifier uses, so the files are real signatures."""

import io
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID


@dataclass
class Identity:
    key: rsa.RSAPrivateKey
    cert: x509.Certificate
    chain: list  # issuers, signer's first

    @property
    def cert_pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)

    @property
    def key_pem(self) -> bytes:
        return self.key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )


def _name(cn, org="Urząd Gminy Testowo"):
    return x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "PL"), x509.NameAttribute(NameOID.ORGANIZATION_NAME, org),
        x509.NameAttribute(NameOID.COMMON_NAME, cn),
    ])


def make_ca(cn="Testowe Centrum Certyfikacji") -> Identity:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder().subject_name(_name(cn, "Testowe CA")).issuer_name(_name(cn, "Testowe CA"))
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=365)).not_valid_after(now + timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return Identity(key, cert, [])


def make_signer(ca: Identity, cn="Jan Kowalski", *, expired=False) -> Identity:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = datetime.now(UTC)
    start, end = (now - timedelta(days=400), now - timedelta(days=30)) if expired else (
        now - timedelta(days=30), now + timedelta(days=365))
    cert = (
        x509.CertificateBuilder().subject_name(_name(cn)).issuer_name(ca.cert.subject)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(start).not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.key.public_key()), critical=False)
        .sign(ca.key, hashes.SHA256())
    )
    return Identity(key, cert, [ca.cert])


XML = (
    '<?xml version="1.0" encoding="UTF-8"?><Pismo xmlns="urn:test:pismo"><Znak>OR.6220.1.2026</Znak>'
    "<Tresc>Decyzja o środowiskowych uwarunkowaniach.</Tresc></Pismo>"
).encode()


def sign_xades(signer: Identity, data: bytes = XML) -> bytes:
    from lxml import etree
    from signxml import methods
    from signxml.xades import XAdESSigner

    doc = etree.fromstring(data)
    chain = [signer.cert_pem] + [c.public_bytes(serialization.Encoding.PEM) for c in signer.chain]
    signed = XAdESSigner(
        method=methods.enveloped, signature_algorithm="rsa-sha256", digest_algorithm="sha256"
    ).sign(doc, key=signer.key_pem, cert=b"".join(chain))
    return etree.tostring(signed, xml_declaration=True, encoding="UTF-8")


def plain_pdf(text="Decyzja nr OR.6220.1.2026") -> bytes:
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pageCompression=0)
    c.drawString(72, 720, text)
    c.showPage()
    c.save()
    return buf.getvalue()


def sign_pades(signer: Identity, data: bytes | None = None) -> bytes:
    from asn1crypto import keys as asn1_keys
    from asn1crypto import x509 as asn1_x509
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    der = lambda c: c.public_bytes(serialization.Encoding.DER)  # noqa: E731
    simple = signers.SimpleSigner(
        signing_cert=asn1_x509.Certificate.load(der(signer.cert)),
        signing_key=asn1_keys.PrivateKeyInfo.load(signer.key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())),
        cert_registry=SimpleCertificateStore.from_certs([asn1_x509.Certificate.load(der(c)) for c in signer.chain]),
    )
    from signatures.verify import run_coroutine

    pdf_signer = signers.PdfSigner(signers.PdfSignatureMetadata(field_name="Podpis"), signer=simple)
    out = run_coroutine(pdf_signer.async_sign_pdf(IncrementalPdfFileWriter(io.BytesIO(data or plain_pdf()))))
    return out.getvalue()


def tamper_pdf(signed: bytes) -> bytes:
    """Change one byte of the signed page content (inside the signed byte range)."""
    at = signed.index(b"OR.6220.1.2026")
    return signed[:at] + b"OR.6220.9.2026" + signed[at + len(b"OR.6220.1.2026"):]
