"""From documents to a draft: read each one, recognise its roles, fill their fields, resolve
reporting lines and interactions across the batch and the catalogue, categorise the duties.

Values a document does not state are left unknown (null): a duty's frequency, time share
and essential flag, the authority scales and the workload measures. The role's headcount is
1 (a job description describes one post). A grade, department or category the taxonomy has
no entry for is added to the written taxonomy under its own name, with a warning.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from dataclasses import dataclass, field

from ...model.problems import WARNING, Problem
from ...model.schema import AUTHORITY_SCALES, WORKLOAD_MEASURES
from ..limits import LimitExceeded
from .blocks import DocumentError
from .draft import IMPORTED_NOTE, DocumentDraft, Provenance, Unrecognised
from .fields import (DEFAULT_LEVEL, GRADE_IN_HEADING, Statement, TitleIndex,
                     abbreviations_of, counterparts, expand, family_name, grade_statements,
                     grade_text, grade_token, interaction_direction, interaction_kind, is_meta,
                     level_rank, level_title, modified_date, names_role, quality_kind,
                     report_statements, requirement_kind, resolve_title,
                     right_of, slug, strip_site, subject_parts, title_case, title_from_text,
                     title_key)
from .readers import read_document
from .recognise import Found, Sketch, level_of, recognise, section_of
from .vocabulary import LEVELS

BUSINESS_AREA = "imported"
NOT_STATED = "not-stated"
UNCATEGORISED = "uncategorised"
MIN_CONFIDENCE = 0.05
SUMMARY_PARAGRAPHS = 3
MAX_SUMMARY = 4000   # characters; a role file stays far below the loader's 256 KiB
MAX_ITEMS = 150      # items of one section of one role


@dataclass
class Base:
    """What the import is checked against: the taxonomy (a plain dict, as taxonomy.yaml
    holds it), the catalogue's role titles by id, and its duties (text, category)."""

    taxonomy: dict
    titles: dict[str, str] = field(default_factory=dict)
    duties: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class _Role:
    document: str
    folder: str
    title: Found
    level: str | None = None
    level_where: str = ""
    department: Found | None = None
    fields: dict[str, Found] = field(default_factory=dict)
    summary: list[Found] = field(default_factory=list)
    sections: dict[str, list[Found]] = field(default_factory=dict)
    reports: list[Found] = field(default_factory=list)
    family: int = 0
    rank: int | None = None
    modified: dt.date | None = None
    grade_number: Found | None = None
    id: str = ""
    warnings: list[str] = field(default_factory=list)


def import_documents(files: list[tuple[str, bytes, str]], base: Base,
                     today: dt.date | None = None, budget=None,
                     max_roles: int | None = None) -> DocumentDraft:
    """A draft of every role the documents describe. files: (name shown in messages, bytes,
    the folder it was found in ("" for none)). With a `budget` (jdcore.formats.limits.Budget)
    it is checked before each document, and more than `max_roles` roles stop the import:
    both raise LimitExceeded."""
    started = time.perf_counter()
    draft = DocumentDraft(base_roles=dict(base.titles))
    roles: list[_Role] = []
    for family, (name, data, folder) in enumerate(files):
        if budget is not None:
            budget.check(name)
        draft.documents.append(name)
        try:
            blocks, title = read_document(name, data)
        except DocumentError as exc:
            draft.problems.append(Problem(name, None, "", str(exc)))
            continue
        except (RecursionError, MemoryError):
            draft.problems.append(Problem(name, None, "", "the document is nested too deeply or "
                                          "too large to read; simplify or split it"))
            continue
        except Exception as exc:  # a reader library's own failure: a message, not a traceback
            draft.problems.append(Problem(name, None, "", f"the document cannot be read "
                                          f"({type(exc).__name__}); save it again from the "
                                          "program that made it"))
            continue
        roles += _roles_of(name, folder, blocks, title, family, draft)
        if max_roles is not None and len(roles) > max_roles:
            raise LimitExceeded(name, None, "", f"the documents describe more than "
                                f"{max_roles:,} roles, the most one import may hold; import "
                                "them in smaller batches")
    if roles:
        _finish(roles, base, draft, today or dt.date.today())
    draft.seconds = time.perf_counter() - started
    return draft


