"""Benchmark of the documents import: 1,000 Markdown job descriptions (about 3,000 roles).

    python bench/documents.py              # 1,000 documents
    python bench/documents.py --documents 200

Writes deterministic job-family pages (three levels each, family-wide sections, a reporting
line to a manager page of the same batch) into bench/.work/documents-N/, then times
`python -m jdcore import documents` in-process: reading, recognising, drafting, writing the
catalogue folder and loading it back (validation). Prints the wall-clock time, the roles
found, the process's processor time (which a busy machine inflates less than the wall clock)
and its peak memory. Target: under 60 s on 2 cores.
"""

from __future__ import annotations

import argparse
import random
import resource
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

AREAS = ["Backend", "Frontend", "Data", "Security", "Platform", "Mobile", "Billing", "Search",
         "Payments", "Identity", "Growth", "Support", "Infrastructure", "Analytics", "Release",
         "Quality", "Design", "Content", "Sales", "Finance"]
NOUNS = ["Engineer", "Analyst", "Designer", "Specialist", "Manager", "Writer", "Architect",
         "Scientist", "Consultant", "Administrator"]
VERBS = ["Design", "Build", "Review", "Maintain", "Improve", "Plan", "Document", "Test", "Lead",
         "Support", "Monitor", "Coordinate", "Analyse", "Deliver", "Mentor"]
OBJECTS = ["the services of the team", "customer-facing features", "the quarterly roadmap",
           "incident reviews", "the data pipelines", "release processes", "the test suites",
           "security reviews", "onboarding material", "performance dashboards",
           "the team's documentation", "capacity plans", "vendor contracts", "user research"]
LEVELS = ["Intermediate", "Senior", "Staff"]


def items(rng: random.Random, n: int) -> str:
    return "\n".join(f"- {rng.choice(VERBS)} {rng.choice(OBJECTS)}" for _ in range(n))


def write_documents(folder: Path, count: int) -> None:
    rng = random.Random(7)
    folder.mkdir(parents=True)
    managers = max(1, count // 10)
    families = [(f"{AREAS[i % len(AREAS)]} {NOUNS[(i // len(AREAS)) % len(NOUNS)]}"
                 + (f" {i // (len(AREAS) * len(NOUNS)) + 1}" if i >= len(AREAS) * len(NOUNS)
                    else "")) for i in range(count)]
    for i, family in enumerate(families):
        manager = f"{families[i % managers]} Manager"
        is_manager = i < managers
        title = f"{family} Manager" if is_manager else family
        text = [f"---\ntitle: \"{title}\"\n---\n", f"# {title}\n",
                f"{title}s at Acme work on {rng.choice(OBJECTS)}.\n",
                "## Responsibilities\n", items(rng, 2) + "\n",
                "## Requirements\n", items(rng, 2) + "\n"]
        if not is_manager:
            text.append(f"{title}s report to the {manager}.\n")
        text.append("## Levels\n")
        for level in LEVELS:
            text += [f"### {level} {title}\n", f"#### {level} {title} Responsibilities\n",
                     items(rng, 4) + "\n", f"#### {level} {title} Requirements\n",
                     items(rng, 2) + "\n"]
        text += ["## Performance Indicators\n", items(rng, 2) + "\n",
                 "## Hiring Process\n", "1. A call with a recruiter\n2. An interview\n"]
        (folder / f"{i:04d}-{title.casefold().replace(' ', '-')}.md").write_text(
            "\n".join(text), encoding="utf-8")


def processor_seconds() -> float:
    """Processor time of this process and of the worker processes it waited for."""
    own, workers = (resource.getrusage(who) for who in (resource.RUSAGE_SELF,
                                                         resource.RUSAGE_CHILDREN))
    return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=1000)
    args = parser.parse_args()
    work = ROOT / "bench" / ".work"
    source = work / f"documents-{args.documents}"
    out = work / f"documents-{args.documents}-catalogue"
    if not source.is_dir():
        write_documents(source, args.documents)
    shutil.rmtree(out, ignore_errors=True)

    started = time.perf_counter()
    cpu = processor_seconds()
    from jdcore.formats.documents import embedded_base, import_paths, write_draft

    draft = import_paths([source], embedded_base())
    drafted = time.perf_counter()
    catalogue = write_draft(draft, out)
    finished = time.perf_counter()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"documents: {len(draft.documents)}, roles: {len(draft.roles)}, "
          f"reporting lines resolved: {draft.reporting['resolved']} of "
          f"{draft.reporting['stated']}, catalogue valid: {catalogue.is_valid} "
          f"({len(catalogue.errors)} errors, {len(catalogue.warnings)} warnings)")
    print(f"| documents import, {len(draft.documents):,} documents ({len(draft.roles):,} roles) "
          f"| {finished - started:.1f} s (drafting {drafted - started:.1f} s, writing and "
          f"validating {finished - drafted:.1f} s; processor time {processor_seconds() - cpu:.1f} s)"
          f" | peak {peak:.0f} MB | target < 60 s |")


if __name__ == "__main__":
    main()
