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
