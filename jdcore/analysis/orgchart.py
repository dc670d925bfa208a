"""The reporting structure as tables: a tidy-tree layout of the org chart and its side views.

Layout (`tree_layout`), a plain tidy tree over the solid lines below one chosen root:
- y is the depth below the root (root 0, its direct reports 1, ...);
- leaves take x = 0, 1, 2, ... in drawing order (children sorted by title, then id);
- a manager sits at the centre of its subtree: halfway between its first and last child.
Only `max_depth` layers below the root are drawn; a role at the last drawn layer that has
reports keeps them hidden, and `left_out` counts every role so hidden. Dotted lines are drawn
between roles that are both on the chart. A cycle never loops the layout: a role is placed once.

The other views (`area_roles`, `layer_counts`, `span_table`, `chain_table`,
`integrity_problems`) are one table each, for the Reporting structure and Authority pages.
"""

from __future__ import annotations

import textwrap
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
EDGE_COLUMNS = ["manager_id", "role_id", "line", "manager_title", "role_title",
                "x", "y", "x2", "y2"]


@dataclass(frozen=True)
class OrgLayout:
    """Where every drawn role sits, the lines between them, and what was not drawn."""

    nodes: pd.DataFrame      # the input role columns + depth, x, y, hidden_below, label
                             # (label: the title wrapped, and "(+n below)" when reports hide)
    edges: pd.DataFrame      # EDGE_COLUMNS: manager at (x, y), report at (x2, y2)
    left_out: int            # roles below the root deeper than max_depth
    not_below_root: int      # roles of the input that are not under the root at all


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


def tree_layout(roles: pd.DataFrame, reporting: pd.DataFrame, root: str,
                max_depth: int = 4) -> OrgLayout:
    """Tidy-tree positions of `root` and at most `max_depth` layers of roles below it.

    `roles` needs role_id, title and reports_to (other columns are carried to the nodes);
    `reporting` needs role_id, manager_id and line (solid lines come from reports_to).
    """
    children = solid_children(roles)
    placed: dict[str, tuple[float, int]] = {}     # role id -> (x, depth)
    parent_of: dict[str, str] = {}
    hidden: dict[str, int] = {}
    seen: set[str] = set()
    next_leaf = 0

    def descendants(node: str) -> int:
        count, stack = 0, list(children.get(node, []))
        while stack:
            child = stack.pop()
            if child in placed or child in seen:
                continue
            seen.add(child)
            count += 1
            stack.extend(children.get(child, []))
        return count

    def place(node: str, depth: int) -> float:
        nonlocal next_leaf
        seen.add(node)
        kids = [c for c in children.get(node, []) if c not in seen]
        xs = []
        if depth < max_depth:
            for child in kids:
                if child not in seen:   # a cycle may lead back to a placed role
                    parent_of[child] = node
                    xs.append(place(child, depth + 1))
        if xs:
            x = (xs[0] + xs[-1]) / 2
        else:
            x = float(next_leaf)
            next_leaf += 1
            hidden[node] = descendants(node) if kids else 0
        placed[node] = (x, depth)
        return x

    if root in set(roles["role_id"]):
        place(root, 0)

    nodes = roles[roles["role_id"].isin(placed)].copy()
    nodes["depth"] = nodes["role_id"].map(lambda r: placed[r][1]).astype("int64")
    nodes["x"] = nodes["role_id"].map(lambda r: placed[r][0]).astype("float64")
    nodes["y"] = nodes["depth"]
    nodes["hidden_below"] = nodes["role_id"].map(lambda r: hidden.get(r, 0)).astype("int64")
    nodes["label"] = [wrap_title(t) + (f"\n(+{n} below)" if n else "")
                      for t, n in zip(nodes["title"], nodes["hidden_below"])]
    nodes = nodes.sort_values(["y", "x"], ignore_index=True)

    titles = dict(zip(roles["role_id"], roles["title"]))
    rows = [{"manager_id": manager, "role_id": rid, "line": "solid"}
            for rid, manager in parent_of.items()]
    dotted = reporting[reporting["line"] == "dotted"]
    rows += [{"manager_id": manager, "role_id": rid, "line": "dotted"}
             for rid, manager in zip(dotted["role_id"], dotted["manager_id"])
             if rid in placed and manager in placed and rid != manager]
    edges = pd.DataFrame(rows, columns=["manager_id", "role_id", "line"])
    edges["manager_title"] = edges["manager_id"].map(titles)
    edges["role_title"] = edges["role_id"].map(titles)
    edges["x"] = edges["manager_id"].map(lambda r: placed[r][0]).astype("float64")
    edges["y"] = edges["manager_id"].map(lambda r: placed[r][1]).astype("int64")
    edges["x2"] = edges["role_id"].map(lambda r: placed[r][0]).astype("float64")
    edges["y2"] = edges["role_id"].map(lambda r: placed[r][1]).astype("int64")
    edges = edges[EDGE_COLUMNS].sort_values(["line", "y2", "x2"], ignore_index=True)

    left_out = sum(hidden.values())
    return OrgLayout(nodes, edges, left_out, len(roles) - len(placed) - left_out)


def wrap_title(title: str, width: int = 18) -> str:
    """A title broken into lines of at most `width` characters (for labels under nodes)."""
    return "\n".join(textwrap.wrap(str(title), width)) or str(title)


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
