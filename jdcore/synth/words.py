"""What a synthetic catalogue is made of, read once when the generator is first imported.

- The embedded taxonomy, data/taxonomy.yaml (read with the loader's own reader), gives
  every id a role file uses: grades, duty categories, frequencies, decision-right areas
  and scopes, interaction kinds and directions, quality and requirement kinds, and the
  labels of the departments and business areas it has. The synthetic catalogue's
  taxonomy.yaml is a copy of it with its own departments and business areas.
- The files in vocabulary/ beside this module give the words: titles, duty verbs and
  objects, qualities, requirements, interaction subjects, KPIs; and what the embedded
  taxonomy lacks: 31 more departments and a third business area (manufacturing), each
  with its label there.

Every id the vocabulary uses is checked against the taxonomy here, so an edit to either
file that leaves them apart fails at once with a message rather than writing an invalid
catalogue.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from ..loading.files import TAXONOMY_FILE, read_taxonomy
from ..model.schema import Taxonomy

VOCABULARY_DIR = Path(__file__).resolve().parent / "vocabulary"
EMBEDDED_TAXONOMY = Path(__file__).resolve().parents[2] / "data" / TAXONOMY_FILE
DEFAULT_TRAVEL_SHARE = 5


@dataclass(frozen=True)
class BusinessArea:
    label: str
    short: str
    share: float
    departments: list[list[str]]  # groups of related departments; the first heads the tree


@dataclass(frozen=True)
class Department:
    label: str
    short: str
    focus: list[str]
    specialists: list[str]
    operatives: list[str]
    objects: list[str]
    external_parties: list[str]
    travel_share: int


def _read(name: str) -> dict:
    with open(VOCABULARY_DIR / name, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _label(kind: str, key: str, entry: dict, labels: dict[str, str]) -> str:
    if key in labels:
        if "label" in entry:
            raise ValueError(f"vocabulary/{kind}.yaml: {key} has a label, but "
                             f"data/taxonomy.yaml has one ('{labels[key]}'); remove it")
        return labels[key]
    if not entry.get("label"):
        raise ValueError(f"vocabulary/{kind}.yaml: {key} needs a label (data/taxonomy.yaml "
                         "has none for it)")
    return entry["label"]


def _same_keys(where: str, mapping: dict, expected, what: str) -> None:
    if list(mapping) != list(expected):
        missing = [k for k in expected if k not in mapping]
        extra = [k for k in mapping if k not in expected]
        raise ValueError(f"{where} must have one entry for each {what} of data/taxonomy.yaml, "
                         f"in its order (missing: {missing}, not in the taxonomy: {extra})")


def _subset(where: str, values, allowed, what: str) -> None:
    unknown = [v for v in values if v not in allowed]
    if unknown:
        raise ValueError(f"{where}: {unknown} are not {what}")


TAXONOMY: Taxonomy = read_taxonomy(EMBEDDED_TAXONOMY)

_areas = _read("business_areas.yaml")
_departments = _read("departments.yaml")
_duties = _read("duties.yaml")
_roles = _read("roles.yaml")

DEPARTMENTS: dict[str, Department] = {
    key: Department(_label("departments", key, entry, TAXONOMY.departments), entry["short"],
                    entry["focus"], entry["specialists"], entry["operatives"], entry["objects"],
                    entry["external_parties"], entry.get("travel_share", DEFAULT_TRAVEL_SHARE))
    for key, entry in _departments.items()}
BUSINESS_AREAS: dict[str, BusinessArea] = {
    key: BusinessArea(_label("business_areas", key, entry, TAXONOMY.business_areas),
                      entry["short"], entry["share"],
                      _areas["common_departments"] + entry["departments"])
    for key, entry in _areas["business_areas"].items()}

DUTY_CATEGORIES: list[str] = list(TAXONOMY.duty_categories)
DUTY_VERBS: dict[str, list[str]] = _duties["verbs"]
DUTY_OBJECTS: dict[str, list[str]] = _duties["objects"]
FREQUENCY_WEIGHTS: dict[str, dict[str, float]] = _duties["frequencies"]
DEPT_OBJECT_VERBS: list[str] = _duties["department_object_verbs"]
CONTEXTS: list[str] = _duties["contexts"]
QUALIFIERS: list[str] = _duties["qualifiers"]
TAILS: list[str] = [f", {tail}" for tail in _duties["tails"]]

SENIOR_PREFIXES: list[str] = _roles["senior_prefixes"]
QUALITY_KINDS: list[str] = list(TAXONOMY.quality_kinds)
QUALITIES: dict[str, list[str]] = _roles["qualities"]
EDUCATION: list[str] = _roles["education"]
OPERATIVE_EDUCATION: str = _roles["operative_education"]
EXPERIENCE: list[str] = _roles["experience"]
SKILLS: list[str] = _roles["skills"]
OPERATIVE_SKILLS: list[str] = _roles["operative_skills"]
CERTIFICATIONS: list[str] = _roles["certifications"]
RIGHT_AREAS: list[str] = list(TAXONOMY.decision_right_areas)
RIGHT_LIMITS: dict[str, list[str | None]] = _roles["rights"]
OPERATIVE_RIGHT: tuple[str, str, str] = (_roles["operative_right"]["area"],
                                         _roles["operative_right"]["scope"],
                                         _roles["operative_right"]["limit"])
INTERACTION_DIRECTIONS: list[str] = list(TAXONOMY.interaction_directions)
INTERACTION_SUBJECTS: dict[str, list[str]] = _roles["interaction_subjects"]
EXTERNAL_PARTIES: list[str] = _roles["external_parties"]
GENERIC_KPIS: list[tuple[str, str]] = list(_roles["kpis"].items())

_same_keys("vocabulary/duties.yaml verbs", DUTY_VERBS, DUTY_CATEGORIES, "duty category")
_same_keys("vocabulary/duties.yaml objects", DUTY_OBJECTS, DUTY_CATEGORIES, "duty category")
_same_keys("vocabulary/duties.yaml frequencies", FREQUENCY_WEIGHTS, DUTY_CATEGORIES,
           "duty category")
for _category, _weights in FREQUENCY_WEIGHTS.items():
    _subset(f"vocabulary/duties.yaml frequencies of {_category}", _weights,
            TAXONOMY.frequencies, "frequencies of data/taxonomy.yaml")
_same_keys("vocabulary/roles.yaml qualities", QUALITIES, QUALITY_KINDS, "quality kind")
_same_keys("vocabulary/roles.yaml rights", RIGHT_LIMITS, RIGHT_AREAS, "decision-right area")
_subset("vocabulary/roles.yaml operative_right", [OPERATIVE_RIGHT[0]], RIGHT_AREAS,
        "decision-right areas of data/taxonomy.yaml")
_subset("vocabulary/roles.yaml operative_right", [OPERATIVE_RIGHT[1]],
        TAXONOMY.decision_right_scopes, "decision-right scopes of data/taxonomy.yaml")
_same_keys("vocabulary/roles.yaml interaction_subjects", INTERACTION_SUBJECTS,
           TAXONOMY.interaction_kinds, "interaction kind")
for _key, _department in DEPARTMENTS.items():
    _subset(f"vocabulary/departments.yaml focus of {_key}", _department.focus, DUTY_CATEGORIES,
            "duty categories of data/taxonomy.yaml")
for _key, _area in BUSINESS_AREAS.items():
    _subset(f"vocabulary/business_areas.yaml departments of {_key}",
            [d for group in _area.departments for d in group], DEPARTMENTS,
            "departments of vocabulary/departments.yaml")
_subset("vocabulary/departments.yaml", DEPARTMENTS,
        {d for area in BUSINESS_AREAS.values() for group in area.departments for d in group},
        "in any business area of vocabulary/business_areas.yaml")
