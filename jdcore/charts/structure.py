"""Charts of the Reporting structure page: the org chart (SVG and PNG), layers and spans of
control (Altair)."""

from __future__ import annotations

import html
import io
import math
import re
import textwrap

import altair as alt
import pandas as pd

from .authority import SPAN_FLAG_COLOURS


def layer_bars(layers: pd.DataFrame) -> alt.Chart:
    """Roles and positions (headcount) per layer of the reporting structure."""
    data = layers.melt(id_vars="layer", value_vars=["roles", "positions"],
                       var_name="measure", value_name="count")
    data["measure"] = data["measure"].map({"roles": "Roles", "positions": "Positions"})
    return alt.Chart(data, title="Roles and positions per layer").mark_bar().encode(
        x=alt.X("layer:O", title="Layer (1 = top)", axis=alt.Axis(labelAngle=0)),
        xOffset=alt.XOffset("measure:N", sort=["Roles", "Positions"]),
        y=alt.Y("count:Q", title="Count"),
        color=alt.Color("measure:N", title=None, sort=["Roles", "Positions"]),
        tooltip=[alt.Tooltip("layer:O", title="Layer"), alt.Tooltip("measure:N", title="Of"),
                 alt.Tooltip("count:Q", title="Count")],
    )


def span_bars(managers: pd.DataFrame, span_min: float, span_max: float) -> alt.LayerChart:
    """Span of control (direct reports per incumbent) of each manager, coloured by its flag,
    with the taxonomy's minimum and maximum as rules."""
    flags = [f for f in SPAN_FLAG_COLOURS if f in set(managers["span_flag"])] or ["ok"]
    bars = alt.Chart(managers, title="Span of control per manager").mark_bar().encode(
        y=alt.Y("title:N", sort="-x", title=None, axis=alt.Axis(labelLimit=200)),
        x=alt.X("span_of_control:Q", title="Direct reports per incumbent"),
        color=alt.Color("span_flag:N", title="Flag", scale=alt.Scale(
            domain=flags, range=[SPAN_FLAG_COLOURS[f] for f in flags])),
        tooltip=[alt.Tooltip("title:N", title="Role"),
                 alt.Tooltip("headcount:Q", title="Headcount"),
                 alt.Tooltip("direct_reports:Q", title="Direct reports"),
                 alt.Tooltip("span_of_control:Q", title="Span of control", format=".2f"),
                 alt.Tooltip("span_flag:N", title="Flag")],
    )
    bounds = pd.DataFrame({"bound": ["minimum", "maximum"], "value": [span_min, span_max]})
    rules = alt.Chart(bounds).mark_rule(strokeDash=[4, 3], color="#444").encode(
        x="value:Q",
        tooltip=[alt.Tooltip("bound:N", title="Taxonomy"), alt.Tooltip("value:Q", title="Span")],
    )
    return alt.layer(bars, rules).properties(height=alt.Step(20))


# --- the boxed org chart as SVG and PNG --------------------------------------------------------
#
# Both draw an OrgChart from jdcore.analysis.orgchart.chart_layout: connectors first, boxes on
# top (opaque), so no line ever runs across a title. Every text node and attribute value of
# the SVG is escaped; characters XML cannot hold are dropped.

DEPARTMENT_COLOURS = ["#4c78a8", "#f58518", "#54a24b", "#b279a2", "#e45756", "#72b7b2",
                      "#eeca3b", "#9d755d", "#ff9da6", "#bab0ac"]
SOLID_COLOUR = "#7b8190"
DOTTED_COLOUR = "#c2410c"
FOCUS_COLOUR = "#1d4ed8"
FONT_FAMILY = "Liberation Sans, DejaVu Sans, Arial, Helvetica, sans-serif"
TITLE_PX, FIGURE_PX = 12, 11
TITLE_CHAR_PX = 6.7          # the mean width of a title character, for wrapping
LEGEND_HEIGHT = 28
MARGIN_PX = 16
PNG_MAX_PIXELS = 48_000_000  # a larger chart is drawn at a smaller scale
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml(text) -> str:
    """Text as an XML text node or attribute value: escaped, invalid characters dropped."""
    return html.escape(_XML_INVALID.sub("", "" if text is None else str(text)), quote=True)


