"""Editing the taxonomy (for the Taxonomy page): its vocabularies as tables, its settings as
numbers, the document written back, a readable difference between two versions, the check
of a new taxonomy over the whole catalogue, and renaming a value with every role that uses
it.

The check is the loader's own: every current role document is loaded with the new
taxonomy (jdcore.loading.load_documents), so a role that uses a department, grade or any
other value the new taxonomy no longer has is an error, exactly as it would be in a folder.
A value that is removed while roles still use it is also said once, with the roles and the
fix (move them first, or rename the value, which updates them).

A rename changes an id in the taxonomy and in every role that uses it, as new approved
versions of those roles stored in the same transaction as the new taxonomy version
(Workspace.save_taxonomy with `roles`): all of it is stored, or none. It is offered only
when no role that uses the value has a pending change (a draft or a version in review),
which the rename would otherwise leave with the old value.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace

import pandas as pd
import yaml

from ..formats.writer import dump_yaml
from ..loading import RoleDocument, load_documents
from ..loading.files import (TAXONOMY_FILE, read_role_document, read_taxonomy,
                             role_document_name)
from ..model.problems import ERROR, WARNING, CatalogueError, HasProblems, Problem
from ..model.schema import Taxonomy
from ..model.yamlfile import parse_yaml_text
from .diff import Change
from .editing import role_data

EDIT_LABEL = f"{TAXONOMY_FILE} (your edit)"
ROLE_LISTS = ("responsibilities", "qualities", "requirements", "rights", "accountabilities",
              "interactions", "kpis")


@dataclass(frozen=True)
class Vocabulary:
    """One list of taxonomy.yaml edited as a table."""

    key: str          # its key in taxonomy.yaml
    title: str        # what the page calls it
    kind: str         # "named" (id: name), "weighted" (id: weight), "grades", "ordered" (ids)
    used_by: tuple[tuple[str, ...], ...]  # where roles use it: a path, "*" for every item
    singular: str     # one of its values, in a sentence: "department"
    in_tables: tuple[tuple[str, str], ...] = ()  # the same places in the catalogue's tables

    @property
    def columns(self) -> list[str]:
        return {"named": ["id", "name"], "weighted": ["id", "weight"],
                "grades": ["id", "name", "level"], "ordered": ["id"]}[self.kind]


_SOURCES = (("source", "note"),) + tuple((name, "*", "source") for name in ROLE_LISTS)
VOCABULARIES: tuple[Vocabulary, ...] = (
    Vocabulary("business_areas", "Business areas", "named", (("business_area",),),
               "business area", (("roles", "business_area"),)),
    Vocabulary("departments", "Departments", "named", (("department",),), "department",
               (("roles", "department"),)),
    Vocabulary("grades", "Grades", "grades", (("grade",),), "grade", (("roles", "grade"),)),
    Vocabulary("duty_categories", "Duty categories", "named",
               (("responsibilities", "*", "category"),), "duty category",
               (("duties", "category"),)),
    Vocabulary("frequencies", "Duty frequencies", "weighted",
               (("responsibilities", "*", "frequency"),), "frequency",
               (("duties", "frequency"),)),
    Vocabulary("decision_right_areas", "Decision-right areas", "named",
               (("rights", "*", "area"),), "decision-right area", (("rights", "area"),)),
    Vocabulary("decision_right_scopes", "Decision-right scopes", "ordered",
               (("rights", "*", "scope"),), "decision-right scope", (("rights", "scope"),)),
    Vocabulary("interaction_kinds", "Interaction kinds", "named",
               (("interactions", "*", "kind"),), "interaction kind",
               (("interactions", "kind"),)),
    Vocabulary("interaction_directions", "Interaction directions", "ordered",
               (("interactions", "*", "direction"),), "interaction direction",
               (("interactions", "direction"),)),
    Vocabulary("quality_kinds", "Quality kinds", "ordered", (("qualities", "*", "kind"),),
               "quality kind", (("qualities", "kind"),)),
    Vocabulary("requirement_kinds", "Requirement kinds", "ordered",
               (("requirements", "*", "kind"),), "requirement kind",
               (("requirements", "kind"),)),
    Vocabulary("source_notes", "Source notes", "ordered", _SOURCES, "source note",
               (("roles", "source_note"),) + tuple((table, "source") for table in (
                   "duties", "qualities", "requirements", "rights", "accountabilities",
                   "interactions", "kpis"))),
)
VOCABULARIES_BY_KEY = {v.key: v for v in VOCABULARIES}
SETTINGS_COLUMNS = ["setting", "meaning", "value"]
SETTING_LABELS = {
    "span_of_control.min": "Span of control: fewest direct reports a manager should have",
    "span_of_control.max": "Span of control: most direct reports a manager should have",
    "max_weekly_hours": "Weekly hours above which a role is flagged",
    "authority_index.span_reference": "Authority index: total reports at which the span "
                                      "counts in full",
    "workload_index.hours_floor": "Workload index: weekly hours that count as 0",
    "workload_index.hours_ceiling": "Workload index: weekly hours that count in full",
    "workload_index.duty_load_reference": "Workload index: duty load that counts in full",
}
SETTING_SECTIONS = ("span_of_control", "max_weekly_hours", "authority_index", "workload_index")
REPORTING = ("tree", "none")


# -- the taxonomy as tables and back -------------------------------------------------------

def taxonomy_tables(taxonomy: Taxonomy) -> dict[str, pd.DataFrame]:
    """Each vocabulary as a table (columns of Vocabulary.columns), in the file's order."""
    data = taxonomy.model_dump()
    tables = {}
    for vocabulary in VOCABULARIES:
        value = data[vocabulary.key]
        if vocabulary.kind == "grades":
            rows = [[g["id"], g["name"], g["level"]] for g in value]
        elif vocabulary.kind == "ordered":
            rows = [[item] for item in value]
        else:
            rows = [[key, item] for key, item in value.items()]
        table = pd.DataFrame(rows, columns=vocabulary.columns, dtype=object)
        for column in vocabulary.columns:
            if column == "level":
                table[column] = pd.to_numeric(table[column]).astype("Int64")
            elif column == "weight":
                table[column] = pd.to_numeric(table[column]).astype("float64")
            else:
                table[column] = table[column].astype("str")
        tables[vocabulary.key] = table
    return tables


