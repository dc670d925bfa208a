"""A role's job description as a document: Markdown, and print-ready standalone HTML.

`job_description` collects what a printed job description shows, as plain text (nothing
escaped yet). `to_markdown` and `to_html` lay it out, and each escapes EVERY string it takes
from the description, because catalogue text is data, never markup: Markdown through
jdcore.model.text.escape_markdown, HTML through the Jinja2 template templates/jobdoc.html.j2
with autoescape on. The HTML is one self-contained file: inline print CSS (A4, templates/
jobdoc.css), no scripts, no links, no external resources.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd
from jinja2 import Environment, FileSystemLoader, StrictUndefined, Template
from markupsafe import Markup

from .bundle import zip_stream
from ..model.catalogue import Catalogue
from ..model.labels import humanise, role_labels, vocabulary
from ..model.schema import AUTHORITY_SCALES
from ..model.text import escape_markdown

DOCUMENTS_ZIP_NAME = "job-descriptions.zip"
SOURCE_MEANING = {  # what an item's source marking means, completing "items marked X ..."
    "seed": "come from the founding document",
    "illustrative": "were written to complete the role and are not sourced",
}
DIRECTIONS = {"in": "Incoming", "out": "Outgoing", "both": "Both ways"}
NO_VALUE = "—"


@dataclass(frozen=True)
class Entry:
    """One line of a list: a duty, a quality, a requirement, a key result, a career step."""

    text: str
    label: str = ""                  # bold lead-in, e.g. "Education" or a KPI's name
    details: tuple[str, ...] = ()    # e.g. ("weekly", "15 % of working time")
    essential: bool = False
    source: str = ""                 # seed | illustrative; "" when the item has no source

    @property
    def shown_details(self) -> tuple[str, ...]:
        """The details a document prints after the text: the non-empty ones."""
        return tuple(detail for detail in self.details if detail)


@dataclass(frozen=True)
class Group:
    heading: str                     # "" for a list without a subheading
    entries: tuple[Entry, ...]
    note: str = ""                   # shown beside the heading, e.g. "25 % of working time"


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    sources: tuple[str, ...]         # each row's source, rendered as a last "Source" column

    @property
    def has_sources(self) -> bool:
        """Whether its rows carry source markings (a table of figures has none)."""
        return bool(self.sources)

    @property
    def header(self) -> tuple[str, ...]:
        """The column headings a document prints: the columns, then "Source" if it has any."""
        return (*self.columns, "Source") if self.has_sources else self.columns

    @property
    def body(self) -> tuple[tuple[tuple[str, ...], str], ...]:
        """(cells, source) for each row ("" without sources)."""
        return tuple(zip(self.rows, self.sources or ("",) * len(self.rows)))

    def without_sources(self) -> "Table":
        return Table(self.columns, self.rows, ())


@dataclass(frozen=True)
class Section:
    heading: str
    text: str = ""
    groups: tuple[Group, ...] = ()
    table: Table | None = None

    @property
    def shown_groups(self) -> tuple[Group, ...]:
        """The groups a document lays out: those with entries."""
        return tuple(group for group in self.groups if group.entries)

    @property
    def shown_table(self) -> Table | None:
        """The table a document lays out: None when there is none or it has no rows."""
        return self.table if self.table is not None and self.table.rows else None

    @property
    def is_empty(self) -> bool:
        """Nothing to show: a document says "None recorded." under the heading."""
        return not (self.text or self.shown_groups or self.shown_table)


@dataclass(frozen=True)
class JobDescription:
    """Everything a role's job description shows, as plain (unescaped) text."""

    role_id: str
    title: str
    facts: tuple[tuple[str, str], ...]          # (label, value): department ... headcount
    source_document: str
    source_modified: str
    source_note: str                            # the role's own marking: seed | illustrative
    source_counts: tuple[tuple[str, int], ...]  # (marking, items), e.g. (("seed", 20), ...)
    sections: tuple[Section, ...]               # summary, responsibilities ... next career step
    file: str                                   # the catalogue file it was made from
    version: str = ""                           # the header's version label


PAPER_SIZES = {  # name -> (CSS page size, width and height in mm)
    "A4": ("A4", 210, 297),
    "US Letter": ("letter", 215.9, 279.4),
}
SIGN_OFF = ("Job holder", "Line manager", "Human resources")


@dataclass(frozen=True)
class DocumentOptions:
    """How a document is laid out: the paper size, and whether it shows where each item
    comes from (the seed / illustrative markings, the source note and Source columns)."""

    paper: str = "A4"                # a key of PAPER_SIZES
    provenance: bool = True

    def __post_init__(self):
        if self.paper not in PAPER_SIZES:
            raise ValueError(f"unknown paper size {self.paper!r}: one of {', '.join(PAPER_SIZES)}")


