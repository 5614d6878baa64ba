"""Search benchmark: a synthetic Polish corpus of municipal letters, indexing throughput, query latency.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/obieg_bench python bench/search.py --docs 100000

Creates (in the database named by DATABASE_URL, which it migrates; never use a production database)
`--docs` documents with ~200-word letters: half as many deliveries (a letter and an attachment each) and a case
for every tenth delivery. Indexing goes through the same code as `search_rebuild`. Then a fixed mix of queries
runs as a secretary (sees everything not confidential) and as a case worker (one unit), and prints p50/p95 per
query class. Use --reuse to skip generation and indexing on a second run, --index-only to time indexing again.
"""

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "obieg.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

FIRST = ["Jan", "Anna", "Piotr", "Maria", "Krzysztof", "Katarzyna", "Andrzej", "Małgorzata", "Tomasz", "Agnieszka",
         "Paweł", "Barbara", "Michał", "Ewa", "Marcin", "Elżbieta", "Grzegorz", "Zofia", "Łukasz", "Joanna"]
LAST = ["Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Kowalczyk", "Kamiński", "Lewandowski", "Zieliński",
        "Szymański", "Woźniak", "Dąbrowski", "Kozłowski", "Jankowski", "Mazur", "Kwiatkowski", "Krawczyk",
        "Piotrowski", "Grabowski", "Nowakowski", "Pawłowski", "Michalski", "Adamczyk", "Dudek", "Zając"]
STREETS = ["Źródlana", "Lipowa", "Polna", "Leśna", "Słoneczna", "Krótka", "Szkolna", "Ogrodowa", "Łąkowa",
           "Kościelna", "Brzozowa", "Kwiatowa", "Mickiewicza", "Sienkiewicza", "Żeromskiego", "Wąska"]
TOWNS = ["Zielona Dolina", "Brzozowo", "Dębowa Góra", "Stary Młyn", "Wólka", "Łęg", "Pszczyna Mała", "Żabno"]
TOPICS = [
    ("Wniosek o wydanie decyzji o warunkach zabudowy",
     "Wnoszę o wydanie decyzji o warunkach zabudowy dla inwestycji polegającej na budowie budynku mieszkalnego "
     "jednorodzinnego na działce nr {plot} położonej w miejscowości {town}. Do wniosku załączam mapę zasadniczą "
     "oraz kopię mapy ewidencyjnej. Inwestycja nie wymaga zjazdu z drogi gminnej."),
    ("Wniosek o udostępnienie informacji publicznej",
     "Na podstawie art. 2 ustawy o dostępie do informacji publicznej wnoszę o udostępnienie informacji o kosztach "
     "remontu drogi gminnej przy ulicy {street} oraz o wykonawcy robót. Informację proszę przesłać pocztą "
     "elektroniczną."),
    ("Skarga na działanie pracownika urzędu",
     "Składam skargę na przewlekłe prowadzenie postępowania w sprawie mojego wniosku z dnia {date}. Mimo upływu "
     "terminu nie otrzymałem decyzji ani zawiadomienia o przyczynach zwłoki. Proszę o wyjaśnienie sprawy."),
    ("Deklaracja o wysokości opłaty za gospodarowanie odpadami komunalnymi",
     "Przesyłam deklarację o wysokości opłaty za gospodarowanie odpadami komunalnymi dla nieruchomości przy "
     "ulicy {street} w miejscowości {town}. W nieruchomości zamieszkuje {n} osób. Odpady są zbierane selektywnie."),
    ("Wniosek o wydanie zaświadczenia o niezaleganiu w podatkach",
     "Proszę o wydanie zaświadczenia o niezaleganiu w podatkach lokalnych, potrzebnego do złożenia oferty w "
     "przetargu. Opłatę skarbową uiściłem przelewem na rachunek urzędu gminy."),
    ("Faktura za dostawę materiałów biurowych",
     "W załączeniu przesyłamy fakturę VAT nr FV/{plot}/{year} za dostawę materiałów biurowych do urzędu gminy. "
     "Termin płatności wynosi 14 dni od daty doręczenia faktury. Prosimy o terminową zapłatę."),
    ("Zawiadomienie o wszczęciu postępowania administracyjnego",
     "Zawiadamiam, że na wniosek strony zostało wszczęte postępowanie administracyjne w sprawie wydania "
     "pozwolenia na wycinkę drzew rosnących na nieruchomości przy ulicy {street}. Strony mogą zapoznać się z aktami."),
    ("Wniosek o przydział lokalu mieszkalnego",
     "Zwracam się z prośbą o przydział lokalu mieszkalnego z zasobu gminy. Obecnie zamieszkuję wraz z rodziną w "
     "lokalu o powierzchni {n}0 metrów kwadratowych przy ulicy {street}, który wymaga kapitalnego remontu."),
]
FILLER = ["Uprzejmie proszę o pozytywne rozpatrzenie mojej prośby", "Jednocześnie informuję, że wszelką korespondencję proszę kierować na adres do doręczeń elektronicznych", "W razie pytań pozostaję do dyspozycji pod numerem telefonu podanym w nagłówku pisma", "Sprawa jest dla mnie bardzo pilna, ponieważ od jej załatwienia zależy termin rozpoczęcia robót budowlanych oraz uzyskanie kredytu w banku", "Wyrażam zgodę na przetwarzanie danych osobowych w zakresie niezbędnym do załatwienia sprawy", "Oświadczam, że dane zawarte we wniosku są zgodne z prawdą", "Do wiadomości: sołtys sołectwa, rada gminy, wydział gospodarki komunalnej i ochrony środowiska."]  # noqa: E501


