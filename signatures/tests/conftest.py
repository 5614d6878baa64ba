import pytest

from registry.tests.conftest import _media_root, office  # noqa: F401
from signatures.tests import pki
from workflow.tests.conftest import _mail, people  # noqa: F401  (shared fixtures)


@pytest.fixture(scope="session")
def test_pki():
    """A trusted CA with a valid and an expired signer, and a signer from a CA nobody configured."""
    ca, stranger_ca = pki.make_ca(), pki.make_ca("Nieznane Centrum Certyfikacji")
    return {
        "ca": ca, "signer": pki.make_signer(ca), "expired": pki.make_signer(ca, "Anna Nowak", expired=True),
        "stranger": pki.make_signer(stranger_ca, "Piotr Obcy"),
    }


@pytest.fixture
def trusted(settings, tmp_path, test_pki):
    """Configures the test CA as the office's only trust anchor."""
    anchor = tmp_path / "anchors.pem"
    anchor.write_bytes(test_pki["ca"].cert_pem)
    settings.SIGNATURE_TRUST_ANCHORS = [str(anchor)]
    return anchor