@dataclass(frozen=True)
class Approval:
    """Which approved version of a role a document shows: its number, when and by whom it
    was approved (from the workspace); `label` is what the document's header names."""

    version: int
    approved_on: str      # e.g. "2026-12-01"
    approver: str

    @property
    def label(self) -> str:
        return f"{self.version}, approved {self.approved_on} by {self.approver}"


# --- collecting ------------------------------------------------------------------------------

def _text(value) -> str:
    """A cell as text: empty for a missing value."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value)


def _share(percent: float) -> str:
    return f"{float(percent):g}\u00a0%"  # a no-break space keeps "15 %" on one line


def _ordered(values, preferred) -> list:
    """The distinct values, those in `preferred` first in its order, then the rest sorted."""
    present = list(dict.fromkeys(values))
    return ([v for v in preferred if v in present]
            + sorted((v for v in present if v not in preferred), key=str))


def duty_groups(duties: list[dict], category_names: dict[str, str]) -> tuple[Group, ...]:
    """Responsibilities by category, the category with most working time first; in each, the
    duties in their order in the role file."""
    by_category: dict[str, list[dict]] = {}
    for duty in duties:
        by_category.setdefault(category_names.get(duty["category"], duty["category"]),
                               []).append(duty)
    # an imported duty's frequency and time share may be unknown: nothing is shown for them
    known = {name: [float(d["time_share"]) for d in rows if _text(d["time_share"])]
             for name, rows in by_category.items()}
    totals = {name: sum(shares) for name, shares in known.items()}
    groups = []
    for category in sorted(by_category, key=lambda c: (-totals[c], c)):
        rows = sorted(by_category[category], key=lambda d: d["duty_no"])
        groups.append(Group(category, tuple(
            Entry(text=d["text"], details=tuple(detail for detail in (
                _text(d["frequency"]).replace("-", " "),
                f"{_share(d['time_share'])} of working time" if _text(d["time_share"]) else "")
                if detail),
                essential=bool(_text(d["essential"]) and d["essential"]),
                source=_text(d["source"]))
            for d in rows),
            note=(f"{_share(totals[category])} of working time" if known[category]
                  else "time share not stated")))
    return tuple(groups)


def quality_groups(qualities: list[dict], kinds: list[str]) -> tuple[Group, ...]:
    """Qualities by kind (personal, professional, corporate), in the taxonomy's order."""
    return tuple(
        Group(f"{humanise(kind)} qualities", tuple(
            Entry(text=q["name"], source=_text(q["source"]))
            for q in qualities if q["kind"] == kind))
        for kind in _ordered([q["kind"] for q in qualities], kinds))


def _years(years) -> tuple[str, ...]:
    if _text(years) == "":
        return ()
    return (f"at least {int(years)} year{'s' if int(years) != 1 else ''}",)


SOURCED_TABLES = ("duties", "qualities", "requirements", "rights", "accountabilities",
                  "interactions", "kpis")
DOCUMENT_TABLES = SOURCED_TABLES + ("authority", "workload", "career")
WORKLOAD_ROWS = {  # measure -> (label, how its value reads)
    "weekly_hours": ("Weekly hours", lambda v: f"{float(v):g} hours a week"),
    "time_pressure": ("Time pressure", lambda v: f"{float(v):g} of 5"),
    "travel_share": ("Travel", lambda v: f"{_share(v)} of working time"),
}


@dataclass(frozen=True)
class DocumentContext:
    """What job descriptions read from a catalogue, as plain Python rows grouped by role.

    Built once (`document_context`) for any number of roles, so that writing every role's
    description does not filter the catalogue's tables once per role.
    """

    roles: dict[str, dict]                      # role id -> its row of the roles table
    rows: dict[str, dict[str, list[dict]]]      # table -> role id -> its rows, in file order
    dotted: dict[str, list[str]]                # role id -> managers of its dotted lines
    titles: dict[str, str]
    names: dict[str, dict[str, str]]            # vocabulary -> value -> name
    quality_kinds: list[str]


def _records(table: pd.DataFrame) -> list[dict]:
    """The rows as dicts, like to_dict("records") but built from each column's list (about
    six times faster: to_dict boxes every cell on its own)."""
    columns = list(table.columns)
    return [dict(zip(columns, values))
            for values in zip(*(table[column].tolist() for column in columns))]


