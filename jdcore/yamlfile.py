"""Strict, safe reading of one YAML file into plain Python values with line numbers.

Plain scalars are kept as the text that was written (so a title ``No`` or an id ``0123``
stays text); the schema decides what a value must be. Duplicate keys, anchors and
aliases, tabs in indentation, non-UTF-8 bytes, an empty file and a file over the size
cap are errors.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .problems import CatalogueError, Problem

MAX_FILE_BYTES = 256 * 1024
MAX_DEPTH = 32  # nesting of mappings and lists; a role file needs 4

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_NULLS = {"", "~", "null", "Null", "NULL"}
_PLAIN_TAGS = {
    "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null", "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq",
}


class YamlDocument:
    """A parsed file: its data and the line of every key and list item (1-based)."""

    def __init__(self, name: str, data: Any, lines: dict[tuple, int]):
        self.name = name
        self.data = data
        self.lines = lines

    def line_of(self, path: tuple) -> int | None:
        """The line of the deepest part of `path` that exists in the document."""
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), 1)


def read_yaml_file(path: Path, name: str | None = None) -> YamlDocument:
    """Read and parse one YAML file; raise CatalogueError with every problem found."""
    name = name or path.name
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise CatalogueError([Problem(name, None, "", f"file is {size} bytes, over the "
                                  f"{MAX_FILE_BYTES} byte limit; split or shorten it")])
        raw = path.read_bytes()
    except OSError as exc:
        raise CatalogueError([Problem(name, None, "", f"cannot read file: {exc.strerror}")]) from None
    return parse_yaml_bytes(raw, name)


def parse_yaml_bytes(raw: bytes, name: str) -> YamlDocument:
    """Parse YAML bytes (UTF-8) strictly; raise CatalogueError with every problem found."""
    if len(raw) > MAX_FILE_BYTES:
        raise CatalogueError([Problem(name, None, "", f"file is {len(raw)} bytes, over the "
                              f"{MAX_FILE_BYTES} byte limit; split or shorten it")])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise CatalogueError([Problem(name, line, "", f"byte 0x{raw[exc.start]:02x} is not valid "
                              "UTF-8; save the file as UTF-8")]) from None
    return parse_yaml_text(text.removeprefix("\ufeff"), name)


def parse_yaml_text(text: str, name: str) -> YamlDocument:
    """Parse YAML text strictly; raise CatalogueError with every problem found."""
    if not text.strip() or all(
        not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()
    ):
        raise CatalogueError([Problem(name, None, "", "file is empty; write the fields of the "
                              "document or delete the file")])
    problems = [
        Problem(name, n, "", "tab character in indentation; indent with spaces")
        for n, line in enumerate(text.splitlines(), 1)
        if "\t" in line[: len(line) - len(line.lstrip(" \t"))]
    ]
    if problems:
        raise CatalogueError(problems)
    # The event scans below only run when a file could need them, so ordinary files are
    # parsed once.
    if "&" in text or "*" in text or text.count("[") + text.count("{") > MAX_DEPTH:
        problems = _event_problems(text, name)
        if problems:
            raise CatalogueError(problems)
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        raise CatalogueError([_syntax_problem(exc, text, name)]) from None
    except (ValueError, RecursionError) as exc:  # e.g. surrogates
        raise CatalogueError([Problem(name, None, "", f"invalid YAML: {exc}")]) from None
    if node is None:
        raise CatalogueError([Problem(name, None, "", "file is empty; write the fields of the "
                              "document or delete the file")])
    lines: dict[tuple, int] = {(): node.start_mark.line + 1}
    problems = []
    data = _convert(node, (), lines, problems, name)
    if problems:
        raise CatalogueError(problems)
    return YamlDocument(name, data, lines)


def _syntax_problem(exc: yaml.YAMLError, text: str, name: str) -> Problem:
    """One single-line problem for a YAML syntax error, located where the parser stopped."""
    if isinstance(exc, yaml.reader.ReaderError):
        line = text[: exc.position].count("\n") + 1
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        return Problem(name, line, "", f"character U+{code:04X} is not allowed in YAML; "
                       "delete it")
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        what = (exc.problem or exc.context or "syntax error").splitlines()[0]
        return Problem(name, mark.line + 1 if mark else None, "", f"invalid YAML: {what}")
    return Problem(name, None, "", f"invalid YAML: {str(exc).splitlines()[0]}")


def _event_problems(text: str, name: str) -> list[Problem]:
    """Anchors, aliases and nesting deeper than MAX_DEPTH, found from the parser's events.

    Nesting is checked here, before composing, because libyaml's composer recurses and a
    deep enough file would crash the process.
    """
    problems = []
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            line = event.start_mark.line + 1
            if isinstance(event, yaml.AliasEvent):
                problems.append(Problem(name, line, "", f"alias '*{event.anchor}' is not allowed; "
                                        "write the value out in full"))
            elif getattr(event, "anchor", None):
                problems.append(Problem(name, line, "", f"anchor '&{event.anchor}' is not allowed; "
                                        "remove it and write values out in full"))
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    problems.append(Problem(name, line, "", f"nesting deeper than {MAX_DEPTH} "
                                            "levels; flatten the document"))
                    break
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except (yaml.YAMLError, ValueError):
        return problems  # the syntax error itself is reported by compose
    return problems


def _field_name(path: tuple) -> str:
    return ".".join(str(p) for p in path)


def _convert(node: yaml.Node, path: tuple, lines: dict, problems: list, name: str) -> Any:
    line = node.start_mark.line + 1
    if len(path) > MAX_DEPTH:
        problems.append(Problem(name, line, _field_name(path[:MAX_DEPTH]),
                                f"nesting deeper than {MAX_DEPTH} levels; flatten the document"))
        return None
    if node.tag not in _PLAIN_TAGS:
        problems.append(Problem(name, line, _field_name(path),
                                f"tag '{node.tag}' is not allowed; remove it"))
        return None
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                problems.append(Problem(name, key_node.start_mark.line + 1, _field_name(path),
                                        "a key must be plain text"))
                continue
            key = key_node.value
            key_path = path + (key,)
            if key in result:
                problems.append(Problem(
                    name, key_node.start_mark.line + 1, _field_name(key_path),
                    f"duplicate key (first on line {lines[key_path]}); keep only one"))
                continue
            lines[key_path] = key_node.start_mark.line + 1
            result[key] = _convert(value_node, key_path, lines, problems, name)
        return result
    if isinstance(node, yaml.SequenceNode):
        items = []
        for index, item in enumerate(node.value):
            item_path = path + (index,)
            lines[item_path] = item.start_mark.line + 1
            items.append(_convert(item, item_path, lines, problems, name))
        return items
    if not node.style and node.value in _NULLS:  # plain style is None or "" by parser
        return None
    return node.value
