"""A role's profile: everything the Catalogue page shows about one role, as tables."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..model.catalogue import Catalogue
from ..model.labels import humanise, role_labels, vocabulary
from ..model.metrics import CHAIN_SEPARATOR
from ..model.schema import AUTHORITY_SCALES


@dataclass(frozen=True)
class RoleProfile:
    role: pd.Series
    metrics: pd.Series | None
    duties: pd.DataFrame
    category_shares: pd.DataFrame
    qualities: pd.DataFrame
    requirements: pd.DataFrame
    rights: pd.DataFrame
    scales: pd.DataFrame
    interactions: pd.DataFrame
    kpis: pd.DataFrame
    accountabilities: pd.DataFrame        # what the holder answers for, in the role's order
    chain: list[tuple[str, str]]          # (role id, title) from the root down to the role
    direct_reports: pd.DataFrame
    next_steps: list[tuple[str, str]]
    dotted_to: list[tuple[str, str]]


def roles_table(catalogue: Catalogue) -> pd.DataFrame:
    """The browsable role table: one row per role with labels and headline figures."""
    roles, taxonomy = catalogue.roles, catalogue.taxonomy
    labels = role_labels(roles)
    duty_count = catalogue.duties.groupby("role_id").size()
    metrics = catalogue.metrics.set_index("role_id")
    table = pd.DataFrame({
        "role_id": roles["role_id"],
        "title": roles["title"],
        "department": roles["department"].map(vocabulary(taxonomy, "departments")),
        "business_area": roles["business_area"].map(vocabulary(taxonomy, "business_areas")),
        "grade": roles["grade"].map(vocabulary(taxonomy, "grades")),
        "reports_to": roles["reports_to"].map(labels),
        "headcount": roles["headcount"],
        "duties": roles["role_id"].map(duty_count).fillna(0).astype("int64"),
        "authority_index": roles["role_id"].map(metrics["authority_index"]),
        "workload_index": roles["role_id"].map(metrics["workload_index"]),
        "source": roles["source_note"],
    })
    return table.sort_values(["business_area", "department", "title"], ignore_index=True)


def filter_roles(table: pd.DataFrame, departments=(), business_areas=(), grades=(),
                 text: str = "") -> pd.DataFrame:
    """Rows of `roles_table` matching every given filter (display names; text in title)."""
    mask = pd.Series(True, index=table.index)
    if departments:
        mask &= table["department"].isin(departments)
    if business_areas:
        mask &= table["business_area"].isin(business_areas)
    if grades:
        mask &= table["grade"].isin(grades)
    if text.strip():
        mask &= table["title"].str.contains(text.strip(), case=False, regex=False)
    return table[mask].reset_index(drop=True)


def head_role(catalogue: Catalogue, role_ids) -> str | None:
    """Of `role_ids`, the role a profile opens on: the head of the largest organisation (most
    total reports), then the highest layer, then the first title. None for no roles."""
    ids = list(role_ids)
    if not ids:
        return None
    metrics = catalogue.metrics.set_index("role_id").reindex(ids)
    titles = role_labels(catalogue.roles)
    order = pd.DataFrame({
        "role_id": ids,
        "reports": metrics["total_reports"].astype("Float64").fillna(0).to_numpy(),
        "layer": metrics["layer"].astype("Float64").fillna(float("inf")).to_numpy(),
        "title": [titles.get(r, r).casefold() for r in ids]})
    order = order.sort_values(["reports", "layer", "title"], ascending=[False, True, True])
    return str(order["role_id"].iloc[0])


def _titled(catalogue: Catalogue, ids) -> list[tuple[str, str]]:
    labels = role_labels(catalogue.roles)
    return [(rid, labels.get(rid, rid)) for rid in ids]


def category_shares(duties: pd.DataFrame, taxonomy) -> pd.DataFrame:
    """Time share by duty category per role: role_id, category, category_name, time_share, duties."""
    names = vocabulary(taxonomy, "duty_categories")
    shares = (duties.groupby(["role_id", "category"], as_index=False)
              .agg(time_share=("time_share", "sum"), duties=("text", "size")))
    shares.insert(2, "category_name", shares["category"].map(names))
    return shares


UNASSIGNED = "unassigned"
UNASSIGNED_NAME = "Not assigned to a duty"


def with_unassigned(shares: pd.DataFrame, role_ids) -> pd.DataFrame:
    """category_shares plus, for each role whose duties' time shares add up to less than
    100 %, a row for the rest (category UNASSIGNED, 0 duties), so a chart of the shares
    says where the missing time is instead of stopping short."""
    totals = shares.groupby("role_id")["time_share"].sum()
    rest = [(rid, 100.0 - float(totals.get(rid, 0.0))) for rid in role_ids]
    rows = pd.DataFrame([{"role_id": rid, "category": UNASSIGNED, "category_name": UNASSIGNED_NAME,
                          "time_share": round(share, 6), "duties": 0}
                         for rid, share in rest if share > 1e-9], columns=shares.columns)
    return pd.concat([shares, rows], ignore_index=True) if len(rows) else shares


def scale_rows(authority: pd.DataFrame, workload: pd.DataFrame) -> pd.DataFrame:
    """The four authority scales and time pressure (measure, value, group, label, order) of
    the rows given (one role's or several roles'; other columns such as role_id are kept)."""
    scales = authority.rename(columns={"scale": "measure"})
    scales = scales.assign(group="Authority", label=scales["measure"].map(humanise))
    pressure = workload[workload["measure"] == "time_pressure"]
    scales = pd.concat([scales, pressure.assign(group="Workload", label="Time pressure")],
                       ignore_index=True)
    scales["value"] = scales["value"].astype(float)
    scales["order"] = scales["measure"].map(
        {m: i for i, m in enumerate(AUTHORITY_SCALES + ("time_pressure",))})
    return scales


def role_profile(catalogue: Catalogue, role_id: str) -> RoleProfile:
    """Collect the tables of one role's profile."""
    taxonomy = catalogue.taxonomy
    roles = catalogue.roles.set_index("role_id")
    role = roles.loc[role_id]
    of_role = {name: table[table["role_id"] == role_id].drop(columns="role_id")
               for name, table in catalogue.tables.items()}
    metrics = of_role["metrics"].iloc[0] if len(of_role["metrics"]) else None

    categories = vocabulary(taxonomy, "duty_categories")
    duties = of_role["duties"].assign(category_name=lambda d: d["category"].map(categories))
    duties = duties.sort_values(["category_name", "duty_no"], ignore_index=True)

    scales = scale_rows(of_role["authority"], of_role["workload"])

    labels = role_labels(catalogue.roles)
    areas = vocabulary(taxonomy, "decision_right_areas")
    rights = of_role["rights"].assign(area_name=lambda r: r["area"].map(areas))
    interactions = of_role["interactions"].assign(
        counterpart_name=lambda i: [labels.get(c, c) if k == "role" else f"{c} (external)"
                                    for c, k in zip(i["counterpart"], i["counterpart_kind"])])

    chain_ids = (metrics["chain_of_command"].split(CHAIN_SEPARATOR)
                 if metrics is not None else [role_id])
    reports = catalogue.roles[catalogue.roles["reports_to"] == role_id][
        ["role_id", "title", "headcount"]].reset_index(drop=True)
    dotted = catalogue.reporting[(catalogue.reporting["role_id"] == role_id)
                                 & (catalogue.reporting["line"] == "dotted")]["manager_id"]
    return RoleProfile(
        role=role, metrics=metrics, duties=duties,
        category_shares=category_shares(catalogue.duties[catalogue.duties["role_id"] == role_id],
                                        taxonomy),
        qualities=of_role["qualities"], requirements=of_role["requirements"], rights=rights,
        scales=scales, interactions=interactions, kpis=of_role["kpis"],
        accountabilities=of_role["accountabilities"].sort_values("accountability_no",
                                                                 ignore_index=True),
        chain=_titled(catalogue, chain_ids), direct_reports=reports,
        next_steps=_titled(catalogue, of_role["career"]["next_role_id"]),
        dotted_to=_titled(catalogue, dotted),
    )


