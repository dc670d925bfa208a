"""Write a catalogue folder (taxonomy.yaml + roles/<id>.yaml) from the tables: the inverse of
jdcore.model.tables.build_tables.

Every value is written so that jdcore.load_catalogue reads back exactly what was in the
tables: text stays text (``No``, ``0123``, ``yes`` and ``null`` are quoted by the YAML
dumper), whole numbers are written without a decimal point, missing optional values are
left out, and no anchors or aliases are ever written. Each item is written with its own
``source``, so the tables' filled-in sources come back unchanged.

Writing never touches anything but ``taxonomy.yaml`` and ``roles/*.yaml``, and refuses a
folder that already holds files unless ``force=True``. It is all or nothing: the files are
written to a temporary folder beside the target and renamed into place once every one of
them is written, so a write that fails (a full disk, a name the file system refuses) leaves
the target as it was. A role id must be usable as its file's name (`role_id_problem`).
"""

from __future__ import annotations

import math
import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from ..loading.files import ROLES_DIR, TAXONOMY_FILE
from ..model.problems import printable
from ..model.schema import AUTHORITY_SCALES, EXTERNAL_PREFIX, WORKLOAD_MEASURES, Taxonomy
from .limits import shorten

MAX_ROLE_ID_CHARS = 100     # a role id names its file: roles/<id>.yaml
MAX_FILE_NAME_BYTES = 250   # most file systems allow 255 bytes in a name
_NOT_IN_FILE_NAMES = re.compile(r"[/\\\x00-\x1f\x7f]")
ID_FIX = "use letters, digits and hyphens, e.g. head-of-sales"
STAGING_MARK = ".writing-"  # in the name of the temporary folder beside the target


class WriteError(Exception):
    """The folder cannot be written (it is not empty, or it is a file); the message says why."""


def role_id_problem(rid: str) -> str:
    """Why a role id cannot be the name of its file (roles/<id>.yaml), or "" when it can."""
    shown = printable(shorten(rid))
    if not rid or rid in (".", ".."):
        return f"'{rid}' cannot be used as a file name; {ID_FIX}"
    bad = _NOT_IN_FILE_NAMES.search(rid)
    if bad:
        what = "a slash" if bad.group() in "/\\" else "a control character"
        return f"'{shown}' cannot be used as a file name: it holds {what}; {ID_FIX}"
    if len(rid) > MAX_ROLE_ID_CHARS or len(f"{rid}.yaml".encode()) > MAX_FILE_NAME_BYTES:
        return (f"'{shown}' cannot be used as a file name: it is {len(rid)} characters long, "
                f"and a role id may have at most {MAX_ROLE_ID_CHARS}; shorten it")
    return ""


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):
    """A safe dumper that never writes anchors or aliases (the loader refuses them). Its
    emitter is libyaml's when PyYAML has it: the same text, six times faster (a 10,000-role
    import writes 10,000 files)."""

    def ignore_aliases(self, data) -> bool:
        return True


def dump_yaml(data: Any, header: str = "") -> str:
    """YAML text of plain data, keys in the given order, Unicode kept, no aliases."""
    text = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True,
                     default_flow_style=False, width=100)
    return (header + text) if header else text


def _missing(value) -> bool:
    if value is None or value is pd.NA:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _plain(value):
    """A table cell as a plain YAML value: numpy types to Python, 15.0 to 15, NA to None."""
    if _missing(value):
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()  # numpy scalar -> Python
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return int(value)
    return value


def _put(target: dict, key: str, value) -> None:
    """Set an optional field only when the value is present."""
    value = _plain(value)
    if value is not None:
        target[key] = value


def _rows(tables: dict[str, pd.DataFrame], name: str) -> dict[str, list]:
    """The rows of a child table grouped by role id, in table order."""
    groups: dict[str, list] = {}
    frame = tables.get(name)
    if frame is None:
        return groups
    for row in frame.to_dict("records"):
        groups.setdefault(str(row["role_id"]), []).append(row)
    return groups


