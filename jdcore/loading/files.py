"""The files of a catalogue folder (taxonomy.yaml + roles/*.yaml), each read and checked."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from ..model import checks
from ..model.problems import CatalogueError, Problem
from ..model.schema import Role, Taxonomy
from ..model.schema_errors import validation_problems
from ..model.yamlfile import read_yaml_file

TAXONOMY_FILE = "taxonomy.yaml"
ROLES_DIR = "roles"


def read_taxonomy(path: Path) -> Taxonomy:
    """Read and validate taxonomy.yaml; raise CatalogueError with every problem."""
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

