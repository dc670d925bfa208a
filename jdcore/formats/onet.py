"""Import the O*NET database, text release (tab-delimited files in one folder), as a catalogue.

Files read (column names as in the O*NET data dictionary):

- ``Occupation Data.txt`` (required): O*NET-SOC Code, Title, Description. One role per
  occupation; its id is the O*NET-SOC code (e.g. ``11-1011.00``), its department the SOC
  major group (the code's first two digits, named as in the SOC: 11 Management Occupations,
  41 Sales and Related Occupations, ...).
- ``Task Statements.txt`` (optional): O*NET-SOC Code, Task ID, Task, Task Type, Incumbents
  Responding, Date, Domain Source. Each task is a responsibility; ``Core`` tasks are
  essential. An occupation without task statements gets its description as its one
  responsibility (category "occupation-description"), so that it is still a complete role.
- ``Work Context.txt`` (optional): O*NET-SOC Code, Element ID, Element Name, Scale ID,
  Category, Data Value, N, Standard Error, Lower CI Bound, Upper CI Bound, Recommend
  Suppress, Not Relevant, Date, Domain Source. Elements are matched by NAME (ids have moved
  between releases): the four authority scales and Time Pressure from the CX mean (1-5,
  rounded), weekly hours from Duration of Typical Work Week (CT mean, 1-3).

What O*NET does not hold is left unknown (null), never invented, and reported: time shares,
task frequencies, the travel share, whether a task without a type is essential, and a
missing, ``n/a``, suppressed (Recommend Suppress = Y) or not relevant work-context value.
The roles are marked ``source.note: onet``, which lets them leave such values unknown; each
index is computed from the parts that are known. O*NET has no reporting lines: the written
taxonomy says ``reporting: none``, so every occupation may be a root.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from ..model.problems import WARNING, CatalogueError, Problem, ProblemsMixin
from ..model.regularfile import read_regular_file
from ..model.yamlfile import read_yaml_file
from .limits import DEFAULT_LIMITS, Budget, ImportLimits, LimitExceeded, count
from .tablereader import EMBEDDED_TAXONOMY

OCCUPATIONS_FILE = "Occupation Data.txt"
TASKS_FILE = "Task Statements.txt"
CONTEXT_FILE = "Work Context.txt"
COLUMNS = {
    OCCUPATIONS_FILE: ["O*NET-SOC Code", "Title", "Description"],
    TASKS_FILE: ["O*NET-SOC Code", "Task ID", "Task", "Task Type"],
    CONTEXT_FILE: ["O*NET-SOC Code", "Element Name", "Scale ID", "Data Value",
                   "Recommend Suppress"],
}
MAX_FILE_BYTES = 500 * 1024 * 1024
CODE = re.compile(r"^\d{2}-\d{4}\.\d{2}$")
NA = {"", "n/a", "na", "null"}
SOURCE_NOTE = "onet"
BUSINESS_AREA = "onet"
GRADE = "occupation"
UNRATED = "unrated"
DESCRIPTION_CATEGORY = "occupation-description"
LISTED = 8  # lines or codes listed in a summary problem

SOC_MAJOR_GROUPS = {
    "11": "Management Occupations",
    "13": "Business and Financial Operations Occupations",
    "15": "Computer and Mathematical Occupations",
    "17": "Architecture and Engineering Occupations",
    "19": "Life, Physical, and Social Science Occupations",
    "21": "Community and Social Service Occupations",
    "23": "Legal Occupations",
    "25": "Educational Instruction and Library Occupations",
    "27": "Arts, Design, Entertainment, Sports, and Media Occupations",
    "29": "Healthcare Practitioners and Technical Occupations",
    "31": "Healthcare Support Occupations",
    "33": "Protective Service Occupations",
    "35": "Food Preparation and Serving Related Occupations",
    "37": "Building and Grounds Cleaning and Maintenance Occupations",
    "39": "Personal Care and Service Occupations",
    "41": "Sales and Related Occupations",
    "43": "Office and Administrative Support Occupations",
    "45": "Farming, Fishing, and Forestry Occupations",
    "47": "Construction and Extraction Occupations",
    "49": "Installation, Maintenance, and Repair Occupations",
    "51": "Production Occupations",
    "53": "Transportation and Material Moving Occupations",
    "55": "Military Specific Occupations",
}
# Work Context element name (compared case-insensitively) -> (scale id, catalogue field).
AUTHORITY_ELEMENTS = {
    "freedom to make decisions": "freedom_to_make_decisions",
    "impact of decisions on co-workers or company results": "impact_of_decisions",
    "frequency of decision making": "frequency_of_decisions",
    "responsibility for outcomes and results": "responsibility_for_outcomes",
}
TIME_PRESSURE = "time pressure"
WORK_WEEK = "duration of typical work week"
# Duration of Typical Work Week, CT mean 1-3: 1 = less than 40 hours, 2 = 40 hours,
# 3 = more than 40 hours; read as 35, 40 and 50 hours, linear in between.
WORK_WEEK_HOURS = ((1.0, 35.0), (2.0, 40.0), (3.0, 50.0))
DEFAULT_SCALE = 3
DEFAULT_HOURS = 40.0
DUTY_CATEGORIES = {
    "core": "Core tasks",
    "supplemental": "Supplemental tasks",
    "unclassified": "Tasks without a type",
    DESCRIPTION_CATEGORY: "Occupation description (no task statements)",
}


@dataclass
class OnetImport(ProblemsMixin):
    """The roles (file content) and taxonomy of an O*NET import, and every problem."""

    roles: dict[str, dict] = field(default_factory=dict)
    taxonomy: dict | None = None
    problems: list[Problem] = field(default_factory=list)


def _listed(items: list) -> str:
    shown = ", ".join(str(i) for i in items[:LISTED])
    return shown + (f" and {len(items) - LISTED} more" if len(items) > LISTED else "")


def read_tab_file(path: Path, required: list[str], limits: ImportLimits = DEFAULT_LIMITS,
                  budget: Budget | None = None) -> tuple[list[tuple[int, dict]] | None,
                                                     list[Problem]]:
    """(line, {column: value}) rows of a tab-delimited O*NET file; None and problems if
    unusable. Over `limits.table_rows` rows, or the `budget` spent, raises LimitExceeded."""
    name = path.name
    try:
        raw = read_regular_file(path, name, MAX_FILE_BYTES, reading="cannot read the file",
                                too_large="")
    except CatalogueError as exc:
        return None, exc.problems
    problems: list[Problem] = []
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
        problems.append(Problem(name, None, "", "not UTF-8; read as Windows-1252", WARNING))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter="\t", quoting=csv.QUOTE_NONE)
    header = next(reader, None)
    if header is None:
        return None, problems + [Problem(name, None, "", "file is empty; it needs at least "
                                         "the header line")]
    header = [h.strip() for h in header]
    missing = [c for c in required if c not in header]
    if missing:
        from ..model.problems import did_you_mean
        return None, problems + [
            Problem(name, 1, c, "column is missing" + (did_you_mean(c, header) or
                                                       "; is this the O*NET text release?"))
            for c in missing]
    rows = []
    for cells in reader:
        line = reader.line_num
        if not any(c.strip() for c in cells):
            continue
        if len(rows) >= limits.table_rows:
            raise LimitExceeded(name, line, "", f"the file has more than "
                                f"{count(limits.table_rows)} rows, the most one import reads; "
                                "import a release with fewer occupations, or split the file")
        if budget is not None and len(rows) % Budget.EVERY == 0:
            budget.check(name, line)
        rows.append((line, {h: (cells[i].strip() if i < len(cells) else "")
                            for i, h in enumerate(header)}))
    return rows, problems


def _month(value: str) -> dt.date | None:
    """O*NET's Date column, MM/YYYY (older releases) or YYYY-MM-DD, as a date."""
    value = value.strip()
    for pattern in ("%m/%Y", "%Y-%m-%d", "%Y-%m"):
        try:
            return dt.datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    return None