def _roles_of(name: str, folder: str, blocks, title: str | None, family: int,
              draft: DocumentDraft) -> list[_Role]:
    found = recognise(blocks, title)
    draft.ignored_blocks += found.ignored
    draft.unrecognised += [Unrecognised(name, u.where, u.text) for u in found.unrecognised]
    family_sketch = found.family
    preamble = family_sketch.prose.get("preamble", [])
    everything = preamble + [f for fs in family_sketch.prose.values() for f in fs]
    doc_title = _document_title(found, family_sketch, everything, name)
    modified = modified_date(preamble[:5] + everything[:5])
    sketches = found.roles or [family_sketch]
    has_items = any(v for s in sketches + [family_sketch] for k, v in s.sections.items())
    roles = []
    family_title = family_name(doc_title.text) if found.roles else doc_title.text
    for sketch in sketches:
        own = sketch is not family_sketch
        grade_heading = None
        if own:
            heading = sketch.heading
            # "UX Researcher I (Grade 5)": the grade apart from the title
            paren = GRADE_IN_HEADING.search(heading.text)
            text = GRADE_IN_HEADING.sub("", heading.text).strip() if paren else heading.text
            if paren:
                grade_heading = Found(paren.group("g"), heading.where, "", heading.text)
            title = Found(level_title(text, family_title), heading.where)
        else:
            title = doc_title
        fields = dict(family_sketch.fields)
        if own:
            fields.update(sketch.fields)
        if "title" in fields and not own:
            title = Found(fields["title"].text, fields["title"].where)
        role = _Role(name, folder, title, family=family, modified=modified, fields=fields)
        role.level = level_of(GRADE_IN_HEADING.sub("", sketch.heading.text)) if own else None
        role.level_where = sketch.heading.where if own and sketch.heading else ""
        sections: dict[str, list[Found]] = {}
        for source in ([family_sketch, sketch] if own else [sketch]):
            for kind, items in source.sections.items():
                sections.setdefault(kind, []).extend(items)
        role.sections = sections
        prose = [f for f in family_sketch.prose.get("summary", [])]
        if own:
            prose += sketch.prose.get("summary", []) + sketch.prose.get("preamble", [])
        if not prose:
            prose = [f for f in preamble if not is_meta(f.text)]
        role.summary = [f for f in prose if not is_meta(f.text)][:SUMMARY_PARAGRAPHS]
        role.grade_number = grade_heading
        if not has_items:
            role.warnings.append("no section of a job description was recognised (such as "
                                 "Responsibilities or Requirements); the text is the summary: "
                                 "add headings to the document, or fill the role in the review")
            if not role.summary:
                role.summary = [f for f in everything if not is_meta(f.text)][:SUMMARY_PARAGRAPHS]
        roles.append(role)
    own_sketches = sketches if found.roles else [None]
    _inherit_duties(roles, own_sketches, family_sketch)
    for role in roles:
        for kind, items in role.sections.items():
            if len(items) > MAX_ITEMS:
                role.warnings.append(f"{len(items)} items in the {kind} section; the first "
                                     f"{MAX_ITEMS} are kept: split the document if it "
                                     "describes several roles")
                role.sections[kind] = items[:MAX_ITEMS]
    _stated_lines(roles, own_sketches, family_sketch, found.unrecognised)
    _stated_grades(roles, own_sketches, family_sketch)
    for role in roles:
        if role.level is None and role.grade_number is not None:
            # "The Frontend Engineer (Intermediate) is a grade 6" names the level too
            who = re.split(r"\b(?:is|are)\b", role.grade_number.intro, maxsplit=1)[0]
            role.level = level_of(who) if title_key(who) >= title_key(role.title.text) else None
            role.level_where = role.grade_number.where
        role.rank = level_rank(role.level)
    return roles


