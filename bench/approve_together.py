"""Benchmark of approving changes together (jdcore.store.access.Access.approve_many) and of
the Review page's checks of the changes it shows, at 1,000 and 10,000 roles.

    python bench/approve_together.py                  # 1,000 and 10,000 roles, SQLite
    python bench/approve_together.py --sizes 1000     # a quicker run

A family of new roles (a chain: the first reports to a role of the catalogue, each next one
to the one before) is put in review, bottom-up dependent, on a fresh SQLite workspace seeded
from the synthetic catalogue of bench/run.py. Measured: every change checked alone (what the
Review page did for each change it shows before it checked them together), all of them
checked together (what it does now, once per run), and approve_many (the checks, the
catalogue check with all applied, one transaction).
Wall-clock seconds on this machine, medians of repeated runs; prints a Markdown table.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from run import ensure_catalogue  # noqa: E402  (the same synthetic catalogues as bench/run.py)

from jdcore.formats.writer import dump_yaml  # noqa: E402
from jdcore.store import IN_REVIEW, Workspace, load_snapshot  # noqa: E402
from jdcore.store.access import Access, review_label  # noqa: E402
from jdcore.store.editing import check_edit, check_edits, role_data  # noqa: E402
from jdcore.store.permissions import User, parse_permissions  # noqa: E402

PERMISSIONS = parse_permissions("default: viewer\nusers:\n  - email: ap@example.org\n"
                                "    role: approver\n", "permissions.yaml")
REPEAT = 3


def median_seconds(action, repeat: int = REPEAT) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def family(workspace: Workspace, catalogue, size: int) -> list:
    """`size` new roles in review, each reporting to the one before (the first to a manager
    of the catalogue), by an editor: the versions, bottom-up first."""
    roles = catalogue.roles
    manager = roles[roles["reports_to"].notna()]["role_id"].iloc[0]
    template = role_data(workspace.latest(manager).document)
    changes, above = [], manager
    for i in range(size):
        rid = f"bench-family-{i:02d}"
        document = dump_yaml({**template, "id": rid, "title": f"Family Role {i}",
                              "reports_to": above})
        changes.append(workspace.save_role(rid, document, 0, status=IN_REVIEW,
                                           author="ed@example.org"))
        above = rid
    return list(reversed(changes))


def measure(size: int, members: int) -> dict:
    folder = ensure_catalogue(size)
    with tempfile.TemporaryDirectory() as tmp:
        workspace = Workspace.open(f"sqlite:///{tmp}/bench.sqlite", create=True)
        workspace.seed_from_folder(folder)
        catalogue = load_snapshot(workspace).catalogue
        changes = family(workspace, catalogue, members)
        documents = {v.role_id: v.document for v in changes}
        labels = {v.role_id: review_label(v.role_id, v.version) for v in changes}
        alone = median_seconds(lambda: [check_edit(catalogue, v.role_id, v.document)
                                        for v in changes])
        together = median_seconds(lambda: check_edits(catalogue, documents, labels))
        assert check_edits(catalogue, documents, labels).ok
        access = Access(workspace, User("ap@example.org"), PERMISSIONS)
        start = time.perf_counter()
        approved = access.approve_many([(v.role_id, v.version) for v in changes],
                                       catalogue=catalogue)
        approve = time.perf_counter() - start
        assert len(approved) == members
        workspace.close()
    return {"size": size, "members": members, "alone": alone, "together": together,
            "approve": approve}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--members", type=int, default=20)
    args = parser.parse_args()
    rows = [measure(size, args.members) for size in args.sizes]
    print("| roles | family in review | each checked alone (the page before) | all checked "
          "together (the page now) | approve_many (checks + one transaction) |")
    print("|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['size']:,} | {r['members']} | {r['alone']:.2f} s | {r['together']:.2f} s "
              f"| {r['approve']:.2f} s |")


if __name__ == "__main__":
    main()