def _number(value: str) -> float | None:
    if value.strip().casefold() in NA:
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _scale(mean: float) -> int:
    """A 1-5 mean rounded half up, within 1-5."""
    return int(min(5, max(1, math.floor(mean + 0.5))))


def _hours(mean: float) -> float:
    points = WORK_WEEK_HOURS
    mean = min(points[-1][0], max(points[0][0], mean))
    for (x0, y0), (x1, y1) in zip(points, points[1:]):
        if x0 <= mean <= x1:
            return round(y0 + (y1 - y0) * (mean - x0) / (x1 - x0), 1)
    return DEFAULT_HOURS


def import_onet(folder: str | Path, limits: ImportLimits = DEFAULT_LIMITS) -> OnetImport:
    """Read an O*NET text release folder into role documents and a taxonomy, within the caps
    of every import (`limits`: rows per file, roles, tasks per role and in all, processor
    time): over one, the import stops with one problem that says which and gives no roles."""
    try:
        return _import_onet(Path(folder), limits, Budget(limits))
    except LimitExceeded as exc:
        return OnetImport(problems=exc.problems)


def _import_onet(folder: Path, limits: ImportLimits, budget: Budget) -> OnetImport:
    result = OnetImport()
    problems = result.problems
    if not folder.is_dir():
        problems.append(Problem(str(folder), None, "", "folder not found; give the folder of "
                                "the O*NET text release (it holds Occupation Data.txt)"))
        return result
    if not (folder / OCCUPATIONS_FILE).is_file():
        problems.append(Problem(OCCUPATIONS_FILE, None, "", "file is missing; the O*NET text "
                                "release folder must hold it (one line per occupation)"))
        return result
    occupations, found = read_tab_file(folder / OCCUPATIONS_FILE, COLUMNS[OCCUPATIONS_FILE],
                                       limits, budget)
    problems += found
    if occupations is None:
        return result

    roles: dict[str, dict] = {}
    groups: dict[str, str] = {}
    for line, row in occupations:
        code, title, description = row["O*NET-SOC Code"], row["Title"], row["Description"]
        if not CODE.match(code):
            problems.append(Problem(OCCUPATIONS_FILE, line, "O*NET-SOC Code", f"'{code}' is "
                                    "not an O*NET-SOC code like 11-1011.00; line skipped"))
            continue
        if code in roles:
            problems.append(Problem(OCCUPATIONS_FILE, line, "O*NET-SOC Code", f"'{code}' "
                                    "appears twice; the later line is skipped", WARNING))
            continue
        if title.casefold() in NA:
            problems.append(Problem(OCCUPATIONS_FILE, line, "Title", f"'{code}' has no title; "
                                    "line skipped"))
            continue
        major = code[:2]
        if major not in SOC_MAJOR_GROUPS:
            problems.append(Problem(OCCUPATIONS_FILE, line, "O*NET-SOC Code", f"'{code}': "
                                    f"{major} is not a SOC major group; department named "
                                    f"'SOC major group {major}'", WARNING))
        groups[f"soc-{major}"] = SOC_MAJOR_GROUPS.get(major, f"SOC major group {major}")
        if description.casefold() in NA:
            problems.append(Problem(OCCUPATIONS_FILE, line, "Description", f"'{code}' has no "
                                    "description; its title is used as the summary", WARNING))
            description = title
        if len(roles) >= limits.roles:
            raise LimitExceeded(OCCUPATIONS_FILE, line, "O*NET-SOC Code", f"more than "
                                f"{count(limits.roles)} occupations, the most roles one import "
                                "may hold; remove the occupations you do not need")
        roles[code] = {"line": line, "title": title, "summary": description,
                       "department": f"soc-{major}", "tasks": [], "context": {}, "dates": []}

    _read_tasks(folder, roles, problems, limits, budget)
    _read_context(folder, roles, problems, limits, budget)
    # A role without dated rows gets the newest date of the release (else the file's date).
    fallback = max((d for r in roles.values() for d in r["dates"]), default=None) or \
        dt.date.fromtimestamp((folder / OCCUPATIONS_FILE).stat().st_mtime)
    result.roles = _role_documents(roles, folder.name, fallback, problems)
    result.taxonomy = onet_taxonomy(groups)
    return result