def _number(value) -> str:
    if value is None or pd.isna(value):
        return ""
    return f"{float(value):g}"


def box_lines(box) -> tuple[list[str], str]:
    """The title of a box in at most two lines (the second cut with …) and its figures line."""
    if box.kind == "more":
        reports = int(box.collapsed_reports)
        return ([f"+{int(box.below)} more"],
                f"{reports} direct report{'s' if reports != 1 else ''} · collapsed")
    width = max(8, int((box.width - 18) / TITLE_CHAR_PX))
    lines = textwrap.wrap(str(box.title), width) or [str(box.title)]
    if len(lines) > 2:
        lines = [lines[0], textwrap.shorten(" ".join(lines[1:]), width, placeholder="…")]
    figures = []
    if _number(box.headcount):
        figures.append(f"Headcount {_number(box.headcount)}")
    if _number(box.direct_reports) not in ("", "0"):
        figures.append(f"span {float(box.span_of_control):.1f}"
                       if _number(box.span_of_control) else "")
    return lines, " · ".join(f for f in figures if f)


def box_tooltip(box) -> str:
    if box.kind == "more":
        return f"{int(box.below)} roles below, not drawn: expand this branch to see them"
    parts = [str(box.title)]
    if isinstance(box.department_name, str):
        parts.append(box.department_name)
    if _number(box.headcount):
        parts.append(f"headcount {_number(box.headcount)}")
    if _number(box.direct_reports):
        parts.append(f"{_number(box.direct_reports)} direct reports")
    if _number(box.span_of_control):
        parts.append(f"span of control {float(box.span_of_control):.2f}")
    return " · ".join(parts)


def department_colours(boxes: pd.DataFrame) -> dict[str, str]:
    names = sorted({d for d in boxes["department_name"] if isinstance(d, str)}, key=str.casefold)
    return {name: DEPARTMENT_COLOURS[i % len(DEPARTMENT_COLOURS)] for i, name in enumerate(names)}


def _legend(colours: dict[str, str]) -> list[tuple[str, str, str]]:
    """(kind, colour, label) items of the legend: the two lines, then each department."""
    return ([("solid", SOLID_COLOUR, "reports to"), ("dotted", DOTTED_COLOUR, "dotted line")]
            + [("department", colour, name) for name, colour in colours.items()])


def _legend_rows(items, width: float) -> list[list[tuple[float, tuple]]]:
    rows, row, x = [], [], MARGIN_PX
    for item in items:
        size = 34 + len(item[2]) * 6.2 + 18
        if row and x + size > width - MARGIN_PX:
            rows.append(row)
            row, x = [], MARGIN_PX
        row.append((x, item))
        x += size
    if row:
        rows.append(row)
    return rows


def _canvas(chart, title: str):
    """What the SVG and the PNG both draw from: boxes, connectors, department colours, the
    canvas width, the legend rows, the title band's height and the whole height."""
    colours = department_colours(chart.boxes)
    width = max(chart.width, 360.0)
    legend = _legend_rows(_legend(colours), width)
    top = LEGEND_HEIGHT if title else 0
    height = chart.height + top + LEGEND_HEIGHT * len(legend) + 8
    return chart.boxes, chart.connectors, colours, width, legend, top, height


