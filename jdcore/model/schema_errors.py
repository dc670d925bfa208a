"""Turn pydantic validation errors into Problems that name the line, the field and the fix."""

from __future__ import annotations

import typing

from pydantic import BaseModel, ValidationError

from .problems import Problem, did_you_mean
from .schema import allowed_fields
from .yamlfile import YamlDocument


def field_label(loc: tuple) -> str:
    """`('responsibilities', 2, 'category')` -> `responsibilities[3].category` (1-based items)."""
    label = ""
    for part in loc:
        if isinstance(part, int):
            label += f"[{part + 1}]"
        else:
            label += f".{part}" if label else str(part)
    return label


def _model_at(model: type[BaseModel], loc: tuple) -> type[BaseModel] | None:
    for part in loc:
        if isinstance(part, int):
            continue
        field = next((f for name, f in model.model_fields.items()
                      if (f.alias or name) == part), None)
        if field is None:
            return None
        inner = field.annotation
        while typing.get_origin(inner) in (list, typing.Union, typing.Annotated) or (
            typing.get_origin(inner) is not None and not isinstance(inner, type)
        ):
            args = [a for a in typing.get_args(inner) if a is not type(None)]
            if not args:
                return None
            inner = args[0]
        if not (isinstance(inner, type) and issubclass(inner, BaseModel)):
            return None
        model = inner
    return model


def _describe(value) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    return f"'{value}'"


def _message(err: dict, model: type[BaseModel]) -> str:
    kind, value, ctx = err["type"], err.get("input"), err.get("ctx") or {}
    loc = err["loc"]
    if kind == "missing":
        return "required field is missing; add it"
    if kind == "extra_forbidden":
        parent = _model_at(model, loc[:-1])
        if parent is None:
            return "unknown field; remove it"
        hint = did_you_mean(str(loc[-1]), allowed_fields(parent))
        if hint:
            return f"unknown field{hint}"
        return f"unknown field; remove it (allowed: {', '.join(allowed_fields(parent))})"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"expected a whole number, got {_describe(value)}"
    if kind in ("float_parsing", "float_type"):
        return f"expected a number, got {_describe(value)}"
    if kind in ("bool_parsing", "bool_type"):
        return f"expected true or false, got {_describe(value)}"
    if kind.startswith("date"):
        return f"expected a date as YYYY-MM-DD, got {_describe(value)}"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        bounds = {"greater_than_equal": "at least", "less_than_equal": "at most",
                  "greater_than": "more than", "less_than": "less than"}[kind]
        limit = next(iter(ctx.values()))
        return f"must be {bounds} {limit}, got {value}"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "string_type":
        return f"expected text, got {_describe(value)}"
    if kind == "list_type":
        return f"expected a list, got {_describe(value)}"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"expected a mapping of fields, got {_describe(value)}"
    if kind == "value_error":
        return str(ctx.get("error", err["msg"]))
    return err["msg"]


def validation_problems(exc: ValidationError, doc: YamlDocument,
                        model: type[BaseModel]) -> list[Problem]:
    """One Problem per pydantic error, located in the YAML document."""
    problems = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        problems.append(Problem(doc.name, doc.line_of(loc), field_label(loc) or "(document)",
                                _message(err, model)))
    return problems
