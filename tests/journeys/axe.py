"""axe-core in a Playwright page: the engine comes from the `axe-playwright-python` wheel (which ships the official
`axe.min.js`); we inject it and run it ourselves so the report says what a person must fix."""

from __future__ import annotations

import importlib.resources
from functools import cache

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}


@cache
def axe_source() -> str:
    return importlib.resources.files("axe_playwright_python").joinpath("axe.min.js").read_text(encoding="utf-8")


def run_axe(page) -> list[dict]:
    """Violations of WCAG 2.1 A/AA rules on the page as it is now."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=axe_source())
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_21_AA,
    )
    return result["violations"]


def blocking(violations: list[dict]) -> list[dict]:
    return [v for v in violations if v.get("impact") in BLOCKING]


def describe(violations: list[dict], limit: int = 5) -> str:
    """One line per rule, then the offending elements (selector and axe's summary of the fix)."""
    lines = []
    for v in violations:
        lines.append(f"  [{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:limit]:
            summary = " ".join((node.get("failureSummary") or "").split())
            lines.append(f"      {' '.join(map(str, node['target']))} – {summary[:300]}")
        if len(v["nodes"]) > limit:
            lines.append(f"      … and {len(v['nodes']) - limit} more")
    return "\n".join(lines)
