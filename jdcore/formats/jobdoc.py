"""A role's job description as a document: Markdown, and print-ready standalone HTML.

`job_description` collects what a printed job description shows, as plain text (nothing
escaped yet). `to_markdown` and `to_html` lay it out, and each escapes EVERY string it takes
from the description, because catalogue text is data, never markup: Markdown through
jdcore.model.text.escape_markdown, HTML through html.escape. The HTML is one self-contained file:
inline print CSS (A4), no scripts, no links, no external resources.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

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


@dataclass(frozen=True)
class Section:
    heading: str
    text: str = ""
    groups: tuple[Group, ...] = ()
    table: Table | None = None

    @property
    def is_empty(self) -> bool:
        return not (self.text or any(g.entries for g in self.groups)
                    or (self.table is not None and self.table.rows))


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
    groups = []
    for category in sorted(totals.index, key=lambda c: (-totals[c], c)):
        rows = named[named["category_name"] == category].sort_values("duty_no")
        groups.append(Group(category, tuple(
            Entry(text=d.text, details=(_text(d.frequency).replace("-", " "),
                                        f"{_share(d.time_share)} of working time"),
                  essential=bool(d.essential), source=_text(d.source))
            for d in rows.itertuples()), note=f"{_share(totals[category])} of working time"))
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
    tail = [_md(d) for d in entry.details if d]
    if entry.source:
        tail.append(f"*{_md(entry.source)}*")
    return f"- {head}" + (f" — {' · '.join(tail)}" if tail else "")


def _md_table(table: Table) -> list[str]:
    columns = [_md(c) for c in table.columns] + ["Source"]
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for row, source in zip(table.rows, table.sources):
        cells = [_md(cell) for cell in row] + [f"*{_md(source)}*" if source else ""]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def _md_source(jd: JobDescription) -> list[str]:
    legend = "; ".join(f"items marked *{_md(note)}* {_md(meaning)}"
                       for note, meaning in SOURCE_MEANING.items())
    return [
        f"> **Source:** {_md(jd.source_document)}, dated {_md(jd.source_modified)}. "
        f"The role as a whole is marked *{_md(jd.source_note)}*.",
        ">",
        f"> {legend[:1].upper()}{legend[1:]}. This role: {_md(source_counts_text(jd))}.",
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
        for group in section.groups:
            if group.heading and group.entries:
                note = f" — {_md(group.note)}" if group.note else ""
                lines += [f"### {_md(group.heading)}{note}", ""]
            lines += [_md_entry(entry) for entry in group.entries] + [""]
        if section.table is not None and section.table.rows:
            lines += _md_table(section.table)
    lines += ["", "---", "",
              f"*Made from the role catalogue file {_md(jd.file)}.*"]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"


# --- HTML --------------------------------------------------------------------------------

PRINT_CSS = """
@page { size: A4; margin: 18mm 16mm 20mm; }
html { background: #fff; }
body { margin: 0 auto; max-width: 178mm; padding: 12mm 8mm; color: #1a1a1a;
  font-family: Georgia, "Times New Roman", Times, serif; font-size: 11pt; line-height: 1.45; }
h1, h2, h3, th, .doctype, .src, footer {
  font-family: "Helvetica Neue", Arial, "Liberation Sans", "DejaVu Sans", sans-serif; }
.doctype { margin: 0; font-size: 9pt; letter-spacing: .08em; text-transform: uppercase;
  color: #555; }
h1 { margin: 2pt 0 10pt; font-size: 20pt; line-height: 1.2; }
h2 { margin: 16pt 0 6pt; padding-bottom: 2pt; border-bottom: 1.5pt solid #333; font-size: 13pt;
  break-after: avoid; page-break-after: avoid; }
h3 { margin: 10pt 0 3pt; font-size: 11pt; break-after: avoid; page-break-after: avoid; }
h3 .note { font-weight: normal; color: #555; }
p { margin: 0 0 6pt; }
ul { margin: 0 0 6pt; padding-left: 16pt; }
li { margin: 2pt 0; break-inside: avoid; page-break-inside: avoid; }
table { width: 100%; margin: 4pt 0 8pt; border-collapse: collapse; font-size: 10pt; }
th, td { padding: 3pt 6pt; border: .75pt solid #999; text-align: left; vertical-align: top; }
thead th { background: #eee; font-size: 9.5pt; }
tr { break-inside: avoid; page-break-inside: avoid; }
table.facts { width: auto; font-size: 10.5pt; }
table.facts th { padding-right: 16pt; background: none; font-weight: 600; }
.details { color: #444; font-size: 9.5pt; }
.essential { font-size: 8.5pt; font-weight: bold; letter-spacing: .04em;
  text-transform: uppercase; color: #7a1f00; }
.src { padding: 0 3pt; border: .5pt solid; border-radius: 2pt; font-size: 7.5pt;
  white-space: nowrap; }
.src-seed { color: #0b4f8a; border-color: #0b4f8a; }
.src-illustrative { color: #666; border-color: #aaa; font-style: italic; }
.source-note { margin: 8pt 0 4pt; padding: 5pt 9pt; border-left: 3pt solid #0b4f8a;
  background: #f3f6fa; font-size: 9.5pt; }
.empty { color: #666; font-style: italic; }
footer { margin-top: 18pt; padding-top: 4pt; border-top: .5pt solid #ccc; font-size: 8.5pt;
  color: #666; }
@media print {
  body { max-width: none; padding: 0; }
  .source-note { background: none; }
}
"""


def _h(value) -> str:
    return escape_html(_text(value))


def _html_source(source: str) -> str:
    css_class = {"seed": "src-seed", "illustrative": "src-illustrative"}.get(source, "src-other")
    return f'<span class="src {css_class}">{_h(source)}</span>'


def _html_entry(entry: Entry) -> str:
    parts = [f"<strong>{_h(entry.label)}:</strong> {_h(entry.text)}" if entry.label
             else _h(entry.text)]
    if entry.essential:
        parts.append('<span class="essential">essential</span>')
    details = [d for d in entry.details if d]
    if details:
        parts.append(f'<span class="details">— {" · ".join(_h(d) for d in details)}</span>')
    if entry.source:
        parts.append(_html_source(entry.source))
    return f"<li>{' '.join(parts)}</li>"


def _html_table(table: Table) -> list[str]:
    head = "".join(f"<th>{_h(c)}</th>" for c in table.columns) + "<th>Source</th>"
    lines = ["<table>", f"<thead><tr>{head}</tr></thead>", "<tbody>"]
    for row, source in zip(table.rows, table.sources):
        cells = "".join(f"<td>{_h(cell)}</td>" for cell in row)
        lines.append(f"<tr>{cells}<td>{_html_source(source) if source else ''}</td></tr>")
    return lines + ["</tbody>", "</table>"]


def _html_section(section: Section) -> list[str]:
    lines = ["<section>", f"<h2>{_h(section.heading)}</h2>"]
    if section.is_empty:
        lines.append('<p class="empty">None recorded.</p>')
    if section.text:
        lines.append(f"<p>{_h(section.text)}</p>")
    for group in section.groups:
        if not group.entries:
            continue
        if group.heading:
            note = f' <span class="note">— {_h(group.note)}</span>' if group.note else ""
            lines.append(f"<h3>{_h(group.heading)}{note}</h3>")
        lines += ["<ul>", *(_html_entry(e) for e in group.entries), "</ul>"]
    if section.table is not None and section.table.rows:
        lines += _html_table(section.table)
    return lines + ["</section>"]


def to_html(jd: JobDescription) -> str:
    """The job description as one standalone, printable HTML page; all text html.escape'd."""
    facts = "".join(f"<tr><th>{_h(label)}</th><td>{_h(value)}</td></tr>"
                    for label, value in jd.facts)
    legend = "; ".join(f"items marked {_html_source(note)} {_h(meaning)}"
                       for note, meaning in SOURCE_MEANING.items())
    lines = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Job description: {_h(jd.title)}</title>",
        f"<style>{PRINT_CSS}</style>",
        "</head>",
        "<body>",
        "<header>",
        '<p class="doctype">Job description</p>',
        f"<h1>{_h(jd.title)}</h1>",
        f'<table class="facts"><tbody>{facts}</tbody></table>',
        '<p class="source-note">'
        f"<strong>Source:</strong> {_h(jd.source_document)}, dated {_h(jd.source_modified)}. "
        f"The role as a whole is marked {_html_source(jd.source_note)}.<br>"
        f"{legend[:1].upper()}{legend[1:]}. This role: {_h(source_counts_text(jd))}.</p>",
        "</header>",
    ]
    for section in jd.sections:
        lines += _html_section(section)
    lines += [f"<footer>Made from the role catalogue file {_h(jd.file)}.</footer>",
              "</body>", "</html>"]
    return "\n".join(lines) + "\n"


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
