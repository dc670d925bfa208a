"""A copy of the embedded catalogue whose head-of-sales role carries markup and formulas, and
whose general director and trading company carry what Streamlit's Markdown adds to it
(shortcodes, icons, directives, bare links, arrows).

Used by the export and page tests: every one of these strings must come out of a document
escaped, and shown on a page as the text it is.
"""

from __future__ import annotations

import re
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

# Streamlit's Markdown extensions, on the general director (on the chain of command of every
# trading role) and the trading company's name.
MARKUP_ROLE_ID = "general-director"
MARKUP_TITLE = ":material/home: General :red[Director] :smile: :streamlit:"
MARKUP_SUMMARY = ("Runs https://evil.example/run and www.evil.example, mail boss@evil.example "
                  "-> now <= later :blue-badge[urgent] $x^2$ :material_home:\n"
                  "    indented like code\n:orange-background[done]")
MARKUP_DUTY = "Approve :material/payments: budgets at http://evil.example/budget"
MARKUP_AREA = ":material/store: Trading company (www.evil.example)"

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
    director_file = folder / "roles" / f"{MARKUP_ROLE_ID}.yaml"
    director = yaml.safe_load(director_file.read_text(encoding="utf-8"))
    director["title"] = MARKUP_TITLE
    director["summary"] = MARKUP_SUMMARY
    director["responsibilities"][0]["text"] = MARKUP_DUTY
    director_file.write_text(yaml.safe_dump(director, allow_unicode=True, sort_keys=False),
                             encoding="utf-8")
    taxonomy_file = folder / "taxonomy.yaml"
    taxonomy = yaml.safe_load(taxonomy_file.read_text(encoding="utf-8"))
    taxonomy["departments"]["sales"] = HOSTILE_DEPARTMENT
    taxonomy["business_areas"]["trade"] = MARKUP_AREA
    taxonomy_file.write_text(yaml.safe_dump(taxonomy, allow_unicode=True, sort_keys=False),
                             encoding="utf-8")
    return folder


# What Streamlit's Markdown acts on in the text it is left with once backslash escapes are
# read (its shortcode, icon, link and arrow plugins run on that text), and unescaped syntax.
_LIVE_IN_TEXT = {
    "icon": re.compile(r":material[/_]\w+:"),
    "shortcode": re.compile(r":[\w+-]+:"),
    "url": re.compile(r"(?i)https?://|mailto:[\w.+-]"),
    "www": re.compile(r"(?i)www\."),
    "email": re.compile(r"[\w.+-]@[\w-]"),
    "arrow": re.compile(r"(^|\s)(<->|->|<-|--|>=|<=|~=)(\s|$)"),
}
_LIVE_IN_SOURCE = {
    "directive": re.compile(r"(?<!\\):[a-z][a-z0-9-]*\["),
    "html": re.compile(r"(?<!\\)<[a-z!/]", re.IGNORECASE),
    "latex": re.compile(r"(?<!\\)\$"),
    "link": re.compile(r"(?<!\\)\]\("),
    "code block": re.compile(r"^ {4}", re.MULTILINE),
}


def live_markup(body: str) -> list[str]:
    """The kinds of markup Streamlit would act on in this Markdown body (none, for text that
    went through escape_markdown)."""
    text = re.sub(r"\\(.)", r"\1", body)
    return ([kind for kind, pattern in _LIVE_IN_TEXT.items() if pattern.search(text)]
            + [kind for kind, pattern in _LIVE_IN_SOURCE.items() if pattern.search(body)])