def _texts(sketch: Sketch | None) -> list[Found]:
    if sketch is None:
        return []
    return [f for fs in sketch.prose.values() for f in fs] + \
        [f for fs in sketch.sections.values() for f in fs]


def _said(sketch: Sketch | None) -> list[tuple[Found, bool]]:
    """A sketch's text for reporting lines: (text, whether it is a list item of a section
    such as the duties, where "Report to the board on results" is a duty, not a line)."""
    if sketch is None:
        return []
    return [(f, False) for fs in sketch.prose.values() for f in fs] + \
        [(f, kind not in ("interactions", "reports")) for kind, fs in sketch.sections.items()
         for f in fs]


def _inherit_duties(roles: list[_Role], sketches: list[Sketch | None], family: Sketch) -> None:
    """"Extends that of the Intermediate X responsibilities": a level's duties are the
    family's, then the named level's own (and what that one extends), then its own. The
    level named is found by its title; when none has it, the level before."""
    keys = [title_key(r.title.text) for r in roles]

    def named(i: int) -> int | None:
        extends = sketches[i].extends if sketches[i] is not None else None
        if extends is None:
            return None
        key = title_key(extends.text)
        for j, other in enumerate(keys):
            if j != i and (other == key or other - DEFAULT_LEVEL == key - DEFAULT_LEVEL):
                return j
        # "the Intermediate level": the one other level whose title holds those words
        holding = [j for j, other in enumerate(keys) if j != i and key and key <= other]
        if len(holding) == 1:
            return holding[0]
        return i - 1 if i > 0 else None

    def chain(i: int, seen: set[int]) -> list[Found]:
        target = named(i)
        inherited = chain(target, seen | {target}) if target is not None and \
            target not in seen else []
        own = sketches[i].sections.get("duties", []) if sketches[i] is not None else []
        return inherited + list(own)

    for i, role in enumerate(roles):
        target = named(i)
        if target is None:
            continue
        duties, seen_texts = [], set()
        for item in family.sections.get("duties", []) + chain(i, {i}):
            if item.text.casefold() not in seen_texts:
                seen_texts.add(item.text.casefold())
                duties.append(item)
        role.sections["duties"] = duties


def _stated_lines(roles: list[_Role], sketches: list[Sketch | None], family: Sketch,
                  loose: list[Found]) -> None:
    """Each role's reporting line as the document states it, most specific first: its own
    "Reports to:" field; a sentence of its own text ("They report to ...", or naming it);
    a sentence of the family's text naming it ("Senior Backend Engineers report to ...",
    "Backend Engineers report to ..." for every level); a family sentence naming nobody
    (or no role of the page). A line to the role itself is never taken."""
    every = [t.text for r in roles for t in [r.title]] + [f.text for f in _texts(family)]
    for sketch in sketches:
        every += [f.text for f in _texts(sketch)]
    short = abbreviations_of(every)
    keys = [title_key(r.title.text) for r in roles]

    def statements(texts: list[tuple[Found, bool]]) -> list[Statement]:
        out = []
        for found, item in texts:
            stated = report_statements(Found(expand(found.text, short), found.where,
                                             found.heading, found.text))
            if item:  # an item names who reports ("Senior Xs report to ..."), or is a duty
                stated = [s for s in stated if subject_parts(s.subject)]
            out += stated
            if not stated and found.heading and len(found.text.split()) <= 8 and \
                    section_of(found.heading) == "reports":
                # "#### Reports to" and the manager's title alone beneath it
                out.append(Statement("", (found.text.strip(" .:"),), found))
        return out

    family_statements = statements(_said(family) + [(f, False) for f in loose])
    for i, role in enumerate(roles):
        own = statements(_said(sketches[i]))
        stated = role.fields.get("reports_to")
        if stated is not None and title_key(stated.text) != keys[i]:
            role.reports = [Found(expand(stated.text, short), stated.where, stated.heading,
                                  stated.intro)]
            continue

        def about(statement: Statement) -> bool | None:
            """True when the statement names this role, None when it names nobody (or no
            role of the page: "Every executive"), False when it names another role."""
            parts = subject_parts(statement.subject)
            if not parts or not any(names_role(parts, k) for k in keys):
                return None
            return names_role(parts, keys[i])

        def to_self(statement: Statement) -> bool:
            return any(title_key(v) == keys[i] for v in statement.values)

        chosen = None
        for pool, accept in ((own, (True, None)), (family_statements, (True,)),
                             (family_statements, (None,))):
            chosen = next((s for s in pool if about(s) in accept and not to_self(s)), None)
            if chosen is not None:
                break
        if chosen is not None:
            role.reports = [Found(v, chosen.found.where, chosen.found.heading,
                                  chosen.found.intro or chosen.found.text)
                            for v in chosen.values]


