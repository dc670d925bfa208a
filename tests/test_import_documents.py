"""jdcore.formats.documents: job descriptions as documents, drafted into roles that validate."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import pytest

from document_fixtures import (ACCOUNTANT_PDF_LINES, FAMILY_MD, MANAGER_MD, NUMBERED_TXT,
                               US_POSTING_HTML, blank_pdf, logistics_docx, text_pdf)
from jdcore import load_catalogue
from jdcore.formats.documents import (catalogue_base, embedded_base, import_paths,
                                      import_uploads, write_draft)
from jdcore.formats.documents.readers import read_document
from jdcore.formats.writer import role_documents

SEED = Path(__file__).resolve().parents[2] / "shared" / "seed" / "000_e0e69ebdad818eab.txt"
if not SEED.is_file():  # the worktree layout: /work/wt-x/tests -> /work/shared/seed
    SEED = Path("/work/shared/seed/000_e0e69ebdad818eab.txt")
TODAY = dt.date(2026, 1, 1)


@pytest.fixture(scope="module")
def base():
    return embedded_base()


def seed_lines(start: str, stop: str) -> list[str]:
    """The bulleted lines of the seed between two headings, as written (bullet and closing
    punctuation removed)."""
    lines = SEED.read_text(encoding="utf-8").splitlines()
    first = lines.index(start)
    last = lines.index(stop)
    return [re.sub(r"[;.]$", "", line[2:]).strip() for line in lines[first:last]
            if line.startswith("- ")]


def written(draft, tmp_path, base_documents=None):
    catalogue = write_draft(draft, tmp_path / "out", base_documents=base_documents)
    assert catalogue.is_valid, [str(p) for p in catalogue.errors]
    return catalogue


# --- the seed --------------------------------------------------------------------------------

def test_the_seed_imports_into_one_head_of_sales_role(base, tmp_path):
    draft = import_paths([SEED], base, today=TODAY)
    assert not draft.errors
    assert len(draft.roles) == 1
    (role,) = draft.roles.values()
    assert role["title"] == "Head of Sales Department"
    assert role["department"] == "sales"
    assert role["grade"] == "head-of-department"
    duties = [d["text"] for d in role["responsibilities"]]
    assert duties == seed_lines("Responsibilities", "Interaction with management")
    assert len(duties) == 9
    # the five points of interaction with management, with the general director and the board
    points = seed_lines("Interaction with management", "Motivation")
    assert len(points) == 5
    assert list(dict.fromkeys(i["subject"] for i in role["interactions"])) == points
    parties = {i["with"] for i in role["interactions"]}
    assert parties == {"external:general director", "external:board of directors"}
    # nothing from the teasers after "Recommended:"
    teasers = SEED.read_text(encoding="utf-8").split("Recommended:")[1].casefold()
    for item in role["responsibilities"] + role["qualities"]:
        text = (item.get("text") or item.get("name")).casefold()
        assert text not in teasers
    assert "sales floor" not in str(role).casefold()
    assert "logistics" not in str(role).casefold()
    assert role["source"] == {"document": SEED.name, "modified": "2023-12-17",
                              "note": "imported"}
    written(draft, tmp_path)


def test_the_seeds_values_it_does_not_state_stay_unknown(base, tmp_path):
    draft = import_paths([SEED], base, today=TODAY)
    (role,) = draft.roles.values()
    for duty in role["responsibilities"]:
        assert duty["frequency"] is None and duty["time_share"] is None
        assert duty["essential"] is None and duty["source"] == "imported"
    assert set(role["authority"].values()) == {None}
    assert set(role["workload"].values()) == {None}
    catalogue = written(draft, tmp_path)
    metrics = catalogue.metrics.iloc[0]
    # the indices rest on the parts that are known (span, decision rights, management load)
    assert metrics["known_authority_parts"] == 2 and metrics["weighted_authority_parts"] == 6
    assert metrics["known_workload_parts"] == 1 and metrics["weighted_workload_parts"] == 5
    assert catalogue.duties["frequency"].isna().all()
    assert catalogue.duties["time_share"].isna().all()


def test_every_seed_duty_has_its_place_and_category(base):
    draft = import_paths([SEED], base, today=TODAY)
    (rid,) = draft.roles
    duties = [p for p in draft.sources_of(rid) if p.field == "responsibilities"]
    assert [p.index for p in duties] == list(range(9))
    assert [p.where for p in duties] == [f"line {n}" for n in range(9, 18)]
    assert all(0 < p.confidence <= 1 for p in duties)
    categories = [d["category"] for d in draft.roles[rid]["responsibilities"]]
    assert categories[0] == "sales-negotiation"
    assert categories[5] == "advertising-pr"


# --- a job family with levels ----------------------------------------------------------------

def test_a_job_family_gives_one_role_per_level_with_the_family_sections(base, tmp_path):
    draft = import_uploads([("backend-engineer.md", FAMILY_MD.encode()),
                            ("backend-engineering-manager.md", MANAGER_MD.encode())], base,
                           today=TODAY)
    titles = {r["title"]: r for r in draft.roles.values()}
    assert set(titles) == {"Intermediate Backend Engineer", "Senior Backend Engineer",
                           "Staff Backend Engineer", "Backend Engineering Manager"}
    senior = titles["Senior Backend Engineer"]
    assert [d["text"] for d in senior["responsibilities"]] == [
        "Write and review code for the backend services", "Take part in the on-call rotation",
        "Lead the design of features across several services", "Mentor intermediate engineers",
        "Improve the performance and reliability of the services"]
    requirements = [r["text"] for r in senior["requirements"]]
    assert "Fluency in Python or Go" in requirements
    assert "5+ years of experience building web services" in requirements
    assert "2+ years of experience building web services" not in requirements
    experience = next(r for r in senior["requirements"] if r["text"].startswith("5+"))
    assert experience["kind"] == "experience" and experience["years"] == 5
    # a specialty, the hiring process and the teasers give no items
    everything = str(draft.roles).casefold()
    assert "postgresql" not in everything
    assert "screening call" not in everything and "frontend" not in everything
    assert {r["grade"] for r in draft.roles.values()} == {"intermediate", "senior", "staff",
                                                           "manager"}
    # reporting lines resolved within the batch; the ladder gives the next step
    manager_id = titles["Backend Engineering Manager"]["id"]
    assert {titles[t]["reports_to"] for t in titles if "Engineer " in t + " "
            and t != "Backend Engineering Manager"} == {manager_id}
    assert titles["Intermediate Backend Engineer"]["career"]["next"] == [senior["id"]]
    assert senior["kpis"][0]["name"] == "Merge requests merged per month"
    ladder = {g["id"]: g for g in draft.taxonomy["grades"]}
    assert ladder["senior"]["name"] == "Senior"
    warnings = [p.message for p in draft.problems if "'senior'" in p.message]
    assert warnings and "board, executive, head-of-department" in warnings[0]
    written(draft, tmp_path)


# --- a numbered job description, legacy encoding ----------------------------------------------

def test_a_numbered_description_in_cp1252_with_rights_and_responsibility(tmp_path):
    catalogue = load_catalogue(Path(__file__).resolve().parents[1] / "data")
    draft = import_uploads([("logistics.txt", NUMBERED_TXT.encode("cp1252"))],
                           catalogue_base(catalogue), today=TODAY)
    (role,) = draft.roles.values()
    assert role["title"] == "Head of the Logistics Department"
    assert role["department"] == "logistics"
    assert [d["text"] for d in role["responsibilities"]] == [
        "Organises the delivery of goods to customers on time",
        "Plans the transport and warehouse capacity of the company",
        "Concludes contracts with carriers and forwarders",
        "Controls the costs of transport and storage",
        "Keeps records of shipments and prepares reports for management"]
    assert [(r["area"], r["scope"]) for r in role["rights"]] == [
        ("contracts", "approve"), ("staffing", "recommend"), ("scheduling", "decide")]
    assert "department’s staff" in role["rights"][1]["limit"]  # the curly quote decoded
    # resolved against the catalogue's titles: "the General Director"
    assert role["reports_to"] == "general-director"
    # the "IV. Responsibility" section is what the holder answers for, in order, sourced
    assert role["accountabilities"] == [
        {"text": "Failure to perform the duties of this job description", "source": "imported"},
        {"text": "Damage caused to the company through his fault", "source": "imported"}]
    sources = [p for p in draft.sources_of(role["id"]) if p.field == "accountabilities"]
    assert [(p.index, p.text) for p in sources] == [
        (0, "Failure to perform the duties of this job description"),
        (1, "Damage caused to the company through his fault")]
    assert not [u for u in draft.unrecognised if "Damage caused" in u.text]
    written(draft, tmp_path, role_documents(catalogue.tables))


def test_cp1251_text_is_detected_not_assumed():
    text = ("Должностная инструкция кладовщика\n\nОбязанности\n- принимать товар на склад;\n"
            "- выдавать товар по накладным;\n- вести учёт остатков товара.\n")
    blocks, _ = read_document("storekeeper.txt", text.encode("cp1251"))
    assert blocks[0].text == "Должностная инструкция кладовщика"
    assert [b.text for b in blocks if b.kind == "item"][1] == "выдавать товар по накладным;"
    blocks, _ = read_document("bom.txt", b"\xef\xbb\xbf" + "Обязанности".encode())
    assert blocks[0].text == "Обязанности"


# --- a US-style posting, and reports-to across the batch --------------------------------------

def test_a_us_posting_in_html_text_only(base, tmp_path):
    draft = import_uploads([("posting.html", US_POSTING_HTML.encode()),
                            ("seed.txt", SEED.read_bytes())], base, today=TODAY)
    role = next(r for r in draft.roles.values() if r["title"] == "Customer Success Manager")
    assert role["department"] == "sales"
    assert len(role["responsibilities"]) == 4
    assert [r["kind"] for r in role["requirements"]] == ["experience", "education", "skill",
                                                         "experience"]
    everything = str(role).casefold()
    for boilerplate in ("paid time off", "send your cv", "copyright", "home", "document.cookie",
                        "example.invalid"):
        assert boilerplate not in everything
    # "report to the Head of Sales Department": the seed's role in the same batch
    assert role["reports_to"] == "head-of-sales-department"
    written(draft, tmp_path)


def test_word_and_pdf_documents(base, tmp_path):
    draft = import_uploads([("warehouse.docx", logistics_docx()),
                            ("accountant.pdf", text_pdf(ACCOUNTANT_PDF_LINES)),
                            ("seed.txt", SEED.read_bytes())], base, today=TODAY)
    assert not draft.errors
    warehouse = draft.roles["warehouse-manager"]
    assert warehouse["department"] == "logistics" and warehouse["grade"] == "manager"
    assert warehouse["reports_to"] == "head-of-sales-department"
    assert len(warehouse["responsibilities"]) == 4
    assert [r["kind"] for r in warehouse["requirements"]] == ["experience", "knowledge"]
    places = {p.where for p in draft.sources_of("warehouse-manager")}
    assert "table 1, row 2" in places  # the reports-to row
    accountant = draft.roles["accountant"]
    assert [d["text"] for d in accountant["responsibilities"]][2] == \
        "Prepare the quarterly VAT returns"
    assert draft.sources_of("accountant")[0].document == "accountant.pdf"
    assert any(p.where.startswith("page 1, line") for p in draft.sources_of("accountant"))
    written(draft, tmp_path)


def test_a_reporting_line_to_a_catalogue_role_and_one_of_the_batch(tmp_path):
    catalogue = load_catalogue(Path(__file__).resolve().parents[1] / "data")
    base = catalogue_base(catalogue)
    draft = import_uploads([("warehouse.docx", logistics_docx("the head of logistics")),
                            ("dock.md", b"# Dock Supervisor\n\n## Duties\n\n- Unload trucks\n"),
                            ("storekeeper.md", b"# Storekeeper\n\nReports to the SUPERVISOR of the "
                             b"Dock.\n\n## Duties\n\n- Keep the stock\n- Issue goods\n"
                             b"- Count the stock monthly\n")], base, today=TODAY)
    # the catalogue has a warehouse-manager already: the imported one gets its own id
    assert draft.roles["warehouse-manager-2"]["reports_to"] == "head-of-logistics"
    # word order, articles and case do not count
    assert draft.roles["storekeeper"]["reports_to"] == "dock-supervisor"
    assert draft.reporting["resolved"] == 2
    merged = written(draft, tmp_path, role_documents(catalogue.tables))
    assert len(merged.roles) == len(catalogue.roles) + 3


def test_an_ambiguous_reporting_line_lists_the_candidates(base):
    draft = import_uploads([
        ("a.md", b"# Sales Manager North\n\n## Duties\n\n- Sell\n"),
        ("b.md", b"# Sales Manager South\n\n## Duties\n\n- Sell\n"),
        ("c.md", b"# Sales Assistant\n\nReports to the sales manager.\n\n## Duties\n\n- Help\n")],
        base, today=TODAY)
    assert draft.roles["sales-assistant"]["reports_to"] is None
    message = next(p.message for p in draft.problems if p.field == "sales-assistant")
    assert "sales-manager-north" in message and "sales-manager-south" in message
    assert draft.reporting["ambiguous"] == 1


# --- bad input -------------------------------------------------------------------------------

def one_problem(base, name: str, data: bytes) -> str:
    draft = import_uploads([(name, data)], base, today=TODAY)
    assert not draft.roles
    (problem,) = draft.errors
    assert problem.file == name
    return problem.message


def test_bad_documents_get_a_message_naming_the_file_and_the_fix(base):
    assert "no text layer" in one_problem(base, "scan.pdf", blank_pdf())
    assert "no OCR" in one_problem(base, "scan.pdf", blank_pdf())
    assert "damaged" in one_problem(base, "broken.docx", b"PK\x03\x04garbage" * 10)
    assert "encrypted" in one_problem(base, "secret.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
                                      + b"\0" * 100)
    assert "not a PDF" in one_problem(base, "fake.pdf", b"hello")
    assert "empty" in one_problem(base, "empty.md", b"  \n\n")
    assert "damaged" in one_problem(base, "cut.pdf", text_pdf(ACCOUNTANT_PDF_LINES)[:200])
    assert "not a document format" in one_problem(base, "notes.rtf", b"{\\rtf1 hello}")


def test_an_encrypted_pdf_is_refused():
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(100, 100)
    writer.encrypt("secret")
    out = io.BytesIO()
    writer.write(out)
    draft = import_uploads([("locked.pdf", out.getvalue())], embedded_base(), today=TODAY)
    assert "encrypted" in draft.errors[0].message and "password" in draft.errors[0].message


def test_a_document_without_sections_is_one_role_with_its_text_as_summary(base, tmp_path):
    draft = import_uploads([("note.txt", b"The office manager keeps the office running. "
                            b"She orders supplies and greets visitors.\n")], base, today=TODAY)
    (role,) = draft.roles.values()
    assert role["summary"].startswith("The office manager keeps the office running")
    assert role["responsibilities"] == []
    assert any("no section" in p.message for p in draft.problems)
    written(draft, tmp_path)


def zip_of(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_a_zip_of_documents_and_its_folders(base):
    data = zip_of({"Logistics/warehouse.docx": logistics_docx(),
                   "Sales/manager.md": b"# Key Account Manager\n\n## Duties\n\n- Sell more\n",
                   "__MACOSX/._manager.md": b"junk", "readme.exe": b"MZ"})
    draft = import_uploads([("jobs.zip", data)], base, today=TODAY)
    assert not draft.errors
    assert draft.roles["key-account-manager"]["department"] == "sales"  # from its folder
    assert draft.roles["key-account-manager"]["source"]["document"] == "jobs.zip/Sales/manager.md"


def test_a_zip_with_path_traversal_or_a_bomb_is_refused(base):
    draft = import_uploads([("evil.zip", zip_of({"../../etc/role.md": b"# Clerk\n"}))], base)
    assert not draft.roles and "leaves the archive" in draft.errors[0].message
    bomb = zip_of({"big.txt": b"\0" * (30 * 1024 * 1024)})
    draft = import_uploads([("bomb.zip", bomb)], base)
    assert not draft.roles and "zip bomb" in draft.errors[0].message


def test_a_document_over_the_size_cap_is_refused_before_reading(base):
    draft = import_uploads([("huge.txt", b"a" * (21 * 1024 * 1024))], base)
    assert not draft.roles and "over the 20 MB limit" in draft.errors[0].message


def test_review_corrections_drop_an_item_with_its_source(base):
    draft = import_paths([SEED], base, today=TODAY)
    (rid,) = draft.roles
    second = draft.roles[rid]["responsibilities"][1]["text"]
    draft.drop_item(rid, "responsibilities", 0)
    assert draft.roles[rid]["responsibilities"][0]["text"] == second
    duties = [p for p in draft.sources_of(rid) if p.field == "responsibilities"]
    assert [p.index for p in duties] == list(range(8)) and duties[0].text == second


def test_a_family_whose_levels_are_the_pages_own_headings(base, tmp_path):
    from document_fixtures import FAMILY_H2_MD

    draft = import_uploads([("frontend-engineer.md", FAMILY_H2_MD.encode()),
                            ("manager.md", b"# Frontend Engineering Manager\n\n## Responsibilities"
                             b"\n\n- Hire engineers\n- Plan the work\n- Coach the team\n")],
                           base, today=TODAY)
    roles = {r["title"]: r for r in draft.roles.values()}
    assert set(roles) == {"Frontend Engineer", "Senior Frontend Engineer",
                          "Staff Frontend Engineer", "Frontend Engineering Manager"}
    grades = {t: r["grade"] for t, r in roles.items()}
    assert grades["Frontend Engineer"] == "intermediate-grade-6"
    assert grades["Senior Frontend Engineer"] == "senior-grade-7"
    assert grades["Staff Frontend Engineer"] == "staff-grade-8"
    names = {g["id"]: g["name"] for g in draft.taxonomy["grades"]}
    assert names["senior-grade-7"] == "Senior (grade 7)"
    own = {"Frontend Engineer": ["Develop features from proposal to polished end result",
                                 "Support the team with code reviews",
                                 "Ship small features independently"],
           "Senior Frontend Engineer": ["Advocate for improvements to product quality",
                                        "Solve technical problems of high scope",
                                        "Represent GitLab in the community"],
           "Staff Frontend Engineer": ["Help define the architecture",
                                       "Suggest and implement improvements",
                                       "Identify technical debt"]}
    # "The Senior Frontend Engineer role extends the Frontend Engineer (Intermediate) role":
    # the intermediate's duties, then its own; the staff level extends nothing
    expected = dict(own, **{"Senior Frontend Engineer": own["Frontend Engineer"]
                            + own["Senior Frontend Engineer"]})
    for title in ("Frontend Engineer", "Senior Frontend Engineer", "Staff Frontend Engineer"):
        assert roles[title]["reports_to"] == "frontend-engineering-manager"
        assert [d["text"] for d in roles[title]["responsibilities"]] == expected[title]
        assert "Screening call" not in str(roles[title])
    assert roles["Frontend Engineer"]["career"]["next"] == ["senior-frontend-engineer"]
    written(draft, tmp_path)


def test_indices_say_how_many_parts_they_rest_on(base, tmp_path):
    from jdcore.analysis.indices import index_breakdown, index_table

    catalogue = written(import_paths([SEED], base, today=TODAY), tmp_path)
    (rid,) = catalogue.roles["role_id"]
    row = index_table(catalogue).set_index("role_id").loc[rid]
    assert row["authority_basis"].endswith(", from 2 of 6 parts")
    assert row["workload_basis"].endswith(", from 1 of 5 parts")
    breakdown = index_breakdown(catalogue, rid)
    known = breakdown[breakdown["value"].notna()]
    for index, rows in known.groupby("index"):
        assert round(rows["contribution"].sum(), 1) == rows["index_value"].iloc[0]
    embedded = load_catalogue(Path(__file__).resolve().parents[1] / "data")
    table = index_table(embedded)
    assert not table["authority_basis"].str.contains("from").any()  # every part known


# --- the command line ------------------------------------------------------------------------

def test_cli_imports_a_folder_and_prints_the_summary(tmp_path, capsys):
    from jdcore.cli import main

    source = tmp_path / "docs"
    (source / "Engineering").mkdir(parents=True)
    (source / "Engineering" / "backend-engineer.md").write_text(FAMILY_MD, encoding="utf-8")
    (source / "Engineering" / "manager.md").write_text(MANAGER_MD, encoding="utf-8")
    (source / "posting.html").write_text(US_POSTING_HTML, encoding="utf-8")
    (source / "seed.txt").write_bytes(SEED.read_bytes())
    out = tmp_path / "out"
    assert main(["import", "documents", str(source), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "documents read: 4" in printed and "roles found: 6" in printed
    assert "items per section: responsibilities 31," in printed
    assert "reporting lines: 5 stated, 4 resolved, 1 unresolved" in printed
    assert re.search(r"paragraphs not recognised: \d+", printed)
    assert re.search(r"time: \d+\.\d\d s", printed)
    assert main(["validate", str(out)]) == 0
    engineering = load_catalogue(out).roles.set_index("title")
    assert engineering.loc["Senior Backend Engineer", "department"] == "engineering"
    # --out is not empty now: refused without --force
    assert main(["import", "documents", str(source), "--out", str(out)]) == 2
    assert main(["import", "documents", str(source), "--out", str(out), "--force"]) == 0


def test_cli_writes_nothing_when_a_document_cannot_be_read(tmp_path, capsys):
    from jdcore.cli import main

    (tmp_path / "scan.pdf").write_bytes(blank_pdf())
    (tmp_path / "seed.txt").write_bytes(SEED.read_bytes())
    out = tmp_path / "out"
    assert main(["import", "documents", str(tmp_path / "scan.pdf"), str(tmp_path / "seed.txt"),
                 "--out", str(out)]) == 1
    error = capsys.readouterr().err
    assert "scan.pdf: the PDF has no text layer" in error and "nothing written" in error
    assert "Traceback" not in error
    assert not out.exists()


def test_cli_resolves_against_a_catalogue_and_writes_it_along(tmp_path, capsys):
    from jdcore.cli import main

    data = Path(__file__).resolve().parents[1] / "data"
    (tmp_path / "logistics.txt").write_bytes(NUMBERED_TXT.encode("cp1252"))
    out = tmp_path / "out"
    assert main(["import", "documents", str(tmp_path / "logistics.txt"), "--out", str(out),
                 "--catalogue", str(data)]) == 0
    assert "1 stated, 1 resolved" in capsys.readouterr().out
    merged = load_catalogue(out)
    assert merged.is_valid and len(merged.roles) == 25
    role = merged.roles.set_index("role_id").loc["head-of-the-logistics-department"]
    assert role["reports_to"] == "general-director"


def test_levels_written_inside_the_sections(base):
    from document_fixtures import LEVELS_INSIDE_MD

    draft = import_uploads([("designer.md", LEVELS_INSIDE_MD.encode())], base, today=TODAY)
    roles = {r["title"]: r for r in draft.roles.values()}
    assert set(roles) == {"Junior Product Designer", "Senior Product Designer"}
    senior = roles["Senior Product Designer"]
    assert [d["text"] for d in senior["responsibilities"]] == [
        "Own the design of a product area", "Mentor junior designers",
        "Present designs to leadership"]
    assert [r["text"] for r in senior["requirements"]] == [
        "Five years of product design experience"]
    assert senior["grade"] == "senior" and roles["Junior Product Designer"]["grade"] == "junior"


def test_fields_and_sections_written_inline(base):
    from document_fixtures import INLINE_TXT

    draft = import_uploads([("admin.txt", INLINE_TXT.encode())], base, today=TODAY)
    (role,) = draft.roles.values()
    assert role["title"] == "Office Administrator"
    assert role["department"] == "administration"
    assert role["summary"] == "Keeps the office running smoothly for everyone."
    assert [d["text"] for d in role["responsibilities"]] == [
        "order office supplies", "greet visitors", "manage the meeting room calendar",
        "handle incoming mail"]
    assert [r["text"] for r in role["requirements"]] == [
        "Two years of administrative experience", "Good command of spreadsheets"]
    assert any("'Office Manager', which matches no role" in p.message for p in draft.problems)


def test_a_handbook_page_whose_first_levels_have_prose_only(base):
    from document_fixtures import HANDBOOK_MD

    draft = import_uploads([("backend-engineer.md", HANDBOOK_MD.encode())], base, today=TODAY)
    roles = {r["title"]: r for r in draft.roles.values()}
    assert list(roles) == ["Junior Backend Engineer", "Intermediate Backend Engineer",
                           "Senior Backend Engineer", "Staff Backend Engineer"]
    assert all(len(r["responsibilities"]) >= 3 for r in roles.values())
    assert roles["Intermediate Backend Engineer"]["grade"] == "intermediate-grade-6"
    assert roles["Senior Backend Engineer"]["grade"] == "senior-grade-7"
    assert roles["Staff Backend Engineer"]["grade"] == "staff"
    assert "Tune queries" not in str(draft.roles)  # the Database specialty is not a level
    assert roles["Junior Backend Engineer"]["career"]["next"] == ["intermediate-backend-engineer"]


def test_a_huge_list_is_capped_and_the_role_file_still_loads(base, tmp_path):
    text = "# Clerk\n\n## Duties\n\n" + "".join(f"- File document number {n}\n"
                                                for n in range(2000))
    draft = import_uploads([("clerk.md", text.encode()), ("seed.txt", SEED.read_bytes())],
                           base, today=TODAY)
    assert len(draft.roles["clerk"]["responsibilities"]) == 150
    assert any("first 150 are kept" in p.message for p in draft.problems)
    seed_role = draft.roles["head-of-sales-department"]  # categories stay with their duties
    assert seed_role["responsibilities"][0]["category"] == "sales-negotiation"
    written(draft, tmp_path)


def test_findings_do_not_rest_on_unknown_time_shares(tmp_path):
    from jdcore.analysis.findings import find_findings
    from jdcore.analysis.matching import fit_duty_index

    catalogue = load_catalogue(Path(__file__).resolve().parents[1] / "data")
    draft = import_uploads([("logistics.txt", NUMBERED_TXT.encode("cp1252")),
                            ("seed.txt", SEED.read_bytes())], catalogue_base(catalogue),
                           today=TODAY)
    merged = written(draft, tmp_path, role_documents(catalogue.tables))
    findings = find_findings(merged, fit_duty_index(merged.duties))
    imported = set(draft.roles)
    shares = findings[findings["id"].str.startswith("workload/time-share/")]
    assert not [i for i in shares["id"] if i.rsplit("/", 1)[-1] in imported]
    before = find_findings(catalogue, fit_duty_index(catalogue.duties))
    assert set(before[before["id"].str.startswith("workload/time-share/")]["id"]) == \
        set(shares["id"])  # the catalogue's own are all still said


def test_several_roles_in_one_document(base, tmp_path):
    from document_fixtures import SEVERAL_ROLES_MD

    draft = import_uploads([("commercial.md", SEVERAL_ROLES_MD.encode())], base, today=TODAY)
    assert [(r["title"], r["department"], r["grade"], r["reports_to"])
            for r in draft.roles.values()] == [
        ("Head of Sales", "sales", "head-of-department", None),
        ("Head of Marketing", "marketing", "head-of-department", "head-of-sales")]
    assert [d["text"] for d in draft.roles["head-of-marketing"]["responsibilities"]] == [
        "Lead the marketing team", "Plan campaigns", "Run market research"]
    written(draft, tmp_path)


def test_a_one_role_page_states_its_grade_with_the_level(base):
    page = (b"---\ntitle: Backend Engineer\n---\n\nBuilds the backend.\n\n## Responsibilities\n\n"
            b"- Write code\n- Review code\n- Fix bugs\n\n## Job Grade\n\n"
            b"The Backend Engineer (Intermediate) is a [grade 6](/handbook/grades).\n")
    draft = import_uploads([("backend-engineer.md", page)], base, today=TODAY)
    (role,) = draft.roles.values()
    assert role["grade"] == "intermediate-grade-6"
    assert role["summary"] == "Builds the backend."
    grade = next(p for p in draft.sources_of(role["id"]) if p.field == "grade")
    assert "is a grade 6" in grade.text


def test_bullet_glyphs_and_one_item_per_paragraph(base):
    text = ("Dispatcher\n\nDuties\n\n• Take orders from customers by phone\n"
            "▪ Plan the routes of the drivers\n– Track deliveries during the day\n\n"
            "Qualities\n\nAttention to detail\n\nCalm under pressure\n\nClear speech\n")
    draft = import_uploads([("dispatcher.txt", text.encode("utf-8-sig"))], base, today=TODAY)
    (role,) = draft.roles.values()
    assert role["title"] == "Dispatcher"
    assert [d["text"] for d in role["responsibilities"]] == [
        "Take orders from customers by phone", "Plan the routes of the drivers",
        "Track deliveries during the day"]
    assert [q["name"] for q in role["qualities"]] == ["Attention to detail",
                                                      "Calm under pressure", "Clear speech"]


def test_a_pdf_over_the_page_cap_is_refused(base, monkeypatch):
    from jdcore.formats.documents import readers

    monkeypatch.setattr(readers, "MAX_PAGES", 0)
    message = one_problem(base, "long.pdf", text_pdf(ACCOUNTANT_PDF_LINES))
    assert "1 pages, over the 0-page limit" in message and "split it" in message


def test_a_levels_own_reporting_line_wins_over_the_familys(base):
    page = FAMILY_MD.replace("#### Staff Backend Engineer Responsibilities",
                             "Staff Backend Engineers report to the Director of Engineering.\n\n"
                             "#### Staff Backend Engineer Responsibilities")
    draft = import_uploads([("family.md", page.encode()), ("manager.md", MANAGER_MD.encode()),
                            ("director.md", b"# Director of Engineering\n\n## Duties\n\n- Lead\n")],
                           base, today=TODAY)
    assert draft.roles["staff-backend-engineer"]["reports_to"] == "director-of-engineering"
    assert draft.roles["senior-backend-engineer"]["reports_to"] == "backend-engineering-manager"
    assert draft.roles["backend-engineering-manager"]["reports_to"] == "director-of-engineering"


def test_review_edits_move_each_items_source_with_it_and_a_dropped_role_takes_its_lines(base):
    from jdcore.formats.documents.review import correct, items_frame

    draft = import_uploads([("family.md", FAMILY_MD.encode())], base, today=TODAY)
    rid = "senior-backend-engineer"
    frame = items_frame(draft, rid, "responsibilities")
    texts = list(frame["text"])
    sources = {p.index: p.text for p in draft.sources_of(rid) if p.field == "responsibilities"}
    edited = frame.drop(index=0).reset_index(drop=True)  # the first row deleted
    edited.loc[0, "text"] = "Reworded"
    edited.loc[len(edited)] = {"item": None, "keep": None, "text": "Added", "category": None}
    correct(draft, rid, summary="  A new summary.  ", items={"responsibilities": edited})
    doc = draft.roles[rid]
    assert [d["text"] for d in doc["responsibilities"]] == ["Reworded", *texts[2:], "Added"]
    assert doc["responsibilities"][-1]["category"] in draft.taxonomy["duty_categories"]
    assert doc["summary"] == "A new summary."
    moved = {p.index: p.text for p in draft.sources_of(rid) if p.field == "responsibilities"}
    # the reworded item keeps the text it was read from; the added one has none
    assert moved == {i - 1: sources[i] for i in range(1, len(texts))}
    draft.roles["intermediate-backend-engineer"]["reports_to"] = rid
    draft.drop_role(rid)
    assert rid not in draft.roles and not draft.sources_of(rid)
    assert draft.roles["intermediate-backend-engineer"]["reports_to"] is None
    assert all(rid not in d["career"]["next"] for d in draft.roles.values())
