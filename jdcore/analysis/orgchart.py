"""The reporting structure as tables: the boxed org chart's layout and its side views.

`chart_layout` places the org chart (see the comment above it): boxes with title, headcount
and span, "+N more" boxes for collapsed branches, elbow connectors and dotted lines, for the
part of the tree that is shown only. `fitting_depth` picks a default depth that keeps the
chart readable; `manager_path` is a role's way up to the top.

The other views (`area_roles`, `layer_counts`, `span_table`, `chain_table`,
`integrity_problems`) are one table each, for the Reporting structure and Authority pages.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..model.catalogue import Catalogue
from ..model.labels import role_labels, vocabulary
from ..model.metrics import CHAIN_SEPARATOR

LINE_KINDS = ("solid", "dotted")
STRUCTURE_FIELDS = ("reports_to", "dotted_to")
AREA_ROLE_COLUMNS = ["role_id", "title", "department", "department_name", "business_area",
                     "business_area_name", "grade_name", "reports_to", "headcount", "layer",
                     "direct_reports", "total_reports", "span_of_control", "span_flag",
                     "chain_of_command"]


def area_roles(catalogue: Catalogue, business_area: str | None = None) -> pd.DataFrame:
    """One row per role (of one business area, or all): labels and structure figures."""
    roles, taxonomy = catalogue.roles, catalogue.taxonomy
    if business_area is not None:
        roles = roles[roles["business_area"] == business_area]
    metrics = catalogue.metrics.set_index("role_id")
    labels = role_labels(catalogue.roles)
    view = pd.DataFrame({
        "role_id": roles["role_id"],
        "title": roles["role_id"].map(labels),
        "department": roles["department"],
        "department_name": roles["department"].map(vocabulary(taxonomy, "departments"))
        .fillna(roles["department"]),
        "business_area": roles["business_area"],
        "business_area_name": roles["business_area"].map(
            vocabulary(taxonomy, "business_areas")).fillna(roles["business_area"]),
        "grade_name": roles["grade"].map(vocabulary(taxonomy, "grades")).fillna(roles["grade"]),
        "reports_to": roles["reports_to"],
        "headcount": roles["headcount"],
    })
    for column in AREA_ROLE_COLUMNS[9:]:
        view[column] = roles["role_id"].map(metrics[column]) if len(metrics) else None
    return view[AREA_ROLE_COLUMNS].reset_index(drop=True)


def solid_children(roles: pd.DataFrame) -> dict[str, list[str]]:
    """manager id -> ids of its direct reports among `roles`, sorted by title (any case), id."""
    known = set(roles["role_id"])
    ordered = (roles.assign(_title=roles["title"].str.casefold())
               .sort_values(["_title", "role_id"]))
    children: dict[str, list[str]] = {}
    for rid, manager in zip(ordered["role_id"], ordered["reports_to"]):
        if isinstance(manager, str) and manager in known and manager != rid:
            children.setdefault(manager, []).append(rid)
    return children


def has_reporting_lines(roles: pd.DataFrame) -> bool:
    """Whether any role of `roles` reports (solid line) to another role of `roles`."""
    return bool(solid_children(roles))


def root_candidates(roles: pd.DataFrame) -> list[str]:
    """Role ids to offer as the chart's root: tops first (no manager), then by layer and title."""
    known = set(roles["role_id"])
    has_manager = roles["reports_to"].map(lambda m: isinstance(m, str) and m in known)
    order = roles.assign(_below=has_manager,
                         _layer=roles["layer"].astype("Float64").fillna(float("inf")))
    order = order.sort_values(["_below", "_layer", "title", "role_id"])
    return list(order["role_id"])


def layer_counts(roles: pd.DataFrame) -> pd.DataFrame:
    """Roles and positions (headcount) per layer; roles without a layer are not counted."""
    placed = roles.dropna(subset=["layer"])
    counts = (placed.groupby(placed["layer"].astype("int64"))
              .agg(roles=("role_id", "size"), positions=("headcount", "sum"))
              .reset_index())
    counts["positions"] = counts["positions"].astype("int64")
    return counts[["layer", "roles", "positions"]]


