"""Robustness of the YAML reader and the loader against arbitrary input.

parse_yaml_text may only ever raise CatalogueError (with at least one Problem); load_catalogue
never raises, whatever bytes a role file holds, and a broken file only yields problems about
itself. Hypothesis drives the properties; a few deterministic tests pin inputs that once
escaped (deep nesting, surrogates, control characters).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from jdcore import load_catalogue
from jdcore.model.problems import CatalogueError, Problem
from jdcore.model.yamlfile import MAX_FILE_BYTES, YamlDocument, parse_yaml_bytes, parse_yaml_text

PROJECT = Path(__file__).resolve().parent.parent
BASE = Path(__file__).resolve().parent / "corpus" / "base"
TARGET = "roles/sales-representative.yaml"  # a leaf role no other role refers to

SETTINGS = settings(max_examples=200, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

FRAGMENTS = [
    "id", "title", "reports_to", "key", "x", "1", "0123", "No", "yes", "~", "null", "<<",
    ":", ": ", " ", "  ", "    ", "- ", "-", "? ", "?", ",", "'", '"', "\\", "#", "|", ">",
    "{", "}", "[", "]", "&a", "*a", "&", "*", "!!", "!!str", "!!python/object:os.system", "!foo",
    "!", "---", "...", "%YAML 1.1", "%TAG ! tag:x,2000:", "\t", "\n", "\n", "\n", "\r", "\r\n",
    "\ufeff", "\u202e", "\u200b", "\x00", "\x0b", "\x85", "\u2028", "é", "a: b", "- a",
    "title: No", "id: 0123", "{a: 1, b: [2, 3]}",
]
yamlish = st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=3), max_size=40).map("".join)


def check_parse(text: str) -> None:
    """parse_yaml_text returns a YamlDocument or raises CatalogueError with Problems."""
    try:
        doc = parse_yaml_text(text, "f.yaml")
    except CatalogueError as exc:
        assert exc.problems
        for problem in exc.problems:
            assert isinstance(problem, Problem)
            assert problem.file == "f.yaml"
            assert str(problem).startswith("f.yaml")
    else:
        assert isinstance(doc, YamlDocument)


@SETTINGS
@given(st.text())
def test_parse_arbitrary_text_raises_only_catalogue_error(text):
    check_parse(text)


@SETTINGS
@given(yamlish)
@example("a: &x 1\nb: *x\n")
@example("title: !!python/object/apply:os.system [ls]\n")
@example("a: 1\na: 2\n")
@example("\ta: 1\n")
@example("- [a, {b: c}]\n")
def test_parse_yamlish_text_raises_only_catalogue_error(text):
    check_parse(text)


@SETTINGS
@given(st.text(alphabet=st.characters(exclude_categories=()), max_size=30),
       st.sampled_from(["", "a: ", "a: &x ", "- *x ", "k: !t "]))
def test_parse_text_with_surrogates_raises_only_catalogue_error(text, prefix):
    check_parse(prefix + text)


def test_surrogate_after_anchor_raises_catalogue_error():
    # A lone surrogate cannot be encoded as UTF-8; with '&' or '*' in the text the anchor
    # scan meets it first.
    with pytest.raises(CatalogueError):
        parse_yaml_text("a: &x \ud800", "f.yaml")


def test_deep_nesting_raises_catalogue_error_not_recursion_error():
    text = "id: " + "[" * 2000 + "]" * 2000 + "\n"  # 4 KB, far under the size cap
    try:
        parse_yaml_text(text, "f.yaml")
    except CatalogueError:
        pass


@SETTINGS
@given(yamlish)
@example("title: a\x0bb\n")
@example("a: b\x00\n")
def test_problem_lines_are_single_lines(text):
    # The CLI prints one problem per line as `file[:line]: field: message`.
    try:
        parse_yaml_text(text, "f.yaml")
    except CatalogueError as exc:
        for problem in exc.problems:
            assert "\n" not in str(problem), str(problem)


@SETTINGS
@given(st.binary(max_size=300))
def test_parse_arbitrary_bytes_raises_only_catalogue_error(raw):
    try:
        parse_yaml_bytes(raw, "f.yaml")
    except CatalogueError as exc:
        assert exc.problems


@pytest.fixture(scope="module")
def catalogue_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("prop") / "catalogue"
    shutil.copytree(BASE, folder)
    return folder


def role_bytes() -> st.SearchStrategy[bytes]:
    valid = (BASE / TARGET).read_text(encoding="utf-8")
    return st.one_of(
        st.binary(max_size=2000),
        yamlish.map(lambda t: t.encode("utf-8", "surrogatepass")),
        # a real role file with random bytes spliced in
        st.tuples(st.integers(0, len(valid)), st.binary(min_size=1, max_size=20)).map(
            lambda p: valid.encode()[: p[0]] + p[1] + valid.encode()[p[0]:]),
        st.sampled_from(["utf-16", "utf-32", "utf-8-sig"]).map(lambda enc: valid.encode(enc)),
    )


@SETTINGS
@given(raw=role_bytes())
def test_load_catalogue_never_raises_on_arbitrary_role_bytes(catalogue_dir, raw):
    (catalogue_dir / TARGET).write_bytes(raw)

    catalogue = load_catalogue(catalogue_dir)

    for problem in catalogue.problems:
        assert isinstance(problem, Problem)
        line = str(problem)
        # the other three roles are untouched: every problem is about the broken file
        assert problem.file == TARGET, line
    # (spliced bytes can still make a loadable role, possibly under another id)
    assert {"general-director", "head-of-sales", "head-of-marketing"} <= set(catalogue.roles["role_id"])


def test_load_catalogue_deeply_nested_role_is_a_problem(tmp_path):
    folder = tmp_path / "catalogue"
    shutil.copytree(BASE, folder)
    (folder / TARGET).write_text("id: " + "[" * 2000 + "]" * 2000 + "\n", encoding="utf-8")

    catalogue = load_catalogue(folder)

    assert not catalogue.is_valid
    assert any(p.file == TARGET for p in catalogue.problems)


def test_cli_survives_very_deep_nesting_under_size_cap(tmp_path):
    # 100 000 nested flow lists is 200 KB, under MAX_FILE_BYTES; run in a subprocess because
    # a crash of the YAML parser would take pytest down with it.
    folder = tmp_path / "catalogue"
    shutil.copytree(BASE, folder)
    text = "id: " + "[" * 100_000 + "]" * 100_000 + "\n"
    assert len(text.encode()) < MAX_FILE_BYTES
    (folder / TARGET).write_text(text, encoding="utf-8")

    result = subprocess.run([sys.executable, "-m", "jdcore", "validate", str(folder)],
                            cwd=PROJECT, capture_output=True, text=True, timeout=120)

    assert result.returncode == 1, f"exit {result.returncode}: {result.stderr[-500:]}"
    assert "Traceback" not in result.stderr
    assert result.stdout.startswith(TARGET), result.stdout[-500:]


def _outcome(text: str):
    try:
        doc = parse_yaml_text(text, "f.yaml")
    except CatalogueError as exc:
        return "problems", [str(p) for p in exc.problems]
    return "document", doc.data, doc.lines


def _feed_every_event(builder, parser) -> None:
    while (event := parser.get_event()) is not None:
        builder.feed(event)


def _both_ways(text: str):
    """(the builder's inline fast path, feeding every event through DocumentBuilder.feed)."""
    from unittest import mock

    from jdcore.model.yamlfile import DocumentBuilder

    fast = _outcome(text)
    with mock.patch.object(DocumentBuilder, "build", _feed_every_event):
        plain = _outcome(text)
    return fast, plain


ROLE_TEXTS = sorted({p.read_text(encoding="utf-8", errors="replace")
                     for p in [*(PROJECT / "data").rglob("*.yaml"),
                               *(PROJECT / "tests" / "corpus").rglob("*.yaml")]})


@pytest.mark.parametrize("text", ROLE_TEXTS, ids=range(len(ROLE_TEXTS)))
def test_fast_path_reads_every_real_file_as_feeding_each_event_does(text):
    fast, plain = _both_ways(text)
    assert fast == plain


@SETTINGS
@given(yamlish)
def test_fast_path_reads_any_text_as_feeding_each_event_does(text):
    fast, plain = _both_ways(text)
    assert fast == plain
