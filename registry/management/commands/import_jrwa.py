import datetime as dt
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from registry.services.jrwa_import import import_jrwa


class Command(BaseCommand):
    help = "Import a JRWA version from a CSV file (symbol,title,category_own,category_other[,source,remarks])."

    def add_arguments(self, parser):
        parser.add_argument("csv_path")
        parser.add_argument("--name", required=True, help="Name of the version, e.g. 'JRWA gmin 2011'.")
        parser.add_argument("--valid-from", required=True, help="YYYY-MM-DD: the day the version takes effect.")
        parser.add_argument("--source", default="", help="Legal basis or source of the list.")

    def handle(self, *args, csv_path, name, valid_from, source, **options):
        path = Path(csv_path)
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        if path.stat().st_size > 20 * 1024 * 1024:
            raise CommandError("The file is larger than 20 MB; a JRWA is a few hundred kilobytes.")
        try:
            day = dt.date.fromisoformat(valid_from)
        except ValueError as exc:
            raise CommandError(f"--valid-from must be YYYY-MM-DD, not {valid_from!r}") from exc
        try:
            version = import_jrwa(
                path.read_bytes(), name=name, valid_from=day, source=source,
                progress=lambda rows: tqdm(rows, desc="JRWA", unit=" klas", disable=options["verbosity"] == 0),
            )
        except ValidationError as exc:
            raise CommandError("\n".join(["The file was not imported:", *exc.messages])) from exc
        self.stdout.write(self.style.SUCCESS(f"Imported {version.classes.count()} classes as '{version}'."))