def span_table(roles: pd.DataFrame) -> pd.DataFrame:
    """Managers (roles with direct reports) with span of control and flag, outside range first.

    The flag comes from the metrics table (taxonomy span_of_control range); `outside_range` is
    True for "under" and "over"; rows are sorted by it, then by span (highest first).
    """
    managers = roles[roles["direct_reports"].fillna(0) > 0]
    table = pd.DataFrame({
        "role_id": managers["role_id"],
        "title": managers["title"],
        "department": managers["department_name"],
        "business_area": managers["business_area_name"],
        "headcount": managers["headcount"].astype("int64"),
        "direct_reports": managers["direct_reports"].astype("int64"),
        "span_of_control": managers["span_of_control"].astype("float64").round(2),
        "span_flag": managers["span_flag"],
        "outside_range": managers["span_flag"].isin(["under", "over"]),
    })
    return table.sort_values(["outside_range", "span_of_control", "title"],
                             ascending=[False, False, True], ignore_index=True)


def chain_table(roles: pd.DataFrame, role_id: str) -> pd.DataFrame:
    """The chain of command of one role, from the top down: step, role, department, grade."""
    by_id = roles.set_index("role_id")
    chain = by_id.at[role_id, "chain_of_command"]
    ids = chain.split(CHAIN_SEPARATOR) if isinstance(chain, str) and chain else [role_id]
    ids = [r for r in ids if r in by_id.index]
    steps = by_id.loc[ids]
    return pd.DataFrame({
        "step": range(1, len(ids) + 1),
        "role_id": ids,
        "title": steps["title"].to_list(),
        "department": steps["department_name"].to_list(),
        "grade": steps["grade_name"].to_list(),
        "headcount": steps["headcount"].astype("int64").to_list(),
        "layer": steps["layer"].astype("Int64").to_list(),
    })


def integrity_problems(catalogue: Catalogue) -> pd.DataFrame:
    """Problems of the reporting structure: every problem about reports_to or dotted_to
    (cycles, dangling lines, unreachable roles, several roots) and every role without a layer.
    """
    labels = role_labels(catalogue.roles)
    by_file = {file: rid for rid, file in catalogue.files.items()}
    rows = [{"role": labels.get(by_file.get(p.file, ""), ""), "file": p.file, "field": p.field,
             "severity": p.severity, "message": p.message}
            for p in catalogue.problems if p.field.split("[")[0] in STRUCTURE_FIELDS]
    layers = catalogue.metrics.set_index("role_id")["layer"] if len(catalogue.metrics) else {}
    for rid in catalogue.roles["role_id"]:
        if pd.isna(layers.get(rid)):
            rows.append({"role": labels[rid], "file": catalogue.files.get(rid, ""),
                         "field": "layer", "severity": "error",
                         "message": "role has no layer: no chain of solid reporting lines "
                                    "leads to it from a root, so it is left off the org chart"})
    return pd.DataFrame(rows, columns=["role", "file", "field", "severity", "message"])


# --- the boxed org chart ---------------------------------------------------------------------
#
# `chart_layout` places boxes (pixels, y downwards) for the part of one tree that is shown:
# - a role's reports are shown while it sits above `max_depth`, when it is in `expanded`, or
#   when it is on the way from the root to `focus` (a role searched for);
# - a role whose reports are not shown gets one "+N more" box below it instead (N: every
#   role below it), so a collapsed branch still says how much it holds;
# - reports that have no shown reports of their own are stacked in one column under their
#   manager (the compact form org-chart tools use), others stand side by side, the manager
#   centred over them; connectors are elbows (down, across, down) or, for a stack, a trunk
#   down the left with a short arm to each box;
# - dotted lines join roles that are both on the chart.
# Only the shown part is ever walked, so the cost follows what is drawn, not the catalogue.

BOX_WIDTH = 184
BOX_HEIGHT = 62
COLUMN_GAP = 18
LAYER_GAP = 46
STACK_GAP = 10
STACK_INDENT = 18
MARGIN = 16
BOX_COLUMNS = ["box_id", "kind", "role_id", "parent_id", "depth", "x", "y", "width", "height",
               "title", "department_name", "headcount", "direct_reports", "span_of_control",
               "below", "collapsed_reports", "focus", "on_path"]
CONNECTOR_COLUMNS = ["from_id", "to_id", "line", "points", "on_path"]