def org_chart_svg(chart, title: str = "") -> str:
    """The org chart as a standalone SVG document (no scripts, no links, no external font)."""
    boxes, connectors, colours, width, legend, top, height = _canvas(chart, title)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
           f'viewBox="0 0 {width:.0f} {height:.0f}" font-family="{_xml(FONT_FAMILY)}" '
           f'role="img" aria-label="{_xml("Org chart: " + title if title else "Org chart")}">',
           f'<rect width="{width:.0f}" height="{height:.0f}" fill="#ffffff"/>']
    if title:
        out.append(f'<text x="{MARGIN_PX}" y="20" font-size="15" font-weight="bold" '
                   f'fill="#1f2328">{_xml(title)}</text>')
    out.append(f'<g transform="translate(0 {top})">')
    for row in connectors.itertuples():
        points = " ".join(f"{x:.1f},{y:.1f}" for x, y in row.points)
        if row.line == "dotted":
            style = f'stroke="{DOTTED_COLOUR}" stroke-width="1.6" stroke-dasharray="6 4"'
        else:
            colour = FOCUS_COLOUR if row.on_path else SOLID_COLOUR
            style = f'stroke="{colour}" stroke-width="{2.5 if row.on_path else 1.4}"'
        out.append(f'<polyline class="line {row.line}" data-from="{_xml(row.from_id)}" '
                   f'data-to="{_xml(row.to_id)}" points="{points}" fill="none" {style}/>')
    for box in boxes.itertuples():
        lines, figures = box_lines(box)
        x, y, w, h = box.x, box.y, box.width, box.height
        more = box.kind == "more"
        border = (FOCUS_COLOUR if box.focus else "#9aa1ad")
        attrs = (f'class="box {box.kind}{" focus" if box.focus else ""}" '
                 f'data-role="{_xml(box.role_id)}" data-depth="{int(box.depth)}"')
        out.append(f"<g {attrs}><title>{_xml(box_tooltip(box))}</title>")
        out.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" rx="5" '
                   f'fill="{"#f4f5f7" if more else "#ffffff"}" stroke="{border}" '
                   f'stroke-width="{3 if box.focus else 1}"'
                   f'{" stroke-dasharray=" + chr(34) + "4 3" + chr(34) if more else ""}/>')
        if not more:
            stripe = colours.get(box.department_name, "#bab0ac")
            out.append(f'<rect x="{x + 1:.1f}" y="{y + 1:.1f}" width="5" height="{h - 2:.1f}" '
                       f'rx="2" fill="{stripe}"/>')
        ty = y + (24 if len(lines) == 1 else 18)
        out.append(f'<text x="{x + 12:.1f}" y="{ty:.1f}" font-size="{TITLE_PX}" '
                   f'font-weight="bold" fill="#1f2328">'
                   + "".join(f'<tspan x="{x + 12:.1f}" dy="{0 if i == 0 else 14}">{_xml(t)}'
                             f'</tspan>' for i, t in enumerate(lines)) + "</text>")
        if figures:
            out.append(f'<text x="{x + 12:.1f}" y="{y + h - 10:.1f}" font-size="{FIGURE_PX}" '
                       f'fill="#57606a">{_xml(figures)}</text>')
        out.append("</g>")
    out.append("</g>")
    base = top + chart.height + 4
    for r, row in enumerate(legend):
        ly = base + r * LEGEND_HEIGHT + LEGEND_HEIGHT / 2
        for x, (kind, colour, label) in row:
            if kind == "department":
                out.append(f'<rect x="{x:.1f}" y="{ly - 7:.1f}" width="10" height="14" rx="2" '
                           f'fill="{colour}"/>')
            else:
                dash = ' stroke-dasharray="6 4"' if kind == "dotted" else ""
                out.append(f'<line x1="{x:.1f}" y1="{ly:.1f}" x2="{x + 26:.1f}" y2="{ly:.1f}" '
                           f'stroke="{colour}" stroke-width="1.6"{dash}/>')
            out.append(f'<text x="{x + 32:.1f}" y="{ly + 4:.1f}" font-size="{FIGURE_PX}" '
                       f'fill="#57606a">{_xml(label)}</text>')
    out.append("</svg>")
    return "\n".join(out)


