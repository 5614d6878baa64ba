"""The process chart of a task page: viewflow's layout, in the user's language.

viewflow's own rendering shows English that no catalogue reaches (the "yes"/"no" labels of an If gate are plain
strings) and title-cases every node's first line in its template; we translate the labels and render with our copy
of the template (`workflow/process_chart.svg`) that keeps the titles as written (sentence case)."""

from django.template.loader import render_to_string
from django.utils.translation import get_language, pgettext_lazy
from viewflow.workflow import chart

# The edge labels viewflow hard-codes (viewflow/workflow/nodes/if_gate.py).
EDGE_LABELS = {
    "yes": pgettext_lazy("process chart", "yes"),
    "no": pgettext_lazy("process chart", "no"),
}


def render_svg(flow_class, process_id=None) -> str:
    """The chart of `flow_class` as SVG, with the state of the run `process_id` when given."""
    grid = chart.calc_layout_data(flow_class)
    if process_id is not None:
        chart.calc_cell_status(flow_class, grid, process_id)
    for edge in grid.edges:
        if edge.label in EDGE_LABELS:
            edge.label = str(EDGE_LABELS[edge.label])
    return render_to_string("workflow/process_chart.svg", {
        "grid": grid, "cells": grid.cells, "edges": grid.edges, "language": get_language(),
        "title": str(flow_class.process_title),
    })