@dataclass(frozen=True)
class OrgChart:
    """The boxes and connectors of the shown part of an org chart, in pixels."""

    boxes: pd.DataFrame        # BOX_COLUMNS; kind "role" or "more" (x, y: top left corner)
    connectors: pd.DataFrame   # CONNECTOR_COLUMNS; points: ((x, y), ...) of a polyline
    width: float
    height: float
    root: str
    left_out: int              # roles below the root held in "+N more" boxes
    not_below_root: int        # roles of the input that are not under the root at all


def descendant_counts(children: dict[str, list[str]], root: str) -> dict[str, int]:
    """role id -> how many roles are below it (each counted once, cycles cut), for `root`'s tree."""
    order, seen, stack = [], {root}, [root]
    while stack:
        node = stack.pop()
        order.append(node)
        for child in children.get(node, []):
            if child not in seen:
                seen.add(child)
                stack.append(child)
    parent_in_tree: dict[str, str] = {}
    seen = {root}
    for node in order:  # the first visit of each role decides its parent, as the walk did
        for child in children.get(node, []):
            if child not in seen:
                seen.add(child)
                parent_in_tree[child] = node
    counts = dict.fromkeys(order, 0)
    for node in reversed(order):
        if node in parent_in_tree:
            counts[parent_in_tree[node]] += counts[node] + 1
    return counts


def manager_path(roles: pd.DataFrame, role_id: str) -> list[str]:
    """The role and its managers up the solid lines, top first (a cycle stops the walk)."""
    managers = dict(zip(roles["role_id"], roles["reports_to"]))
    path, seen = [], set()
    node = role_id
    while isinstance(node, str) and node in managers and node not in seen:
        seen.add(node)
        path.append(node)
        node = managers[node]
    return path[::-1]


