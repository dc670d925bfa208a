"""Job descriptions worth printing: working conditions and authority scales, a running header
with the role and version, page numbers, a sign-off block, a paper size and a way to hide the
source markings, in Markdown, HTML and Word alike."""

from __future__ import annotations

import html
import io
import re
import zipfile

import pytest
from docx import Document
from hostile_catalogue import HOSTILE_TITLE, ROLE_ID, write_hostile_catalogue

from jdcore import load_catalogue
from jdcore.formats.jobdoc import (SIGN_OFF, DocumentOptions, css_string, documents_zip,
                                   job_description, job_descriptions, to_html, to_markdown)
from jdcore.formats.wordfile import documents_docx_zip, to_docx
from jdcore.model.labels import humanise
from jdcore.model.schema import AUTHORITY_SCALES

HIDDEN = DocumentOptions(provenance=False)


def docx_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


@pytest.fixture(scope="module")
def jd(catalogue):
    return job_description(catalogue, ROLE_ID)


def section(jd, heading):
    return next(s for s in jd.sections if s.heading == heading)


def test_authority_scales_and_working_conditions_are_sections_of_the_description(catalogue, jd):
    authority = catalogue.authority[catalogue.authority["role_id"] == ROLE_ID].set_index("scale")
    rows = dict(section(jd, "Authority").table.rows)
    assert rows == {humanise(s): f"{int(authority.at[s, 'value'])} of 5" for s in AUTHORITY_SCALES}
    workload = catalogue.workload[catalogue.workload["role_id"] == ROLE_ID].set_index("measure")
    rows = dict(section(jd, "Working conditions").table.rows)
    assert rows == {
        "Weekly hours": f"{workload.at['weekly_hours', 'value']:g} hours a week",
        "Time pressure": f"{workload.at['time_pressure', 'value']:g} of 5",
        "Travel": f"{workload.at['travel_share', 'value']:g}\u00a0% of working time"}


def plain_markdown(jd, *options) -> str:
    return re.sub(r"\\(.)", r"\1", to_markdown(jd, *options))


def plain_html(jd, *options) -> str:
    return html.unescape(to_html(jd, *options))


@pytest.mark.parametrize("render", [plain_markdown, plain_html,
                                    lambda jd, *o: docx_text(to_docx(jd, *o))])
def test_every_format_shows_the_new_sections_version_and_sign_off(jd, render):
    text = render(jd)
    for heading in ("Authority", "Working conditions", "Sign-off"):
        assert heading in text
    for row in section(jd, "Working conditions").table.rows + section(jd, "Authority").table.rows:
        for cell in row:
            assert cell in text
    for who in SIGN_OFF:
        assert who in text
    assert f"Version: {jd.version}" in text


def test_the_version_defaults_to_the_source_date_and_takes_a_label(catalogue, jd):
    assert jd.version == f"as of {jd.source_modified} ({jd.source_note})"
    labelled = job_description(catalogue, ROLE_ID, version="v3, approved 2026-12-01")
    assert labelled.version == "v3, approved 2026-12-01"
    assert "Version: v3, approved 2026-12-01" in plain_markdown(labelled)


def test_printed_html_pages_carry_the_role_version_and_page_numbers_on_a_chosen_paper(jd):
    page = to_html(jd)
    assert "@page { size: A4;" in page
    assert f"@top-left {{ content: {css_string('Job description: ' + jd.title)};" in page
    assert f"@top-right {{ content: {css_string('Version: ' + jd.version)};" in page
    assert 'content: "Page " counter(page) " of " counter(pages);' in page
    assert "@page { size: letter;" in to_html(jd, DocumentOptions(paper="US Letter"))
    with pytest.raises(ValueError):
        DocumentOptions(paper="A5")


def test_word_pages_carry_a_header_a_numbered_footer_and_the_paper_size(jd):
    document = Document(io.BytesIO(to_docx(jd)))
    section_ = document.sections[0]
    assert round(section_.page_width.mm) == 210 and round(section_.page_height.mm) == 297
    header = section_.header.paragraphs[0].text
    assert f"Job description: {jd.title}" in header and f"Version: {jd.version}" in header
    footer = section_.footer.paragraphs[0]._p.xml
    assert 'w:instr="PAGE"' in footer and 'w:instr="NUMPAGES"' in footer
    letter = Document(io.BytesIO(to_docx(jd, DocumentOptions(paper="US Letter")))).sections[0]
    assert round(letter.page_width.mm, 1) == 215.9 and round(letter.page_height.mm, 1) == 279.4


def test_hidden_provenance_drops_every_marking_in_every_format(jd):
    marked = to_html(jd).split("</style>")[1]
    assert 'class="src src-' in marked and "Source:" in marked
    page = plain_html(jd, HIDDEN).split("</style>")[1]    # the body, not the CSS
    assert "src-" not in page and "source-note" not in page and "<th>Source</th>" not in page
    markdown = plain_markdown(jd, HIDDEN)
    assert "*seed*" not in markdown and "*illustrative*" not in markdown
    assert "**Source:**" not in markdown and "| Source |" not in markdown
    word = docx_text(to_docx(jd, HIDDEN))
    assert "Source:" not in word and not re.search(r"· (seed|illustrative)\b", word)
    assert not re.search(r"^(seed|illustrative)$", word, re.M)
    # the content stays
    for text in (page, markdown, word):
        assert section(jd, "Summary").text[:40] in text


def test_running_header_of_a_hostile_title_is_all_css_escapes(tmp_path):
    catalogue = load_catalogue(write_hostile_catalogue(tmp_path / "hostile"))
    page = to_html(job_description(catalogue, ROLE_ID))
    header = re.search(r"@top-left \{ content: (\"[^\"]*\");", page).group(1)
    assert re.fullmatch(r'"[A-Za-z0-9 \\]*"', header)
    assert "\\00003cscript\\00003e" in header
    assert HOSTILE_TITLE not in page


def test_bulk_builders_report_progress_for_every_role(catalogue):
    seen = []
    documents_zip(catalogue, progress=lambda done, total: seen.append((done, total)))
    total = len(catalogue.roles)
    assert seen == [(n, total) for n in range(1, total + 1)]
    seen.clear()
    data = documents_docx_zip(catalogue, HIDDEN, progress=lambda d, t: seen.append((d, t)))
    assert seen[-1] == (total, total) and len(seen) == total
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert len(archive.namelist()) == total


def test_bulk_descriptions_equal_one_by_one_descriptions(catalogue):
    ids = list(catalogue.roles["role_id"])
    assert list(job_descriptions(catalogue, ids)) == [job_description(catalogue, r) for r in ids]
