"""Side-by-side comparison of 2 to 6 roles: every table the Compare page shows.

- category_shares: time share by duty category per role (jdcore.analysis.profile.category_shares);
- duty_matches: each duty's best match among the other chosen roles' duties, its similarity
  and status (shared / similar / unique; thresholds in jdcore.analysis.matching);
- scales: the authority scales and time pressure of every role (jdcore.analysis.profile), with 'role';
- index_parts: the authority and workload indices split into the points each part adds
  (jdcore.analysis.indices.index_breakdown of every role, with 'role');
- rights: every role x every decision-right area (jdcore.analysis.indices.rights_matrix); an area a
  role does not list has the lowest scope, as in the authority index;
- role_pairs: the similarity of every pair of chosen roles (jdcore.analysis.matching.role_similarity).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..model.catalogue import Catalogue
from ..model.labels import role_labels, vocabulary
from . import indices, matching
from .profile import UNASSIGNED, category_shares, scale_rows, with_unassigned

MIN_ROLES, MAX_ROLES = 2, 6
DEFAULT_ROLES = ("head-of-sales", "head-of-marketing")


@dataclass(frozen=True)
class Comparison:
    role_ids: tuple[str, ...]
    titles: dict[str, str]             # role id -> unique title, for the chosen roles
    category_shares: pd.DataFrame
    duty_matches: pd.DataFrame
    scales: pd.DataFrame
    index_parts: pd.DataFrame
    rights: pd.DataFrame
    role_pairs: pd.DataFrame


def default_roles(role_ids) -> list[str]:
    """Head of sales vs head of marketing when the catalogue has both, else its first two roles."""
    role_ids = list(role_ids)
    if all(r in role_ids for r in DEFAULT_ROLES):
        return list(DEFAULT_ROLES)
    return role_ids[:MIN_ROLES]


def compare_roles(catalogue: Catalogue, role_ids, index: matching.DutyIndex) -> Comparison:
    """Collect the comparison tables of the given roles (in the given order)."""
    role_ids = tuple(role_ids)
    labels = role_labels(catalogue.roles)
    titles = {r: labels.get(r, r) for r in role_ids}
    duties = catalogue.duties[catalogue.duties["role_id"].isin(role_ids)]
    pairs = matching.duty_similarity(index, role_ids)
    matches = _titled(matching.best_matches(pairs, duties, role_ids), titles,
                      ("role_id", "role"), ("match_role_id", "match_role"))
    categories = vocabulary(catalogue.taxonomy, "duty_categories")
    matches["category_name"] = matches["category"].map(categories).fillna(matches["category"])
    return Comparison(
        role_ids=role_ids, titles=titles,
        category_shares=with_unassigned(category_shares(duties, catalogue.taxonomy), role_ids),
        duty_matches=matches,
        scales=role_scales(catalogue, role_ids, titles),
        index_parts=index_parts(catalogue, role_ids, titles),
        rights=indices.rights_matrix(catalogue, role_ids),
        role_pairs=_titled(matching.role_similarity(pairs, duties, role_ids), titles,
                           ("role_id", "role"), ("other_role_id", "other_role")),
    )


def _titled(frame: pd.DataFrame, titles: dict[str, str], *columns) -> pd.DataFrame:
    frame = frame.copy()
    for source, target in columns:
        frame[target] = frame[source].map(titles)
    return frame


def role_scales(catalogue: Catalogue, role_ids, titles: dict[str, str]) -> pd.DataFrame:
    """The four authority scales and time pressure of every role, as RoleProfile.scales
    (measure, value, group, label, order) plus role_id and role (title)."""
    scales = scale_rows(catalogue.authority[catalogue.authority["role_id"].isin(role_ids)],
                        catalogue.workload[catalogue.workload["role_id"].isin(role_ids)])
    scales["role"] = scales["role_id"].map(titles)
    rank = scales["role_id"].map({r: i for i, r in enumerate(role_ids)})
    return scales.assign(_rank=rank).sort_values(["_rank", "order"]).drop(
        columns="_rank").reset_index(drop=True)


def index_parts(catalogue: Catalogue, role_ids, titles: dict[str, str]) -> pd.DataFrame:
    """jdcore.analysis.indices.index_breakdown of every role, with role_id and role (title)."""
    known = set(catalogue.metrics["role_id"])
    frames = [indices.index_breakdown(catalogue, r).assign(role_id=r, role=titles[r])
              for r in role_ids if r in known]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(
        columns=["index", "index_name", "part", "label", "weight", "value", "contribution",
                 "index_value", "role_id", "role"])


def index_table(parts: pd.DataFrame) -> pd.DataFrame:
    """Side by side: index, part, weight and, per role (title), the points the part adds to
    the index (2 decimals); after each index's parts, a row with the index itself."""
    roles = list(parts["role"].unique())
    rows = []
    for index_name, of_index in parts.groupby("index_name", sort=False):
        points = of_index.pivot_table(index="label", columns="role", values="contribution",
                                      sort=False)
        for label, weight in of_index.drop_duplicates("label")[["label", "weight"]].itertuples(
                index=False):
            rows.append({"index": index_name, "part": label, "weight": weight,
                         **{r: round(float(points.at[label, r]), 2) for r in roles}})
        totals = of_index.drop_duplicates("role").set_index("role")["index_value"]
        rows.append({"index": index_name, "part": f"= {index_name}",
                     "weight": of_index.drop_duplicates("label")["weight"].sum(),
                     **{r: float(totals[r]) for r in roles}})
    return pd.DataFrame(rows, columns=["index", "part", "weight", *roles])