def _flatten(value, prefix: str) -> Iterator[tuple[str, float]]:
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _flatten(inner, f"{prefix}.{key}")
    else:
        yield prefix, value


def settings_table(taxonomy: Taxonomy) -> pd.DataFrame:
    """The taxonomy's numbers (span of control, weekly hours limit, the indices' weights and
    references), one row per setting named by its path: "authority_index.weights.span"."""
    data = taxonomy.model_dump()
    rows = [(name, setting_label(name), value) for section in SETTING_SECTIONS
            for name, value in _flatten(data[section], section)]
    table = pd.DataFrame(rows, columns=SETTINGS_COLUMNS)
    table["value"] = pd.to_numeric(table["value"]).astype("float64")
    return table


def setting_label(name: str) -> str:
    """What a setting means, in words: "Authority index: weight of impact of decisions"."""
    if name in SETTING_LABELS:
        return SETTING_LABELS[name]
    index, _, part = name.partition(".weights.")
    if part:
        return (f"{index.replace('_', ' ').capitalize()}: weight of "
                f"{part.replace('_', ' ')}")
    return name.replace("_", " ").replace(".", ": ").capitalize()


def _cell(value):
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, str):
        value = value.strip()
        return value or None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


@dataclass(frozen=True)
class TaxonomyEdit:
    """A taxonomy as the page holds it: the data of taxonomy.yaml, and what could not be
    turned into it (a duplicated id, an empty id with a name)."""

    data: dict
    problems: tuple[Problem, ...]