def _stated_grades(roles: list[_Role], sketches: list[Sketch | None], family: Sketch) -> None:
    """Each role's grade number as the document states it: in its heading ("(Grade 5)"); its
    own "Grade: 7" field; a sentence of its own text naming it or nobody ("This role is
    grade 8"); any sentence, table row or list item of the page naming it ("The Senior X
    is a grade 7", "Senior X | 7", "Senior X: grade 7")."""
    keys = [title_key(r.title.text) for r in roles]
    texts = [(j, f) for j, s in enumerate(sketches) for f in _prose(s)] + \
        [(None, f) for f in _prose(family)]
    statements = [(j, s) for j, f in texts for s in grade_statements(f)]
    single = len(roles) == 1
    for i, role in enumerate(roles):
        if role.grade_number is not None:
            continue
        field_value = role.fields.get("grade")
        own_field = sketches[i] is not None and "grade" in sketches[i].fields or single
        if field_value is not None and own_field and grade_token(field_value.text):
            role.grade_number = Found(grade_token(field_value.text), field_value.where, "",
                                      f"{field_value.heading}: {field_value.text}")
            continue
        best = None
        for j, statement in statements:
            parts = subject_parts(statement.subject)
            mine = j == i or (j is None and single)
            if parts and names_role(parts, keys[i], family=False):
                best = statement
                break
            if mine and best is None and (not parts or not any(
                    names_role(parts, k, family=False) for k in keys)):
                best = statement  # "This role is grade 8" in its own section
        if best is not None:
            role.grade_number = Found(best.values[0], best.found.where, "", best.found.text)


def _prose(sketch: Sketch | None) -> list[Found]:
    if sketch is None:
        return []
    return [f for fs in sketch.prose.values() for f in fs]


def _document_title(found, family: Sketch, paragraphs: list[Found], name: str) -> Found:
    if "title" in family.fields:
        return family.fields["title"]
    if found.title is not None and found.title.text:
        text = strip_site(found.title.text)
        phrase = title_from_text([Found(text, found.title.where)])
        if phrase is not None:
            return phrase
        return Found(title_case(text.lower()) if text.isupper() else text, found.title.where)
    phrase = title_from_text(paragraphs)
    if phrase is not None:
        return phrase
    stem = re.sub(r"[_-]+", " ", name.rsplit("/", 1)[-1].rsplit(".", 1)[0]).strip()
    return Found(stem[:1].upper() + stem[1:] if stem else "Untitled role", "file name")


# --- across the batch ------------------------------------------------------------------------