def letter(rng, topic_text, sender):
    parts = [f"{sender}, ul. {rng.choice(STREETS)} {rng.randint(1, 99)}, {rng.choice(TOWNS)}.", "Urząd Gminy."]
    parts.append(topic_text.format(
        plot=f"{rng.randint(1, 999)}/{rng.randint(1, 20)}", town=rng.choice(TOWNS), street=rng.choice(STREETS),
        date=f"{rng.randint(1, 28)}.{rng.randint(1, 12):02d}.2024", n=rng.randint(1, 9), year=2025,
    ))
    parts += rng.sample(FILLER, 6)
    parts.append(f"Z poważaniem, {sender}")
    return " ".join(parts)


def generate(n_docs: int, seed: int = 7):
    from organisation.models import Membership, OrgUnit, Role, User
    from registry.models import Case, Correspondent, Delivery, Document, DocumentVersion, JrwaClass, JrwaVersion

    rng = random.Random(seed)
    units = [OrgUnit.objects.get_or_create(symbol=s, defaults={"name": f"Wydział {s}"})[0]
             for s in ("OR", "RB", "GK", "FN", "SO")]
    users = []
    for i in range(20):
        u, _ = User.objects.get_or_create(username=f"bench{i}", defaults={"first_name": rng.choice(FIRST),
                                                                            "last_name": rng.choice(LAST)})
        Membership.objects.get_or_create(user=u, unit=units[i % 5], role=Role.CASE_WORKER)
        users.append(u)
    sec, _ = User.objects.get_or_create(username="bench_secretary")
    Membership.objects.get_or_create(user=sec, unit=units[0], role=Role.SECRETARY)
    version, _ = JrwaVersion.objects.get_or_create(valid_from=dt.date(2011, 1, 1), defaults={"name": "JRWA"})
    classes = [JrwaClass.objects.get_or_create(version=version, symbol=s, defaults={
        "title": t, "is_leaf": True, "category_own": c})[0] for s, t, c in [
        ("6730", "Warunki zabudowy", "B10"), ("1431", "Udostępnianie informacji publicznej", "A"),
        ("1510", "Skargi", "A"), ("3121", "Opłaty za odpady", "B10"), ("3113", "Zaświadczenia podatkowe", "B5"),
        ("3020", "Faktury", "B5"), ("6131", "Wycinka drzew", "B5"), ("7120", "Lokale mieszkalne", "B25")]]
    corr = Correspondent.objects.bulk_create([
        Correspondent(first_name=rng.choice(FIRST), last_name=rng.choice(LAST), city=rng.choice(TOWNS),
                      search_text="") for _ in range(3000)
    ])
    n_deliveries = n_docs // 2
    start = timezone.make_aware(dt.datetime(2021, 1, 1, 9))
    span = (timezone.now() - start).total_seconds()
    t0 = time.perf_counter()
    chunk = 5000
    number = {}
    case_no = {}
    for base in range(0, n_deliveries, chunk):
        with transaction.atomic():
            deliveries, topics = [], []
            for _ in range(min(chunk, n_deliveries - base)):
                when = start + dt.timedelta(seconds=rng.random() * span)
                number[when.year] = number.get(when.year, 0) + 1
                ti = rng.randrange(len(TOPICS))
                topics.append(ti)
                deliveries.append(Delivery(
                    year=when.year, number=number[when.year], channel=rng.choice(["post", "epuap", "edoreczenia",
                                                                                  "email", "in_person"]),
                    form="electronic", received_at=when, sender=rng.choice(corr), subject=TOPICS[ti][0],
                    addressed_unit=units[ti % 5], assigned_unit=units[ti % 5], registered_by=users[0],
                    status="assigned", sender_reference=f"ZN/{rng.randint(1, 999)}/{when.year}",
                ))
            Delivery.objects.bulk_create(deliveries)
            cases = []
            for d, ti in zip(deliveries[::10], topics[::10], strict=False):
                unit, jc = units[ti % 5], classes[ti % len(classes)]
                key = (unit.pk, jc.pk, d.year)
                case_no[key] = case_no.get(key, 0) + 1
                cases.append(Case(
                    unit=unit, jrwa_class=jc, year=d.year, number=case_no[key],
                    sign=f"{unit.symbol}.{jc.symbol}.{case_no[key]}.{d.year}", title=d.subject,
                    started_on=d.received_at.date(), case_worker=rng.choice([u for u in users if True]),
                    created_by=users[0], initiating_delivery=d, confidential=rng.random() < 0.03,
                ))
            Case.objects.bulk_create(cases)
            for d, c in zip(deliveries[::10], cases, strict=False):
                d.case = c
                d.status = "in_case"
            Delivery.objects.bulk_update(deliveries[::10], ["case", "status"])
            docs, texts = [], []
            for d, ti in zip(deliveries, topics, strict=False):
                sender = f"{d.sender.first_name} {d.sender.last_name}"
                for title in ("Pismo przewodnie", "Załącznik"):
                    docs.append(Document(title=f"{title} – {d.subject[:60]}", kind="incoming", delivery=d,
                                         case=d.case, created_by=users[0]))
                    texts.append(letter(rng, TOPICS[ti][1], sender))
            Document.objects.bulk_create(docs)
            # auto_now_add stamped them today; a letter's document dates from its receipt (the year filter uses it)
            with connection.cursor() as cur:
                cur.execute(
                    "UPDATE registry_document d SET created_at = v.received_at FROM registry_delivery v "
                    "WHERE v.id = d.delivery_id AND d.id = ANY(%s)", [[doc.pk for doc in docs]]
                )
            DocumentVersion.objects.bulk_create([
                DocumentVersion(document=doc, number=1, file="bench/none", original_name="pismo.pdf", size=1000,
                                sha256="0" * 64, mime_type="application/pdf", created_by=users[0],
                                created_at=doc.delivery.received_at, text=text, text_status="done")
                for doc, text in zip(docs, texts, strict=False)
            ])
        print(f"\r  generated {base + len(deliveries):,} deliveries", end="", flush=True)
    with connection.cursor() as cur:  # as autovacuum would: without statistics the prefetch queries scan tables
        for table in ("registry_delivery", "registry_case", "registry_document", "registry_documentversion"):
            cur.execute(f"ANALYZE {table}")
    print(f"\n  generation {time.perf_counter() - t0:.0f} s")