def document_context(catalogue: Catalogue, role_ids: Iterable[str] | None = None
                     ) -> DocumentContext:
    """The rows of `role_ids` (every role when None) that job descriptions show."""
    taxonomy = catalogue.taxonomy
    wanted = None if role_ids is None else set(role_ids)

    def of(table: pd.DataFrame) -> pd.DataFrame:
        return table if wanted is None else table[table["role_id"].isin(wanted)]

    rows: dict[str, dict[str, list[dict]]] = {}
    for name in DOCUMENT_TABLES:
        grouped: dict[str, list[dict]] = {}
        for row in _records(of(catalogue.tables[name])):
            grouped.setdefault(row["role_id"], []).append(row)
        rows[name] = grouped
    dotted: dict[str, list[str]] = {}
    reporting = of(catalogue.reporting)
    lines = reporting[reporting["line"] == "dotted"]
    for rid, manager in zip(lines["role_id"], lines["manager_id"]):
        dotted.setdefault(rid, []).append(manager)
    vocabularies = ("departments", "business_areas", "grades", "duty_categories",
                    "decision_right_areas", "interaction_kinds")
    return DocumentContext(
        roles={row["role_id"]: row for row in _records(of(catalogue.roles))},
        rows=rows, dotted=dotted, titles=role_labels(catalogue.roles),
        names={v: vocabulary(taxonomy, v) for v in vocabularies},
        quality_kinds=list(taxonomy.quality_kinds) if taxonomy else [])


def _source_counts(rows: dict[str, list[dict]]) -> tuple[tuple[str, int], ...]:
    counts: dict[str, int] = {}
    for name in SOURCED_TABLES:
        for row in rows[name]:
            source = row["source"]
            if _text(source):
                counts[source] = counts.get(source, 0) + 1
    return tuple((note, counts[note]) for note in _ordered(counts, list(SOURCE_MEANING)))


def default_version(source_modified: str, source_note: str) -> str:
    """The version a document's header names while the catalogue keeps no versions: the
    source document's date (and its marking)."""
    if not source_modified:
        return source_note
    return f"as of {source_modified}" + (f" ({source_note})" if source_note else "")


def job_description(catalogue: Catalogue, role_id: str, version: str | None = None,
                    context: DocumentContext | None = None) -> JobDescription:
    """The job description of one role, laid out as a real one is, in plain text.

    `version` labels the document's header (the workspace's approved version:
    `Approval.label`); by default it is the source document's date. `context` is document_context(catalogue),
    when many roles are written.
    """
    context = context or document_context(catalogue, [role_id])
    role = context.roles[role_id]
    rows = {name: context.rows[name].get(role_id, []) for name in DOCUMENT_TABLES}
    titles = context.titles

    def name(vocabulary_name: str, value) -> str:
        return context.names[vocabulary_name].get(value, _text(value))

    manager = _text(role["reports_to"])
    facts = (
        ("Department", name("departments", role["department"])),
        ("Business area", name("business_areas", role["business_area"])),
        ("Grade", name("grades", role["grade"])),
        ("Reports to", titles.get(manager, manager) or "none (top of the organisation)"),
        ("Dotted lines to", ", ".join(titles.get(m, m) for m in context.dotted.get(role_id, []))
         or "none"),
        ("Headcount", _text(role["headcount"])),
    )
    requirements = tuple(
        Entry(label=humanise(r["kind"]), text=r["text"], details=_years(r["years"]),
              source=_text(r["source"]))
        for r in rows["requirements"])
    rights = Table(
        ("Area", "Scope", "Limit"),
        tuple((name("decision_right_areas", r["area"]), humanise(r["scope"]),
               _text(r["limit"]) or NO_VALUE) for r in rows["rights"]),
        tuple(_text(r["source"]) for r in rows["rights"]))
    scales = {r["scale"]: r["value"] for r in rows["authority"]}
    authority = Table(
        ("Scale", "Level"),
        tuple((humanise(scale), f"{int(scales[scale])} of 5")
              for scale in AUTHORITY_SCALES if _text(scales.get(scale))),
        ())
    measures = {r["measure"]: r["value"] for r in rows["workload"]}
    conditions = Table(
        ("Condition", "Value"),
        tuple((label, shown(measures[measure]))
              for measure, (label, shown) in WORKLOAD_ROWS.items()
              if _text(measures.get(measure))),
        ())
    interactions = Table(
        ("With", "Direction", "Kind", "Subject"),
        tuple((titles.get(i["counterpart"], i["counterpart"]) if i["counterpart_kind"] == "role"
               else f"{i['counterpart']} (external)",
               DIRECTIONS.get(i["direction"], humanise(i["direction"])),
               name("interaction_kinds", i["kind"]), i["subject"])
              for i in rows["interactions"]),
        tuple(_text(i["source"]) for i in rows["interactions"]))
    accountabilities = tuple(Entry(text=a["text"], source=_text(a["source"]))
                             for a in rows["accountabilities"])
    kpis = tuple(Entry(label=k["name"], text=k["target"], source=_text(k["source"]))
                 for k in rows["kpis"])
    career = tuple(Entry(text=titles.get(c["next_role_id"], c["next_role_id"]))
                   for c in rows["career"])

    sections = (
        Section("Summary", text=_text(role["summary"])),
        Section("Responsibilities", groups=duty_groups(
            rows["duties"], context.names["duty_categories"])),
        Section("Qualities", groups=quality_groups(rows["qualities"], context.quality_kinds)),
        Section("Requirements", groups=(Group("", requirements),)),
        Section("Decision rights", table=rights),
        # optional in a role file: printed only when the role states what it answers for
        *((Section("Accountability", groups=(Group("", accountabilities),)),)
          if accountabilities else ()),
        Section("Authority", table=authority),
        Section("Working conditions", table=conditions),
        Section("Interactions", table=interactions),
        Section("Key results", groups=(Group("", kpis),)),
        Section("Next career step", groups=(Group("", career),)),
    )
    source_modified, source_note = _text(role["source_modified"]), _text(role["source_note"])
    return JobDescription(
        role_id=role_id, title=_text(role["title"]), facts=facts,
        source_document=_text(role["source_document"]),
        source_modified=source_modified, source_note=source_note,
        source_counts=_source_counts(rows), sections=sections, file=_text(role["file"]),
        version=default_version(source_modified, source_note) if version is None else version,
    )


