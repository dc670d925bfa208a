"""Derived figures per role: place in the reporting structure, authority and workload indices.

Reporting structure (solid lines only):
- layer: 1 for the root of a business area, 2 for the roles reporting to it, and so on;
  empty for a role that no root reaches (a cycle or a missing manager above it).
- direct_reports: headcount of the roles whose reports_to is this role.
- total_reports: headcount of every role below this one, at any depth.
- span_of_control: direct_reports per incumbent (direct_reports / headcount).
- span_flag: "none" without reports, "under" / "over" outside taxonomy span_of_control, else "ok".
- chain_of_command: the role ids from the root down to this role, joined by " > ".

Indices (0-100) are weighted means of parts in 0-1, with weights from taxonomy.yaml:
- authority_index = 100 * sum(w * part) / sum(w) over
  the four authority scales, each (scale - 1) / 4;
  decision_rights = mean scope level / top level over every decision-right area of the
  taxonomy (an area the role does not list counts as the lowest scope);
  span = log(1 + total_reports) / log(1 + span_reference), capped at 1.
- workload_index = 100 * sum(w * part) / sum(w) over
  weekly_hours = (hours - hours_floor) / (hours_ceiling - hours_floor), clipped to 0-1;
  time_pressure = (scale - 1) / 4;
  duty_load = sum of the frequency weights of the role's duties / duty_load_reference, capped at 1;
  management_load = span_of_control / span_of_control.max, capped at 1;
  travel = travel_share / 100.
Every part is kept in the table beside the index, as authority_<part> and workload_<part>.
A part is unknown (NaN) when a value it rests on is unknown (an imported role's authority
scale, workload measure or a duty's frequency); the index is then the weighted mean of the
known parts only, and known_<index>_parts / weighted_<index>_parts say how many it used
("authority 62, from 3 of 6 parts"). Roles with every value known are not affected.
"""

from __future__ import annotations

import math
from collections import deque
from typing import NamedTuple

import numpy as np
import pandas as pd

from .schema import AUTHORITY_PARTS, AUTHORITY_SCALES, WORKLOAD_PARTS, Taxonomy

METRIC_COLUMNS = (
    ["role_id", "layer", "direct_reports", "total_reports", "span_of_control", "span_flag",
     "chain_of_command", "authority_index"]
    + [f"authority_{p}" for p in AUTHORITY_PARTS]
    + ["workload_index"]
    + [f"workload_{p}" for p in WORKLOAD_PARTS]
    + ["known_authority_parts", "weighted_authority_parts", "known_workload_parts",
       "weighted_workload_parts"]
)
CHAIN_SEPARATOR = " > "


def solid_parents(roles: pd.DataFrame) -> dict[str, str]:
    """role id -> manager id, for solid lines to roles that exist (self-lines dropped)."""
    ids = roles["role_id"].tolist()  # lists: far cheaper to walk than Arrow-backed columns
    known = set(ids)
    return {r: m for r, m in zip(ids, roles["reports_to"].tolist())
            if isinstance(m, str) and m in known and m != r}


def chain_of_command(parents: dict[str, str], role_id: str) -> list[str]:
    """Role ids from the top of the chain down to `role_id` (stops before repeating a role)."""
    chain = [role_id]
    seen = {role_id}
    while (manager := parents.get(chain[-1])) is not None and manager not in seen:
        chain.append(manager)
        seen.add(manager)
    return chain[::-1]


