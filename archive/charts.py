"""Charts of the archive's pages, drawn server-side as SVG by the deadlines app's chart helpers (no JavaScript);
each page shows the same figures in a table next to the chart."""

from django.utils.translation import gettext as _

from deadlines.charts import _nice_max, bar_chart


def holdings_chart(holdings: dict):
    bars = [(str(year), sum(holdings["counts"].get((k, year), 0) for k in holdings["kinds"]))
            for year in holdings["years"][-15:]]
    maximum = _nice_max(max((v for _l, v in bars), default=0))
    return bar_chart(
        bars, title=_("Files in the archive by year of closing"),
        desc=_("Number of archived cases per year of closing; the table below gives the figures per category."),
        suffix="", maximum=maximum,
    )


def calendar_chart(rows: list[dict]):
    bars = [(str(r["year"]), r["disposal"]) for r in rows if r["disposal"]][:15]
    maximum = _nice_max(max((v for _l, v in bars), default=0))
    return bar_chart(
        bars, title=_("Cases becoming eligible for disposal, by year"),
        desc=_("Number of closed cases of categories B and Bc whose retention ends, per year; the table gives "
               "all figures."),
        suffix="", maximum=maximum,
    )
