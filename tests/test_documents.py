"""jdcore.formats.jobdoc: a role's job description as Markdown and as standalone, printable HTML."""

from __future__ import annotations

import dataclasses
import html
import io
import itertools
import re
import zipfile
from pathlib import Path

import markupsafe
import pytest
from hostile_catalogue import HOSTILE_STRINGS, HOSTILE_TITLE, ROLE_ID, write_hostile_catalogue

from jdcore import load_catalogue
from jdcore.formats.jobdoc import (document_file_name, document_file_names, documents_zip,
                                   job_description, to_html, to_markdown)
from jdcore.model.labels import role_labels, vocabulary
from jdcore.model.text import escape_markdown

def escape_html_text(text: str) -> str:
    """Text as the HTML template escapes it (Jinja2's autoescape: markupsafe)."""
    return str(markupsafe.escape(text))


FORMATS = {"markdown": (to_markdown, escape_markdown), "html": (to_html, escape_html_text)}


@pytest.fixture(scope="module")
def documents(catalogue):
    """The head-of-sales job description in both formats: {format: (text, escape)}."""
    jd = job_description(catalogue, ROLE_ID)
    return {name: (render(jd), escape) for name, (render, escape) in FORMATS.items()}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    folder = write_hostile_catalogue(tmp_path_factory.mktemp("hostile") / "catalogue")
    jd = job_description(load_catalogue(folder), ROLE_ID)
    return {"markdown": to_markdown(jd), "html": to_html(jd)}


def of_role(table, role_id=ROLE_ID):
    return table[table["role_id"] == role_id]


def line_with(text: str, needle: str) -> str:
    """The one line of `text` that holds `needle` (a table row, a list item)."""
    lines = [line for line in text.splitlines() if needle in line]
    assert len(lines) == 1, f"{needle!r} is on {len(lines)} lines"
    return lines[0]


# --- every item of the role is in both documents, with its details -----------------------

@pytest.mark.parametrize("fmt", FORMATS)
def test_every_responsibility_appears_with_frequency_share_and_source(documents, catalogue,
                                                                      fmt):
    text, escape = documents[fmt]
    duties = of_role(catalogue.duties)
    assert len(duties) == 10
    for duty in duties.itertuples():
        line = line_with(text, escape(duty.text))
        assert escape(duty.frequency) in line
        assert escape(f"{duty.time_share:g}\u00a0% of working time") in line
        assert duty.source in line


@pytest.mark.parametrize("fmt", FORMATS)
def test_only_essential_responsibilities_are_marked_essential(documents, catalogue, fmt):
    text, escape = documents[fmt]
    for duty in of_role(catalogue.duties).itertuples():
        assert ("essential" in line_with(text, escape(duty.text))) == duty.essential


def test_responsibilities_are_grouped_under_their_category_heading(documents, catalogue):
    text, escape = documents["markdown"]
    lines = text.splitlines()
    names = vocabulary(catalogue.taxonomy, "duty_categories")
    for duty in of_role(catalogue.duties).itertuples():
        index = lines.index(line_with(text, escape(duty.text)))
        heading = next(line for line in reversed(lines[:index]) if line.startswith("#"))
        assert heading.startswith(f"### {escape(names[duty.category])} — ")


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_quality_appears_under_its_kind(documents, catalogue, fmt):
    text, escape = documents[fmt]
    qualities = of_role(catalogue.qualities)
    assert len(qualities) == 7
    for quality in qualities.itertuples():
        assert quality.source in line_with(text, escape(quality.name))
        before = text[:text.index(escape(quality.name))]
        headings = re.findall(r"(?:### |<h3>)(\w+) qualities", before)
        assert headings[-1].lower() == quality.kind


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_decision_right_is_a_row_with_area_scope_limit_and_source(documents, catalogue,
                                                                        fmt):
    text, escape = documents[fmt]
    areas = vocabulary(catalogue.taxonomy, "decision_right_areas")
    rights = of_role(catalogue.rights)
    assert len(rights) == 6
    for right in rights.itertuples():
        row = line_with(text, escape(areas[right.area]))
        assert escape(right.scope.capitalize()) in row
        assert escape(right.limit if isinstance(right.limit, str) else "—") in row
        assert right.source in row


@pytest.mark.parametrize("fmt", FORMATS)
def test_requirements_interactions_and_key_results_all_appear(documents, catalogue, fmt):
    text, escape = documents[fmt]
    for requirement in of_role(catalogue.requirements).itertuples():
        assert escape(requirement.text) in text
    for interaction in of_role(catalogue.interactions).itertuples():
        assert escape(interaction.subject) in text
    for kpi in of_role(catalogue.kpis).itertuples():
        assert escape(kpi.target) in line_with(text, escape(kpi.name))


