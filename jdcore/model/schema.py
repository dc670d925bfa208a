"""The shape of a role file and of taxonomy.yaml, as pydantic models.

Values arrive from jdcore.model.yamlfile as text; pydantic turns them into numbers where a
field is numeric, so ``yes`` in a number field is an error rather than 1. Vocabulary
checks (is this category in the taxonomy?) live in jdcore.model.checks, not here.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from .problems import did_you_mean

Text = Annotated[str, Field(min_length=1)]
Scale = Annotated[int, Field(ge=1, le=5)]
Share = Annotated[float, Field(ge=0, le=100)]
Source = Annotated[str, Field(min_length=1)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True,
                              allow_inf_nan=False)


class SourceInfo(Strict):
    document: Text
    modified: dt.date
    note: Text


class Duty(Strict):
    text: Text
    category: Text
    # Required, but `null` (unknown) is accepted; only imported roles may leave them unknown
    # (jdcore.model.checks.unknown_value_problems).
    frequency: Text | None
    time_share: Share | None
    essential: bool | None
    source: Source | None = None


class Quality(Strict):
    name: Text
    kind: Text
    source: Source | None = None


class Requirement(Strict):
    kind: Text
    text: Text
    years: Annotated[int, Field(ge=0, le=60)] | None = None
    source: Source | None = None


class Right(Strict):
    area: Text
    scope: Text
    limit: str | None = None
    source: Source | None = None


class Accountability(Strict):
    """What the holder answers for (a document's "Responsibility" section): the outcome,
    the loss or the breach they are held to account for."""

    text: Text
    source: Source | None = None


class Authority(Strict):
    """The four scales; each required, `null` when unknown (imported roles only)."""

    freedom_to_make_decisions: Scale | None
    impact_of_decisions: Scale | None
    responsibility_for_outcomes: Scale | None
    frequency_of_decisions: Scale | None


class Workload(Strict):
    """Each measure required, `null` when unknown (imported roles only)."""

    weekly_hours: Annotated[float, Field(ge=0, le=168)] | None
    time_pressure: Scale | None
    travel_share: Share | None


class Interaction(Strict):
    with_: Text = Field(alias="with")
    direction: Text
    kind: Text
    subject: Text
    source: Source | None = None


class Kpi(Strict):
    name: Text
    target: Text
    source: Source | None = None


class Career(Strict):
    next: list[Text] = []


class Role(Strict):
    id: Text
    title: Text
    department: Text
    business_area: Text
    grade: Text
    reports_to: str | None = None
    dotted_to: list[Text] = []
    headcount: Annotated[int, Field(ge=1, le=1_000_000)]
    summary: Text
    source: SourceInfo
    responsibilities: list[Duty]
    qualities: list[Quality] = []
    requirements: list[Requirement] = []
    rights: list[Right] = []
    accountabilities: list[Accountability] = []
    authority: Authority
    workload: Workload
    interactions: list[Interaction] = []
    kpis: list[Kpi] = []
    career: Career = Career()

    @field_validator("dotted_to", "qualities", "requirements", "rights", "accountabilities",
                     "interactions", "kpis", mode="before")
    @classmethod
    def _null_is_empty(cls, value):
        return [] if value is None else value


class Grade(Strict):
    id: Text
    name: Text
    level: Annotated[int, Field(ge=1, le=100)]


class SpanOfControl(Strict):
    min: Annotated[int, Field(ge=0)]
    max: Annotated[int, Field(ge=1)]

    @model_validator(mode="after")
    def _ordered(self):
        if self.min > self.max:
            raise ValueError(f"min ({self.min}) is above max ({self.max}); swap them")
        return self


AUTHORITY_SCALES = tuple(Authority.model_fields)
WORKLOAD_MEASURES = tuple(Workload.model_fields)
AUTHORITY_PARTS = AUTHORITY_SCALES + ("decision_rights", "span")
WORKLOAD_PARTS = ("weekly_hours", "time_pressure", "duty_load", "management_load", "travel")


def _index_weights(weights: dict[str, float], parts: tuple[str, ...]) -> dict[str, float]:
    """The weights of an index: each names one of its parts, and one at least is above 0."""
    unknown = [name for name in weights if name not in parts]
    if unknown:
        hint = did_you_mean(unknown[0], parts) or f"; the parts are: {', '.join(parts)}"
        raise ValueError(f"'{unknown[0]}' is not a part of this index{hint}")
    if not any(weight > 0 for weight in weights.values()):
        raise ValueError("every weight is 0 (or none is given), so the index would be 0 for "
                         "every role; give at least one part a weight above 0")
    return weights


class AuthorityIndexSpec(Strict):
    weights: dict[str, Annotated[float, Field(ge=0)]]
    span_reference: Annotated[int, Field(ge=1)]

    @field_validator("weights")
    @classmethod
    def _weights(cls, weights):
        return _index_weights(weights, AUTHORITY_PARTS)


class WorkloadIndexSpec(Strict):
    weights: dict[str, Annotated[float, Field(ge=0)]]
    hours_floor: Annotated[float, Field(ge=0)]
    hours_ceiling: Annotated[float, Field(gt=0)]
    duty_load_reference: Annotated[float, Field(gt=0)]

    @field_validator("weights")
    @classmethod
    def _weights(cls, weights):
        return _index_weights(weights, WORKLOAD_PARTS)

    @model_validator(mode="after")
    def _ordered(self):
        if self.hours_ceiling <= self.hours_floor:
            raise ValueError(f"hours_ceiling ({self.hours_ceiling:g}) must be above "
                             f"hours_floor ({self.hours_floor:g})")
        return self


class Taxonomy(Strict):
    business_areas: dict[str, Text]
    departments: dict[str, Text]
    grades: list[Grade]
    duty_categories: dict[str, Text]
    frequencies: dict[str, Annotated[float, Field(ge=0)]]
    decision_right_areas: dict[str, Text]
    decision_right_scopes: list[Text]
    interaction_kinds: dict[str, Text]
    interaction_directions: list[Text]
    quality_kinds: list[Text]
    requirement_kinds: list[Text]
    source_notes: list[Text]
    span_of_control: SpanOfControl
    max_weekly_hours: Annotated[float, Field(gt=0)]
    authority_index: AuthorityIndexSpec
    workload_index: WorkloadIndexSpec
    # "tree" (the default): one root per business area, every role reachable from it.
    # "none": the catalogue records no reporting lines (e.g. imported O*NET occupations),
    # so any number of roles may leave reports_to empty.
    reporting: Literal["tree", "none"] = "tree"


# Source notes of roles drafted from an outside source that does not state every value (job
# description documents, O*NET): only such roles may leave a scale, a measure or a duty's
# frequency, time share or essential flag unknown (null). Every other role states them all.
UNKNOWN_ALLOWED_NOTES = ("imported", "onet")
EXTERNAL_PREFIX = "external:"  # an interaction `with: external: customers` names an outside party


def allowed_fields(model: type[BaseModel]) -> list[str]:
    """The field names a YAML mapping of this model may use (aliases as written in YAML)."""
    return [f.alias or name for name, f in model.model_fields.items()]
