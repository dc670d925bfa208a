"""Human labels for ids: role titles, department and category names from the taxonomy."""

from __future__ import annotations

import pandas as pd

from .schema import Taxonomy


def role_labels(roles: pd.DataFrame) -> dict[str, str]:
    """role id -> title; a title shared by several roles gets its id appended to stay unique."""
    ids, titles = roles["role_id"].tolist(), roles["title"].tolist()
    repeated = set(roles["title"][roles["title"].duplicated()].tolist())
    return {rid: f"{title} ({rid})" if title in repeated else title
            for rid, title in zip(ids, titles)}


def vocabulary(taxonomy: Taxonomy | None, name: str) -> dict[str, str]:
    """id -> display name for a taxonomy vocabulary (departments, duty_categories, ...)."""
    if taxonomy is None:
        return {}
    if name == "grades":
        return {g.id: g.name for g in taxonomy.grades}
    values = getattr(taxonomy, name)
    if isinstance(values, dict):
        return {k: (v if isinstance(v, str) else k) for k, v in values.items()}
    return {v: v for v in values}


def in_taxonomy_order(names: dict[str, str], present) -> list[str]:
    """The ids in `present` in the order of a taxonomy vocabulary (`names`, id -> name), the
    ids it does not know last, sorted."""
    present = set(present) - {None}
    known = [i for i in names if i in present]
    return known + sorted(present - set(known), key=str)


def humanise(identifier: str) -> str:
    """`freedom_to_make_decisions` -> `Freedom to make decisions`."""
    text = str(identifier).replace("_", " ").replace("-", " ")
    return text[:1].upper() + text[1:]
