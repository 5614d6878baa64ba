"""Register N deliveries through the REST API (multipart, one small PDF attachment each) and print deliveries
per second and latency percentiles. Runs in-process through the whole Django/DRF stack on a separate database.

    python bench/intake.py [--n 1000] [--threads 1]
"""

import argparse
import datetime as dt
import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.common import Timer, percentile, setup_django

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
) + b"Wniosek o wydanie decyzji o warunkach zabudowy. " * 40  # ~2.3 kB


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    setup_django("obieg_bench_intake")

    from django.conf import settings
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connections
    from django.utils import timezone
    from rest_framework.test import APIClient

    from organisation.models import Membership, OrgUnit, Role, User
    from registry.models import Delivery

    settings.MEDIA_ROOT = str(Path(settings.BASE_DIR) / "var" / "bench-media")
    unit = OrgUnit.objects.create(symbol="RB", name="Wydział Rozwoju")
    clerk = User.objects.create_user("bench_clerk", password="x")
    Membership.objects.create(user=clerk, unit=unit, role=Role.REGISTRY_CLERK)
    received = (timezone.now() - dt.timedelta(hours=1)).isoformat()
    latencies, lock = [], threading.Lock()

    def worker(count, offset):
        client = APIClient()
        client.force_authenticate(clerk)
        local = []
        for i in range(count):
            payload = {
                "channel": "epuap", "form": "electronic", "received_at": received, "addressed_unit": "RB",
                "subject": f"Wniosek nr {offset + i} o wydanie zaświadczenia", "external_id": f"bench-{offset + i}",
                "files": [SimpleUploadedFile("wniosek.pdf", PDF, content_type="application/pdf")],
            }
            with Timer() as t:
                response = client.post("/api/v1/deliveries/", payload, format="multipart")
            assert response.status_code == 201, response.content
            local.append(t.seconds)
        with lock:
            latencies.extend(local)
        connections.close_all()

    per_thread = args.n // args.threads
    threads = [threading.Thread(target=worker, args=(per_thread, k * per_thread)) for k in range(args.threads)]
    with Timer() as total:
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    n = per_thread * args.threads
    numbers = sorted(Delivery.objects.values_list("number", flat=True))
    assert numbers == list(range(1, n + 1)), "numbering has gaps or duplicates"
    print(f"intake: {n} deliveries via POST /api/v1/deliveries/ (multipart, 1 PDF of {len(PDF)} B), "
          f"{args.threads} thread(s)")
    print(f"  throughput: {n / total.seconds:.1f} deliveries/s  (total {total.seconds:.2f} s)")
    print(f"  latency: p50 {percentile(latencies, 50) * 1000:.1f} ms, p95 {percentile(latencies, 95) * 1000:.1f} ms, "
          f"max {max(latencies) * 1000:.1f} ms")
    print(f"  RPW numbers 1..{n}: no gaps, no duplicates")


if __name__ == "__main__":
    main()