def _finish(roles: list[_Role], base: Base, draft: DocumentDraft, today: dt.date) -> None:
    taxonomy = _taxonomy(base.taxonomy)
    used = {k.casefold() for k in base.titles}
    for role in roles:
        rid = slug(role.title.text)
        candidate, n = rid, 2
        while candidate.casefold() in used:
            candidate, n = f"{rid}-{n}", n + 1
        role.id = candidate
        used.add(candidate.casefold())
    titles = {rid: title_key(t) for rid, t in base.titles.items()}
    titles.update({r.id: title_key(r.title.text) for r in roles})
    titles = TitleIndex(titles, {r.id: r.family for r in roles})
    in_batch = {r.id for r in roles}
    categories = _categorise([d for r in roles for d in r.sections.get("duties", [])],
                             base, taxonomy)
    counter = iter(categories)
    draft.reporting = {"stated": 0, "resolved": 0, "unresolved": 0, "ambiguous": 0}
    for role in roles:
        doc, sources = _document(role, base, taxonomy, titles, in_batch, counter, draft, today)
        draft.roles[role.id] = doc
        draft.provenance += sources
    _career_ladders(roles, draft)
    _break_cycles(draft)
    draft.taxonomy = taxonomy


def _taxonomy(base: dict) -> dict:
    taxonomy = {k: (dict(v) if isinstance(v, dict) else list(v) if isinstance(v, list) else v)
                for k, v in base.items()}
    taxonomy["grades"] = [dict(g) for g in base["grades"]]
    taxonomy["business_areas"].setdefault(BUSINESS_AREA, "Imported job descriptions")
    if IMPORTED_NOTE not in taxonomy["source_notes"]:
        taxonomy["source_notes"].append(IMPORTED_NOTE)
    taxonomy["reporting"] = "none"  # documents rarely describe a whole tree
    return taxonomy


def _department(role: _Role, taxonomy: dict, problems: list[str]) -> tuple[str, Found | None]:
    stated = role.fields.get("department")
    if stated is None:
        match = re.search(r"\b(?:head|director|manager|chief) of (?:the )?(?P<d>[\w\s&-]{2,40}?) "
                          r"(?:department|dept|division|unit)\b|\bdepartment of (?:the )?"
                          r"(?P<e>[\w\s&-]{2,40})$", role.title.text, re.IGNORECASE)
        if match:
            stated = Found(match.group("d") or match.group("e"), role.title.where)
    if stated is None:  # "Head of Sales": a department only if the taxonomy has it
        match = re.search(r"\b(?:head|director|manager|chief|vp|vice president) of (?:the )?"
                          r"(?P<d>[\w\s&-]{2,40})$", role.title.text, re.IGNORECASE)
        if match and _known_department(match.group("d"), taxonomy):
            stated = Found(match.group("d"), role.title.where)
    if stated is None and role.folder:
        stated = Found(role.folder, "folder")
    if stated is None:
        taxonomy["departments"].setdefault(NOT_STATED, "Department not stated")
        return NOT_STATED, None
    key = title_key(stated.text)
    best, score = None, 0.0
    for did, name in taxonomy["departments"].items():
        other = title_key(name) | title_key(did.replace("-", " "))
        if key and key <= other or key == title_key(name):
            common = len(key & other) / len(key | other)
            if common > score:
                best, score = did, common
    if best is not None:
        return best, stated
    did = slug(stated.text)
    if did not in taxonomy["departments"]:
        taxonomy["departments"][did] = stated.text[:80]
        problems.append(f"department '{stated.text}' is not in the taxonomy; added as "
                        f"'{did}': map it to one of its departments in the review if it is one")
    return did, stated


def _known_department(text: str, taxonomy: dict) -> str | None:
    key = title_key(text)
    for did, name in taxonomy["departments"].items():
        if key and (key == title_key(name) or key == title_key(did.replace("-", " "))):
            return did
    return None


