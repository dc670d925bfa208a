"""The interaction graph: who deals with whom (suggestions, reports of shortcomings,
clarifications, reports, coordination...), apart from the reporting lines.

- `interaction_records`: one row per interaction as a role file records it, with the nodes
  it joins: a role's id, or "external:<party>" for an outside party (customers, banks...),
  so that every outside party is a node of its own, shared by every role that names it.
- `interaction_edges`: the edges of the graph, one per (from, to, kind). An interaction
  recorded in both roles' files (A "out" to B, and B "in" from A) is one edge; "out" runs
  from the role to the counterpart, "in" from the counterpart to the role, and "both" is an
  undirected edge between the two (stored with the smaller node id first). The subjects of
  the records it merges are joined by " | "; recorded_by lists the roles whose files hold it.
  This table is the edge CSV.
- `circular_layout`: every node on one circle, grouped by department: roles in order of
  department, layer and title, each outside party right after the first role that names it
  (so most of its edges are short). Labels run outwards along the radius (label_angle, in
  degrees clockwise as Vega rotates text; on the left half turned to read left to right), so
  neighbouring labels never collide. Parallel edges between two nodes (different kinds) are
  spread apart; one-way edges get an arrowhead near their target.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..model.catalogue import Catalogue
from ..model.labels import role_labels, vocabulary
from ..model.schema import EXTERNAL_PREFIX

RECORD_COLUMNS = ["role_id", "counterpart_id", "counterpart_kind", "direction", "kind",
                  "subject", "source", "from_id", "to_id"]
EDGE_COLUMNS = ["from_id", "from_title", "to_id", "to_title", "direction", "kind",
                "kind_name", "subject", "recorded_by"]
NODE_COLUMNS = ["node_id", "title", "node_kind", "department_name", "business_area",
                "interactions", "x", "y", "label_x", "label_y", "label_angle", "side"]
PARALLEL_GAP = 0.035     # distance between parallel edges, in radii of the circle
ARROW_BACK = 0.09        # arrowhead: this far before the target node, in radii
LABEL_RADIUS = 1.07      # labels start just outside the circle and run outwards


def external_id(party: str) -> str:
    """The node id of an outside party: one node per name, whatever its case or spacing."""
    return EXTERNAL_PREFIX + " ".join(str(party).split()).casefold()


def interaction_records(catalogue: Catalogue) -> pd.DataFrame:
    """Every interaction of the role files (RECORD_COLUMNS), with the nodes it joins."""
    records = catalogue.interactions
    if records.empty:
        return pd.DataFrame(columns=RECORD_COLUMNS)
    external = records["counterpart_kind"] == "external"
    counterpart = records["counterpart"].where(~external,
                                               records["counterpart"].map(external_id))
    role, direction = records["role_id"], records["direction"]
    low = pd.concat([role, counterpart], axis=1).min(axis=1)
    high = pd.concat([role, counterpart], axis=1).max(axis=1)
    from_id = np.select([direction == "out", direction == "in"], [role, counterpart], low)
    to_id = np.select([direction == "out", direction == "in"], [counterpart, role], high)
    return pd.DataFrame({
        "role_id": role, "counterpart_id": counterpart,
        "counterpart_kind": records["counterpart_kind"], "direction": direction,
        "kind": records["kind"], "subject": records["subject"], "source": records["source"],
        "from_id": from_id, "to_id": to_id,
    }).reset_index(drop=True)


def node_titles(catalogue: Catalogue) -> dict[str, str]:
    """node id -> label: a role's unique title, an outside party's name as first written."""
    titles = dict(role_labels(catalogue.roles))
    records = catalogue.interactions
    for party in records.loc[records["counterpart_kind"] == "external", "counterpart"]:
        titles.setdefault(external_id(party), " ".join(str(party).split()))
    return titles


def interaction_edges(catalogue: Catalogue, business_area: str | None = None,
                      kinds=None) -> pd.DataFrame:
    """The edges of the interaction graph (EDGE_COLUMNS), optionally only those touching a
    role of one business area and of the given interaction kinds; sorted by from, to, kind."""
    records = interaction_records(catalogue)
    if business_area is not None:
        in_area = set(catalogue.roles.loc[catalogue.roles["business_area"] == business_area,
                                          "role_id"])
        records = records[records["from_id"].isin(in_area) | records["to_id"].isin(in_area)]
    if kinds:
        records = records[records["kind"].isin(list(kinds))]
    if records.empty:
        return pd.DataFrame(columns=EDGE_COLUMNS)
    records = records.assign(way=np.where(records["direction"] == "both", "both", "one-way"))
    edges = (records.groupby(["from_id", "to_id", "way", "kind"], as_index=False, sort=True)
             .agg(subject=("subject", lambda s: " | ".join(dict.fromkeys(s))),
                  recorded_by=("role_id", lambda s: ";".join(sorted(set(s))))))
    titles = node_titles(catalogue)
    kind_names = vocabulary(catalogue.taxonomy, "interaction_kinds")
    edges["from_title"] = edges["from_id"].map(titles).fillna(edges["from_id"])
    edges["to_title"] = edges["to_id"].map(titles).fillna(edges["to_id"])
    edges["kind_name"] = edges["kind"].map(kind_names).fillna(edges["kind"])
    edges = edges.rename(columns={"way": "direction"})
    return edges[EDGE_COLUMNS].reset_index(drop=True)


@dataclass(frozen=True)
class GraphLayout:
    nodes: pd.DataFrame    # NODE_COLUMNS
    edges: pd.DataFrame    # EDGE_COLUMNS + x, y, x2, y2 (offset for parallel edges)
    arrows: pd.DataFrame   # one-way edges: EDGE_COLUMNS + x, y (the arrowhead), angle (deg)


def _node_order(catalogue: Catalogue, node_ids: set[str], edges: pd.DataFrame) -> list[str]:
    roles = catalogue.roles.drop_duplicates("role_id").set_index("role_id")
    metrics = catalogue.metrics.drop_duplicates("role_id").set_index("role_id")
    departments = vocabulary(catalogue.taxonomy, "departments")
    titles = role_labels(catalogue.roles)

    def role_key(r: str):
        layer = metrics["layer"].get(r) if "layer" in metrics else None
        return (str(roles.at[r, "business_area"]),
                departments.get(roles.at[r, "department"], roles.at[r, "department"]).casefold(),
                int(layer) if pd.notna(layer) else 99, titles.get(r, r).casefold(), r)

    role_ids = sorted((n for n in node_ids if n in roles.index), key=role_key)
    externals = {n for n in node_ids if n not in roles.index}
    order: list[str] = []
    for role in role_ids:
        order.append(role)
        linked = set(edges.loc[edges["from_id"] == role, "to_id"]) | set(
            edges.loc[edges["to_id"] == role, "from_id"])
        for party in sorted(linked & externals):
            order.append(party)
            externals.discard(party)
    return order + sorted(externals)


def node_count(edges: pd.DataFrame) -> int:
    """How many roles and outside parties `edges` (interaction_edges) connect: the nodes that
    circular_layout would place, counted without placing them."""
    return len(set(edges["from_id"]) | set(edges["to_id"]))


def circular_layout(catalogue: Catalogue, edges: pd.DataFrame) -> GraphLayout:
    """Positions on the unit circle for the nodes of `edges` (interaction_edges), starting at
    the top and running clockwise; see the module docstring."""
    node_ids = set(edges["from_id"]) | set(edges["to_id"])
    order = _node_order(catalogue, node_ids, edges)
    count = max(len(order), 1)
    angle = {n: math.pi / 2 - 2 * math.pi * i / count for i, n in enumerate(order)}
    roles = catalogue.roles.drop_duplicates("role_id").set_index("role_id")
    departments = vocabulary(catalogue.taxonomy, "departments")
    areas = vocabulary(catalogue.taxonomy, "business_areas")
    titles = node_titles(catalogue)
    degree = pd.concat([edges["from_id"], edges["to_id"]]).value_counts()
    rows = []
    for node in order:
        x, y = math.cos(angle[node]), math.sin(angle[node])
        is_role = node in roles.index
        title = titles.get(node, node)
        rows.append({
            "node_id": node, "title": title, "node_kind": "role" if is_role else "external",
            "department_name": (departments.get(roles.at[node, "department"],
                                                roles.at[node, "department"])
                                if is_role else "outside party"),
            "business_area": (areas.get(roles.at[node, "business_area"],
                                        roles.at[node, "business_area"]) if is_role else ""),
            "interactions": int(degree.get(node, 0)),
            "x": round(x, 4), "y": round(y, 4),
            "label_x": round(LABEL_RADIUS * x, 4), "label_y": round(LABEL_RADIUS * y, 4),
            "label_angle": round(-math.degrees(angle[node]) + (180 if x < -1e-6 else 0), 1)
            % 360,
            "side": "left" if x < -1e-6 else "right",
        })
    nodes = pd.DataFrame(rows, columns=NODE_COLUMNS)
    position = {n: (r["x"], r["y"]) for n, r in zip(nodes["node_id"], rows)}

    drawn = edges.copy()
    pair = [tuple(sorted(p)) for p in zip(drawn["from_id"], drawn["to_id"])]
    drawn["_pair"] = pair
    drawn["_i"] = drawn.groupby("_pair").cumcount()
    drawn["_n"] = drawn.groupby("_pair")["_i"].transform("size")
    coords = []
    for a, b, (low, high), i, n in zip(drawn["from_id"], drawn["to_id"], drawn["_pair"],
                                        drawn["_i"], drawn["_n"]):
        (x1, y1), (x2, y2) = position[a], position[b]
        # the perpendicular of the pair's canonical direction, so all its edges share it
        (px, py), (qx, qy) = position[low], position[high]
        length = math.hypot(qx - px, qy - py) or 1.0
        nx, ny = -(qy - py) / length, (qx - px) / length
        offset = (i - (n - 1) / 2) * PARALLEL_GAP
        coords.append((x1 + nx * offset, y1 + ny * offset, x2 + nx * offset, y2 + ny * offset))
    drawn[["x", "y", "x2", "y2"]] = (pd.DataFrame(coords, index=drawn.index).round(4)
                                     if coords else pd.DataFrame(columns=range(4)))
    drawn = drawn.drop(columns=["_pair", "_i", "_n"])

    arrows = drawn[drawn["direction"] == "one-way"].copy()
    dx, dy = arrows["x2"] - arrows["x"], arrows["y2"] - arrows["y"]
    length = np.hypot(dx, dy).replace(0, 1.0)
    back = np.minimum(ARROW_BACK, length / 2)
    arrows["x"] = (arrows["x2"] - dx / length * back).round(4)
    arrows["y"] = (arrows["y2"] - dy / length * back).round(4)
    # Vega rotates a mark clockwise from "up": pointing along (dx, dy) is atan2(dx, dy)
    arrows["angle"] = np.degrees(np.arctan2(dx, dy)).round(1) % 360
    arrows = arrows.drop(columns=["x2", "y2"])
    return GraphLayout(nodes, drawn.reset_index(drop=True), arrows.reset_index(drop=True))


def edges_table(edges: pd.DataFrame, titles: dict[str, str]) -> pd.DataFrame:
    """The edges as the page shows (and downloads) them: both ends and the roles that
    record an interaction by title, the kind by its name; no ids."""
    return pd.DataFrame({
        "from_title": edges["from_title"], "to_title": edges["to_title"],
        "kind_name": edges["kind_name"], "direction": edges["direction"],
        "subject": edges["subject"],
        "recorded_by": edges["recorded_by"].map(
            lambda ids: ", ".join(titles.get(r, r) for r in str(ids).split(";") if r)),
    }).reset_index(drop=True)

