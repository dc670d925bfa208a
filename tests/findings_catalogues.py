"""Small catalogues built for the findings tests: role files written from a few arguments,
with the embedded taxonomy, so each test states only what its finding depends on."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from jdcore import load_catalogue

DATA = Path(__file__).resolve().parent.parent / "data"
SCALES = ("freedom_to_make_decisions", "impact_of_decisions", "responsibility_for_outcomes",
          "frequency_of_decisions")


def role(role_id: str, *, department: str = "sales", area: str = "trade",
         grade: str = "specialist", reports_to: str | None = None, headcount: int = 1,
         duties: list | None = None, rights: list | None = None, authority: int = 3,
         hours: float = 40, pressure: int = 3, travel: float = 0,
         interactions: list | None = None) -> dict:
    """A role document. `duties` are (text, category[, time_share[, frequency]]) tuples
    (10 %, weekly unless given); without them the role has one duty, "Look after <id>", that
    takes all of its time and matches no other role's duty closely."""
    word = role_id.replace("-", " ")
    items = []
    for duty in duties or [(f"Look after {word}", "operations", 100)]:
        text, category, share, frequency = (list(duty) + [10, "weekly"][len(duty) - 2:])[:4]
        items.append({"text": text, "category": category, "frequency": frequency,
                      "time_share": share, "essential": True})
    return {
        "id": role_id, "title": role_id.replace("-", " ").title(), "department": department,
        "business_area": area, "grade": grade, "reports_to": reports_to, "headcount": headcount,
        "summary": f"The {word} role.",
        "source": {"document": "test", "modified": "2024-01-01", "note": "illustrative"},
        "responsibilities": items,
        "rights": [{"area": a, "scope": s} for a, s in (rights or [])],
        "authority": {scale: authority for scale in SCALES},
        "workload": {"weekly_hours": hours, "time_pressure": pressure, "travel_share": travel},
        "interactions": [dict(zip(("with", "direction", "kind", "subject"), i))
                         for i in (interactions or [])],
    }


def write_catalogue(folder: Path, roles: list[dict]):
    """Write taxonomy.yaml (the embedded one) and one file per role; load it."""
    (folder / "roles").mkdir(parents=True)
    shutil.copy(DATA / "taxonomy.yaml", folder / "taxonomy.yaml")
    for document in roles:
        (folder / "roles" / f"{document['id']}.yaml").write_text(
            yaml.safe_dump(document, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return load_catalogue(folder)