def structure_metrics(roles: pd.DataFrame, taxonomy: Taxonomy) -> pd.DataFrame:
    """layer, direct and total reports, span of control and its flag, chain of command."""
    ids = roles["role_id"].tolist()
    headcount = dict(zip(ids, roles["headcount"].astype(int).tolist()))
    parents = solid_parents(roles)
    children: dict[str, list[str]] = {}
    for child, manager in parents.items():
        children.setdefault(manager, []).append(child)

    layer: dict[str, int] = {}
    queue = deque((r, 1) for r, m in zip(ids, roles["reports_to"].tolist())
                  if not isinstance(m, str))
    while queue:
        node, depth = queue.popleft()
        if node in layer:
            continue
        layer[node] = depth
        queue.extend((c, depth + 1) for c in children.get(node, []))

    # Totals bottom-up in topological order; roles in a cycle never get one.
    pending = {r: len(children.get(r, [])) for r in ids}
    total: dict[str, int] = {}
    ready = deque(r for r in ids if pending[r] == 0)
    while ready:
        node = ready.popleft()
        total[node] = sum(total[c] + headcount[c] for c in children.get(node, []))
        manager = parents.get(node)
        if manager is not None:
            pending[manager] -= 1
            if pending[manager] == 0:
                ready.append(manager)

    direct = {r: sum(headcount[c] for c in children.get(r, [])) for r in ids}
    span = {r: direct[r] / headcount[r] for r in ids}
    low, high = taxonomy.span_of_control.min, taxonomy.span_of_control.max

    def flag(r: str) -> str:
        if direct[r] == 0:
            return "none"
        return "under" if span[r] < low else "over" if span[r] > high else "ok"

    return pd.DataFrame({
        "role_id": ids,
        "layer": pd.array([layer.get(r) for r in ids], dtype="Int64"),
        "direct_reports": pd.array([direct[r] for r in ids], dtype="Int64"),
        "total_reports": pd.array([total.get(r) for r in ids], dtype="Int64"),
        "span_of_control": [span[r] for r in ids],
        "span_flag": [flag(r) for r in ids],
        "chain_of_command": [CHAIN_SEPARATOR.join(chain_of_command(parents, r)) for r in ids],
    })


def authority_parts(tables: dict[str, pd.DataFrame], structure: pd.DataFrame,
                    taxonomy: Taxonomy) -> pd.DataFrame:
    """The parts of the authority index (0-1), one row per role."""
    ids = structure["role_id"]
    scales = (tables["authority"].pivot(index="role_id", columns="scale", values="value")
              .reindex(index=ids, columns=list(AUTHORITY_SCALES)).astype(float))
    parts = (scales - 1) / 4
    top = max(len(taxonomy.decision_right_scopes) - 1, 1)
    rights = tables["rights"]
    rights = rights[rights["area"].isin(list(taxonomy.decision_right_areas))
                    & rights["scope_level"].notna()]
    best = (rights.groupby(["role_id", "area"])["scope_level"].max().astype(float)
            .groupby("role_id").sum() if len(rights) else pd.Series(dtype=float))
    parts["decision_rights"] = (best.reindex(ids).fillna(0)
                                / (top * len(taxonomy.decision_right_areas))).to_numpy()
    reference = math.log1p(taxonomy.authority_index.span_reference)
    total = structure["total_reports"].astype("Float64").fillna(0).to_numpy(dtype=float)
    parts["span"] = np.minimum(np.log1p(total) / reference, 1.0)
    return parts.reset_index(drop=True)


def workload_parts(tables: dict[str, pd.DataFrame], structure: pd.DataFrame,
                   taxonomy: Taxonomy) -> pd.DataFrame:
    """The parts of the workload index (0-1), one row per role."""
    ids = structure["role_id"]
    spec = taxonomy.workload_index
    measures = (tables["workload"].pivot(index="role_id", columns="measure", values="value")
                .reindex(ids))
    duties = tables["duties"]
    weights = duties["frequency"].map(taxonomy.frequencies).astype(float)
    load = weights.groupby(duties["role_id"]).sum().reindex(ids).fillna(0)
    # a role with a duty of unknown frequency has an unknown duty load
    unknown = duties["role_id"][duties["frequency"].isna()].unique()
    if len(unknown):
        load[load.index.isin(unknown)] = float("nan")
    span = structure.set_index("role_id")["span_of_control"].reindex(ids)
    parts = pd.DataFrame({
        "weekly_hours": ((measures["weekly_hours"] - spec.hours_floor)
                         / (spec.hours_ceiling - spec.hours_floor)).clip(0, 1),
        "time_pressure": (measures["time_pressure"] - 1) / 4,
        "duty_load": (load / spec.duty_load_reference).clip(upper=1),
        "management_load": (span / taxonomy.span_of_control.max).clip(upper=1),
        "travel": measures["travel_share"] / 100,
    })
    return parts.reset_index(drop=True)


