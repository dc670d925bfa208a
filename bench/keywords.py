"""What the Duties keyword costs now that it matches whole words and their forms.

    python bench/keywords.py                # 10,000 roles (bench/.work/, as bench/run.py)
    python bench/keywords.py --roles 1000

Times DutyFilter.apply_with_forms on the duties view (median of several runs), for the
filter bench/run.py measures (the largest department + "contract") and for keywords over
every duty: whole words in their forms (the default) against substrings (inside_words, what
the filter did before).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from run import ensure_catalogue, timed  # noqa: E402

from jdcore import load_catalogue  # noqa: E402
from jdcore.analysis.duties import DutyFilter, duties_view  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--roles", type=int, default=10_000)
    args = parser.parse_args()
    catalogue = load_catalogue(ensure_catalogue(args.roles))
    view = duties_view(catalogue)
    department = catalogue.roles["department"].mode()[0]
    cases = [("largest department + contract", dict(departments=(department,),
                                                     keyword="contract")),
             ("contract, every duty", dict(keyword="contract")),
             ("report supplier, every duty", dict(keyword="report supplier")),
             ("to (a short, common word), every duty", dict(keyword="to"))]
    print(f"{args.roles:,} roles, {len(view):,} duties")
    print("| keyword | whole words and forms | inside words (before) | rows (whole / inside) |")
    print("|---|---|---|---|")
    for name, options in cases:
        whole, (rows, _) = timed(lambda: DutyFilter(**options).apply_with_forms(view), repeat=7)
        inside, (inside_rows, _) = timed(
            lambda: DutyFilter(**options, inside_words=True).apply_with_forms(view), repeat=7)
        print(f"| {name} | {whole:.4f} s | {inside:.4f} s | {len(rows):,} / "
              f"{len(inside_rows):,} |")


if __name__ == "__main__":
    main()