def job_descriptions(catalogue: Catalogue, role_ids: Iterable[str] | None = None):
    """Each role's JobDescription (every role when `role_ids` is None), one after the other,
    from one document_context."""
    role_ids = list(catalogue.roles["role_id"]) if role_ids is None else list(role_ids)
    context = document_context(catalogue, None if len(role_ids) > 50 else role_ids)
    for role_id in role_ids:
        yield job_description(catalogue, role_id, context=context)


def source_legend() -> tuple[tuple[str, str, str], ...]:
    """The sentence that explains the source markings, as (words, marking, meaning) clauses.

    Joined, `words marking meaning` each, they read "Items marked seed come from the founding
    document; items marked illustrative were written ...": each document sets the marking
    in its own way (italics, a badge), so the clauses stay apart.
    """
    return tuple(("Items marked" if n == 0 else "; items marked", note, meaning)
                 for n, (note, meaning) in enumerate(SOURCE_MEANING.items()))


def source_counts_text(jd: JobDescription) -> str:
    """How many of the role's items carry each source marking, as the documents state it.

    `"20 seed, 14 illustrative"`, the markings in SOURCE_MEANING's order first; `"no items"`
    for a role with no marked items. Plain text, unescaped: each renderer escapes it.
    """
    return ", ".join(f"{count} {note}" for note, count in jd.source_counts) or "no items"


# --- Markdown ----------------------------------------------------------------------------

_SPACES = re.compile(r"[ \t\r\n\f\v]+")


def _md(value) -> str:
    """Catalogue text for Markdown: on one line, every special character escaped."""
    return escape_markdown(_SPACES.sub(" ", _text(value)).strip())


def _md_entry(entry: Entry, provenance: bool = True) -> str:
    head = f"**{_md(entry.label)}:** {_md(entry.text)}" if entry.label else _md(entry.text)
    if entry.essential:
        head += " **(essential)**"
    tail = [_md(d) for d in entry.shown_details]
    if entry.source and provenance:
        tail.append(f"*{_md(entry.source)}*")
    return f"- {head}" + (f" — {' · '.join(tail)}" if tail else "")


def _md_table(table: Table, provenance: bool = True) -> list[str]:
    sourced = provenance and table.has_sources
    columns = [_md(c) for c in (table.header if sourced else table.columns)]
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for row, source in table.body:
        cells = [_md(cell) for cell in row]
        if sourced:
            cells.append(f"*{_md(source)}*" if source else "")
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def _md_source(jd: JobDescription) -> list[str]:
    legend = "".join(f"{_md(words)} *{_md(note)}* {_md(meaning)}"
                     for words, note, meaning in source_legend())
    return [
        f"> **Source:** {_md(jd.source_document)}, dated {_md(jd.source_modified)}. "
        f"The role as a whole is marked *{_md(jd.source_note)}*.",
        ">",
        f"> {legend}. This role: {_md(source_counts_text(jd))}.",
    ]