FACT_LAYOUT = {"markdown": "- **{label}:** {value}\n",
               "html": "<tr><th>{label}</th><td>{value}</td></tr>"}


@pytest.mark.parametrize("fmt", FORMATS)
def test_header_names_department_area_grade_manager_headcount_and_career(documents, catalogue,
                                                                         fmt):
    text, escape = documents[fmt]
    role = catalogue.roles.set_index("role_id").loc[ROLE_ID]
    titles = role_labels(catalogue.roles)
    taxonomy = catalogue.taxonomy
    for label, value in [
        ("Department", vocabulary(taxonomy, "departments")[role["department"]]),
        ("Business area", vocabulary(taxonomy, "business_areas")[role["business_area"]]),
        ("Grade", vocabulary(taxonomy, "grades")[role["grade"]]),
        ("Reports to", titles[role["reports_to"]]),
        ("Dotted lines to", "none"),
        ("Headcount", str(role["headcount"])),
    ]:
        assert FACT_LAYOUT[fmt].format(label=label, value=escape(value)) in text
    career_section = text[text.index("Next career step"):]
    next_roles = of_role(catalogue.career)["next_role_id"]
    assert len(next_roles) > 0
    for next_role in next_roles:
        assert escape(titles[next_role]) in career_section


# --- source marking ----------------------------------------------------------------------

@pytest.mark.parametrize("fmt", FORMATS)
def test_source_document_date_and_item_counts_are_stated(documents, catalogue, fmt):
    text, escape = documents[fmt]
    role = catalogue.roles.set_index("role_id").loc[ROLE_ID]
    sources = [of_role(catalogue.tables[name])["source"] for name in
               ("duties", "qualities", "requirements", "rights", "interactions", "kpis")]
    seed = sum(int((s == "seed").sum()) for s in sources)
    illustrative = sum(int((s == "illustrative").sum()) for s in sources)
    assert seed > 0 and illustrative > 0
    source_line = line_with(text, escape(role["source_document"]))
    assert escape(role["source_modified"]) in source_line
    assert f"This role: {seed} seed, {illustrative} illustrative." in text
    assert "come from the founding document" in text


def test_html_marks_seed_and_illustrative_items_with_distinct_classes(documents, catalogue):
    text, _ = documents["html"]
    for duty in of_role(catalogue.duties).itertuples():
        line = line_with(text, escape_html_text(duty.text))
        assert f'<span class="src src-{duty.source}">{duty.source}</span>' in line


def test_markdown_marks_each_item_source_in_italics_at_the_end(documents, catalogue):
    text, escape = documents["markdown"]
    for duty in of_role(catalogue.duties).itertuples():
        assert line_with(text, escape(duty.text)).endswith(f"· *{duty.source}*")


# --- hostile catalogue text --------------------------------------------------------------

@pytest.mark.parametrize("where, value", HOSTILE_STRINGS)
def test_hostile_text_is_escaped_in_markdown(hostile, where, value):
    assert escape_markdown(value) in hostile["markdown"]


@pytest.mark.parametrize("where, value", HOSTILE_STRINGS)
def test_hostile_text_is_escaped_in_html(hostile, where, value):
    assert escape_html_text(value) in hostile["html"]


@pytest.mark.parametrize("tag", ["<script", "<img", "<a ", "<b>", "<em>", "<style>body"])
def test_hostile_tags_never_reach_the_html(hostile, tag):
    assert tag not in hostile["html"].lower()


@pytest.mark.parametrize("raw", ["<script", "<img", "](javascript", "**bold**", "=HYPERLINK",
                                 "# Not a heading", "`code`"])
def test_hostile_markup_never_reaches_the_markdown_unescaped(hostile, raw):
    # every special character of `raw` is preceded by a backslash in the document
    assert not re.search(r"(?<!\\)" + re.escape(raw), hostile["markdown"])


def test_hostile_title_is_the_escaped_document_title(hostile):
    assert f"<title>Job description: {escape_html_text(HOSTILE_TITLE)}</title>" in hostile["html"]
    assert hostile["markdown"].startswith(f"# {escape_markdown(HOSTILE_TITLE)}\n")


