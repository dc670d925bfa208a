"""A copy of the embedded catalogue whose head-of-sales role carries markup and formulas.

Used by the export tests: every one of these strings must come out of a document escaped.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

DATA = Path(__file__).resolve().parent.parent / "data"
ROLE_ID = "head-of-sales"

HOSTILE_TITLE = "<script>alert(1)</script>"
HOSTILE_DUTY = '=HYPERLINK("x")'
HOSTILE_QUALITY = "<img src=x onerror=alert(2)>"
HOSTILE_LIMIT = "**bold** | [link](javascript:alert(3))"
HOSTILE_SUMMARY = "# Not a heading <b>bold</b> & `code`"
HOSTILE_KPI = "+SUM(A1:A9) <style>body{display:none}</style>"
HOSTILE_DOCUMENT = "<a href='http://evil.example'>doc</a>"
HOSTILE_DEPARTMENT = "<em>Sales</em> & \"Co\""

# (where in the documents, hostile text)
HOSTILE_STRINGS = [
    ("title", HOSTILE_TITLE), ("duty", HOSTILE_DUTY), ("quality", HOSTILE_QUALITY),
    ("right limit", HOSTILE_LIMIT), ("summary", HOSTILE_SUMMARY), ("kpi target", HOSTILE_KPI),
    ("source document", HOSTILE_DOCUMENT), ("department name", HOSTILE_DEPARTMENT),
]


def write_hostile_catalogue(folder: Path) -> Path:
    """Copy data/ to `folder` and plant the hostile strings in head-of-sales and the taxonomy."""
    shutil.copytree(DATA, folder)
    role_file = folder / "roles" / f"{ROLE_ID}.yaml"
    role = yaml.safe_load(role_file.read_text(encoding="utf-8"))
    role["title"] = HOSTILE_TITLE
    role["summary"] = HOSTILE_SUMMARY
    role["responsibilities"][0]["text"] = HOSTILE_DUTY
    role["qualities"][0]["name"] = HOSTILE_QUALITY
    role["rights"][0]["limit"] = HOSTILE_LIMIT
    role["kpis"][0]["target"] = HOSTILE_KPI
    role["source"]["document"] = HOSTILE_DOCUMENT
    role_file.write_text(yaml.safe_dump(role, allow_unicode=True, sort_keys=False),
                         encoding="utf-8")
    taxonomy_file = folder / "taxonomy.yaml"
    taxonomy = yaml.safe_load(taxonomy_file.read_text(encoding="utf-8"))
    taxonomy["departments"]["sales"] = HOSTILE_DEPARTMENT
    taxonomy_file.write_text(yaml.safe_dump(taxonomy, allow_unicode=True, sort_keys=False),
                             encoding="utf-8")
    return folder