def _md_sign_off() -> list[str]:
    lines = ["| Signed by | Name | Signature | Date |", "|---|---|---|---|"]
    return lines + [f"| {_md(who)} | | | |" for who in SIGN_OFF]


def to_markdown(jd: JobDescription, options: DocumentOptions = DocumentOptions()) -> str:
    """The job description as Markdown; every catalogue string is escape_markdown'd."""
    lines = [f"# {_md(jd.title)}", "", f"*Job description · Version: {_md(jd.version)}*", ""]
    lines += [f"- **{_md(label)}:** {_md(value)}" for label, value in jd.facts]
    if options.provenance:
        lines += ["", *_md_source(jd)]
    for section in jd.sections:
        lines += ["", f"## {_md(section.heading)}", ""]
        if section.is_empty:
            lines.append("*None recorded.*")
        if section.text:
            lines.append(_md(section.text))
        for group in section.shown_groups:
            if group.heading:
                note = f" — {_md(group.note)}" if group.note else ""
                lines += [f"### {_md(group.heading)}{note}", ""]
            lines += [_md_entry(entry, options.provenance) for entry in group.entries] + [""]
        if section.shown_table:
            lines += _md_table(section.shown_table, options.provenance)
    lines += ["", "## Sign-off", "", *_md_sign_off()]
    lines += ["", "---", "",
              f"*Made from the role catalogue file {_md(jd.file)}.*"]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"


# --- HTML --------------------------------------------------------------------------------

TEMPLATES = Path(__file__).resolve().parent / "templates"  # jobdoc.html.j2 and its jobdoc.css


@cache
def _template() -> Template:
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES), autoescape=True,
        undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
        keep_trailing_newline=True)
    return environment.get_template("jobdoc.html.j2")


def css_string(text: str) -> Markup:
    """Text as a quoted CSS string in which every character but ASCII letters, digits and
    spaces is a CSS escape: nothing in it can end the string, the rule or the <style>."""
    body = "".join(c if (c.isascii() and c.isalnum()) or c == " " else f"\\{ord(c):06x}"
                   for c in _text(text) if c not in "\x00\r\n\f")
    return Markup(f'"{body}"')


def to_html(jd: JobDescription, options: DocumentOptions = DocumentOptions()) -> str:
    """The job description as one standalone, printable HTML page (templates/jobdoc.html.j2).

    The template is rendered with autoescape on, so every string it takes from `jd` is
    escaped; no catalogue text is ever marked safe. The role and version in the printed
    pages' running header are CSS strings made of escapes (css_string).
    """
    return _template().render(
        jd=jd, source_meaning=SOURCE_MEANING, legend=source_legend(),
        source_counts=source_counts_text(jd), options=options,
        paper=PAPER_SIZES[options.paper][0], sign_off=SIGN_OFF,
        running_title=css_string(f"Job description: {jd.title}"),
        running_version=css_string(f"Version: {jd.version}"))


# --- files -------------------------------------------------------------------------------

def document_file_name(role_id: str, extension: str) -> str:
    """`head-of-sales` + `md` -> `head-of-sales-job-description.md` (safe as a file name)."""
    stem = re.sub(r"[^\w-]+", "-", str(role_id)).strip("-_") or "role"
    return f"{stem}-job-description.{extension}"


def document_file_names(role_ids: Iterable[str], extension: str) -> list[str]:
    """Each role's document_file_name, in the order given, no name twice.

    Two ids that differ only in unsafe characters (`a b`, `a/b`) would get the same name; the
    later one is named as if its id ended in -2, -3, ... instead (`a-b-2-job-description.md`).
    The suffixes depend only on the ids, so one role's files in several formats share a stem.
    """
    names: list[str] = []
    taken: set[str] = set()
    for role_id in role_ids:
        name, suffix = document_file_name(role_id, extension), 2
        while name in taken:
            name = document_file_name(f"{role_id}-{suffix}", extension)
            suffix += 1
        taken.add(name)
        names.append(name)
    return names


def documents_zip(catalogue: Catalogue, options: DocumentOptions = DocumentOptions(),
                  progress=None) -> bytes:
    """Every role's job description, as Markdown and as HTML, in one ZIP;
    `progress(done, total)` after each role."""
    role_ids = list(catalogue.roles["role_id"])

    def files():
        for done, (md_name, html_name, jd) in enumerate(zip(
                document_file_names(role_ids, "md"), document_file_names(role_ids, "html"),
                job_descriptions(catalogue, role_ids)), 1):
            yield md_name, to_markdown(jd, options).encode("utf-8")
            yield html_name, to_html(jd, options).encode("utf-8")
            if progress is not None:
                progress(done, len(role_ids))

    return zip_stream(files())