def _read_tasks(folder: Path, roles: dict[str, dict], problems: list[Problem],
                limits: ImportLimits, budget: Budget) -> None:
    if not (folder / TASKS_FILE).is_file():
        problems.append(Problem(TASKS_FILE, None, "", "file not found; each occupation gets its "
                                "description as its one responsibility", WARNING))
        return
    rows, found = read_tab_file(folder / TASKS_FILE, COLUMNS[TASKS_FILE], limits, budget)
    problems += found
    if rows is None:
        return
    unknown, empty = [], []
    if len(rows) > limits.duties:
        raise LimitExceeded(TASKS_FILE, None, "", f"more than {count(limits.duties)} tasks, the "
                            "most duties one import may hold; remove the occupations you do "
                            "not need")
    for line, row in rows:
        code, task = row["O*NET-SOC Code"], row["Task"]
        if code not in roles:
            unknown.append(line)
            continue
        if task.casefold() in NA:
            empty.append(line)
            continue
        if len(roles[code]["tasks"]) >= limits.rows_per_role:
            raise LimitExceeded(TASKS_FILE, line, "O*NET-SOC Code", f"'{code}' has more than "
                                f"{count(limits.rows_per_role)} tasks; a role holds at most "
                                f"{count(limits.rows_per_role)} duties: remove tasks of it")
        kind = row["Task Type"].casefold()
        roles[code]["tasks"].append({
            "text": task,
            "category": kind if kind in ("core", "supplemental") else "unclassified",
            "essential": True if kind == "core" else False if kind == "supplemental" else None,
        })
        if (date := _month(row.get("Date", ""))) is not None:
            roles[code]["dates"].append(date)
    if unknown:
        problems.append(Problem(TASKS_FILE, None, "O*NET-SOC Code", f"{len(unknown)} task(s) of "
                                f"occupations not in {OCCUPATIONS_FILE} skipped (lines "
                                f"{_listed(unknown)})", WARNING))
    if empty:
        problems.append(Problem(TASKS_FILE, None, "Task", f"{len(empty)} task(s) without text "
                                f"(n/a) skipped (lines {_listed(empty)})", WARNING))