def chart_layout(roles: pd.DataFrame, reporting: pd.DataFrame, root: str,
                 max_depth: int | None = 4, expanded=(), focus: str | None = None) -> OrgChart:
    """The boxed org chart below `root` (see the comment above); `max_depth` None shows all.

    `roles` needs role_id, title, reports_to; department_name, headcount, direct_reports and
    span_of_control are shown when present. `reporting` gives the dotted lines.
    """
    children = solid_children(roles)
    by_id = roles.set_index("role_id", drop=False)
    known = set(by_id.index)
    if root not in known:
        empty = pd.DataFrame(columns=BOX_COLUMNS)
        return OrgChart(empty, pd.DataFrame(columns=CONNECTOR_COLUMNS), 0.0, 0.0, root, 0,
                        len(roles))
    below = descendant_counts(children, root)
    path = manager_path(roles, focus) if focus in known else []
    path = path[path.index(root):] if root in path else []
    opened = set(expanded) | set(path[:-1])

    # 1. the shown tree: which boxes, under which parent (a role is shown once)
    kids: dict[str, list[str]] = {}
    depth_of = {root: 0}
    more: dict[str, str] = {}          # "more" box id -> the collapsed role
    seen = {root}
    order = [root]
    for node in order:
        reports = [c for c in children.get(node, []) if c not in seen] if node in known else []
        if not reports:
            continue
        shows = (max_depth is None or depth_of[node] < max_depth) or node in opened
        if shows:
            seen.update(reports)
            kids[node] = reports
            for child in reports:
                depth_of[child] = depth_of[node] + 1
                order.append(child)
        else:
            box = f"+{node}"
            more[box] = node
            kids[node] = [box]
            depth_of[box] = depth_of[node] + 1
    left_out = sum(below[m] for m in more.values())

    # 2. columns: a subtree's width in columns, post-order
    def is_leaf(node: str) -> bool:
        return not kids.get(node)

    stacked = {n for n, ks in kids.items() if len(ks) > 1 and all(is_leaf(k) for k in ks)}
    columns: dict[str, int] = {}
    for node in reversed(order):
        ks = kids.get(node, [])
        columns[node] = 1 if (not ks or node in stacked) else sum(
            columns[k] if k in known else 1 for k in ks)

    # 3. positions, pre-order: left column of each subtree
    column_width = BOX_WIDTH + COLUMN_GAP
    layer_height = BOX_HEIGHT + LAYER_GAP
    left_col = {root: 0.0}
    position: dict[str, tuple[float, float, float]] = {}   # box -> (x, y, width)
    parent_of: dict[str, str] = {}
    connectors = []
    centre_col: dict[str, float] = {}
    for node in reversed(order):  # centres bottom-up
        ks = kids.get(node, [])
        if not ks or node in stacked:
            centre_col[node] = columns[node] / 2
        else:
            offsets, start = [], 0.0
            for k in ks:
                width = columns[k] if k in known else 1
                offsets.append(start + (centre_col.get(k, 0.5) if k in known else 0.5))
                start += width
            centre_col[node] = (offsets[0] + offsets[-1]) / 2
    for node in order:
        if node not in position:  # a stacked box was placed with its manager
            x = MARGIN + (left_col[node] + centre_col[node]) * column_width - column_width / 2
            position[node] = (x, MARGIN + depth_of[node] * layer_height, BOX_WIDTH)
        x, y, _ = position[node]
        ks = kids.get(node, [])
        if not ks:
            continue
        if node in stacked:
            trunk = x + STACK_INDENT / 2
            for i, k in enumerate(ks):
                ky = y + layer_height + i * (BOX_HEIGHT + STACK_GAP)
                position[k] = (x + STACK_INDENT, ky, BOX_WIDTH - STACK_INDENT)
                parent_of[k] = node
                connectors.append((node, k, "solid", ((trunk, y + BOX_HEIGHT),
                                                      (trunk, ky + BOX_HEIGHT / 2),
                                                      (x + STACK_INDENT, ky + BOX_HEIGHT / 2))))
        else:
            start = left_col[node]
            mid = y + BOX_HEIGHT + LAYER_GAP / 2
            for k in ks:
                parent_of[k] = node
                if k in known:
                    left_col[k] = start
                    kx = MARGIN + (start + centre_col[k]) * column_width - column_width / 2
                    start += columns[k]
                else:
                    kx = MARGIN + (start + 0.5) * column_width - column_width / 2
                    start += 1
                    position[k] = (kx, y + layer_height, BOX_WIDTH)
                centre, kcentre = x + BOX_WIDTH / 2, kx + BOX_WIDTH / 2
                connectors.append((node, k, "solid", ((centre, y + BOX_HEIGHT), (centre, mid),
                                                      (kcentre, mid),
                                                      (kcentre, y + layer_height))))
    # 4. dotted lines between shown roles: from the side of one box to the side of the other
    shown = {b for b in position if b in known}
    dotted = reporting[reporting["line"] == "dotted"]
    for rid, manager in zip(dotted["role_id"], dotted["manager_id"]):
        if rid in shown and manager in shown and rid != manager:
            (ax, ay, aw), (bx, by, bw) = position[rid], position[manager]
            a = (ax + aw, ay + BOX_HEIGHT / 2) if ax < bx else (ax, ay + BOX_HEIGHT / 2)
            b = (bx, by + BOX_HEIGHT / 2) if ax < bx else (bx + bw, by + BOX_HEIGHT / 2)
            connectors.append((rid, manager, "dotted", (a, b)))

    # 5. the tables
    on_path = set(path)

    def column(name: str, rid: str):
        return by_id.at[rid, name] if name in by_id.columns else None

    rows = []
    for box, (x, y, width) in position.items():
        role = more.get(box, box)
        is_more = box in more
        rows.append({
            "box_id": box, "kind": "more" if is_more else "role",
            "role_id": role, "parent_id": parent_of.get(box),
            "depth": depth_of[box], "x": x, "y": y, "width": width, "height": BOX_HEIGHT,
            "title": "" if is_more else str(by_id.at[role, "title"]),
            "department_name": None if is_more else column("department_name", role),
            "headcount": None if is_more else column("headcount", role),
            "direct_reports": None if is_more else column("direct_reports", role),
            "span_of_control": None if is_more else column("span_of_control", role),
            "below": below.get(role, 0) if is_more else 0,
            "collapsed_reports": len([c for c in children.get(role, [])]) if is_more else 0,
            "focus": (not is_more) and role == focus,
            "on_path": (not is_more) and role in on_path,
        })
    boxes = pd.DataFrame(rows, columns=BOX_COLUMNS)
    lines = pd.DataFrame(
        [{"from_id": a, "to_id": b, "line": kind, "points": points,
          "on_path": kind == "solid" and a in on_path and b in on_path}
         for a, b, kind, points in connectors], columns=CONNECTOR_COLUMNS)
    width = (boxes["x"] + boxes["width"]).max() + MARGIN if len(boxes) else 0.0
    height = (boxes["y"] + boxes["height"]).max() + MARGIN if len(boxes) else 0.0
    return OrgChart(boxes, lines, float(width), float(height), root, int(left_out),
                    len(roles) - len(below))