def _grade(role: _Role, taxonomy: dict, problems: list[str]) -> tuple[str, Found | None]:
    stated = None
    if role.level:
        stated = Found(role.level, role.level_where or role.title.where)
    elif "grade" in role.fields:
        stated = role.fields["grade"]
    else:
        level = level_of(role.title.text)
        if level:
            stated = Found(level, role.title.where)
    if role.grade_number is not None:  # "is a grade 7": with the level word, if any
        number = role.grade_number
        text = f"grade {number.text}"
        if stated is not None and not re.search(r"\d", stated.text):
            text = f"{grade_text(stated.text) if stated.text.islower() else stated.text} ({text})"
        stated = Found(text, number.where, "", number.intro)
    ladder = taxonomy["grades"]
    if stated is None:
        if not any(g["id"] == NOT_STATED for g in ladder):
            ladder.append({"id": NOT_STATED, "name": "Grade not stated",
                           "level": max(g["level"] for g in ladder) + 1})
        return NOT_STATED, None
    text = stated.text.strip()
    key = text.casefold().replace("-", " ")
    keys = [key]
    if role.grade_number is not None:  # a ladder of numbers: "grade 7", "7", "g7"
        number = role.grade_number.text.casefold()
        keys += [f"grade {number}", number, f"g{number}", f"level {number}"]
    for candidate in keys:
        for grade in ladder:
            if candidate in (grade["id"].casefold().replace("-", " "),
                             grade["name"].casefold()) or \
                    (candidate == "head" and grade["id"] == "head-of-department"):
                return grade["id"], stated
    name = grade_text(text) if text.islower() else text
    gid = slug(name)
    existing = next((g for g in ladder if g["id"] == gid), None)
    if existing is None:
        # the rung nearest to its level word ("Director (grade 10)" beside head-of-department)
        near = LEVELS.get(key, LEVELS.get((role.level or "").casefold(), (None, None)))[1]
        levels = {g["id"]: g["level"] for g in ladder}
        level = levels.get(near) if near else None
        if level is None:
            level = min(100, max(levels.values()) + 1)
        ladder.append({"id": gid, "name": name, "level": level})
    rungs = ", ".join(g["id"] for g in ladder if g["id"] != gid and g["id"] != NOT_STATED)
    problems.append(f"grade '{text}' is not a rung of the taxonomy's ladder ({rungs}); kept as "
                    f"its own rung '{gid}': map it to a rung in the review, or add it to "
                    "taxonomy.yaml")
    return gid, stated


def _categorise(duties: list[Found], base: Base, taxonomy: dict) -> list[tuple[str, float]]:
    """(category, confidence) per duty: the category whose name and catalogue duties are most
    similar (TF-IDF cosine) to the duty's text."""
    if not duties:
        return []
    import numpy as np

    from ...analysis.matching import make_vectorizer

    names = taxonomy["duty_categories"]
    ids = list(names)
    corpus = {cid: [names[cid], cid.replace("-", " ")] for cid in ids}
    for text, category in base.duties:
        if category in corpus:
            corpus[category].append(text)
    documents = [" ".join(corpus[cid]) for cid in ids]
    texts = [d.text for d in duties]
    vectorizer = make_vectorizer()
    try:
        vectorizer.fit(documents + texts)
    except ValueError:
        return [(UNCATEGORISED, 0.0)] * len(duties)
    categories = vectorizer.transform(documents)
    vectors = vectorizer.transform(texts)
    similarity = (vectors @ categories.T).toarray() if len(ids) else np.zeros((len(texts), 0))
    out = []
    for row in similarity:
        if row.size == 0 or row.max() < MIN_CONFIDENCE:
            out.append((UNCATEGORISED, round(float(row.max()) if row.size else 0.0, 2)))
        else:
            best = int(row.argmax())
            out.append((ids[best], round(float(row[best]), 2)))
    if any(c == UNCATEGORISED for c, _ in out):
        taxonomy["duty_categories"].setdefault(UNCATEGORISED, "Not categorised (imported)")
    return out