def role_documents(tables: dict[str, pd.DataFrame]) -> dict[str, dict]:
    """role id -> the role file's content (a dict in schema order), from the tables."""
    child = {name: _rows(tables, name) for name in
             ("duties", "qualities", "requirements", "rights", "accountabilities", "authority",
              "workload", "reporting", "interactions", "kpis", "career")}
    documents: dict[str, dict] = {}
    for role in tables["roles"].to_dict("records"):
        rid = str(role["role_id"])
        doc: dict[str, Any] = {"id": rid}
        for key in ("title", "department", "business_area", "grade"):
            _put(doc, key, role.get(key))
        doc["reports_to"] = _plain(role.get("reports_to"))
        doc["dotted_to"] = [r["manager_id"] for r in child["reporting"].get(rid, [])
                            if r.get("line") == "dotted"]
        _put(doc, "headcount", role.get("headcount"))
        _put(doc, "summary", role.get("summary"))
        source: dict[str, Any] = {}
        _put(source, "document", role.get("source_document"))
        _put(source, "modified", role.get("source_modified"))
        _put(source, "note", role.get("source_note"))
        doc["source"] = source

        duties = sorted(child["duties"].get(rid, []), key=lambda r: _plain(r.get("duty_no")) or 0)
        # frequency, time share and essential are required but may be unknown (null)
        doc["responsibilities"] = [_item(d, "text", "category") | {
            key: _plain(d.get(key)) for key in ("frequency", "time_share", "essential")}
            | _item(d, "source") for d in duties]
        qualities = sorted(child["qualities"].get(rid, []),
                           key=lambda r: _plain(r.get("quality_no")) or 0)
        doc["qualities"] = [_item(q, "name", "kind", "source") for q in qualities]
        requirements = sorted(child["requirements"].get(rid, []),
                              key=lambda r: _plain(r.get("requirement_no")) or 0)
        doc["requirements"] = [_item(r, "kind", "text", "years", "source") for r in requirements]
        doc["rights"] = [_item(r, "area", "scope", "limit", "source")
                         for r in child["rights"].get(rid, [])]
        accountabilities = sorted(child["accountabilities"].get(rid, []),
                                  key=lambda r: _plain(r.get("accountability_no")) or 0)
        if accountabilities:  # optional: a role without any keeps the file it had
            doc["accountabilities"] = [_item(a, "text", "source") for a in accountabilities]
        authority = {r["scale"]: _plain(r["value"]) for r in child["authority"].get(rid, [])}
        doc["authority"] = {s: authority[s] for s in AUTHORITY_SCALES if s in authority}
        workload = {r["measure"]: _plain(r["value"]) for r in child["workload"].get(rid, [])}
        doc["workload"] = {m: workload[m] for m in WORKLOAD_MEASURES if m in workload}
        doc["interactions"] = [_interaction(i) for i in child["interactions"].get(rid, [])]
        doc["kpis"] = [_item(k, "name", "target", "source") for k in child["kpis"].get(rid, [])]
        doc["career"] = {"next": [_plain(c["next_role_id"])
                                  for c in child["career"].get(rid, [])]}
        documents[rid] = doc
    return documents


def _item(row: dict, *keys: str) -> dict:
    item: dict[str, Any] = {}
    for key in keys:
        _put(item, key, row.get(key))
    return item


def _interaction(row: dict) -> dict:
    counterpart = _plain(row.get("counterpart"))
    if row.get("counterpart_kind") == "external" and counterpart is not None:
        counterpart = f"{EXTERNAL_PREFIX}{counterpart}"
    item: dict[str, Any] = {}
    if counterpart is not None:
        item["with"] = counterpart
    for key in ("direction", "kind", "subject", "source"):
        _put(item, key, row.get(key))
    return item


