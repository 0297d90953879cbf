"""Charts for PDF documents and the dashboard, drawn on the server as SVG with pygal and
inlined in the HTML: nothing is fetched, no script runs (the PDF renderer refuses every URL,
and the pages' Content-Security-Policy allows no inline script)."""

import pygal
from pygal.etree import etree
from pygal.style import Style

STYLE = Style(
    background="white",
    plot_background="white",
    foreground="#222",
    foreground_strong="#000",
    foreground_subtle="#999",
    colors=("#1f5fa8", "#c0392b", "#2e8b57", "#8e44ad", "#d35400"),
    font_family="DejaVu Sans, sans-serif",
    label_font_size=11,
    major_label_font_size=11,
    legend_font_size=11,
    title_font_size=13,
)


def _config(chart_class, *, title: str, labels: list[str], range_: tuple[float, float]):
    return chart_class(
        title=title,
        x_labels=labels,
        range=range_,
        style=STYLE,
        width=700,
        height=300,
        js=[],  # pygal links a tooltip script by default: no URL may leave the document
        disable_xml_declaration=True,
        show_legend=True,
        legend_at_bottom=True,
        print_values=False,
        allow_interruptions=True,  # a quarter without figures is a gap, not a zero
        explicit_size=True,
        truncate_legend=60,
    )


def line_chart(
    *, title: str, labels: list[str], series: dict[str, list], range_, formatter=None
) -> str:
    """An SVG line chart as a string; None values leave gaps. `formatter` writes the values
    and the y axis in the document's language (a share as "33,3 %")."""
    chart = _config(pygal.Line, title=title, labels=labels, range_=range_)
    if formatter is not None:
        chart.config.value_formatter = formatter
    for name, values in series.items():
        chart.add(name, values)
    return _without_scripts(chart)


def trust_series(trend) -> tuple[list[str], dict[str, list]] | None:
    """Labels and one line per statement from workers.pulses.pulse_trend (a list of
    quarters, each with its statements and their means). A quarter of fewer than three
    answers has no mean (None): a gap in the line, never a figure."""
    if not trend:
        return None
    labels = [str(quarter["quarter"]) for quarter in trend]
    values: dict[str, list] = {}
    for position, quarter in enumerate(trend):
        for statement in quarter["statements"]:
            line = values.setdefault(statement["statement"], [None] * len(trend))
            line[position] = statement["mean"]
    if not any(value is not None for line in values.values() for value in line):
        return None
    return labels, values


def _without_scripts(chart) -> str:
    """The chart's SVG without pygal's inline <script> of tooltip settings: no tooltip
    script is loaded (js=[]), and an inline script would be refused by the pages' CSP."""
    tree = chart.render_tree()
    for parent in list(tree.iter()):
        for child in list(parent):
            if str(child.tag).rsplit("}", 1)[-1] == "script":
                parent.remove(child)
    return etree.tostring(tree, encoding="unicode")
