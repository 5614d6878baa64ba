"""Finding English left on Polish pages: visible text equal to an English msgid of one of our (or Django's, or an
installed app's) catalogues whose Polish translation is different means a string that skipped gettext – a literal
in a template or view, a missing `{% translate %}`, a lazy string evaluated too early – or a stale `.mo`."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import polib

# Visible text that may equal an English msgid on purpose: names, abbreviations, language codes.
ALLOWLIST = frozenset({
    "Obieg", "PL", "EN", "CSV", "XLSX", "JRWA", "RPW", "PDF", "ePUAP", "e-Doręczenia", "KPA", "A", "B",
})
# A translated placeholder: %(name)s, %s, %d, {name}.
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}")
# Punctuation around a string that templates add outside the msgid ("Uwagi:", "(wymagane)", "* Nazwa").
EDGES = " \t\n:;,.·–—-()[]*!?…\"'„”«»"
SEPARATORS = re.compile(r"\s+[·|]\s+")


def normalise(text: str) -> str:
    return " ".join(text.split()).strip(EDGES)


@dataclass
class Catalogues:
    """English msgids with a Polish translation different from themselves, and every Polish translation."""

    english: dict[str, str] = field(default_factory=dict)
    patterns: list[tuple[re.Pattern, str]] = field(default_factory=list)
    polish: set[str] = field(default_factory=set)

    def add(self, msgid: str, msgstr: str | None) -> None:
        """`msgstr` None: an English msgid known only from another language's catalogue of an app that has no
        Polish one (viewflow) – shown as it is, it is English on a Polish page all the same."""
        msgid = normalise(msgid)
        if msgstr is not None:
            msgstr = normalise(msgstr)
            if not msgid or not msgstr:
                return
            self.polish.add(msgstr)
            if msgstr == msgid:
                return
        if not re.search(r"[A-Za-z]", msgid):
            return
        if PLACEHOLDER.search(msgid):
            literal = PLACEHOLDER.sub(" ", msgid)
            if not re.search(r"[A-Za-z]{3,}", literal):
                return  # only placeholders and glue: it would match anything
            parts = [re.escape(p) for p in PLACEHOLDER.split(msgid)]
            self.patterns.append((re.compile("^" + ".+?".join(parts) + "$"), msgid))
        else:
            self.english.setdefault(msgid, msgstr or "")

    def add_catalogue(self, catalogue, *, foreign: bool = False) -> None:
        for entry in catalogue:
            if entry.obsolete or "fuzzy" in entry.flags:
                continue
            if foreign:
                for msgid in filter(None, (entry.msgid, entry.msgid_plural)):
                    self.add(msgid, None)
            elif entry.msgid_plural:
                forms = [s for _, s in sorted(entry.msgstr_plural.items())]
                for msgid in (entry.msgid, entry.msgid_plural):
                    for form in forms:
                        self.add(msgid, form)
            else:
                self.add(entry.msgid, entry.msgstr)

    def english_in(self, text: str) -> str | None:
        """The English msgid that `text` shows untranslated, if any."""
        text = normalise(text)
        if not text or text in ALLOWLIST or text in self.polish:
            return None
        if text in self.english:
            return text
        if len(text) < 400:
            for pattern, msgid in self.patterns:
                if pattern.match(text):
                    return msgid
        return None


def _catalogue_in(folder: Path, language: str) -> Path | None:
    base = folder / language / "LC_MESSAGES"
    return next((p for p in (base / "django.po", base / "django.mo") if p.exists()), None)


def catalogue_paths(language: str = "pl") -> tuple[list[Path], list[Path]]:
    """(Polish catalogues of Django, every installed app and the project's `locale/`; for each installed app with
    catalogues but no Polish one, one catalogue of another language – for its English msgids)."""
    import django
    from django.apps import apps
    from django.conf import settings

    folders = [Path(django.__file__).parent / "conf" / "locale"]
    folders += [Path(a.path) / "locale" for a in apps.get_app_configs()]
    folders += [Path(p) for p in settings.LOCALE_PATHS]
    polish, foreign = [], []
    for folder in folders:
        path = _catalogue_in(folder, language)
        if path is not None:
            polish.append(path)
        elif folder.is_dir():
            other = next(filter(None, (_catalogue_in(folder, d.name) for d in sorted(folder.iterdir()))), None)
            if other is not None:
                foreign.append(other)
    return polish, foreign


def _read(path: Path):
    return polib.pofile(str(path)) if path.suffix == ".po" else polib.mofile(str(path))


@cache
def project_catalogues() -> Catalogues:
    catalogues = Catalogues()
    polish, foreign = catalogue_paths()
    for path in polish:
        catalogues.add_catalogue(_read(path))
    for path in foreign:
        catalogues.add_catalogue(_read(path), foreign=True)
    return catalogues


# Every piece of text a person can see or hear: text nodes of rendered elements (also visually hidden ones, which
# screen readers read), the options of selects, the page title and the accessible attributes.
VISIBLE_TEXT_JS = """() => {
  const out = [document.title];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || el.closest('script, style, noscript, template, select')) continue;
    if (!node.textContent.trim() || !el.checkVisibility()) continue;
    out.push(node.textContent);
  }
  for (const option of document.querySelectorAll('select option')) out.push(option.textContent);
  for (const el of document.querySelectorAll('[title], [aria-label], [placeholder], [alt]')) {
    for (const name of ['title', 'aria-label', 'placeholder', 'alt']) {
      if (el.hasAttribute(name)) out.push(el.getAttribute(name));
    }
  }
  for (const el of document.querySelectorAll('input[type=submit], input[type=button]')) out.push(el.value);
  return out;
}"""


def visible_texts(page) -> list[str]:
    texts = []
    for text in page.evaluate(VISIBLE_TEXT_JS):
        text = " ".join(text.split())
        texts.append(text)
        if SEPARATORS.search(text):
            texts.extend(SEPARATORS.split(text))
    return texts


def untranslated(texts, catalogues: Catalogues | None = None) -> list[tuple[str, str]]:
    """(text, msgid) for each text that is an English msgid left untranslated."""
    catalogues = catalogues or project_catalogues()
    found = []
    for text in dict.fromkeys(texts):
        msgid = catalogues.english_in(text)
        if msgid is not None:
            found.append((text, msgid))
    return found
