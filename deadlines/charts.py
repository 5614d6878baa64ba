"""Server-side SVG charts: no JavaScript, no CDN. Each chart has a <title> and <desc> (read by screen readers
through aria-labelledby) and the page shows the same data in a table next to it."""

from __future__ import annotations

import itertools

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_ids = itertools.count(1)

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 12, 36


def _frame(title: str, desc: str, body: str, *, width: int = WIDTH, height: int = HEIGHT) -> SafeString:
    n = next(_ids)
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="chart" viewBox="0 0 {width} {height}" '
        f'width="100%" preserveAspectRatio="xMidYMid meet" aria-labelledby="chart-t{n} chart-d{n}">'
        f'<title id="chart-t{n}">{escape(title)}</title><desc id="chart-d{n}">{escape(desc)}</desc>{body}</svg>'
    )


def _nice_max(value: float) -> float:
    if value <= 5:
        return 5
    for step in (10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000):
        if value <= step:
            return step
    return value


def _y_axis(maximum: float, plot_h: float, suffix: str = "") -> str:
    parts = []
    for i in range(5):
        value = maximum * i / 4
        y = TOP + plot_h - plot_h * i / 4
        label = f"{value:g}{suffix}"
        parts.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" class="grid" stroke="#d0d0d0"/>'
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" fill="#333">{label}</text>'
        )
    return "".join(parts)


def line_chart(points: list[tuple[str, float]], *, title: str, desc: str, label_every: int = 7) -> SafeString:
    """A line chart of (label, value) points, with a dot on each (shape, not only colour, carries the data)."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    maximum = _nice_max(max((v for _l, v in points), default=0))
    body = [_y_axis(maximum, plot_h)]
    if points:
        step = plot_w / max(len(points) - 1, 1)
        coords = [
            (LEFT + i * step, TOP + plot_h - plot_h * value / maximum) for i, (_l, value) in enumerate(points)
        ]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
        body.append(f'<polyline points="{path}" fill="none" stroke="#8a1c1c" stroke-width="2"/>')
        for (x, y), (label, value) in zip(coords, points, strict=True):
            body.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="#8a1c1c"><title>{escape(label)}: {value:g}'
                f"</title></circle>"
            )
        for i, (label, _v) in enumerate(points):
            if i % label_every == 0 or i == len(points) - 1:
                x = LEFT + i * step
                body.append(
                    f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" font-size="11" '
                    f'fill="#333">{escape(label)}</text>'
                )
    return _frame(title, desc, "".join(body))


def bar_chart(bars: list[tuple[str, float | None]], *, title: str, desc: str, suffix: str = "%",
              maximum: float = 100) -> SafeString:
    """Vertical bars with the value written above each bar; None is drawn as "–" (no data)."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    body = [_y_axis(maximum, plot_h, suffix)]
    if bars:
        slot = plot_w / len(bars)
        width = slot * 0.6
        for i, (label, value) in enumerate(bars):
            x = LEFT + i * slot + (slot - width) / 2
            if value is not None:
                h = plot_h * min(value, maximum) / maximum
                y = TOP + plot_h - h
                body.append(
                    f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{h:.1f}" fill="#1f4e79">'
                    f"<title>{escape(label)}: {value:g}{suffix}</title></rect>"
                    f'<text x="{x + width / 2:.1f}" y="{y - 3:.1f}" text-anchor="middle" font-size="10" '
                    f'fill="#222">{value:g}</text>'
                )
            else:
                body.append(
                    f'<text x="{x + width / 2:.1f}" y="{TOP + plot_h - 3:.1f}" text-anchor="middle" '
                    f'font-size="10" fill="#222">–</text>'
                )
            body.append(
                f'<text x="{x + width / 2:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" font-size="11" '
                f'fill="#333">{escape(label)}</text>'
            )
    return _frame(title, desc, "".join(body))
