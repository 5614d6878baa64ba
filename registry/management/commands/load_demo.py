"""Load a demo office: units, users for every role (passwords printed), the sample JRWA, correspondents,
a few dozen deliveries with attachments and cases. Safe to run twice: a loaded demo is left as it is."""

import datetime as dt
import importlib
import random
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from organisation.models import Membership, OrgUnit, Position, User
from registry.demo import data
from registry.models import CaseStatus, Correspondent, JrwaClass, JrwaVersion
from registry.services.cases import change_status, open_case
from registry.services.deliveries import register_delivery
from registry.services.jrwa_import import import_jrwa

SAMPLE_JRWA = Path(__file__).resolve().parents[2] / "fixtures" / "jrwa-gmina-sample.csv"
# Apps that add their own demo content (routes, deadline kinds…) expose `load(context)` in <app>/demo.py.
DEMO_HOOKS = (
    "registry.demo.office", "workflow.demo", "dispatch.demo", "deadlines.demo", "search.demo", "archive.demo",
)


def demo_password(username: str) -> str:
    return f"{username}-demo"


class Command(BaseCommand):
    help = "Load the demo office (Urząd Gminy Zielona Dolina) with users for every role."

    def add_arguments(self, parser):
        parser.add_argument("--copies", type=int, default=3, help="How many times to repeat the delivery set.")

    def handle(self, *args, copies, **options):
        if User.objects.filter(username="kancelaria").exists():
            self.stdout.write("Demo data already loaded.")
            self._print_users()
            return
        rng = random.Random(2026)
        started = time.monotonic()
        # One transaction: an error leaves no half-loaded office behind (which the check above would then keep).
        with transaction.atomic():
            units = self._units()
            users = self._users(units)
            jrwa = self._jrwa()
            correspondents = [self._correspondent(c) for c in data.CORRESPONDENTS]
            context = {"units": units, "users": users, "jrwa": jrwa, "correspondents": correspondents}
            self._deliveries_and_cases(context, copies, rng)
            for module_name in DEMO_HOOKS:
                try:
                    module = importlib.import_module(module_name)
                except ModuleNotFoundError as exc:
                    if exc.name != module_name:
                        raise
                    continue
                module.load(context)
                self.stdout.write(f"  + {module_name}")
        self.stdout.write(f"  ({time.monotonic() - started:.1f} s)")
        self.stdout.write(self.style.SUCCESS("Demo office loaded: Urząd Gminy Zielona Dolina."))
        self._print_users()

    def _units(self):
        units = {}
        for symbol, name, parent in data.UNITS:
            units[symbol], _ = OrgUnit.objects.get_or_create(
                symbol=symbol, active=True, defaults={"name": name, "parent": units.get(parent)}
            )
        return units

    def _users(self, units):
        users = {}
        # PBKDF2 is most of the load time; hashlib releases the GIL, so hash the passwords side by side.
        with ThreadPoolExecutor(max_workers=4) as pool:
            hashes = dict(zip(
                [u[0] for u in data.USERS],
                pool.map(make_password, [demo_password(u[0]) for u in data.USERS]), strict=True,
            ))
        for username, first, last, position, memberships in data.USERS:
            user = User(
                username=username, password=hashes[username], first_name=first, last_name=last,
                position_title=position, email=f"{username}@zielonadolina.example",
                is_staff=username == "admin", is_superuser=username == "admin",
            )
            user.save()
            for symbol, role in memberships:
                Membership.objects.create(user=user, unit=units[symbol], role=role)
            users[username] = user
        for code, name, holder in data.POSITIONS:
            Position.objects.create(code=code, name=name, holder=users[holder])
        return users

    def _jrwa(self):
        if not JrwaVersion.objects.exists():
            import_jrwa(
                SAMPLE_JRWA.read_bytes(), name="JRWA gminy – próbka demonstracyjna (nie jest wykazem urzędowym)",
                valid_from=dt.date(2011, 1, 1), source="Próbka; urzędowy wykaz wczytaj poleceniem import_jrwa",
            )
        return {c.symbol: c for c in JrwaClass.objects.filter(is_leaf=True)}

    def _correspondent(self, fields):
        c = Correspondent(**fields)
        c.full_clean(exclude=["search_text"])
        c.save()
        return c

    def _deliveries_and_cases(self, ctx, copies, rng):
        users, units = ctx["users"], ctx["units"]
        clerk = users["kancelaria"]
        now = timezone.now()
        count = 0
        for copy in range(copies):
            for index, (subject, channel, form, sender_i, unit, jrwa, worker) in enumerate(data.DELIVERIES):
                received = now - dt.timedelta(days=rng.randint(1, 75), hours=rng.randint(0, 8))
                sender = ctx["correspondents"][sender_i]
                text = data.LETTER_TEXT.format(subject=subject, sender=sender.display_name)
                files = [ContentFile(text.encode("utf-8"), name=f"pismo-{index + 1}.txt")]
                delivery, _ = register_delivery(
                    registered_by=clerk, channel=channel, form=form, received_at=received, subject=subject,
                    sender=sender, addressed_unit=units.get(unit) if unit else None,
                    sender_reference=f"{sender.last_name or 'ZN'}/{copy + 1}/{index + 1}" if copy % 2 else "",
                    letter_date=(received - dt.timedelta(days=2)).date(),
                    paper_location=f"SCH/{copy + 1}/{index + 1}" if form == "paper" else "",
                    external_id=f"demo-{copy}-{index}" if channel in ("edoreczenia", "epuap") else "",
                    files=files,
                )
                count += 1
                if jrwa and worker and jrwa in ctx["jrwa"] and rng.random() < 0.8:
                    case = open_case(
                        actor=users[worker], unit=units[unit], jrwa_class=ctx["jrwa"][jrwa], title=subject[:200],
                        case_worker=users[worker], delivery=delivery, confidential=(index == 2 and copy == 0),
                    )
                    if rng.random() < 0.25:
                        change_status(case, actor=users[worker], status=CaseStatus.CLOSED,
                                      remarks="załatwiono pismem", on_day=timezone.localdate())
        self.stdout.write(f"  {count} deliveries registered.")

    def _print_users(self):
        self.stdout.write("\nDemo users (user name / password – role):")
        for username, first, last, position, memberships in data.USERS:
            roles = ", ".join(f"{unit}:{role}" for unit, role in memberships)
            self.stdout.write(f"  {username:<14} {demo_password(username):<20} {first} {last} – {position} ({roles})")