def taxonomy_document(taxonomy: Taxonomy | dict) -> dict:
    """taxonomy.yaml's content from a Taxonomy (or an already plain dict)."""
    if isinstance(taxonomy, Taxonomy):
        data = taxonomy.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    else:
        data = dict(taxonomy)
    return _plain_tree(data)


def _plain_tree(value):
    if isinstance(value, dict):
        return {str(k): _plain_tree(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain_tree(v) for v in value]
    return _plain(value)


def check_target(path: Path, force: bool) -> None:
    """Raise WriteError when `path` may not be written to (a file, or a non-empty folder)."""
    if path.exists() and not path.is_dir():
        raise WriteError(f"{path} is a file, not a folder; give a folder for the catalogue")
    if path.is_dir() and any(path.iterdir()) and not force:
        raise WriteError(f"{path} is not empty; choose an empty or new folder, or use "
                         "--force to replace its taxonomy.yaml and roles/*.yaml")


def write_catalogue(path: str | Path, taxonomy: Taxonomy | dict,
                    roles: dict[str, dict], *, force: bool = False,
                    header: str = "") -> list[Path]:
    """Write taxonomy.yaml and one roles/<id>.yaml per role; return the files written.

    With force=True an existing folder is reused: its taxonomy.yaml and roles/*.yaml are
    replaced, every other file is left alone. Either every file is written or, when writing
    fails, none: the target is left as it was (see the module's docstring).
    """
    path = Path(path)
    check_target(path, force)
    for rid in roles:
        problem = role_id_problem(rid)
        if problem:
            raise WriteError(f"role id {problem}")
    if (path / ROLES_DIR).exists() and not (path / ROLES_DIR).is_dir():
        raise WriteError(f"{path / ROLES_DIR} is a file, not a folder; move it away")
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{path.name}{STAGING_MARK}", dir=path.parent))
    try:
        (staging / ROLES_DIR).mkdir()
        (staging / TAXONOMY_FILE).write_text(dump_yaml(taxonomy_document(taxonomy), header),
                                             encoding="utf-8")
        for rid, doc in roles.items():
            (staging / ROLES_DIR / f"{rid}.yaml").write_text(dump_yaml(doc), encoding="utf-8")
        if path.is_dir() and any(path.iterdir()):
            _replace_catalogue_files(staging, path)
        else:
            os.replace(staging, path)  # a new or empty folder: one rename
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return [path / TAXONOMY_FILE] + [path / ROLES_DIR / f"{rid}.yaml" for rid in roles]


def _replace_catalogue_files(staging: Path, path: Path) -> None:
    """Move the catalogue written in `staging` into the non-empty folder `path`: its roles/
    folder and taxonomy.yaml are swapped in by renames; files in the old roles/ folder that
    are not role files are kept."""
    old_roles, roles = staging / "old-roles", path / ROLES_DIR
    if roles.is_dir():
        os.rename(roles, old_roles)
    os.rename(staging / ROLES_DIR, roles)
    if old_roles.is_dir():
        for other in old_roles.iterdir():
            if other.suffix != ".yaml":
                os.rename(other, roles / other.name)
    os.replace(staging / TAXONOMY_FILE, path / TAXONOMY_FILE)


def remove_staging(path: str | Path) -> None:
    """Remove what an interrupted write_catalogue(path) left beside `path` (a killed process
    cannot clean up after itself)."""
    path = Path(path)
    for staging in path.parent.glob(f".{glob_escape(path.name)}{STAGING_MARK}*"):
        shutil.rmtree(staging, ignore_errors=True)


def glob_escape(name: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", name)


def write_tables(path: str | Path, tables: dict[str, pd.DataFrame], taxonomy: Taxonomy | dict,
                 *, force: bool = False, header: str = "") -> list[Path]:
    """Write a catalogue folder from the tables (metrics and other derived columns ignored)."""
    return write_catalogue(path, taxonomy, role_documents(tables), force=force, header=header)