def profile_tables(profile: RoleProfile, taxonomy) -> dict[str, pd.DataFrame]:
    """The tables of a profile as the Catalogue page shows them (names, not ids; columns named
    after what they hold, see jdcore.model.columns), keyed by their view in KEY_COLUMNS."""
    kinds = vocabulary(taxonomy, "interaction_kinds")
    interactions = profile.interactions.assign(
        kind_name=profile.interactions["kind"].map(lambda k: kinds.get(k, k)))
    return {
        "profile-duties": profile.duties[["text", "category_name", "frequency", "time_share",
                                          "essential", "source"]].rename(
            columns={"text": "duty"}),
        "profile-rights": profile.rights[["area_name", "scope", "limit", "source"]],
        "profile-qualities": profile.qualities[["name", "kind", "source"]].rename(
            columns={"name": "quality"}),
        "profile-requirements": profile.requirements[["text", "kind", "years", "source"]]
        .rename(columns={"text": "requirement"}),
        "profile-interactions": interactions[["counterpart_name", "direction", "kind_name",
                                              "subject", "source"]],
        "profile-kpis": profile.kpis.rename(columns={"name": "kpi"}),
        "profile-accountabilities": profile.accountabilities[["text", "source"]].rename(
            columns={"text": "accountability"}),
    }
