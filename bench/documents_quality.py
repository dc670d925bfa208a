"""How well the documents import reads a folder of job-family pages, against a hand-written
answer key (tests/fixtures/handbook/answers.yaml says what it holds).

    python bench/documents_quality.py tests/fixtures/handbook/pages tests/fixtures/handbook/answers.yaml
    python bench/documents_quality.py DIR [DIR...] ANSWERS [--details]

Imports the folders in one batch (the embedded taxonomy as the base), writes the catalogue
to a temporary folder and validates it, then prints the issue's four measures with the bar
each must meet:

- roles found: the answer key's roles with a drafted role of the same page whose title has
  the same words (case, punctuation, word order and a level in brackets do not count);
- grade: of the found roles that state a grade, those whose grade (its id or name) holds
  the stated grade's words;
- reporting line: of the found roles that state one, those whose reports_to is the role
  whose title is the stated manager's;
- duties: of the found roles that list duties, those with at least 3 (and at least the
  answer key's count, shown apart);

plus the roles drafted that the key does not name, the page text that must not become a
duty and did, and the catalogue's validation. Exit status 0 when every bar is met, else 1.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BARS = {"roles found": 0.95, "grade": 0.95, "reporting line": 0.80, "duties": 1.0}
MIN_DUTIES = 3


@dataclass
class Quality:
    """The counts behind each measure, and what missed, for the report."""

    counts: dict[str, list[int]] = field(default_factory=dict)  # measure -> [met, of]
    misses: dict[str, list[str]] = field(default_factory=dict)  # measure -> descriptions
    extra_roles: list[str] = field(default_factory=list)
    boilerplate_duties: list[str] = field(default_factory=list)
    exact_duties: list[int] = field(default_factory=lambda: [0, 0])
    valid: bool = False
    validation: str = ""
    roles: int = 0
    documents: int = 0

    def ratio(self, measure: str) -> float:
        met, of = self.counts.get(measure, [0, 0])
        return met / of if of else 1.0

    def meets_bar(self) -> bool:
        return self.valid and all(self.ratio(m) >= bar for m, bar in BARS.items())

    def add(self, measure: str, met: bool, miss: str) -> None:
        counts = self.counts.setdefault(measure, [0, 0])
        counts[0] += met
        counts[1] += 1
        if not met:
            self.misses.setdefault(measure, []).append(miss)


def _key(title: str) -> frozenset[str]:
    from jdcore.formats.documents.fields import title_key

    return title_key(title)


def _grade_words(text: str) -> set[str]:
    from jdcore.formats.documents.recognise import words

    return set(words(text.replace("-", " ")))


def measure(folders: list[Path], answers: dict) -> Quality:
    """Import the folders, write and validate the catalogue, and score it against the key."""
    from jdcore.formats.documents import embedded_base, import_paths, write_draft

    quality = Quality()
    draft = import_paths(folders, embedded_base())
    quality.documents, quality.roles = len(draft.documents), len(draft.roles)
    with tempfile.TemporaryDirectory() as tmp:
        try:
            catalogue = write_draft(draft, Path(tmp) / "catalogue")
            quality.valid = catalogue.is_valid
            quality.validation = (f"{len(catalogue.errors)} errors, "
                                  f"{len(catalogue.warnings)} warnings")
            if catalogue.errors:
                quality.validation += ": " + "; ".join(str(p) for p in catalogue.errors[:5])
        except Exception as exc:  # a measurement: say what failed rather than stop
            quality.validation = f"not written: {exc}"
    grades = {g["id"]: g["name"] for g in (draft.taxonomy or {}).get("grades", [])}
    by_page: dict[str, list[dict]] = {}
    for role in draft.roles.values():
        page = role["source"]["document"].rsplit("/", 1)[-1]
        by_page.setdefault(page, []).append(role)
    matched: set[str] = set()
    for page, entry in answers.items():
        drafted = by_page.get(page, [])
        for expected in entry.get("roles", []):
            keys = {_key(t) for t in [expected["title"]] + list(expected.get("aka", []))}
            role = next((r for r in drafted if _key(r["title"]) in keys
                         and r["id"] not in matched), None)
            label = f"{page}: {expected['title']}"
            quality.add("roles found", role is not None, label)
            if role is None:
                continue
            matched.add(role["id"])
            if expected.get("grade") is not None:
                stated = _grade_words(str(expected["grade"]))
                got = _grade_words(role["grade"]) | _grade_words(grades.get(role["grade"], ""))
                quality.add("grade", stated <= got,
                            f"{label}: grade {role['grade']!r}, the page says "
                            f"{expected['grade']!r}")
            if expected.get("reports_to"):
                target = draft.roles.get(role["reports_to"] or "")
                ok = target is not None and _key(target["title"]) == _key(expected["reports_to"])
                quality.add("reporting line", ok,
                            f"{label}: reports to {target['title'] if target else None!r}, "
                            f"the page says {expected['reports_to']!r}")
            if expected.get("duties"):
                count = len(role["responsibilities"])
                quality.add("duties", count >= MIN_DUTIES,
                            f"{label}: {count} duties "
                            f"{[d['text'] for d in role['responsibilities']]}")
                quality.exact_duties[0] += count >= expected["duties"]
                quality.exact_duties[1] += 1
        for role in drafted:
            for duty in role["responsibilities"]:
                text = duty["text"].casefold()
                for phrase in entry.get("not_duties", []):
                    if phrase.casefold() in text:
                        quality.boilerplate_duties.append(f"{page}: {role['title']}: "
                                                          f"{duty['text']}")
    known = set(answers)
    quality.extra_roles = sorted(f"{page}: {r['title']}" for page, roles in by_page.items()
                                 for r in roles if page in known and r["id"] not in matched)
    return quality


def report(quality: Quality, details: bool = False) -> str:
    lines = [f"documents: {quality.documents}, roles drafted: {quality.roles}"]
    for name, bar in BARS.items():
        met, of = quality.counts.get(name, [0, 0])
        mark = "ok" if quality.ratio(name) >= bar else "BELOW THE BAR"
        lines.append(f"{name:15} {met:4} of {of:4}  {quality.ratio(name):6.1%}  "
                     f"(bar {bar:.0%})  {mark}")
    met, of = quality.exact_duties
    lines.append(f"{'duties as keyed':15} {met:4} of {of:4}  (the answer key's count or more)")
    lines.append(f"extra roles: {len(quality.extra_roles)}; boilerplate taken as duties: "
                 f"{len(quality.boilerplate_duties)}")
    lines.append(f"catalogue valid: {quality.valid} ({quality.validation})")
    if details:
        for name, misses in quality.misses.items():
            lines += [f"-- {name} missed:"] + [f"   {m}" for m in misses]
        if quality.extra_roles:
            lines += ["-- extra roles:"] + [f"   {r}" for r in quality.extra_roles]
        if quality.boilerplate_duties:
            lines += ["-- boilerplate duties:"] + [f"   {d}" for d in quality.boilerplate_duties]
    return "\n".join(lines)


def load_answers(path: Path) -> dict:
    import yaml

    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="+", type=Path, help="folders of pages")
    parser.add_argument("answers", type=Path, help="the answer key (YAML)")
    parser.add_argument("--details", action="store_true", help="list every miss")
    args = parser.parse_args(argv)
    answers = load_answers(args.answers)
    quality = measure(args.folders, answers)
    print(report(quality, args.details))
    return 0 if quality.meets_bar() else 1


if __name__ == "__main__":
    sys.exit(main())
