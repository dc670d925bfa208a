"""Find what an AppTest run drew by its key or title, never by its position on the page."""

from __future__ import annotations

import pandas as pd


def _keyed_blocks(node, suffix: str):
    proto = getattr(node, "proto", None)
    if proto is not None and getattr(proto, "id", "").endswith(suffix):
        yield node
    for child in getattr(node, "children", {}).values():
        yield from _keyed_blocks(child, suffix)


def _dataframes(node):
    if getattr(node, "type", None) in ("dataframe", "arrow_data_frame"):
        yield node
    for child in getattr(node, "children", {}).values():
        yield from _dataframes(child)


def table(at, key: str) -> pd.DataFrame:
    """The table pages.common.show_table drew with `key` (inside the container table-<key>)."""
    blocks = [b for root in (at.main, at.sidebar) for b in _keyed_blocks(root, f"-table-{key}")]
    assert len(blocks) == 1, f"{len(blocks)} tables keyed {key!r} on the page"
    [frame] = list(_dataframes(blocks[0]))
    return frame.value


def has_table(at, key: str) -> bool:
    return any(True for root in (at.main, at.sidebar) for _ in _keyed_blocks(root, f"-table-{key}"))


def _editors(node, key: str):
    if getattr(node, "type", None) in ("dataframe", "arrow_data_frame") and \
            getattr(node, "key", None) == key:
        yield node
    for child in getattr(node, "children", {}).values():
        yield from _editors(child, key)


def edit_table(at, key: str, *, edited: dict | None = None, added: list | None = None,
               deleted: list | None = None):
    """Run `at` again with the st.data_editor keyed `key` edited as the browser reports it
    (edited rows by position -> {column: value}, rows added, positions deleted). AppTest
    cannot edit a data editor itself, so this sends the same widget state the browser
    sends; every other widget keeps its value."""
    import json

    from streamlit.proto.WidgetStates_pb2 import WidgetState

    [node] = list(_editors(at._tree, key))
    states = at._tree.get_widget_states()
    state = WidgetState()
    state.id = node.proto.id
    state.string_value = json.dumps({"edited_rows": {str(k): v for k, v in (edited or {}).items()},
                                     "added_rows": added or [], "deleted_rows": deleted or []})
    states.widgets.append(state)
    return at._run(states)