def taxonomy_edit(tables: dict[str, pd.DataFrame], settings: pd.DataFrame,
                  reporting: str) -> TaxonomyEdit:
    """The taxonomy's data from edited tables (empty rows dropped). Two rows with one id,
    or a row with a name but no id, is a problem naming the vocabulary and the row."""
    data: dict = {}
    problems: list[Problem] = []
    for vocabulary in VOCABULARIES:
        rows = tables[vocabulary.key].to_dict("records")
        seen: dict[str, int] = {}
        items = []
        for number, row in enumerate(rows, start=1):
            cells = {c: _cell(row.get(c)) for c in vocabulary.columns}
            if all(v is None for v in cells.values()):
                continue
            ident = cells["id"]
            if ident is None:
                problems.append(Problem(EDIT_LABEL, None, f"{vocabulary.key}[{number}]",
                                        f"row {number} of {vocabulary.title} has no id; give "
                                        "it one or empty the row"))
                continue
            ident = str(ident)
            if ident in seen:
                problems.append(Problem(EDIT_LABEL, None, f"{vocabulary.key}.{ident}",
                                        f"{vocabulary.singular} id '{ident}' is listed twice "
                                        f"(rows {seen[ident]} and {number}); give each its own "
                                        "id or delete one row"))
                continue
            seen[ident] = number
            cells["id"] = ident
            items.append(cells)
        if vocabulary.kind == "grades":
            data[vocabulary.key] = [{"id": i["id"], "name": i["name"], "level": i["level"]}
                                    for i in items]
        elif vocabulary.kind == "ordered":
            data[vocabulary.key] = [i["id"] for i in items]
        else:
            value = "name" if vocabulary.kind == "named" else "weight"
            data[vocabulary.key] = {i["id"]: i[value] for i in items}
    for row in settings.to_dict("records"):
        path = str(row["setting"]).split(".")
        target = data
        for part in path[:-1]:
            target = target.setdefault(part, {})
        target[path[-1]] = _cell(row.get("value"))
    data["reporting"] = reporting
    order = [name for name in Taxonomy.model_fields]
    return TaxonomyEdit({k: data[k] for k in order if k in data}, tuple(problems))


def _top_level_blocks(text: str) -> list[tuple[str | None, str]]:
    """taxonomy.yaml cut into top-level blocks: (key, its text with the comments above it);
    None for trailing comments. Every line belongs to exactly one block."""
    blocks: list[tuple[str | None, str]] = []
    pending: list[str] = []
    key, lines = None, []
    for line in text.splitlines(keepends=True):
        starts = line[:1] not in ("", " ", "\t", "#", "-", "\n", "\r", "}", "]") \
            and ":" in line
        if starts:
            if key is not None:
                blocks.append((key, "".join(lines)))
            key, lines = line.split(":", 1)[0].strip(), pending + [line]
            pending = []
        elif key is not None and line[:1] in (" ", "\t", "-", "}", "]"):
            lines += pending + [line]
            pending = []
        else:
            pending.append(line)
    if key is not None:
        blocks.append((key, "".join(lines)))
    if pending:
        blocks.append((None, "".join(pending)))
    return blocks


def _yaml_data(document: str) -> dict | None:
    try:
        data = parse_yaml_text(document, TAXONOMY_FILE).data
    except CatalogueError:
        return None
    return data if isinstance(data, dict) else None


