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

from .bundle import zip_bytes
from ..model.catalogue import Catalogue
from ..model.labels import humanise, role_labels, vocabulary
from ..analysis.profile import role_profile
from ..model.text import escape_html, escape_markdown

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
    def header(self) -> tuple[str, ...]:
        """The column headings a document prints: the columns, then "Source"."""
        return (*self.columns, "Source")

    @property
    def body(self) -> tuple[tuple[tuple[str, ...], str], ...]:
        """(cells, source) for each row."""
        return tuple(zip(self.rows, self.sources))


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


def duty_groups(duties: pd.DataFrame, category_names: dict[str, str]) -> tuple[Group, ...]:
    """Responsibilities by category, the category with most working time first."""
    named = duties.assign(category_name=[category_names.get(c, c) for c in duties["category"]])
    totals = named.groupby("category_name")["time_share"].sum()
    known = named.groupby("category_name")["time_share"].count()
    groups = []
    for category in sorted(totals.index, key=lambda c: (-totals[c], c)):
        rows = named[named["category_name"] == category].sort_values("duty_no")
        # an imported duty's frequency and time share may be unknown: nothing is shown for them
        groups.append(Group(category, tuple(
            Entry(text=d.text, details=tuple(detail for detail in (
                _text(d.frequency).replace("-", " "),
                f"{_share(d.time_share)} of working time" if pd.notna(d.time_share) else "")
                if detail),
                essential=bool(pd.notna(d.essential) and d.essential), source=_text(d.source))
            for d in rows.itertuples()),
            note=(f"{_share(totals[category])} of working time" if known[category]
                  else "time share not stated")))
    return tuple(groups)


def quality_groups(qualities: pd.DataFrame, kinds: list[str]) -> tuple[Group, ...]:
    """Qualities by kind (personal, professional, corporate), in the taxonomy's order."""
    return tuple(
        Group(f"{humanise(kind)} qualities", tuple(
            Entry(text=q.name, source=_text(q.source))
            for q in qualities[qualities["kind"] == kind].itertuples()))
        for kind in _ordered(qualities["kind"], kinds))


def _years(years) -> tuple[str, ...]:
    if _text(years) == "":
        return ()
    return (f"at least {int(years)} year{'s' if int(years) != 1 else ''}",)


def _source_counts(profile) -> tuple[tuple[str, int], ...]:
    sources = pd.concat([profile.duties["source"], profile.qualities["source"],
                         profile.requirements["source"], profile.rights["source"],
                         profile.interactions["source"], profile.kpis["source"]])
    counts = sources.value_counts()
    return tuple((note, int(counts[note]))
                 for note in _ordered(counts.index, list(SOURCE_MEANING)))


def job_description(catalogue: Catalogue, role_id: str) -> JobDescription:
    """The job description of one role, laid out as a real one is, in plain text."""
    taxonomy = catalogue.taxonomy
    profile = role_profile(catalogue, role_id)
    role = profile.role
    titles = role_labels(catalogue.roles)

    def name(vocabulary_name: str, value) -> str:
        return vocabulary(taxonomy, vocabulary_name).get(value, _text(value))

    manager = _text(role["reports_to"])
    facts = (
        ("Department", name("departments", role["department"])),
        ("Business area", name("business_areas", role["business_area"])),
        ("Grade", name("grades", role["grade"])),
        ("Reports to", titles.get(manager, manager) or "none (top of the organisation)"),
        ("Dotted lines to", ", ".join(t for _, t in profile.dotted_to) or "none"),
        ("Headcount", _text(role["headcount"])),
    )
    requirements = tuple(
        Entry(label=humanise(r.kind), text=r.text, details=_years(r.years),
              source=_text(r.source))
        for r in profile.requirements.itertuples())
    rights = Table(
        ("Area", "Scope", "Limit"),
        tuple((name("decision_right_areas", r.area), humanise(r.scope),
               _text(r.limit) or NO_VALUE) for r in profile.rights.itertuples()),
        tuple(_text(s) for s in profile.rights["source"]))
    interactions = Table(
        ("With", "Direction", "Kind", "Subject"),
        tuple((i.counterpart_name, DIRECTIONS.get(i.direction, humanise(i.direction)),
               name("interaction_kinds", i.kind), i.subject)
              for i in profile.interactions.itertuples()),
        tuple(_text(s) for s in profile.interactions["source"]))
    kpis = tuple(Entry(label=k.name, text=k.target, source=_text(k.source))
                 for k in profile.kpis.itertuples())
    career = tuple(Entry(text=title) for _, title in profile.next_steps)

    sections = (
        Section("Summary", text=_text(role["summary"])),
        Section("Responsibilities", groups=duty_groups(
            profile.duties, vocabulary(taxonomy, "duty_categories"))),
        Section("Qualities", groups=quality_groups(
            profile.qualities, list(taxonomy.quality_kinds) if taxonomy else [])),
        Section("Requirements", groups=(Group("", requirements),)),
        Section("Decision rights", table=rights),
        Section("Interactions", table=interactions),
        Section("Key results", groups=(Group("", kpis),)),
        Section("Next career step", groups=(Group("", career),)),
    )
    return JobDescription(
        role_id=role_id, title=_text(role["title"]), facts=facts,
        source_document=_text(role["source_document"]),
        source_modified=_text(role["source_modified"]), source_note=_text(role["source_note"]),
        source_counts=_source_counts(profile), sections=sections, file=_text(role["file"]),
    )


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