def fitting_depth(roles: pd.DataFrame, root: str, max_boxes: int, default: int) -> int:
    """`default`, or the deepest depth below it (at least 1) whose chart draws at most
    `max_boxes` boxes: the roles down to that depth and a "+N more" box per collapsed role."""
    children = solid_children(roles)
    sizes, managers = [], []      # per depth: roles, and how many of them have reports
    seen, layer = {root}, [root]
    while layer and len(sizes) <= default:
        following, with_reports = [], 0
        for node in layer:
            reports = [c for c in children.get(node, []) if c not in seen]
            seen.update(reports)
            following.extend(reports)
            with_reports += bool(reports)
        sizes.append(len(layer))
        managers.append(with_reports)
        layer = following
    if sum(sizes) + (managers[default] if len(sizes) > default else 0) <= max_boxes:
        return default
    best = 1
    for depth in range(1, min(default, len(sizes) - 1) + 1):
        if sum(sizes[:depth + 1]) + managers[depth] <= max_boxes:
            best = depth
    return best


OUTLINE_WIDTH = 300     # the top box's width in the outline; deeper boxes are indented
OUTLINE_INDENT = 16     # per layer
OUTLINE_MIN_WIDTH = 150
OUTLINE_LANE = 12       # right of the boxes: where dotted lines run


def outline_layout(chart: OrgChart) -> OrgChart:
    """The same boxes as an indented outline, for a phone: one box per row, each under its
    manager and indented one step per layer, in the order of the chart (a manager's team
    follows it, left to right). Solid lines run down the left of each team; dotted lines
    run in a lane right of the boxes. 336 px wide down to four layers below the top, so it
    fits a 390 px screen without scrolling sideways."""
    boxes = chart.boxes
    if boxes.empty:
        return chart
    kids: dict[str, list[str]] = {}
    for box, parent in zip(boxes["box_id"], boxes["parent_id"]):
        if parent is not None and not pd.isna(parent):
            kids.setdefault(parent, []).append(box)
    row_of = {box: n for n, box in enumerate(boxes["box_id"])}
    top = [b for b, p in zip(boxes["box_id"], boxes["parent_id"]) if p is None or pd.isna(p)]
    order, stack = [], list(reversed(top))
    while stack:  # pre-order: a box, then its team
        box = stack.pop()
        order.append(box)
        stack.extend(reversed(kids.get(box, [])))
    right = MARGIN + OUTLINE_WIDTH
    position = {}
    for n, box in enumerate(order):
        depth = int(boxes.at[row_of[box], "depth"])
        x = MARGIN + depth * OUTLINE_INDENT
        position[box] = (x, MARGIN + n * (BOX_HEIGHT + STACK_GAP),
                         max(right - x, OUTLINE_MIN_WIDTH))
    placed = boxes.copy()
    placed["x"] = [position[b][0] for b in placed["box_id"]]
    placed["y"] = [position[b][1] for b in placed["box_id"]]
    placed["width"] = [position[b][2] for b in placed["box_id"]]
    placed = placed.iloc[[row_of[b] for b in order]].reset_index(drop=True)
    lane = max(x + w for x, _, w in position.values()) + OUTLINE_LANE
    points = []
    for line in chart.connectors.itertuples():
        (ax, ay, aw), (bx, by, bw) = position[line.from_id], position[line.to_id]
        if line.line == "solid":  # manager (from) down its left side, across to the report
            trunk = ax + OUTLINE_INDENT / 2
            points.append(((trunk, ay + BOX_HEIGHT), (trunk, by + BOX_HEIGHT / 2),
                           (bx, by + BOX_HEIGHT / 2)))
        else:
            points.append(((ax + aw, ay + BOX_HEIGHT / 2), (lane, ay + BOX_HEIGHT / 2),
                           (lane, by + BOX_HEIGHT / 2), (bx + bw, by + BOX_HEIGHT / 2)))
    connectors = chart.connectors.copy()
    connectors["points"] = points
    width = lane + (OUTLINE_LANE if (connectors["line"] == "dotted").any() else 0) + MARGIN \
        - OUTLINE_LANE
    height = (placed["y"] + placed["height"]).max() + MARGIN
    return OrgChart(placed, connectors, float(max(width, right + MARGIN)), float(height),
                    chart.root, chart.left_out, chart.not_below_root)