def weighted_index(parts: pd.DataFrame, weights: dict[str, float]) -> pd.Series:
    """100 * sum(weight * part) / sum(weights), over the parts named in `weights` that are
    known: an unknown part (NaN) leaves the sum and its weight leaves the divisor. A role
    with every part known gets exactly the figure of the full formula; one with no weighted
    part known gets no index (NaN)."""
    used = {name: w for name, w in weights.items() if name in parts.columns}
    if all(parts[name].notna().all() for name in used):
        total = sum(used.values()) or 1.0
        score = sum(parts[name] * w for name, w in used.items())
        return (100 * score / total).round(1)
    total = sum(parts[name].notna() * w for name, w in used.items())
    score = sum(parts[name].fillna(0) * w for name, w in used.items())
    index = 100 * score / total.where(total > 0)
    if not any(w for w in used.values()):
        index = pd.Series(0.0, index=parts.index)
    return index.astype(float).round(1)


def known_parts(parts: pd.DataFrame, weights: dict[str, float]) -> tuple[pd.Series, int]:
    """How many of the weighted parts are known, per role, and how many are weighted."""
    used = [name for name, w in weights.items() if name in parts.columns and w > 0]
    known = sum((parts[name].notna().astype(int) for name in used),
                pd.Series(0, index=parts.index))
    return known, len(used)


def compute_metrics(tables: dict[str, pd.DataFrame], taxonomy: Taxonomy) -> pd.DataFrame:
    """One row per role: structure figures, the authority and workload indices and their parts."""
    roles = tables["roles"]
    if roles.empty:
        return pd.DataFrame(columns=METRIC_COLUMNS)
    return metrics_of(tables, structure_metrics(roles, taxonomy), taxonomy)


STRUCTURE_COLUMNS = ["role_id", "layer", "direct_reports", "total_reports", "span_of_control",
                     "span_flag", "chain_of_command"]


class StructureBefore(NamedTuple):
    """A catalogue's structure as structure_update reads it: role id -> solid manager
    (solid_parents), headcount, layer, total reports and chain of command."""

    parents: dict[str, str]
    head: dict[str, int]
    layer: dict[str, int]
    total: dict[str, int]
    chain: dict[str, str]


def structure_before(roles: pd.DataFrame, structure: pd.DataFrame) -> StructureBefore | None:
    """What structure_update needs of a catalogue (its roles and their structure_metrics),
    once; None when a role has no layer or total (a cycle or a line to no role)."""
    if structure["layer"].isna().any() or structure["total_reports"].isna().any():
        return None
    structure = structure.drop_duplicates("role_id")
    ids = structure["role_id"].tolist()
    return StructureBefore(
        solid_parents(roles),
        dict(zip(roles["role_id"].tolist(), roles["headcount"].astype(int).tolist())),
        dict(zip(ids, structure["layer"].astype("int64").tolist())),
        dict(zip(ids, structure["total_reports"].astype("int64").tolist())),
        dict(zip(ids, structure["chain_of_command"].tolist())))