def _md(value) -> str:
    """Catalogue text for Markdown: on one line, every special character escaped."""
    return escape_markdown(re.sub(r"[ \t\r\n\f\v]+", " ", _text(value)).strip())


def _md_entry(entry: Entry) -> str:
    head = f"**{_md(entry.label)}:** {_md(entry.text)}" if entry.label else _md(entry.text)
    if entry.essential:
        head += " **(essential)**"
    tail = [_md(d) for d in entry.shown_details]
    if entry.source:
        tail.append(f"*{_md(entry.source)}*")
    return f"- {head}" + (f" — {' · '.join(tail)}" if tail else "")


def _md_table(table: Table) -> list[str]:
    columns = [_md(c) for c in table.header]
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for row, source in table.body:
        cells = [_md(cell) for cell in row] + [f"*{_md(source)}*" if source else ""]
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


def to_markdown(jd: JobDescription) -> str:
    """The job description as Markdown; every catalogue string is escape_markdown'd."""
    lines = [f"# {_md(jd.title)}", "", "*Job description*", ""]
    lines += [f"- **{_md(label)}:** {_md(value)}" for label, value in jd.facts]
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
            lines += [_md_entry(entry) for entry in group.entries] + [""]
        if section.shown_table:
            lines += _md_table(section.shown_table)
    lines += ["", "---", "",
              f"*Made from the role catalogue file {_md(jd.file)}.*"]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"


# --- HTML --------------------------------------------------------------------------------

TEMPLATES = Path(__file__).resolve().parent / "templates"  # jobdoc.html.j2 and its jobdoc.css


def _escaped(value) -> Markup:
    """What the template prints for {{ value }}: catalogue text escaped, a macro's HTML as is.

    Autoescape would escape the text too; this only keeps html.escape's spelling of quotes
    (&quot;, &#x27;), the one jdcore.model.text.escape_html uses, not markupsafe's (&#34;).
    """
    if isinstance(value, Markup):  # a macro's output: made of escaped {{ values }} already
        return value
    return Markup(escape_html(_text(value)))


@cache
def _template() -> Template:
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES), autoescape=True, finalize=_escaped,
        undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
        keep_trailing_newline=True)
    return environment.get_template("jobdoc.html.j2")


def to_html(jd: JobDescription) -> str:
    """The job description as one standalone, printable HTML page (templates/jobdoc.html.j2).

    The template is rendered with autoescape on, so every string it takes from `jd` is
    escaped; no catalogue text is ever marked safe.
    """
    return _template().render(jd=jd, source_meaning=SOURCE_MEANING, legend=source_legend(),
                              source_counts=source_counts_text(jd))


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


def documents_zip(catalogue: Catalogue) -> bytes:
    """Every role's job description, as Markdown and as HTML, in one ZIP."""
    role_ids = list(catalogue.roles["role_id"])
    files: dict[str, bytes] = {}
    for role_id, md_name, html_name in zip(role_ids, document_file_names(role_ids, "md"),
                                           document_file_names(role_ids, "html")):
        jd = job_description(catalogue, role_id)
        files[md_name] = to_markdown(jd).encode("utf-8")
        files[html_name] = to_html(jd).encode("utf-8")
    return zip_bytes(files)