def unknown_parts_note(parts: pd.DataFrame) -> str:
    """A sentence for the roles whose indices rest on some of their parts only (an imported
    role leaves values its document does not state unknown), or "" when every part is known."""
    said = []
    weighted = parts[parts["weight"] > 0]
    for role, rows in weighted.groupby("role", sort=False):
        counts = [f"the {name.lower()} from {int(of['value'].notna().sum())} of {len(of)} parts"
                  for name, of in rows.groupby("index_name", sort=False)
                  if of["value"].isna().any()]
        if counts:
            said.append(f"{role}: {' and '.join(counts)}")
    if not said:
        return ""
    return ("Some indices rest on unknown values, which their job descriptions do not state: "
            + "; ".join(said) + ". Compare those with care.")


def rights_table(rights: pd.DataFrame) -> pd.DataFrame:
    """The decision-rights matrix as shown: one row per decision-right area, one column per
    role (title) holding the scope; from jdcore.analysis.indices.rights_matrix."""
    wide = rights.pivot(index="area_name", columns="title", values="scope")
    wide = wide.reindex(index=rights["area_name"].unique(), columns=rights["title"].unique())
    return wide.rename_axis(index=None, columns=None).reset_index(names="area")


def duty_table(matches: pd.DataFrame) -> pd.DataFrame:
    """The shared / similar / unique duties table as shown. Similarity is cut (not rounded)
    to 2 decimals, so a value shown as 0.25 is never below the 0.25 threshold."""
    return pd.DataFrame({
        "role": matches["role"], "duty": matches["text"], "status": matches["status"],
        "similarity": np.floor(matches["similarity"] * 100 + 1e-9) / 100,
        "best_match": matches["match_text"].fillna(""),
        "best_match_role": matches["match_role"].fillna(""), "category": matches["category_name"],
        "time_share": matches["time_share"],
    })


def pairs_table(pairs: pd.DataFrame) -> pd.DataFrame:
    """The role-pair similarity table as shown (rounded to 2 decimals)."""
    return pd.DataFrame({
        "role_a": pairs["role"], "role_b": pairs["other_role"],
        "similarity": pairs["similarity"].round(2),
        "a_covered_by_b": pairs["coverage"].round(2),
        "b_covered_by_a": pairs["other_coverage"].round(2),
        "shared_duty_pairs": pairs["shared_pairs"], "similar_duty_pairs": pairs["similar_pairs"],
    })


