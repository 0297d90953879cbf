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


# One third of a meeting's time given to dialogue: the rule the dialogue share measures
# (dialogue.selectors.dialogue_share: below it a meeting is information-heavy), drawn on
# every dialogue-share chart.
ONE_THIRD = 1 / 3

# The threshold line: the one major guide of a chart, drawn across the whole plot (a
# series of one quarter would be a dot, not a line). Presentation attributes, on a path
# whose class no rule of pygal's stylesheet names (a stylesheet rule would win over them;
# the PDF renderer ignores inline SVG styles).
THRESHOLD_STROKE = {
    "class": "threshold",
    "stroke": "#c0392b",
    "stroke-width": "2",
    "stroke-dasharray": "6,3",
    "fill": "none",
}


def line_chart(
    *,
    title: str,
    labels: list[str],
    series: dict[str, list],
    range_,
    formatter=None,
    description: str = "",
    threshold: float | None = None,
) -> str:
    """An SVG line chart as a string; None values leave gaps. `formatter` writes the values
    and the y axis in the document's language (a share as "33,3 %"). `description` is the
    chart's text alternative (its figures in words): the SVG's first <title>, which the PDF
    renderer makes the Figure's Alt text. `threshold` draws a dashed red line across the plot
    at that value, labelled on the y axis."""
    chart = _config(pygal.Line, title=title, labels=labels, range_=range_)
    if formatter is not None:
        chart.config.value_formatter = formatter
    if len(series) > 2:
        # Long legends (the trust statements) one under the other, not written over each other.
        chart.config.legend_at_bottom_columns = 1
        chart.config.height = 300 + 18 * len(series)
    if threshold is not None:
        low, high = range_
        chart.config.y_labels = sorted({*(low + (high - low) * n / 5 for n in range(6)), threshold})
        chart.config.y_labels_major = [threshold]
    for name, values in series.items():
        chart.add(name, values)
    return _without_scripts(chart, description=description, threshold=threshold is not None)


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


def _without_scripts(chart, *, description: str = "", threshold: bool = False) -> str:
    """The chart's SVG without pygal's inline <script> of tooltip settings: no tooltip
    script is loaded (js=[]), and an inline script would be refused by the pages' CSP;
    nor the script's element ids. With its description as its first <title>, and the
    threshold's guide drawn red."""
    tree = chart.render_tree()
    for parent in list(tree.iter()):
        for child in list(parent):
            if not isinstance(child.tag, str):
                # A comment: pygal builds its tree with lxml when lxml is installed (python-docx
                # needs it), and lxml keeps comments as children, with no attributes.
                continue
            name = str(child.tag).rsplit("}", 1)[-1]
            if name == "script":
                parent.remove(child)
            elif child.get("id", "").startswith("activate-serie-"):
                # The tooltip script's hooks: the same in every chart, so two charts in one
                # document would define the same anchor twice.
                del child.attrib["id"]
            elif threshold and name == "path" and "major" in child.get("class", "").split():
                for key, value in THRESHOLD_STROKE.items():
                    child.set(key, value)
    if description:
        namespace = str(tree.tag)[: -len("svg")] if str(tree.tag).endswith("}svg") else ""
        title = etree.Element(f"{namespace}title")
        title.text = description
        tree.insert(0, title)
    return etree.tostring(tree, encoding="unicode")
