"""The documents of a catalogue (taxonomy.yaml + roles/*.yaml), each read and checked.

A document comes from a file of a catalogue folder or from memory (a `RoleDocument`: a
workspace's stored version); both go through the same strict reader and the same checks.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from ..model import checks
from ..model.problems import CatalogueError, Problem
from ..model.schema import Role, Taxonomy
from ..model.schema_errors import validation_problems
from ..model.yamlfile import YamlDocument, parse_yaml_bytes, read_yaml_file

TAXONOMY_FILE = "taxonomy.yaml"
ROLES_DIR = "roles"


@dataclass(frozen=True)
class RoleDocument:
    """A catalogue document held in memory: the name it is checked under (as in a folder,
    `roles/<id>.yaml` or `taxonomy.yaml`) and its bytes."""

    name: str
    raw: bytes


def role_document_name(role_id: str) -> str:
    """The name a role's document has in a catalogue folder: roles/<id>.yaml."""
    return f"{ROLES_DIR}/{role_id}.yaml"


def read_taxonomy(path: Path | RoleDocument) -> Taxonomy:
    """Read and validate taxonomy.yaml (a file or a document); raise CatalogueError with
    every problem."""
    if isinstance(path, RoleDocument):
        doc = parse_yaml_bytes(path.raw, path.name)
    else:
        doc = read_yaml_file(path, TAXONOMY_FILE)
    problems = checks.invisible_character_problems(doc)
    try:
        taxonomy = Taxonomy.model_validate(doc.data)
    except ValidationError as exc:
        raise CatalogueError(problems + validation_problems(exc, doc, Taxonomy)) from None
    if problems:  # the vocabularies' names are shown on every page
        raise CatalogueError(problems)
    return taxonomy


def read_role_file(path: Path, taxonomy: Taxonomy) -> tuple[checks.RoleFile | None, list[Problem]]:
    """Read one role file: the role (None when it cannot be used) and its problems."""
    name = f"{ROLES_DIR}/{path.name}"
    try:
        doc = read_yaml_file(path, name)
    except CatalogueError as exc:
        return None, exc.problems
    return check_role_document(doc, taxonomy)


def read_role_document(document: RoleDocument,
                       taxonomy: Taxonomy) -> tuple[checks.RoleFile | None, list[Problem]]:
    """Read one role document held in memory, exactly as read_role_file reads a file."""
    try:
        doc = parse_yaml_bytes(document.raw, document.name)
    except CatalogueError as exc:
        return None, exc.problems
    return check_role_document(doc, taxonomy)


def read_role_source(source: Path | RoleDocument,
                     taxonomy: Taxonomy) -> tuple[checks.RoleFile | None, list[Problem]]:
    """A role file or a role document, read and checked."""
    if isinstance(source, RoleDocument):
        return read_role_document(source, taxonomy)
    return read_role_file(source, taxonomy)


def source_name(source: Path | RoleDocument) -> str:
    """The name a role source is checked under: roles/<file name>."""
    return source.name if isinstance(source, RoleDocument) else f"{ROLES_DIR}/{source.name}"


def check_role_document(doc: YamlDocument,
                        taxonomy: Taxonomy) -> tuple[checks.RoleFile | None, list[Problem]]:
    """The checks of one parsed role document: schema, vocabularies, content."""
    name = doc.name
    problems = checks.invisible_character_problems(doc)
    if not isinstance(doc.data, dict):
        return None, problems + [Problem(name, doc.line_of(()), "(document)",
                                         "expected a mapping of role fields at the top level")]
    try:
        role = Role.model_validate(doc.data)
    except ValidationError as exc:
        return None, problems + validation_problems(exc, doc, Role)
    entry = checks.RoleFile(role, doc)
    problems += checks.vocabulary_problems(entry, taxonomy)
    problems += checks.content_problems(entry, taxonomy)
    return entry, problems