def similarity_matrix(pairs: pd.DataFrame, role_ids, titles: dict[str, str]) -> pd.DataFrame:
    """Both orders of every pair plus the diagonal (1.0): role, other_role, similarity,
    shared_pairs, similar_pairs; for the heatmap."""
    forward = pairs[["role", "other_role", "similarity", "shared_pairs", "similar_pairs"]]
    backward = forward.rename(columns={"role": "other_role", "other_role": "role"})
    diagonal = pd.DataFrame({"role": [titles[r] for r in role_ids],
                             "other_role": [titles[r] for r in role_ids], "similarity": 1.0})
    matrix = pd.concat([f for f in (forward, backward, diagonal) if not f.empty],
                       ignore_index=True)
    return matrix.astype({"shared_pairs": "Int64", "similar_pairs": "Int64"})[
        ["role", "other_role", "similarity", "shared_pairs", "similar_pairs"]]


# --- the answer first: the key differences in sentences -------------------------------------

SIMILARITY_WORDS = ((0.6, "largely the same work"), (0.35, "partly the same work"),
                    (0.15, "mostly different work"), (0.0, "almost entirely different work"))
SCOPE_VERBS = {"none": ("has no say on", "has no say"),   # scope -> (with an area, alone)
               "recommend": ("only recommends on", "only recommends"),
               "approve": ("approves", "approves"), "decide": ("decides on", "decides")}
SUMMARY_AREAS = 4       # decision-right areas named at most
SUMMARY_PARTS = 2       # index parts named as what drives a difference


@dataclass(frozen=True)
class SummaryPoint:
    """One sentence of the summary: what it is about (similarity, duties, categories,
    authority, workload, rights) and the sentence, plain text with its numbers."""

    topic: str
    text: str


def similarity_words(similarity: float) -> str:
    """The overall duty similarity (0-1) in words: "mostly different work" ..."""
    return next(words for floor, words in SIMILARITY_WORDS if similarity >= floor)


def _percent(value: float) -> str:
    return f"{float(value):g}\u00a0%"


