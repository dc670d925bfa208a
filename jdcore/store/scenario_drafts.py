"""A what-if scenario submitted for review: every role it changes becomes a draft version in
the workspace, all in one transaction, each with the author and a note naming the scenario.

The drafts are the role documents the scenario makes: the scenario's applied changes
(jdcore.analysis.scenario) replayed, in order, on the current documents of the roles they
touch. Before anything is written the documents go through the loader's checks over the
whole catalogue (jdcore.loading.update_documents, as an edit does), and the submission is
refused when a role the scenario touches has changed since the scenario's base (a version
saved after it) or has a draft waiting already: nothing is ever overwritten.

A retired role gets a draft of its document unchanged that asks for its retirement
(Version.retires): the review decides, and approving it retires the role.
"""

from __future__ import annotations

from ..analysis.scenario import Change, ScenarioResult
from ..formats.writer import dump_yaml
from ..loading import RoleDocument, update_documents
from ..loading.files import role_document_name
from ..model.labels import role_labels
from .catalogue import Snapshot
from .access import Access
from .database import WorkspaceError
from .editing import role_data
from .workspace import LOCAL_USER, Version, Workspace


def _without(values, role: str) -> list:
    return [v for v in (values or []) if v != role]


def replay_changes(documents: dict[str, str], changes: list[Change]) -> dict[str, dict]:
    """The fields of every role document after the changes (role id -> fields), for the
    roles the changes touch; `documents` must hold every role (id -> its YAML document)."""
    data: dict[str, dict] = {}

    def fields(role: str) -> dict:
        if role not in data:
            data[role] = role_data(documents[role])
        return data[role]

    retired: set[str] = set()
    for change in changes:
        role = change.role
        if change.kind == "move":
            fields(role)["reports_to"] = change.target or None
        elif change.kind == "headcount":
            fields(role)["headcount"] = change.headcount
        elif change.kind == "add":
            copy = dict(fields(role))
            copy["id"], copy["title"] = change.target, change.title
            data[change.target] = copy
        elif change.kind == "duties":
            source, target = fields(role), fields(change.target)
            items = list(source.get("responsibilities") or [])
            moved = [items[n - 1] for n in change.duties]
            source["responsibilities"] = [item for n, item in enumerate(items, 1)
                                          if n not in change.duties]
            target["responsibilities"] = list(target.get("responsibilities") or []) + moved
        elif change.kind == "retire":
            manager = fields(role).get("reports_to")
            retired.add(role)
            for other in [r for r in documents if r not in retired] + [
                    r for r in data if r not in documents and r not in retired]:
                current = data.get(other)
                if current is None:
                    text = documents[other]
                    if role not in text:  # cheap: a document that never names the role
                        continue
                    current = fields(other)
                if current.get("reports_to") == role:
                    current["reports_to"] = manager
                current["dotted_to"] = _without(current.get("dotted_to"), role)
                current["interactions"] = [i for i in current.get("interactions") or []
                                           if not (isinstance(i, dict) and i.get("with") == role)]
                career = current.get("career") if isinstance(current.get("career"), dict) else {}
                if career.get("next"):
                    current["career"] = {**career, "next": _without(career["next"], role)}
    return data


def scenario_documents(documents: dict[str, str], result: ScenarioResult) -> dict[str, str]:
    """role id -> its new document, for every role the scenario changes (added ones
    included); a retired role's document is left out (see `submit_scenario`)."""
    data = replay_changes(documents, list(result.applied))
    return {rid: dump_yaml(data[rid]) for rid in sorted(result.changed) if rid in data}


def submit_scenario(target: Workspace | Access, snapshot: Snapshot, result: ScenarioResult,
                    base: int, *, author: str = LOCAL_USER) -> list[Version]:
    """Write every role the scenario changes as a draft, in one go (all or nothing), each
    with a note naming the scenario. `base` is the highest version row id when the scenario
    was made (`revision_highest`). Raises WorkspaceError, with nothing stored, when a role
    it touches changed since, has a pending draft, or the drafts would not pass the checks."""
    workspace = target.workspace if isinstance(target, Access) else target
    if not result.applied:
        raise WorkspaceError("the scenario has no changes to submit; add one first")
    touched = set(result.changed) | set(result.retired)
    titles = role_labels(result.catalogue.roles) | role_labels(snapshot.catalogue.roles)
    rows, _ = workspace.changes_since(base)
    since = sorted({(r.role_id, r.version, r.author, r.when) for r in rows
                    if r.role_id in touched})
    if since:
        said = "; ".join(f"{titles.get(r, r)} (version {v} by {a}, {w})"
                         for r, v, a, w in since[:5])
        raise WorkspaceError(f"{len(since)} role(s) the scenario changes were saved after it "
                             f"was made: {said}. Nothing was submitted: open the scenario "
                             "again on the current catalogue, check it, and submit then.")
    waiting = sorted(v.role_id for v in workspace.pending() if v.role_id in touched)
    if waiting:
        raise WorkspaceError(
            f"{', '.join(titles.get(r, r) for r in waiting[:5])} already "
            f"{'has a draft' if len(waiting) == 1 else 'have drafts'} waiting for review; "
            "nothing was submitted: approve or reject those first, then submit the scenario")
    current = {rid: v for rid, v in snapshot.versions.items()}
    existing = [rid for rid in touched if rid in current and rid not in result.added]
    texts = workspace.documents([current[rid].id for rid in existing])
    documents = {rid: texts[current[rid].id] for rid in existing}
    # every other role's document is needed only where it names a retired role
    if result.retired:
        others = [rid for rid in snapshot.catalogue.roles["role_id"] if rid not in documents]
        texts = workspace.documents([current[rid].id for rid in others if rid in current])
        documents |= {rid: texts[current[rid].id] for rid in others if rid in current}
    new = scenario_documents(documents, result)
    check = update_documents(
        snapshot.catalogue,
        {rid: RoleDocument(role_document_name(rid), text.encode("utf-8"))
         for rid, text in new.items()} | {rid: None for rid in result.retired},
        snapshot.catalogue.fingerprint + "-scenario", problems_only=True)
    if check is not None:
        before = set(snapshot.catalogue.problems)
        errors = [p for p in check.errors if p not in before]
        if errors:
            raise WorkspaceError(f"the scenario's drafts would not pass the catalogue's checks "
                                 f"({len(errors)} error(s), e.g. {errors[0]}); nothing was "
                                 "submitted: change the scenario and try again")
    note = f"what-if scenario '{(result.name or 'unnamed')[:200]}'"
    drafts = dict(new) | {rid: documents[rid] for rid in result.retired}
    notes = {rid: note for rid in new} | {rid: f"{note}: retire this role"
                                          for rid in result.retired}
    retiring = sorted(result.retired)
    if isinstance(target, Access):  # as the signed-in user, who must be allowed to draft every role
        return target.add_drafts(dict(sorted(drafts.items())), note=note, notes=notes,
                                 retiring=retiring)
    return workspace.add_drafts(dict(sorted(drafts.items())), author=author, note=note,
                                notes=notes, retiring=retiring)
