"""Signature verification figures: the time to verify one XAdES (signxml) and one PAdES (pyHanko) file with a
certificate path to a configured trust anchor, as the Celery task and the signature-stage gate do it. No database.

    python bench/signatures.py [--files 30]
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=30)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "obieg.settings")
    import django

    django.setup()
    from django.conf import settings

    from signatures.tests import pki
    from signatures.verify import verify_bytes

    ca = pki.make_ca()
    signer = pki.make_signer(ca)
    with tempfile.NamedTemporaryFile(suffix=".pem") as anchor:
        anchor.write(ca.cert_pem)
        anchor.flush()
        settings.SIGNATURE_TRUST_ANCHORS = [anchor.name]
        pdf = pki.plain_pdf("Decyzja " + "tekst decyzji " * 2000)
        samples = {"XAdES": pki.sign_xades(signer), "PAdES": pki.sign_pades(signer, pdf)}
        for fmt, data in samples.items():
            times = []
            for _ in range(args.files):
                start = time.perf_counter()
                result = verify_bytes(data)
                times.append((time.perf_counter() - start) * 1000)
                assert result.status == "valid", result.reason
            median = statistics.median(times)
            print(f"{fmt}: {len(data) / 1024:.1f} KiB, {args.files} verifications, median {median:.1f} ms,"
                  f" max {max(times):.1f} ms")


if __name__ == "__main__":
    main()