def _names(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _similarity_point(comparison: Comparison) -> SummaryPoint | None:
    pairs = comparison.role_pairs
    if pairs.empty:
        return None
    ordered = pairs.sort_values("similarity", ascending=False)
    first = ordered.iloc[0]

    def pair_text(pair) -> str:
        return (f"{pair['similarity']:.2f} of 1 ({int(pair['shared_pairs'])} shared and "
                f"{int(pair['similar_pairs'])} similar duty pairs)")

    if len(pairs) == 1:
        return SummaryPoint("similarity", (
            f"{first['role']} and {first['other_role']} do "
            f"{similarity_words(first['similarity'])}: overall duty similarity "
            f"{pair_text(first)}."))
    last = ordered.iloc[-1]
    return SummaryPoint("similarity", (
        f"Most alike: {first['role']} and {first['other_role']}, "
        f"{similarity_words(first['similarity'])} with a duty similarity of "
        f"{pair_text(first)}. Least alike: {last['role']} and {last['other_role']}, "
        f"{similarity_words(last['similarity'])} at {pair_text(last)}."))


def _category_points(comparison: Comparison) -> list[SummaryPoint]:
    shares = comparison.category_shares
    shares = shares[(shares["time_share"] > 0) & (shares["category"] != UNASSIGNED)]
    holders = shares.groupby("category")["role_id"].nunique()
    only = shares[shares["category"].map(holders) == 1]
    points = []
    others = "the other role" if len(comparison.role_ids) == 2 else "the other chosen roles"
    for role_id in comparison.role_ids:
        own = only[only["role_id"] == role_id].sort_values("time_share", ascending=False)
        if own.empty:
            continue
        listed = [f"{name} ({_percent(share)})"
                  for name, share in zip(own["category_name"], own["time_share"])]
        points.append(SummaryPoint("categories", (
            f"Only {comparison.titles[role_id]} spends time on {_names(listed)}, "
            f"{_percent(own['time_share'].sum())} of its working time in all; {others} "
            f"{'has' if len(comparison.role_ids) == 2 else 'have'} no duty in "
            f"{'this category' if len(listed) == 1 else 'these categories'}.")))
    return points


def _duty_points(comparison: Comparison) -> list[SummaryPoint]:
    matches = comparison.duty_matches
    points = []
    for role_id in comparison.role_ids:
        own = matches[matches["role_id"] == role_id]
        unique = own[own["status"] == "unique"].sort_values("time_share", ascending=False)
        if own.empty:
            continue
        share = unique["time_share"].sum()
        text = (f"{len(unique)} of the {len(own)} duties of {comparison.titles[role_id]} "
                f"({_percent(share)} of its working time) match no duty of the "
                f"{'other role' if len(comparison.role_ids) == 2 else 'other chosen roles'}")
        if len(unique):
            top = unique.iloc[0]
            text += (f"; the largest is \u201c{top['text']}\u201d "
                     f"({_percent(top['time_share'])} of its time)")
        points.append(SummaryPoint("duties", text + "."))
    return points


def _index_points(comparison: Comparison) -> list[SummaryPoint]:
    parts = comparison.index_parts
    points = []
    for (index, index_name), of_index in parts.groupby(["index", "index_name"], sort=False):
        totals = of_index.drop_duplicates("role_id").set_index("role_id")["index_value"]
        if len(totals) < 2:
            continue
        high, low = totals.idxmax(), totals.idxmin()
        gap = float(totals[high] - totals[low])
        if gap <= 0:
            points.append(SummaryPoint(index, f"{index_name}: all at {totals[high]:.1f}."))
            continue
        by_part = of_index.pivot_table(index="label", columns="role_id",
                                       values="contribution", sort=False)
        drivers = (by_part[high] - by_part[low]).sort_values(ascending=False)
        drivers = drivers[drivers > 0].head(SUMMARY_PARTS)
        named = [f"{label.lower()} (+{points_:.1f} points)" for label, points_ in drivers.items()]
        high_title, low_title = comparison.titles[high], comparison.titles[low]
        points.append(SummaryPoint(index, (
            f"{index_name}: {high_title} {totals[high]:.1f}, {low_title} {totals[low]:.1f} "
            f"({gap:.1f} points apart, on a 0-100 scale)"
            + (f"; most of the gap comes from {_names(named)}" if named else "") + ".")))
    return points


def _rights_point(comparison: Comparison) -> SummaryPoint | None:
    rights = comparison.rights
    if rights.empty:
        return None
    areas = rights["area"].nunique()
    differing = []
    for area, of_area in rights.groupby("area", sort=False):
        if of_area["scope_level"].nunique() < 2:
            continue
        high = of_area.sort_values("scope_level", ascending=False, kind="stable").iloc[0]
        low = of_area.sort_values("scope_level", kind="stable").iloc[0]
        differing.append((int(high["scope_level"] - low["scope_level"]), high, low))
    if not differing:
        return SummaryPoint("rights", f"Decision rights: the same scope in all {areas} areas.")
    differing.sort(key=lambda item: -item[0])  # the widest gaps first (decide vs recommend)

    def verb(scope: str, alone: bool = False) -> str:
        return SCOPE_VERBS.get(scope, (f"has the scope '{scope}' on",
                                       f"has the scope '{scope}'"))[alone]

    said = [f"{high['title']} {verb(high['scope'])} {high['area_name'].lower()} where "
            f"{low['title']} {verb(low['scope'], alone=True)}"
            for _, high, low in differing[:SUMMARY_AREAS]]
    more = len(differing) - SUMMARY_AREAS
    return SummaryPoint("rights", (
        f"Decision rights differ in {len(differing)} of {areas} areas: " + "; ".join(said)
        + (f"; and {more} more" if more > 0 else "") + "."))


def comparison_summary(comparison: Comparison) -> list[SummaryPoint]:
    """The key differences of the chosen roles in plain sentences, each with its numbers,
    computed from the same tables the Compare page charts: the similarity in words, the duty
    categories only one role has, the duties without a match, the largest gaps in the
    authority and workload indices with the parts that make them, and the decision-right
    areas where the roles' scopes differ (the widest gaps first)."""
    points = [_similarity_point(comparison), *_category_points(comparison),
              *_duty_points(comparison), *_index_points(comparison),
              _rights_point(comparison)]
    return [point for point in points if point is not None]