def index_all(workers: int):
    """Through the same code as `search_rebuild` (bulk load into the empty table, indexes built at the end)."""
    from search.index import rebuild

    with connection.cursor() as cur:
        cur.execute("TRUNCATE search_outbox, search_entry")
    total = sum(rebuild.counts().values())
    done = {"n": 0, "loaded": 0.0}
    t0 = time.perf_counter()

    tty = sys.stdout.isatty()
    step = max(total // 20, 1)

    def progress(n):
        before = done["n"]
        done["n"] += n
        done["loaded"] = time.perf_counter() - t0
        line = f"  indexed {done['n']:,}/{total:,} entries, {done['n'] / done['loaded']:,.0f}/s"
        if tty:
            print("\r" + line, end="", flush=True)
        elif before // step != done["n"] // step:  # a log file: one line every 5 %
            print(line, flush=True)

    n = rebuild.rebuild(batch=500, workers=workers, progress=progress)
    dt_ = time.perf_counter() - t0
    with connection.cursor() as cur:
        cur.execute("SELECT pg_size_pretty(pg_total_relation_size('search_entry'))")
        size = cur.fetchone()[0]
    print(f"\n  indexing: {n:,} entries in {dt_:.0f} s = {n / dt_:,.0f} entries/s with {workers} worker(s) "
          f"(documents built and loaded in {done['loaded']:.0f} s, indexes built and analysed in "
          f"{dt_ - done['loaded']:.0f} s); table with indexes {size}")


QUERIES = {
    "common word": ["wniosek", "gminy", "decyzji", "ulicy", "sprawy"],
    "rare word": ["wycinkę", "kredytu", "przetargu", "selektywnie", "sołtys"],
    "2-3 words AND": ["warunki zabudowy", "informacji publicznej drogi", "opłata odpady", "lokal mieszkalny remont"],
    "phrase": ['"warunkach zabudowy"', '"materiałów biurowych"', '"przydział lokalu"'],
    "prefix": ["zabud*", "mieszk*", "odpad*"],
    "no diacritics": ["doreczen", "zaswiadczenia", "oplata skarbowa", "wyjasnienie"],
    "name": ["Wiśniewski", "Kowalczyk Dębowa"],
    "boolean": ["skarga OR zażalenie", "wniosek NOT zabudowy", "(faktura OR deklaracja) AND odpady"],
}


def run_queries(repeats: int = 3):
    from organisation.models import OrgUnit, User
    from registry.models import Case, Delivery
    from search.index.backends import SearchRequest, get_backend
    from search.index.service import search

    backend = get_backend()
    sec = User.objects.get(username="bench_secretary")
    worker = User.objects.get(username="bench1")
    some = Delivery.objects.order_by("?").first()
    case = Case.objects.filter(confidential=False).order_by("?").first()
    unit = OrgUnit.objects.get(symbol="RB")
    classes = {k: [SearchRequest(q=q) for q in qs] for k, qs in QUERIES.items()}
    classes["RPW number"] = [SearchRequest(q=some.rpw)]
    classes["znak sprawy"] = [SearchRequest(q=case.sign)]
    classes["text + unit + year"] = [SearchRequest(q="wniosek", units=[unit.pk], years=[2024]),
                                     SearchRequest(q="drogi", units=[unit.pk], years=[2023])]
    classes["filters only, by date"] = [SearchRequest(jrwa="67", sort="date"), SearchRequest(channels=["epuap"])]
    classes["common word by date"] = [SearchRequest(q="wniosek", sort="date")]
    rows = []
    for who, user in (("secretary", sec), ("case worker", worker)):
        for name, reqs in classes.items():
            times = []
            for _ in range(repeats + 1):
                for r in reqs:
                    t0 = time.perf_counter()
                    res = search(user, r, backend)
                    times.append((time.perf_counter() - t0) * 1000)
            times = times[len(reqs):]  # first pass warms up
            rows.append((who, name, statistics.median(times), _p95(times), res.total))
    # deep pages: date order, 50 pages of 20 through a broad query
    for who, user in (("secretary", sec),):
        cursor, times = "", []
        for _ in range(50):
            t0 = time.perf_counter()
            res = search(user, SearchRequest(q="wniosek", sort="date", cursor=cursor, facets=False), backend)
            times.append((time.perf_counter() - t0) * 1000)
            cursor = res.next_cursor
        rows.append((who, "deep pages 1-50 (date)", statistics.median(times), _p95(times), res.total))
    print(f"\n{'user':12} {'query class':26} {'p50 ms':>8} {'p95 ms':>8} {'hits':>8}")
    for who, name, p50, p95, total in rows:
        print(f"{who:12} {name:26} {p50:8.1f} {p95:8.1f} {total:8}")
    all_times = [r[2] for r in rows]
    worst = max(r[3] for r in rows)
    print(f"\nmedian of class p50s: {statistics.median(all_times):.1f} ms; worst class p95: {worst:.1f} ms")


def _p95(values):
    values = sorted(values)
    return values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--workers", type=int, default=min(4, os.cpu_count() or 1), help="indexing processes")
    parser.add_argument("--index-only", action="store_true", help="reindex an already generated corpus")
    args = parser.parse_args()
    from django.conf import settings

    name = settings.DATABASES["default"]["NAME"]
    if "bench" not in name:
        sys.exit(f"refusing to run on database {name!r}: use a database whose name contains 'bench'")
    if args.index_only:
        index_all(args.workers)
    elif not args.reuse:
        call_command("migrate", verbosity=0)
        with connection.cursor() as cur:
            cur.execute("SELECT count(*) FROM registry_document")
            if cur.fetchone()[0]:
                sys.exit("the database already has documents; use a fresh one or --reuse")
        print(f"generating {args.docs:,} documents")
        generate(args.docs)
        index_all(args.workers)
    run_queries(args.repeats)


if __name__ == "__main__":
    main()