TEMPLATE_HOSTILE = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>',
                    "' onmouseover='alert(1)", "{{ 7*7 }}", "{% raw %}", "{% endraw %}",
                    "{# comment #}", "{{ jd.__class__ }}", "&amp; &lt;b&gt;", "</li></ul><p>"]


def with_every_string_replaced(value, strings):
    """`value`, a JobDescription or a part of it, with each string the next of `strings`."""
    if isinstance(value, str):
        return next(strings)
    if isinstance(value, tuple):
        return tuple(with_every_string_replaced(v, strings) for v in value)
    if dataclasses.is_dataclass(value):
        return dataclasses.replace(value, **{
            field.name: with_every_string_replaced(getattr(value, field.name), strings)
            for field in dataclasses.fields(value)})
    return value


def test_every_string_of_the_description_is_escaped_literal_text_in_the_template(catalogue):
    jd = job_description(catalogue, ROLE_ID)
    used = []

    def hostile_strings():
        for n in itertools.count():
            used.append(f"{TEMPLATE_HOSTILE[n % len(TEMPLATE_HOSTILE)]} #{n}")
            yield used[-1]

    hostile_jd = with_every_string_replaced(jd, hostile_strings())
    page = to_html(hostile_jd)
    assert len(used) > 100
    for value in used:
        if value != hostile_jd.role_id:  # the only string the page does not show
            assert escape_html_text(value) in page, value
    assert "{{ 7*7 }}" in page and "{% raw %}" in page and "{# comment #}" in page
    for markup in ("<script", "<img", "</li></ul><p>", "onmouseover='", "&amp; &lt;b"):
        assert markup not in page.lower()
    assert page.count("<section>") == len(jd.sections)
    assert page.endswith("</footer>\n</body>\n</html>\n")


# --- the HTML is a standalone printable page ---------------------------------------------

@pytest.fixture(scope="module")
def zip_members(catalogue) -> dict[str, bytes]:
    """The files of the every-role ZIP, read back."""
    with zipfile.ZipFile(io.BytesIO(documents_zip(catalogue))) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_every_role_renders_to_standalone_html_without_scripts_or_urls(catalogue, zip_members):
    for role_id in catalogue.roles["role_id"]:
        page = zip_members[document_file_name(role_id, "html")].decode("utf-8")
        assert page.startswith("<!DOCTYPE html>\n<html lang=\"en\">")
        assert page.rstrip().endswith("</html>")
        assert "<script" not in page.lower()
        assert not re.search(r"https?://", page), role_id
        assert not re.search(r"<(link|img|iframe|object|embed)\b", page.lower())
        assert "@page { size: A4;" in page


def test_a_role_without_qualities_says_none_recorded():
    hand = load_catalogue(Path(__file__).parent / "fixtures" / "hand")
    assert of_role(hand.qualities, "boss").empty
    jd = job_description(hand, "boss")
    assert "## Qualities\n\n*None recorded.*\n" in to_markdown(jd)
    assert '<h2>Qualities</h2>\n<p class="empty">None recorded.</p>' in to_html(jd)


# --- files -------------------------------------------------------------------------------

@pytest.mark.parametrize("role_id, extension, expected", [
    ("head-of-sales", "md", "head-of-sales-job-description.md"),
    ("head-of-sales", "html", "head-of-sales-job-description.html"),
    ("a/b c", "md", "a-b-c-job-description.md"),
    ("../../etc", "html", "etc-job-description.html"),
    ("", "md", "role-job-description.md"),
])
def test_document_file_name_is_safe(role_id, extension, expected):
    assert document_file_name(role_id, extension) == expected


def test_ids_that_make_the_same_file_name_get_numbered_names():
    ids = ["a b", "a-b", "a/b", "c"]
    assert document_file_names(ids, "md") == [
        "a-b-job-description.md", "a-b-2-job-description.md", "a-b-3-job-description.md",
        "c-job-description.md"]
    assert [n.removesuffix(".docx") for n in document_file_names(ids, "docx")] == \
        [n.removesuffix(".md") for n in document_file_names(ids, "md")]


def test_documents_zip_holds_both_formats_of_every_role(catalogue, zip_members, documents):
    role_ids = list(catalogue.roles["role_id"])
    assert sorted(zip_members) == sorted(document_file_name(r, extension) for r in role_ids
                                         for extension in ("md", "html"))
    assert zip_members[document_file_name(ROLE_ID, "md")] == \
        documents["markdown"][0].encode("utf-8")
    assert zip_members[document_file_name(ROLE_ID, "html")] == documents["html"][0].encode("utf-8")