def _document(role: _Role, base: Base, taxonomy: dict, titles, in_batch, categories, draft,
              today) -> tuple[dict, list[Provenance]]:
    rid, name = role.id, role.document
    sources: list[Provenance] = []
    warnings = list(role.warnings)

    def source(field_name, found: Found | None, index=None, value="", confidence=None):
        if found is not None:
            # a single field shows the sentence it was read from; an item, its own text
            text = found.intro if index is None and found.intro else found.text
            sources.append(Provenance(rid, field_name, index, name, found.where,
                                      text, str(value), confidence))

    department, dep_found = _department(role, taxonomy, warnings)
    grade, grade_found = _grade(role, taxonomy, warnings)
    source("title", role.title, value=role.title.text)
    source("department", dep_found, value=department)
    source("grade", grade_found, value=grade)
    reports_to = None
    if role.reports:
        draft.reporting["stated"] += 1
        stated, target, candidates = _manager(role, titles)
        if target is not None:
            reports_to = target
            draft.reporting["resolved"] += 1
            source("reports_to", stated, value=target)
        elif candidates:
            draft.reporting["ambiguous"] += 1
            draft.candidates[rid] = list(candidates)
            warnings.append(f"reports to '{stated.text}', which matches several roles "
                            f"({', '.join(candidates)}); choose one in the review")
        else:
            draft.reporting["unresolved"] += 1
            warnings.append(f"reports to '{stated.text}', which matches no role of the catalogue "
                            "or of this import; choose the manager in the review, or import "
                            "that role's description too")
    summary = " ".join(f.text for f in role.summary).strip()[:MAX_SUMMARY] or role.title.text
    for f in role.summary:
        source("summary", f)
    sections = role.sections
    duties = []
    for i, item in enumerate(sections.get("duties", [])):
        category, confidence = next(categories)
        duties.append({"text": item.text, "category": category, "frequency": None,
                       "time_share": None, "essential": None, "source": IMPORTED_NOTE})
        source("responsibilities", item, i, category, confidence)
    qualities = []
    for item in sections.get("qualities", []):
        source("qualities", item, len(qualities))
        qualities.append({"name": item.text, "kind": quality_kind(item.text),
                          "source": IMPORTED_NOTE})
    requirements = []
    for item in sections.get("requirements", []):
        kind, years = requirement_kind(item.text, item.heading)
        entry = {"kind": kind, "text": item.text, "source": IMPORTED_NOTE}
        if years is not None:
            entry["years"] = years
        source("requirements", item, len(requirements))
        requirements.append(entry)
    rights, unmapped = [], []
    for item in sections.get("rights", []):
        area, scope = right_of(item.text, taxonomy["decision_right_areas"])
        if area is None or scope is None or scope not in taxonomy["decision_right_scopes"]:
            unmapped.append(item)
            continue
        source("rights", item, len(rights), f"{area}: {scope}")
        rights.append({"area": area, "scope": scope, "limit": item.text[:300],
                       "source": IMPORTED_NOTE})
    for item in unmapped:
        draft.unrecognised.append(Unrecognised(name, item.where, f"(right) {item.text}"))
    if unmapped:
        warnings.append(f"{len(unmapped)} right(s) name no decision-right area and scope of the "
                        "taxonomy; they are listed as not recognised")
    accountabilities = []
    for item in sections.get("liability", []):
        source("accountabilities", item, len(accountabilities))
        accountabilities.append({"text": item.text, "source": IMPORTED_NOTE})
    interactions = []
    for item in sections.get("interactions", []):
        if report_statements(item):  # the reporting line, not an interaction
            continue
        parties = counterparts(item.text) or _intro_parties(item.intro) or \
            counterparts(item.heading)
        if not parties:
            draft.unrecognised.append(Unrecognised(name, item.where, f"(interaction) {item.text}"))
            continue
        for party in parties:
            target, _ = resolve_title(party, titles, exclude=rid)
            counterpart = target if target is not None else f"external:{party.casefold()}"
            source("interactions", item, len(interactions), counterpart)
            interactions.append({"with": counterpart,
                                 "direction": interaction_direction(item.text) or "both",
                                 "kind": _known(interaction_kind(item.text),
                                                taxonomy["interaction_kinds"]),
                                 "subject": item.text[:300], "source": IMPORTED_NOTE})
    kpis = []
    for item in sections.get("kpis", []):
        source("kpis", item, len(kpis))
        kpis.append({"name": item.text[:120], "target": item.text, "source": IMPORTED_NOTE})
    career = []
    for item in sections.get("career", []):
        target, _ = resolve_title(item.text, titles, exclude=rid)
        if target is not None and target not in career:
            source("career", item, len(career), target)
            career.append(target)
    modified = role.modified or today
    doc = {
        "id": rid, "title": role.title.text[:200], "department": department,
        "business_area": BUSINESS_AREA, "grade": grade, "reports_to": reports_to,
        "dotted_to": [], "headcount": 1, "summary": summary,
        "source": {"document": name, "modified": modified.isoformat(), "note": IMPORTED_NOTE},
        "responsibilities": duties, "qualities": qualities, "requirements": requirements,
        "rights": rights, "accountabilities": accountabilities,
        "authority": {s: None for s in AUTHORITY_SCALES},
        "workload": {m: None for m in WORKLOAD_MEASURES}, "interactions": interactions,
        "kpis": kpis, "career": {"next": career},
    }
    for message in warnings:
        draft.problems.append(Problem(name, None, rid, message, WARNING))
    return doc, sources


