"""Strict, safe reading of one YAML file into plain Python values with line numbers.

Plain scalars are kept as the text that was written (so a title ``No`` or an id ``0123``
stays text); the schema decides what a value must be. Duplicate keys, anchors and
aliases, tabs in indentation, non-UTF-8 bytes, an empty file, a file over the size cap and
anything but a regular file (jdcore.model.regularfile) are errors.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .problems import CatalogueError, Problem
from .regularfile import read_regular_file

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

    def __init__(self, name: str, data: Any, lines: dict[tuple, int], text: str | None = None):
        self.name = name
        self.data = data
        self.lines = lines
        self.text = text

    def slim(self, keep: set[str]) -> YamlDocument:
        """A copy holding only the line numbers of the top-level fields in `keep`."""
        lines = {path: line for path, line in self.lines.items()
                 if not path or path[0] in keep}
        return YamlDocument(self.name, None, lines)

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
    return parse_yaml_bytes(read_regular_file(path, name, MAX_FILE_BYTES), name)


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
    if _is_blank(text):
        raise CatalogueError([Problem(name, None, "", "file is empty; write the fields of the "
                              "document or delete the file")])
    if "\t" in text:
        problems = [
            Problem(name, n, "", "tab character in indentation; indent with spaces")
            for n, line in enumerate(text.splitlines(), 1)
            if "\t" in line[: len(line) - len(line.lstrip(" \t"))]
        ]
        if problems:
            raise CatalogueError(problems)
    builder = DocumentBuilder(name)
    try:
        builder.build(_Loader(text))
    except yaml.YAMLError as exc:
        raise CatalogueError(builder.problems + [_syntax_problem(exc, text, name)]) from None
    except ValueError as exc:  # e.g. surrogates
        raise CatalogueError([Problem(name, None, "", f"invalid YAML: {exc}")]) from None
    except _TooDeep:
        pass
    if builder.problems:
        raise CatalogueError(builder.problems)
    if not builder.has_root:
        raise CatalogueError([Problem(name, None, "", "file is empty; write the fields of the "
                              "document or delete the file")])
    return YamlDocument(name, builder.root, builder.lines, text)


def _is_blank(text: str) -> bool:
    """True when every line is blank or a comment.

    Nearly every file starts with a field: its first character that is not white space
    settles it, without splitting the whole text into lines.
    """
    start = text.lstrip()
    if start and start[0] != "#":
        return False
    return all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines())


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


def _field_name(path: tuple) -> str:
    return ".".join(str(p) for p in path)


class _TooDeep(Exception):
    pass


_DETACHED = object()  # the slot of a value that is reported and dropped (bad key, bad tag)


class _Frame:
    __slots__ = ("container", "path", "key")

    def __init__(self, container, path):
        self.container = container
        self.path = path
        self.key = None  # for a mapping: the key waiting for its value


class DocumentBuilder:
    """Builds plain values and the line map from parser events, in one pass.

    Nesting is counted here rather than left to a recursive composer, which a deep enough
    file would crash.
    """

    def __init__(self, name: str):
        self.name = name
        self.root: Any = None
        self.has_root = False
        self.documents = 0
        self.lines: dict[tuple, int] = {}
        self.problems: list[Problem] = []
        self.stack: list[_Frame] = []

    def problem(self, line: int, path, message: str) -> None:
        field = _field_name(path) if path is not None else ""
        self.problems.append(Problem(self.name, line, field, message))

    def build(self, parser) -> None:
        """Feed every event of `parser` (a PyYAML loader), handling the common ones inline.

        A role file is some 500 events, nearly all untagged scalars and containers inside a
        mapping or a list that is kept. Placing those here, without two method calls per
        event, takes about half the time out of parsing a catalogue. Everything else (the
        root, stream and document events, anchors, aliases, tags, duplicate keys, values
        inside something dropped, too deep a nesting) goes through `feed`, which handles
        every event; both give the same data, lines and problems.
        """
        get_event = parser.get_event
        lines, stack, feed = self.lines, self.stack, self.feed
        scalar, mapping_start, sequence_start = (yaml.ScalarEvent, yaml.MappingStartEvent,
                                                 yaml.SequenceStartEvent)
        mapping_end, sequence_end = yaml.MappingEndEvent, yaml.SequenceEndEvent
        while (event := get_event()) is not None:
            kind = type(event)
            if kind is scalar:
                if stack and event.tag is None and not event.anchor:
                    frame = stack[-1]
                    path = frame.path
                    if path is None:  # inside something dropped
                        continue
                    container, value = frame.container, event.value
                    if type(container) is list:
                        lines[path + (len(container),)] = event.start_mark.line + 1
                        container.append(None if not event.style and value in _NULLS
                                         else value)
                        continue
                    key = frame.key
                    if key is None:
                        if value not in container:  # a new key: wait for its value
                            lines[path + (value,)] = event.start_mark.line + 1
                            frame.key = value
                            continue
                    else:
                        frame.key = None
                        if key is not _DETACHED:
                            container[key] = (None if not event.style and value in _NULLS
                                              else value)
                        continue
            elif kind is mapping_end or kind is sequence_end:
                stack.pop()
                continue
            elif (kind is mapping_start or kind is sequence_start) and stack \
                    and event.tag is None and not event.anchor and len(stack) < MAX_DEPTH:
                frame = stack[-1]
                container, path, key = frame.container, frame.path, frame.key
                in_list = type(container) is list
                if path is not None and (in_list or (key is not None and key is not _DETACHED)):
                    new: Any = {} if kind is mapping_start else []
                    if in_list:
                        path += (len(container),)
                        lines[path] = event.start_mark.line + 1
                        container.append(new)
                    else:
                        path += (key,)
                        container[key] = new
                        frame.key = None
                    stack.append(_Frame(new, path))
                    continue
            feed(event)

    def feed(self, event) -> None:
        kind = type(event)
        if kind is yaml.DocumentStartEvent:
            self.documents += 1
            if self.documents > 1:
                self.problem(event.start_mark.line + 1, None, "more than one YAML document "
                             "(a second '---'); keep one document per file")
            return
        if kind in (yaml.StreamStartEvent, yaml.StreamEndEvent, yaml.DocumentEndEvent):
            return
        if kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            self.stack.pop()
            return
        line = event.start_mark.line + 1
        if kind is yaml.AliasEvent:
            self.problem(line, None, f"alias '*{event.anchor}' is not allowed; "
                         "write the value out in full")
            self.place(None, line, scalar=True)
            return
        if event.anchor:
            self.problem(line, None, f"anchor '&{event.anchor}' is not allowed; "
                         "remove it and write values out in full")
        tag = event.tag
        bad_tag = tag is not None and tag != "!" and tag not in _PLAIN_TAGS
        if kind is yaml.ScalarEvent:
            if bad_tag:
                path = self.place(_DETACHED, line, scalar=True)
                self.problem(line, path, f"tag '{tag}' is not allowed; remove it")
                return
            value = None if not event.style and event.value in _NULLS else event.value
            self.place(value, line, scalar=True, raw=event.value)
            return
        container: Any = {} if kind is yaml.MappingStartEvent else []
        path = self.place(_DETACHED if bad_tag else container, line, scalar=False)
        if bad_tag:
            self.problem(line, path, f"tag '{tag}' is not allowed; remove it")
        if len(self.stack) >= MAX_DEPTH:
            self.problem(line, None, f"nesting deeper than {MAX_DEPTH} levels; "
                         "flatten the document")
            raise _TooDeep
        self.stack.append(_Frame(container, path))

    def place(self, value, line: int, scalar: bool, raw: str | None = None):
        """Put a value where the document is; return its path (None when it is dropped)."""
        if not self.stack:
            self.has_root = True
            self.root = None if value is _DETACHED else value
            self.lines[()] = line
            return ()
        frame = self.stack[-1]
        container = frame.container
        if frame.path is None:  # inside something already dropped
            return None
        if isinstance(container, list):
            path = frame.path + (len(container),)
            self.lines[path] = line
            container.append(None if value is _DETACHED else value)
            return path
        if frame.key is None:  # this value is a key
            if not scalar or value is _DETACHED:
                self.problem(line, frame.path, "a key must be plain text")
                frame.key = _DETACHED
                return None
            key = raw if raw is not None else ""
            key_path = frame.path + (key,)
            if key in container:
                self.problem(line, key_path,
                             f"duplicate key (first on line {self.lines[key_path]}); "
                             "keep only one")
                frame.key = _DETACHED
                return None
            self.lines[key_path] = line
            frame.key = key
            return key_path
        key, frame.key = frame.key, None
        if key is _DETACHED:
            return None
        if value is not _DETACHED:
            container[key] = value
        else:
            container[key] = None
        return frame.path + (key,)
