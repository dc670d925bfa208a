"""The authority and workload indices laid open: every part, its weight and its contribution.

An index is 100 * sum(weight * part) / sum(weights) (see jdcore.model.metrics), so the contribution
of one part is 100 * weight * part / sum(weights), and the contributions add up to the index.
The breakdown uses the parts before rounding (the metrics table keeps them to 3 decimals and
the index to 1), so the sum of the contributions rounds to exactly the index in the table.
Also here: the decision-rights matrix (roles x decision-right areas) for the heatmap.
"""

from __future__ import annotations

import pandas as pd

from ..model import metrics
from ..model.catalogue import Catalogue
from ..model.labels import humanise, role_labels, vocabulary
from ..model.schema import AUTHORITY_PARTS, WORKLOAD_PARTS

INDICES = {"authority": "Authority index", "workload": "Workload index"}


def index_parts(catalogue: Catalogue) -> pd.DataFrame:
    """One row per part of each index: index, part, column (in metrics), label, weight.

    A part the taxonomy gives no weight counts with weight 0, as in jdcore.model.metrics.
    """
    taxonomy = catalogue.taxonomy
    weights = {"authority": taxonomy.authority_index.weights,
               "workload": taxonomy.workload_index.weights}
    rows = [{"index": index, "part": part, "column": f"{index}_{part}",
             "label": humanise(part), "weight": float(weights[index].get(part, 0.0))}
            for index, parts in (("authority", AUTHORITY_PARTS), ("workload", WORKLOAD_PARTS))
            for part in parts]
    return pd.DataFrame(rows, columns=["index", "part", "column", "label", "weight"])


def index_table(catalogue: Catalogue) -> pd.DataFrame:
    """One row per role: title, department, business area, headcount, total reports,
    both indices and every part of each (columns as in the metrics table)."""
    roles, taxonomy = catalogue.roles, catalogue.taxonomy
    metrics = catalogue.metrics.set_index("role_id").reindex(roles["role_id"])
    parts = list(index_parts(catalogue)["column"])
    table = pd.DataFrame({
        "role_id": roles["role_id"].to_numpy(),
        "title": roles["role_id"].map(role_labels(roles)).to_numpy(),
        "department": roles["department"].map(vocabulary(taxonomy, "departments"))
        .fillna(roles["department"]).to_numpy(),
        "business_area": roles["business_area"].map(vocabulary(taxonomy, "business_areas"))
        .fillna(roles["business_area"]).to_numpy(),
        "headcount": roles["headcount"].astype("int64").to_numpy(),
        "total_reports": metrics["total_reports"].astype("Float64").fillna(0)
        .astype("int64").to_numpy(),
    })
    for column in ["authority_index", "workload_index", *parts]:
        table[column] = metrics[column].astype("float64").to_numpy()
    for index in INDICES:  # "62.0, from 3 of 6 parts" when some parts are unknown
        table[f"{index}_basis"] = [
            index_basis(v, k, w) for v, k, w in zip(
                metrics[f"{index}_index"], metrics[f"known_{index}_parts"],
                metrics[f"weighted_{index}_parts"])]
    return table


def index_basis(value, known, weighted) -> str:
    """An index with the parts it rests on: "62.0" when every weighted part is known,
    "62.0, from 3 of 6 parts" when some are unknown, "unknown" when none is."""
    if value is None or pd.isna(value):
        return "unknown"
    if pd.isna(known) or pd.isna(weighted) or int(known) >= int(weighted):
        return f"{float(value):.1f}"
    return f"{float(value):.1f}, from {int(known)} of {int(weighted)} parts"


def index_ranking(table: pd.DataFrame, index: str) -> pd.DataFrame:
    """Roles ranked by one index (highest first): rank, title, department, index value."""
    column = f"{index}_index"
    ranked = table.sort_values([column, "title"], ascending=[False, True], ignore_index=True)
    ranked.insert(0, "rank", ranked[column].rank(method="min", ascending=False).astype("int64"))
    return ranked[["rank", "role_id", "title", "department", "business_area", column]]


def index_breakdown(catalogue: Catalogue, role_id: str) -> pd.DataFrame:
    """Each part of both indices for one role: index, part, label, weight, value (0-1),
    contribution (index points) and the index itself; contributions add up to the index."""
    taxonomy = catalogue.taxonomy
    parts = index_parts(catalogue)
    row = catalogue.metrics.set_index("role_id").loc[role_id]
    # The parts again, unrounded (the metrics table keeps them to 3 decimals), from this
    # role's rows only: its structure figures are in the metrics table, and the parts of one
    # role do not depend on the other roles' rows (a 10,000-role catalogue: 0.4 s -> 0.02 s).
    structure = catalogue.metrics[catalogue.metrics["role_id"] == role_id].head(1)
    own = {name: catalogue.tables[name][catalogue.tables[name]["role_id"] == role_id]
           for name in ("authority", "rights", "workload", "duties")}
    values = {
        "authority": metrics.authority_parts(own, structure, taxonomy).loc[0],
        "workload": metrics.workload_parts(own, structure, taxonomy).loc[0],
    }
    breakdown = parts.assign(
        index_name=parts["index"].map(INDICES),
        value=[float(values[i][p]) for i, p in zip(parts["index"], parts["part"])],
    )
    # An unknown part (an imported role's unstated value) is left out of the index and of
    # its divisor, as in jdcore.model.metrics; its value and contribution stay empty.
    known_weight = breakdown["weight"].where(breakdown["value"].notna(), 0.0)
    total_weight = known_weight.groupby(breakdown["index"]).transform("sum").replace(0, 1.0)
    breakdown["contribution"] = 100 * breakdown["weight"] * breakdown["value"] / total_weight
    breakdown["index_value"] = [float(row[f"{i}_index"]) for i in breakdown["index"]]
    return breakdown[["index", "index_name", "part", "label", "weight", "value",
                      "contribution", "index_value"]]


def rights_matrix(catalogue: Catalogue, role_ids) -> pd.DataFrame:
    """Roles x every decision-right area of the taxonomy: the role's highest scope there.

    An area the role does not list gets the lowest scope (as in the authority index) and
    listed = False. Columns: role_id, title, area, area_name, scope, scope_level, limit, listed.
    """
    taxonomy = catalogue.taxonomy
    areas = vocabulary(taxonomy, "decision_right_areas")
    lowest = taxonomy.decision_right_scopes[0]
    labels = role_labels(catalogue.roles)
    rights = catalogue.rights[catalogue.rights["role_id"].isin(list(role_ids))]
    best = (rights.sort_values("scope_level", ascending=False)
            .drop_duplicates(["role_id", "area"]).set_index(["role_id", "area"]))
    rows = []
    for rid in role_ids:
        for area, area_name in areas.items():
            listed = (rid, area) in best.index
            right = best.loc[(rid, area)] if listed else None
            rows.append({
                "role_id": rid, "title": labels.get(rid, rid), "area": area,
                "area_name": area_name,
                "scope": right["scope"] if listed else lowest,
                "scope_level": (int(right["scope_level"])
                                if listed and pd.notna(right["scope_level"]) else 0),
                "limit": (right["limit"] if listed and isinstance(right["limit"], str)
                          else ""),
                "listed": listed,
            })
    return pd.DataFrame(rows, columns=["role_id", "title", "area", "area_name", "scope",
                                       "scope_level", "limit", "listed"])
