"""Our XSD of the package (`archive/schemas/paczka-archiwalna.xsd`), loaded once per process."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from lxml import etree

NS = "urn:obieg:paczka-archiwalna:1"
XSD_PATH = Path(__file__).resolve().parent.parent / "schemas" / "paczka-archiwalna.xsd"


@lru_cache(maxsize=1)
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(XSD_PATH)))


class InvalidPackage(Exception):
    """A file of the package breaks the schema or the layout; the message names the file."""


def validate(root: etree._Element, name: str) -> None:
    xsd = schema()
    if not xsd.validate(root):
        errors = "; ".join(f"{e.line}: {e.message}" for e in list(xsd.error_log)[:5])
        raise InvalidPackage(f"{name}: {errors}")


def q(tag: str) -> str:
    return f"{{{NS}}}{tag}"