def _read_context(folder: Path, roles: dict[str, dict], problems: list[Problem],
                  limits: ImportLimits, budget: Budget) -> None:
    if not (folder / CONTEXT_FILE).is_file():
        problems.append(Problem(CONTEXT_FILE, None, "", "file not found; authority scales, "
                                "time pressure and weekly hours are left unknown", WARNING))
        return
    rows, found = read_tab_file(folder / CONTEXT_FILE, COLUMNS[CONTEXT_FILE], limits, budget)
    problems += found
    if rows is None:
        return
    wanted = {**{name: ("CX", f) for name, f in AUTHORITY_ELEMENTS.items()},
              TIME_PRESSURE: ("CX", "time_pressure"), WORK_WEEK: ("CT", "weekly_hours")}
    skipped: dict[str, list[int]] = defaultdict(list)
    for line, row in rows:
        element = row["Element Name"].casefold()
        if element not in wanted or row["Scale ID"] != wanted[element][0]:
            continue
        code = row["O*NET-SOC Code"]
        if code not in roles:
            skipped["of occupations not in " + OCCUPATIONS_FILE].append(line)
            continue
        if row["Recommend Suppress"].upper() == "Y":
            skipped["suppressed (Recommend Suppress = Y)"].append(line)
            continue
        if row.get("Not Relevant", "").upper() == "Y":
            skipped["marked Not Relevant = Y"].append(line)
            continue
        value = _number(row["Data Value"])
        if value is None:
            skipped[f"without a value ('{row['Data Value']}')"].append(line)
            continue
        target = wanted[element][1]
        roles[code]["context"][target] = _hours(value) if target == "weekly_hours" else _scale(value)
        if (date := _month(row.get("Date", ""))) is not None:
            roles[code]["dates"].append(date)
    for reason, lines in skipped.items():
        problems.append(Problem(CONTEXT_FILE, None, "", f"{len(lines)} row(s) {reason} not "
                                f"used (lines {_listed(lines)})", WARNING))


