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


def varied_synthetic_catalogue(folder: Path, roles: int = 60, seed: int = 1):
    """A synthetic catalogue (jdcore.synth) whose role files are then changed so that every
    rule of the findings registry finds something: time shares over 100 % and under 80 %,
    long hours, duties that need a decision right the role lacks, managers who distribute
    work, an area without health and safety duties and departments without planning. The
    changes depend on the file's place only, so the catalogue is the same on every run."""
    from jdcore.synth import write_synthetic_catalogue

    write_synthetic_catalogue(folder, roles, seed=seed)
    files = sorted((folder / "roles").glob("*.yaml"))
    documents = [yaml.safe_load(f.read_text(encoding="utf-8")) for f in files]
    areas = sorted({d["business_area"] for d in documents})
    for n, document in enumerate(documents):
        duties = document["responsibilities"]
        if n % 9 == 0 and duties:
            duties[0]["time_share"] = duties[0]["time_share"] + 60
        elif n % 9 == 1:
            for duty in duties:
                duty["time_share"] = duty["time_share"] // 2
        if n % 11 == 2:
            document["workload"]["weekly_hours"] = 70
        if n % 7 == 3:
            duties.append({"text": "Approve the budget for overtime payments",
                           "category": "budget-finance", "frequency": "monthly",
                           "time_share": 1, "essential": True})
            document["rights"] = [r for r in document["rights"] if r["area"] != "budget"]
        if n % 5 == 4:
            duties.append({"text": "Distribute tasks and workload among the team",
                           "category": "people-management", "frequency": "weekly",
                           "time_share": 1, "essential": True})
        if document["business_area"] == areas[-1]:
            document["responsibilities"] = [d for d in duties
                                            if d["category"] != "health-safety"]
        if n % 4 == 0:
            document["responsibilities"] = [d for d in document["responsibilities"]
                                            if d["category"] != "strategy-planning"]
    for path, document in zip(files, documents):
        path.write_text(yaml.safe_dump(document, sort_keys=False, allow_unicode=True),
                        encoding="utf-8")
    return load_catalogue(folder)