def _manager(role: _Role, titles) -> tuple[Found, str | None, list[str]]:
    """The reading of the stated manager that names one role (the longest such, a role of
    the same document first: "Manager, Backend Engineering" before "Manager"), else the
    first ambiguous reading's candidates, else the reading as written, unresolved."""
    ambiguous: tuple[Found, list[str]] | None = None
    for pool in (titles.family_of(role.family), titles):
        for reading in role.reports:
            target, candidates = resolve_title(reading.text, pool, exclude=role.id)
            if target is not None:
                return reading, target, []
            if candidates and ambiguous is None:
                ambiguous = (reading, candidates)
    if ambiguous is not None:
        return ambiguous[0], None, ambiguous[1]
    return role.reports[0], None, []


def _intro_parties(intro: str) -> list[str]:
    """The parties the paragraphs introducing a list name (the first that names any)."""
    for sentence in re.split(r"(?<=[.!?:])\s+", intro):
        parties = counterparts(sentence)
        if parties:
            return parties
    return []


def _known(kind: str, kinds: dict) -> str:
    return kind if kind in kinds else next(iter(kinds))


def _career_ladders(roles: list[_Role], draft: DocumentDraft) -> None:
    """Levels of one job family, ranked by their level words: each level's next career step
    is the level above it (the ladder the document states)."""
    families: dict[int, list[_Role]] = {}
    for role in roles:
        if role.rank is not None:
            families.setdefault(role.family, []).append(role)
    for members in families.values():
        ranked = sorted(members, key=lambda r: r.rank)
        for lower, upper in zip(ranked, ranked[1:]):
            if upper.rank > lower.rank:
                nexts = draft.roles[lower.id]["career"]["next"]
                if upper.id not in nexts:
                    nexts.append(upper.id)


def _break_cycles(draft: DocumentDraft) -> None:
    """A reporting line that closes a cycle is dropped, with a warning."""
    for rid in list(draft.roles):
        seen, node = [rid], draft.roles[rid]["reports_to"]
        while node is not None and node in draft.roles and node not in seen:
            seen.append(node)
            node = draft.roles[node]["reports_to"]
        if node == rid:
            draft.roles[rid]["reports_to"] = None
            draft.problems.append(Problem(draft.roles[rid]["source"]["document"], None, rid,
                                          "its reporting line closes a cycle "
                                          f"({' -> '.join(seen + [rid])}); dropped: set it in "
                                          "the review", WARNING))