def _dashes(draw, start, end, colour, width, dash=6.0, gap=4.0):
    (x1, y1), (x2, y2) = start, end
    length = math.hypot(x2 - x1, y2 - y1)
    if length == 0:
        return
    dx, dy = (x2 - x1) / length, (y2 - y1) / length
    at = 0.0
    while at < length:
        stop = min(at + dash, length)
        draw.line([(x1 + dx * at, y1 + dy * at), (x1 + dx * stop, y1 + dy * stop)],
                  fill=colour, width=width)
        at = stop + gap


def org_chart_png(chart, title: str = "", scale: float = 2.0) -> bytes:
    """The org chart as PNG bytes, drawn with Pillow from the same layout as the SVG."""
    from PIL import Image, ImageDraw, ImageFont

    boxes, connectors, colours, width, legend, top, height = _canvas(chart, title)
    scale = min(scale, math.sqrt(PNG_MAX_PIXELS / max(width * height, 1.0)))
    image = Image.new("RGB", (max(1, round(width * scale)), max(1, round(height * scale))),
                      "white")
    draw = ImageDraw.Draw(image)
    title_font = ImageFont.load_default(size=TITLE_PX * scale)
    figure_font = ImageFont.load_default(size=FIGURE_PX * scale)

    def at(x, y):
        return (x * scale, (y + top) * scale)

    if title:
        draw.text((MARGIN_PX * scale, 6 * scale), title,
                  font=ImageFont.load_default(size=15 * scale), fill="#1f2328")
    for row in connectors.itertuples():
        points = [at(x, y) for x, y in row.points]
        if row.line == "dotted":
            for a, b in zip(points, points[1:]):
                _dashes(draw, a, b, DOTTED_COLOUR, max(1, round(1.6 * scale)),
                        6 * scale, 4 * scale)
        else:
            draw.line(points, fill=FOCUS_COLOUR if row.on_path else SOLID_COLOUR,
                      width=max(1, round((2.5 if row.on_path else 1.4) * scale)), joint="curve")
    for box in boxes.itertuples():
        lines, figures = box_lines(box)
        more = box.kind == "more"
        left, upper = at(box.x, box.y)
        right, lower = at(box.x + box.width, box.y + box.height)
        draw.rounded_rectangle([left, upper, right, lower], radius=5 * scale,
                               fill="#f4f5f7" if more else "white",
                               outline=FOCUS_COLOUR if box.focus else "#9aa1ad",
                               width=max(1, round((3 if box.focus else 1) * scale)))
        if not more:
            draw.rounded_rectangle([left + scale, upper + scale, left + 6 * scale, lower - scale],
                                   radius=2 * scale,
                                   fill=colours.get(box.department_name, "#bab0ac"))
        ty = box.y + (24 if len(lines) == 1 else 18) - TITLE_PX + 2
        for i, line in enumerate(lines):
            draw.text(at(box.x + 12, ty + 14 * i), _XML_INVALID.sub("", line), font=title_font,
                      fill="#1f2328")
        if figures:
            draw.text(at(box.x + 12, box.y + box.height - 10 - FIGURE_PX + 1), figures,
                      font=figure_font, fill="#57606a")
    base = chart.height + 4
    for r, row in enumerate(legend):
        ly = base + r * LEGEND_HEIGHT + LEGEND_HEIGHT / 2
        for x, (kind, colour, label) in row:
            if kind == "department":
                draw.rectangle([*at(x, ly - 7), *at(x + 10, ly + 7)], fill=colour)
            elif kind == "dotted":
                _dashes(draw, at(x, ly), at(x + 26, ly), colour, max(1, round(1.6 * scale)),
                        6 * scale, 4 * scale)
            else:
                draw.line([at(x, ly), at(x + 26, ly)], fill=colour, width=max(1, round(1.6 * scale)))
            draw.text(at(x + 32, ly - 6), _XML_INVALID.sub("", label), font=figure_font,
                      fill="#57606a")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=False)
    return buffer.getvalue()