def structure_update(roles: pd.DataFrame, taxonomy: Taxonomy,
                     before: StructureBefore | None) -> tuple[pd.DataFrame, set[str]] | None:
    """The structure figures (structure_metrics' columns) after an edit of the roles table,
    recomputed only where the edit reaches, with `before` the catalogue's before
    (structure_before). A role whose solid manager changed, or that is new,
    changes the layer and chain of its whole subtree; a role whose manager or headcount
    changed, or that is new or gone, changes the direct reports and span of its old and new
    managers and the total reports of every role above it, before and after. Returns the
    rows of the roles whose figures may have changed (every one of them recomputed as
    structure_metrics would) and their ids; None when the edit cannot be followed this way
    (a role without a layer before or after: a cycle or a line to no role), for
    structure_metrics to recompute the whole."""
    ids = roles["role_id"].tolist()
    if before is None or len(set(ids)) != len(ids):
        return None
    head = dict(zip(ids, roles["headcount"].astype(int).tolist()))
    old_head, old_parents = before.head, before.parents
    parents = solid_parents(roles)
    tops = {r for r, m in zip(ids, roles["reports_to"].tolist()) if not isinstance(m, str)}
    if any(r not in parents and r not in tops for r in ids):
        return None  # a self-line or a line to no role: no layer
    children: dict[str, list[str]] = {}
    for child, manager in parents.items():
        children.setdefault(manager, []).append(child)
    gone = set(old_head) - set(head)
    relined = {r for r in ids if r not in old_head or parents.get(r) != old_parents.get(r)}
    seeds = relined | gone | {r for r in ids if r in old_head and head[r] != old_head[r]}
    layer, total, chain = dict(before.layer), dict(before.total), dict(before.chain)

    # layers and chains: the subtrees of the roles whose line changed, top down
    below: list[str] = []
    stack = sorted(relined)
    seen: set[str] = set()
    while stack:
        node = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        below.append(node)
        stack.extend(children.get(node, []))
    order: list[str] = []
    placed: set[str] = set()
    for node in below:  # each role after its manager, when both are in the subtrees
        path = []
        while node in seen and node not in placed:
            path.append(node)
            placed.add(node)
            node = parents.get(node)
            if len(path) > len(ids):
                return None
        order.extend(reversed(path))
    for node in order:
        manager = parents.get(node)
        if manager is None:
            layer[node], chain[node] = 1, node
        else:
            layer[node] = layer[manager] + 1
            chain[node] = chain[manager] + CHAIN_SEPARATOR + node
    # direct reports and spans: each old and new manager; totals: every role above, bottom up
    managed = set(seeds) - gone
    above: set[str] = set()
    for role in seeds:
        for lines in (parents, old_parents):
            manager, steps = lines.get(role), 0
            while manager is not None and steps <= len(ids):
                if manager in head:
                    above.add(manager)
                manager, steps = lines.get(manager), steps + 1
            if steps > len(ids):
                return None
    managed |= above
    for node in sorted(managed, key=lambda r: -layer[r]):
        total[node] = sum(total[c] + head[c] for c in children.get(node, []))
    changed = managed | set(order)
    rows = [r for r in ids if r in changed]
    direct = {r: sum(head[c] for c in children.get(r, [])) for r in rows}
    low, high = taxonomy.span_of_control.min, taxonomy.span_of_control.max
    span = {r: direct[r] / head[r] for r in rows}
    flag = ["none" if direct[r] == 0 else "under" if span[r] < low
            else "over" if span[r] > high else "ok" for r in rows]
    return pd.DataFrame({
        "role_id": rows,
        "layer": pd.array([layer[r] for r in rows], dtype="Int64"),
        "direct_reports": pd.array([direct[r] for r in rows], dtype="Int64"),
        "total_reports": pd.array([total[r] for r in rows], dtype="Int64"),
        "span_of_control": pd.array([span[r] for r in rows], dtype="float64"),
        "span_flag": pd.array(flag, dtype="str"),
        "chain_of_command": pd.array([chain[r] for r in rows], dtype="str"),
    }), changed


def metrics_of(tables: dict[str, pd.DataFrame], structure: pd.DataFrame,
               taxonomy: Taxonomy) -> pd.DataFrame:
    """The metrics of the roles in `structure` (rows of structure_metrics, which needs the
    whole catalogue), from their rows of `tables`: the indices only read a role's own rows,
    so a few changed roles whose place in the structure stayed are recomputed alone."""
    authority = authority_parts(tables, structure, taxonomy)
    workload = workload_parts(tables, structure, taxonomy)
    result = structure.copy()
    result["authority_index"] = weighted_index(authority, taxonomy.authority_index.weights)
    for part in AUTHORITY_PARTS:
        result[f"authority_{part}"] = authority[part].round(3)
    result["workload_index"] = weighted_index(workload, taxonomy.workload_index.weights)
    for part in WORKLOAD_PARTS:
        result[f"workload_{part}"] = workload[part].round(3)
    for name, parts, weights in (("authority", authority, taxonomy.authority_index.weights),
                                 ("workload", workload, taxonomy.workload_index.weights)):
        known, weighted = known_parts(parts, weights)
        result[f"known_{name}_parts"] = pd.array(known.to_numpy(), dtype="Int64")
        result[f"weighted_{name}_parts"] = pd.array([weighted] * len(result), dtype="Int64")
    return result[METRIC_COLUMNS]
