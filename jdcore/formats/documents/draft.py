"""The draft of a documents import: role documents (the dicts a role YAML file holds), where
each value came from, what was not recognised, and every problem. A plain dataclass, so the
Import page's review can correct it and the workspace store can keep it."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

from ...model.problems import Problem, ProblemsMixin

IMPORTED_NOTE = "imported"


@dataclass(frozen=True)
class Provenance:
    """Where one value of a drafted role came from.

    field: "title", "department", "grade", "reports_to", "summary", or a list and its item
    ("responsibilities", index 2); text: the source text as written; confidence: 0-1 for a
    duty's category (similarity to the category), else None.
    """

    role_id: str
    field: str
    index: int | None
    document: str
    where: str
    text: str
    value: str = ""
    confidence: float | None = None


@dataclass(frozen=True)
class Unrecognised:
    document: str
    where: str
    text: str


@dataclass
class DocumentDraft(ProblemsMixin):
    """Drafted roles by id, the taxonomy they are written with, provenance, problems."""

    roles: dict[str, dict] = field(default_factory=dict)
    taxonomy: dict | None = None
    provenance: list[Provenance] = field(default_factory=list)
    unrecognised: list[Unrecognised] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)
    ignored_blocks: int = 0
    seconds: float = 0.0
    reporting: dict[str, int] = field(default_factory=dict)  # resolved, unresolved, ambiguous
    base_roles: dict[str, str] = field(default_factory=dict)  # catalogue role id -> title
    # role id -> the roles its stated manager matches when that is ambiguous (the review
    # offers them first)
    candidates: dict[str, list[str]] = field(default_factory=dict)

    def sources_of(self, role_id: str) -> list[Provenance]:
        return [p for p in self.provenance if p.role_id == role_id]

    def items_per_section(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for doc in self.roles.values():
            for key in ("responsibilities", "qualities", "requirements", "rights",
                        "accountabilities", "interactions", "kpis"):
                counts[key] = counts.get(key, 0) + len(doc.get(key) or [])
            counts["career"] = counts.get("career", 0) + len(doc.get("career", {}).get("next", []))
        return counts

    def drop_item(self, role_id: str, field_name: str, index: int) -> None:
        """Remove one item of a list field (and its provenance; later items move up)."""
        items = self.roles[role_id][field_name]
        del items[index]
        kept = []
        for p in self.provenance:
            if p.role_id == role_id and p.field == field_name and p.index is not None:
                if p.index == index:
                    continue
                if p.index > index:
                    p = Provenance(p.role_id, p.field, p.index - 1, p.document, p.where, p.text,
                                   p.value, p.confidence)
            kept.append(p)
        self.provenance = kept

    def replace_items(self, role_id: str, field_name: str, items: list[dict],
                      kept: dict[int, int]) -> None:
        """The list field's items replaced by `items` (as the review left them); `kept`: the
        old index of each item kept -> its new index. Its provenance follows the item; a
        removed item's goes with it; an added item has none."""
        self.roles[role_id][field_name] = items
        moved = []
        for p in self.provenance:
            if p.role_id == role_id and p.field == field_name and p.index is not None:
                if p.index not in kept:
                    continue
                p = Provenance(p.role_id, p.field, kept[p.index], p.document, p.where, p.text,
                               p.value, p.confidence)
            moved.append(p)
        self.provenance = moved

    def drop_role(self, role_id: str) -> None:
        """Leave a drafted role out: its document, its provenance, and the reporting lines
        and career steps of the other drafted roles that named it (its warnings stay)."""
        self.roles.pop(role_id, None)
        self.provenance = [p for p in self.provenance if p.role_id != role_id]
        for doc in self.roles.values():
            if doc.get("reports_to") == role_id:
                doc["reports_to"] = None
            career = doc.get("career") or {}
            if role_id in career.get("next", []):
                career["next"] = [n for n in career["next"] if n != role_id]

    def copy(self) -> DocumentDraft:
        return copy.deepcopy(self)