def _role_documents(roles: dict[str, dict], release: str, fallback: dt.date,
                    problems: list[Problem]) -> dict[str, dict]:
    documents: dict[str, dict] = {}
    defaults: dict[str, list[str]] = defaultdict(list)
    described: list[str] = []
    for code, role in roles.items():
        tasks = role["tasks"]
        if not tasks:
            described.append(code)
            tasks = [{"text": role["summary"], "category": DESCRIPTION_CATEGORY,
                      "essential": None}]
        context = role["context"]

        def value(name: str):
            if name not in context:
                defaults[name].append(code)
            return context.get(name)  # None: unknown

        documents[code] = {
            "id": code,
            "title": role["title"],
            "department": role["department"],
            "business_area": BUSINESS_AREA,
            "grade": GRADE,
            "reports_to": None,
            "dotted_to": [],
            "headcount": 1,
            "summary": role["summary"],
            "source": {"document": f"O*NET database, text release ({release})",
                       "modified": max(role["dates"], default=fallback).isoformat(),
                       "note": SOURCE_NOTE},
            # O*NET states no frequency or time share; a task's type says if it is essential
            "responsibilities": [{"text": t["text"], "category": t["category"],
                                  "frequency": None, "time_share": None,
                                  "essential": t["essential"], "source": SOURCE_NOTE}
                                 for t in tasks],
            "authority": {field_name: value(field_name)
                          for field_name in ("freedom_to_make_decisions", "impact_of_decisions",
                                             "responsibility_for_outcomes",
                                             "frequency_of_decisions")},
            "workload": {"weekly_hours": value("weekly_hours"),
                         "time_pressure": value("time_pressure"),
                         "travel_share": None},
        }
    if described:
        problems.append(Problem(TASKS_FILE, None, "", f"{len(described)} occupation(s) without "
                                f"task statements ({_listed(described)}) get their description "
                                "as their one responsibility", WARNING))
    for name, codes in defaults.items():
        problems.append(Problem(CONTEXT_FILE, None, name, f"no usable value for "
                                f"{len(codes)} occupation(s) ({_listed(codes)}); left unknown",
                                WARNING))
    return documents


def onet_taxonomy(departments: dict[str, str]) -> dict:
    """The imported catalogue's taxonomy: SOC major groups as departments, no reporting lines.

    Vocabularies O*NET does not fill (decision-right areas and scopes, interaction kinds,
    quality and requirement kinds) are the embedded catalogue's, so roles can be completed
    by hand later.
    """
    base = read_yaml_file(EMBEDDED_TAXONOMY).data
    return {
        "business_areas": {BUSINESS_AREA: "O*NET occupations"},
        "departments": dict(sorted(departments.items())),
        "grades": [{"id": GRADE, "name": "Occupation", "level": 1}],
        "duty_categories": dict(DUTY_CATEGORIES),
        "frequencies": {UNRATED: 0.25},
        "decision_right_areas": base["decision_right_areas"],
        "decision_right_scopes": base["decision_right_scopes"],
        "interaction_kinds": base["interaction_kinds"],
        "interaction_directions": base["interaction_directions"],
        "quality_kinds": base["quality_kinds"],
        "requirement_kinds": base["requirement_kinds"],
        "source_notes": [SOURCE_NOTE],
        "span_of_control": {"min": 0, "max": 12},
        "max_weekly_hours": 60,
        "authority_index": {
            "weights": {"freedom_to_make_decisions": 0.25, "impact_of_decisions": 0.25,
                        "responsibility_for_outcomes": 0.25, "frequency_of_decisions": 0.25,
                        "decision_rights": 0, "span": 0},
            "span_reference": 200},
        "workload_index": {
            "weights": {"weekly_hours": 0.4, "time_pressure": 0.4, "duty_load": 0.2,
                        "management_load": 0, "travel": 0},
            "hours_floor": 20, "hours_ceiling": 60, "duty_load_reference": 6},
        "reporting": "none",
    }


TAXONOMY_HEADER = """\
# Taxonomy of a catalogue imported from the O*NET database (text release) by
# `python -m jdcore import onet`. Departments are SOC major groups; every occupation is its
# own root (reporting: none: O*NET has no reporting lines).
# Not in O*NET, left unknown (null): time shares, task frequencies, the travel share, and a
# missing work-context value; each index is computed from the parts that are known. Weekly
# hours come from Duration of Typical Work Week (1 = under 40 hours read as 35, 2 = 40,
# 3 = over 40 read as 50).
# Decision rights and span carry no weight in the authority index: O*NET has neither.

"""


def write_onet(result: OnetImport, out: str | Path, *, force: bool = False):
    """Write an O*NET import as a catalogue folder and load it back (validating it)."""
    from ..loading import load_catalogue
    from .writer import WriteError, write_catalogue

    if result.taxonomy is None:
        raise WriteError("nothing to write: Occupation Data.txt could not be read")
    write_catalogue(out, result.taxonomy, result.roles, force=force, header=TAXONOMY_HEADER)
    return load_catalogue(out)