def _same(value):
    """Data compared as the strict YAML reader gives it (scalars as text), with numbers
    compared as numbers (1.0 is 1)."""
    if isinstance(value, dict):
        return {str(k): _same(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_same(v) for v in value]
    if value is None:
        return None
    if isinstance(value, bool):
        return str(value).lower()
    try:
        return float(value)
    except (TypeError, ValueError):
        return str(value)


def _section(key: str, value) -> str:
    """One top-level section of taxonomy.yaml: a mapping as a block, a list with each item
    on a line of its own ([a, b] for a list of names, {id: .., name: ..} for a grade)."""
    if isinstance(value, list):
        return yaml.safe_dump({key: value}, default_flow_style=None, sort_keys=False,
                              allow_unicode=True, width=100)
    return dump_yaml({key: value})


def taxonomy_document(data: dict, previous: str) -> str:
    """taxonomy.yaml holding `data`: the sections that did not change kept as `previous`
    wrote them (with their comments), the others written anew below their comments. When
    the previous text cannot be cut into sections, the whole file is written anew."""
    old = _yaml_data(previous) or {}
    if "reporting" not in old and data.get("reporting") == "tree":
        data = {k: v for k, v in data.items() if k != "reporting"}  # the default, unsaid
    blocks = _top_level_blocks(previous)
    keys = [key for key, _ in blocks if key is not None]
    if sorted(keys) == sorted(old) and len(set(keys)) == len(keys):
        parts = []
        for key, text in blocks:
            if key is None or key not in data:
                parts.append(text if key is None else "")
                continue
            if _same(old.get(key)) == _same(data[key]):
                parts.append(text)
            else:
                lead = []
                for line in text.splitlines(keepends=True):  # the comments above it
                    if line.startswith("#") or not line.strip():
                        lead.append(line)
                    else:
                        break
                parts.append("".join(lead) + _section(key, data[key]))
        extra = {k: v for k, v in data.items() if k not in keys}
        if extra:
            parts.append(dump_yaml(extra))
        document = "".join(parts)
        if _same(_yaml_data(document)) == _same(data):
            return document
    return dump_yaml(data)


# -- a readable difference -------------------------------------------------------------------

def _described(vocabulary: Vocabulary, item) -> str:
    if vocabulary.kind == "grades":
        return f"{item['id']}: {item['name']} (level {item['level']})"
    return str(item)


def taxonomy_diff(old_document: str, new_document: str) -> list[Change]:
    """What changed from one taxonomy to another, vocabulary by vocabulary (values added,
    removed, renamed, reordered; a name, weight or level changed), then setting by
    setting."""
    try:
        old = read_taxonomy(RoleDocument(TAXONOMY_FILE, old_document.encode("utf-8")))
        new = read_taxonomy(RoleDocument(TAXONOMY_FILE, new_document.encode("utf-8")))
    except CatalogueError:
        return [Change("document", "changed", "(the earlier taxonomy)", "(this one)")]
    a, b = old.model_dump(), new.model_dump()
    changes: list[Change] = []
    for vocabulary in VOCABULARIES:
        section = vocabulary.key
        if vocabulary.kind == "grades":
            before = {g["id"]: g for g in a[section]}
            after = {g["id"]: g for g in b[section]}
        elif vocabulary.kind == "ordered":
            before = {v: v for v in a[section]}
            after = {v: v for v in b[section]}
        else:
            before, after = a[section], b[section]
        for ident in before:
            if ident not in after:
                shown = _described(vocabulary, before[ident]) if vocabulary.kind == "grades" \
                    else (ident if vocabulary.kind == "ordered" else f"{ident}: {before[ident]}")
                changes.append(Change(section, "removed", shown, ""))
        for ident in after:
            if ident not in before:
                shown = _described(vocabulary, after[ident]) if vocabulary.kind == "grades" \
                    else (ident if vocabulary.kind == "ordered" else f"{ident}: {after[ident]}")
                changes.append(Change(section, "added", "", shown))
        for ident in after:
            if ident in before and before[ident] != after[ident]:
                if vocabulary.kind == "grades":
                    for part in ("name", "level"):
                        if before[ident][part] != after[ident][part]:
                            changes.append(Change(f"{section}: {ident}", f"{part} changed",
                                                  str(before[ident][part]),
                                                  str(after[ident][part])))
                else:
                    what = "weight changed" if vocabulary.kind == "weighted" else "name changed"
                    changes.append(Change(f"{section}: {ident}", what,
                                          f"{before[ident]:g}" if vocabulary.kind == "weighted"
                                          else str(before[ident]),
                                          f"{after[ident]:g}" if vocabulary.kind == "weighted"
                                          else str(after[ident])))
        kept_before = [i for i in before if i in after]
        kept_after = [i for i in after if i in before]
        if kept_before != kept_after:
            changes.append(Change(section, "reordered", ", ".join(kept_before),
                                  ", ".join(kept_after)))
    settings = dict(row for s in SETTING_SECTIONS for row in _flatten(a[s], s))
    for name, value in (row for s in SETTING_SECTIONS for row in _flatten(b[s], s)):
        if settings.get(name) != value:
            changes.append(Change(name, "changed", "(none)" if settings.get(name) is None
                                  else f"{settings[name]:g}", f"{value:g}"))
    for name in settings:
        if name not in dict(row for s in SETTING_SECTIONS for row in _flatten(b[s], s)):
            changes.append(Change(name, "removed", f"{settings[name]:g}", ""))
    if a["reporting"] != b["reporting"]:
        changes.append(Change("reporting", "changed", a["reporting"], b["reporting"]))
    return changes


# -- where roles use the taxonomy's values -------------------------------------------------

def _walk(value, path: tuple[str, ...]) -> Iterator[tuple[object, object]]:
    """(container, key) of every place `path` reaches in a role's data."""
    if not path:
        return
    head, rest = path[0], path[1:]
    if head == "*":
        if isinstance(value, list):
            for i, item in enumerate(value):
                yield from ((value, i),) if not rest else _walk(item, rest)
        return
    if isinstance(value, dict) and head in value:
        if rest:
            yield from _walk(value[head], rest)
        else:
            yield value, head


def used_values(data: dict, vocabulary: Vocabulary) -> set[str]:
    """The values of `vocabulary` that a role's data uses."""
    return {str(container[key]) for path in vocabulary.used_by
            for container, key in _walk(data, path) if container[key] is not None}


def role_usage(document: str) -> dict[str, frozenset[str]]:
    """vocabulary key -> the values of it a role document uses."""
    data = role_data(document)
    return {v.key: frozenset(used_values(data, v)) for v in VOCABULARIES}


def catalogue_usage(catalogue,
                    documents: dict[str, str]) -> dict[str, dict[str, frozenset[str]]]:
    """Each role's role_usage, read from the loaded catalogue's tables (no document is
    parsed again); a role the tables leave out (its document does not fit the schema) from
    its document in `documents`."""
    empty = frozenset()
    found: dict[str, dict[str, frozenset[str]]] = {rid: {} for rid in documents}
    for vocabulary in VOCABULARIES:
        pairs = [catalogue.tables[table][["role_id", column]].set_axis(["role_id", "value"],
                                                                      axis=1)
                 for table, column in vocabulary.in_tables]
        values = pd.concat(pairs).dropna()
        values = values.astype({"role_id": "str", "value": "str"}).drop_duplicates()
        grouped = values.groupby("role_id", sort=False)["value"].agg(frozenset)
        for rid in found:
            found[rid][vocabulary.key] = grouped.get(rid, empty)
    tabled = set(catalogue.roles["role_id"].astype("str"))
    for rid in documents:
        if rid not in tabled:
            found[rid] = role_usage(documents[rid])
    return found


def usage(per_role: dict[str, dict[str, frozenset[str]]]) -> dict[str, dict[str, list[str]]]:
    """vocabulary key -> value -> the roles (ids, sorted) that use it, from each role's
    usage (role_usage)."""
    found: dict[str, dict[str, list[str]]] = {v.key: {} for v in VOCABULARIES}
    for role_id in sorted(per_role):
        for key, values in per_role[role_id].items():
            for value in values:
                found[key].setdefault(value, []).append(role_id)
    return found


def renamed_document(document: str, vocabulary: Vocabulary, old: str, new: str) -> str:
    """A role document with every use of `old` in `vocabulary` as `new`."""
    data = role_data(document)
    for path in vocabulary.used_by:
        for container, key in _walk(data, path):
            if container[key] is not None and str(container[key]) == old:
                container[key] = new
    return dump_yaml(data)


def _names(role_ids: Iterable[str], limit: int = 8) -> str:
    ids = list(role_ids)
    shown = ", ".join(ids[:limit])
    return shown + (f" and {len(ids) - limit} more" if len(ids) > limit else "")


# -- checking a taxonomy over the whole catalogue ----------------------------------------------

@dataclass(frozen=True)
class CatalogueDocuments:
    """The catalogue a taxonomy is checked over: its current role documents (and the
    values of the taxonomy each uses), the problems it has with the taxonomy it has now
    (and the roles that have any), and the pending changes (role id -> (version, status,
    author, document))."""

    taxonomy: Taxonomy
    roles: dict[str, str]
    role_usage: dict[str, dict[str, frozenset[str]]]
    labels: dict[str, str]
    before: frozenset[tuple]
    with_problems: frozenset[str]
    pending: dict[str, tuple[int, str, str, str]]
    fingerprint: str

    def usage(self, roles: dict[str, str] | None = None) -> dict[str, dict[str, list[str]]]:
        """vocabulary key -> value -> the roles that use it (with `roles`, role id ->
        document, in place of those roles' current documents)."""
        if not roles:
            return usage(self.role_usage)
        return usage(self.role_usage | {rid: role_usage(text) for rid, text in roles.items()})


def _key(problem: Problem) -> tuple:
    """A problem as compared before and after (not by line: a rename rewrites a role's
    document, and its problems from before move to other lines)."""
    return (problem.file, problem.field, problem.message, problem.severity)


def catalogue_documents(workspace, snapshot) -> CatalogueDocuments:
    """The current catalogue of a workspace `snapshot` as documents, for checking a new
    taxonomy over it (one read of every current document)."""
    shown = {rid: v for rid, v in snapshot.versions.items() if v.status == "approved"}
    texts = workspace.documents([v.id for v in shown.values()])
    roles = {rid: texts[v.id] for rid, v in shown.items()}
    labels = {role_document_name(rid): f"{role_document_name(rid)} (version {v.version})"
              for rid, v in shown.items()}
    pending = {v.role_id: (v.version, v.status, v.author, v.document)
               for v in workspace.pending()}
    problems = snapshot.catalogue.problems
    by_label = {label: role_document_name(rid) for rid, label in
                ((rid, labels[role_document_name(rid)]) for rid in roles)}
    named = {by_label.get(p.file, "") for p in problems}
    with_problems = frozenset(rid for rid in roles if role_document_name(rid) in named)
    return CatalogueDocuments(snapshot.catalogue.taxonomy, roles,
                              catalogue_usage(snapshot.catalogue, roles), labels,
                              frozenset(_key(p) for p in problems), with_problems, pending,
                              snapshot.catalogue.fingerprint)


@dataclass(frozen=True)
class TaxonomyCheck(HasProblems):
    """What checking a new taxonomy found: its own problems, every value it removes that
    roles still use (with the roles and the fix), and every problem the roles have with it
    that they did not have before. Errors block a save; warnings are shown."""

    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        return not self.errors


def check_taxonomy(documents: CatalogueDocuments, edit: TaxonomyEdit,
                   roles: dict[str, str] | None = None, full: bool = False) -> TaxonomyCheck:
    """Check the catalogue with `edit` as its taxonomy (and `roles`, role id -> document,
    in place of those roles' current documents: a rename's updated roles).

    The loader's checks read the taxonomy in three ways only: each role's values must be
    among the ids of its vocabularies, its weekly hours are held to max_weekly_hours, and
    `reporting` says whether the lines form a tree. So while max_weekly_hours and reporting
    stay, a role's problems can change only if it uses a value the edit removes, or already
    has a problem (whose message lists the ids), or is one of `roles`: only those are read
    again, by the loader's own reader (jdcore.loading.files.read_role_document). Otherwise,
    or with `full`, every role is loaded with the new taxonomy. Both give the same problems
    (tests/test_taxonomy_store.py holds them to each other)."""
    problems = list(edit.problems)
    document = dump_yaml(edit.data)
    try:
        taxonomy = read_taxonomy(RoleDocument(TAXONOMY_FILE, document.encode("utf-8")))
    except CatalogueError as exc:
        return TaxonomyCheck(tuple(problems + [Problem(EDIT_LABEL, None, p.field, p.message,
                                                        p.severity) for p in exc.problems]))
    contents = {**documents.roles, **(roles or {})}
    used = documents.usage(roles)
    affected = set(roles or {}) | documents.with_problems
    for vocabulary in VOCABULARIES:
        kept = set(_ids(taxonomy, vocabulary))
        removed = set(_ids(documents.taxonomy, vocabulary)) - kept
        for value, role_ids in sorted(used[vocabulary.key].items()):
            if value not in removed:
                continue
            affected.update(role_ids)
            problems.append(Problem(
                EDIT_LABEL, None, f"{vocabulary.key}.{value}",
                f"{vocabulary.singular} '{value}' cannot be removed: "
                f"{len(role_ids)} role(s) use it ({_names(role_ids)}). Move those roles to "
                f"another {vocabulary.singular} first, or rename '{value}' (Rename a value), "
                "which updates them too"))
        for role_id, (version, status, author, text) in sorted(documents.pending.items()):
            lost = sorted(used_values(role_data(text), vocabulary) & removed)
            for value in lost:
                problems.append(Problem(
                    f"{role_document_name(role_id)} (version {version}, {status})", None,
                    vocabulary.used_by[0][0],
                    f"this pending change by {author} uses {vocabulary.singular} '{value}', "
                    "which this taxonomy does not have: it cannot be approved until it is "
                    "changed", WARNING))
    same_reach = (taxonomy.max_weekly_hours == documents.taxonomy.max_weekly_hours
                  and taxonomy.reporting == documents.taxonomy.reporting)
    if full or not same_reach:
        found = load_documents(
            "taxonomy check", RoleDocument(TAXONOMY_FILE, document.encode("utf-8")),
            {rid: RoleDocument(role_document_name(rid), text.encode("utf-8"))
             for rid, text in contents.items()},
            "taxonomy-check", documents.labels | {TAXONOMY_FILE: EDIT_LABEL}).problems
    else:
        found = []
        for rid in sorted(affected & set(contents)):
            name = role_document_name(rid)
            _, own = read_role_document(RoleDocument(name, contents[rid].encode("utf-8")),
                                        taxonomy)
            found += [replace(p, file=documents.labels.get(p.file, p.file)) for p in own]
    problems += [p for p in found if p.file == EDIT_LABEL or _key(p) not in documents.before]
    unique = list(dict.fromkeys(problems))
    return TaxonomyCheck(tuple(sorted(unique, key=lambda p: (p.severity != ERROR,
                                                           p.file != EDIT_LABEL, p.file,
                                                           p.line or 0, p.field))))


def _ids(taxonomy: Taxonomy, vocabulary: Vocabulary) -> list[str]:
    value = getattr(taxonomy, vocabulary.key)
    if vocabulary.kind == "grades":
        return [g.id for g in value]
    return list(value)


# -- renaming a value --------------------------------------------------------------------------

@dataclass(frozen=True)
class Rename:
    """A value renamed in the taxonomy and in every role that uses it: the new taxonomy,
    the roles' new documents (role id -> document), what checking it found, and why it
    cannot be done ('' when it can)."""

    edit: TaxonomyEdit
    roles: dict[str, str]
    check: TaxonomyCheck | None
    refused: str

    @property
    def ok(self) -> bool:
        return not self.refused and self.check is not None and self.check.ok


def plan_rename(documents: CatalogueDocuments, taxonomy: Taxonomy, key: str, old: str,
                new: str) -> Rename:
    """Rename `old` to `new` in the vocabulary `key` of `taxonomy` and in every current
    role (and check it); refused when the new id is empty or taken, or when a role that
    uses the value has a pending change."""
    vocabulary = VOCABULARIES_BY_KEY[key]
    new = new.strip()
    tables = taxonomy_tables(taxonomy)
    table = tables[key].copy()
    empty = TaxonomyEdit({}, ())
    if not new:
        return Rename(empty, {}, None, f"give the new id of {vocabulary.singular} '{old}'")
    if old not in set(table["id"]):
        return Rename(empty, {}, None, f"'{old}' is not a {vocabulary.singular} of the taxonomy")
    if new == old:
        return Rename(empty, {}, None, "the new id is the same as the old one")
    if new in set(table["id"]):
        return Rename(empty, {}, None, f"{vocabulary.singular} '{new}' exists already; choose "
                      "another id (or move the roles to it and remove "
                      f"'{old}')")
    uses = {rid for rid, found in documents.role_usage.items() if old in found[key]}
    pending = sorted(rid for rid, (_, _, _, text) in documents.pending.items()
                     if rid in uses or old in used_values(role_data(text), vocabulary))
    if pending:
        return Rename(empty, {}, None, (
            f"'{old}' cannot be renamed while these roles that use it have a pending change "
            f"(a draft or a version in review): {_names(pending)}. A rename stores new "
            "versions of the roles and would leave those changes with the old id: approve "
            "or reject them on the Review page first, then rename."))
    table.loc[table["id"] == old, "id"] = new
    tables[key] = table
    edit = taxonomy_edit(tables, settings_table(taxonomy), taxonomy.reporting)
    roles = {rid: renamed_document(documents.roles[rid], vocabulary, old, new)
             for rid in sorted(uses)}
    return Rename(edit, roles, check_taxonomy(documents, edit, roles), "")


def taxonomy_of(document: str) -> Taxonomy:
    """A stored taxonomy document read and validated (CatalogueError when it cannot be)."""
    return read_taxonomy(RoleDocument(TAXONOMY_FILE, document.encode("utf-8")))


def edit_digest(edit: TaxonomyEdit) -> str:
    """A short key of an edit's content (to cache its check)."""
    return hashlib.sha256(dump_yaml(edit.data).encode("utf-8")).hexdigest()[:16]
