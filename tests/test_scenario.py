"""What-if scenarios (jdcore.analysis.scenario) on the embedded catalogue: what each change
does to the tables, spans, layers and indices; refusals by the loader's checks; the findings
recomputed incrementally equal a full run; the URL encoding; drafts in the workspace."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from jdcore.analysis.findings import OVERLAP_NEIGHBOURS, OVERLAP_THRESHOLD, find_findings
from jdcore.analysis.matching import fit_duty_index, neighbour_search, replace_roles
from jdcore.analysis.scenario import (MAX_CHANGES, MAX_ENCODED_CHARS, Change, apply_scenario,
                                      clean_name, compare_scenario, decode_changes,
                                      encode_changes, scenario_base, scenario_findings,
                                      scenario_layouts)
from jdcore.loading import RoleDocument, update_documents
from jdcore.loading.files import role_document_name
from jdcore.model.metrics import compute_metrics
from jdcore.store import Workspace, WorkspaceError, load_snapshot
from jdcore.store.catalogue import revision_highest
from jdcore.store.scenario_drafts import submit_scenario

DATA = Path(__file__).resolve().parent.parent / "data"


@pytest.fixture(scope="module")
def base(catalogue):
    index = fit_duty_index(catalogue.duties)
    neighbours = neighbour_search(index, k=OVERLAP_NEIGHBOURS, threshold=OVERLAP_THRESHOLD)
    return scenario_base(catalogue, index, neighbours, find_findings(catalogue, index,
                                                                     neighbours))


def figures(catalogue, role):
    row = catalogue.metrics.set_index("role_id").loc[role]
    return int(row["direct_reports"]), float(row["span_of_control"]), row["span_flag"]


def test_moving_a_role_moves_one_report_between_its_two_managers(catalogue, base):
    # hr-manager (headcount 1) reports to general-director (7 direct reports, span 7)
    assert figures(catalogue, "general-director") == (7, 7.0, "ok")
    assert figures(catalogue, "head-of-sales") == (7, 7.0, "ok")
    result = apply_scenario(base, [Change("move", "hr-manager", "head-of-sales")])
    assert result.problems == () and result.changed == {"hr-manager"}
    after = result.catalogue
    assert figures(after, "general-director") == (6, 6.0, "ok")
    assert figures(after, "head-of-sales") == (8, 8.0, "ok")
    layer = after.metrics.set_index("role_id")["layer"]
    assert layer["hr-manager"] == 4  # was 3, under the general director
    assert after.roles.set_index("role_id").at["hr-manager", "reports_to"] == "head-of-sales"
    # the catalogue itself is untouched
    assert catalogue.roles.set_index("role_id").at["hr-manager", "reports_to"] == \
        "general-director"
    comparison = compare_scenario(catalogue, after)
    assert comparison.lines.to_dict("records") == [{
        "role_id": "hr-manager", "title": "HR Manager", "manager_before": "General Director",
        "manager_after": "Head of Sales Department", "change": "moved"}]
    spans = comparison.structure.set_index("role_id")
    assert list(spans.index) == ["general-director", "head-of-sales", "hr-manager"]
    assert spans.at["general-director", "direct_reports_before"] - \
        spans.at["general-director", "direct_reports_after"] == 1
    assert spans.at["head-of-sales", "direct_reports_after"] - \
        spans.at["head-of-sales", "direct_reports_before"] == 1
    layers = comparison.layers.set_index("layer")
    assert (layers.at[3, "roles_before"] - layers.at[3, "roles_after"],
            layers.at[4, "roles_after"] - layers.at[4, "roles_before"]) == (1, 1)


def test_a_headcount_change_moves_the_span_and_its_flag(catalogue, base):
    # site-foreman: 4 incumbents over 60 construction workers: span 15, over the max of 12
    assert figures(catalogue, "site-foreman") == (60, 15.0, "over")
    result = apply_scenario(base, [Change("headcount", "site-foreman", headcount=8)])
    after = result.catalogue
    assert figures(after, "site-foreman") == (60, 7.5, "ok")
    assert figures(after, "site-manager") == (8, 4.0, "ok")  # was 4 positions, span 2: under
    comparison = compare_scenario(catalogue, after, base.findings,
                                  scenario_findings(base, result))
    gone = set(comparison.findings.loc[comparison.findings["change"] == "disappears", "id"])
    assert gone == {"workload/span/site-foreman", "workload/span/site-manager"}
    assert comparison.counts == {"appears": 0, "disappears": 2}
    workload = comparison.indices.set_index("role_id")
    assert workload.at["site-foreman", "workload_delta"] < 0  # less management load


def test_retiring_a_role_moves_its_reports_to_its_manager_and_says_so(catalogue, base):
    result = apply_scenario(base, [Change("retire", "head-of-logistics")])
    after = result.catalogue
    assert "head-of-logistics" not in set(after.roles["role_id"])
    assert "head-of-logistics" not in set(after.duties["role_id"])
    managers = after.roles.set_index("role_id")["reports_to"]
    assert managers["logistics-dispatcher"] == managers["warehouse-manager"] == \
        "general-director"
    # 7 - 1 (the head) + 4 + 2 positions
    assert figures(after, "general-director")[0] == 12
    assert not (after.interactions["counterpart"] == "head-of-logistics").any()
    assert not (after.career["next_role_id"] == "head-of-logistics").any()
    assert result.notes == (
        "retire Head of Logistics Department: its 2 direct reports (Logistics Dispatcher and "
        "Warehouse Manager) move to General Director; it drops the 7 interactions and 2 "
        "career steps that pointed to it",)
    assert result.retired == {"head-of-logistics"}


def test_adding_a_copy_and_moving_duties(catalogue, base):
    estimator = catalogue.duties[catalogue.duties["role_id"] == "estimator"]
    engineer = catalogue.duties[catalogue.duties["role_id"] == "pto-engineer"]
    result = apply_scenario(base, [
        Change("add", "estimator", "estimator-2", title="Junior Estimator"),
        Change("duties", "estimator", "pto-engineer", duties=(2,)),
    ])
    after = result.catalogue
    roles = after.roles.set_index("role_id")
    assert roles.at["estimator-2", "title"] == "Junior Estimator"
    assert roles.at["estimator-2", "reports_to"] == "head-of-production-technical"
    copied = after.duties[after.duties["role_id"] == "estimator-2"]
    assert list(copied["text"]) == list(estimator["text"])
    moved = after.duties[after.duties["role_id"] == "pto-engineer"]
    assert list(moved["text"]) == list(engineer["text"]) + [estimator["text"].iloc[1]]
    assert list(moved["duty_no"]) == list(range(1, len(engineer) + 2))
    left = after.duties[after.duties["role_id"] == "estimator"]
    assert list(left["duty_no"]) == list(range(1, len(estimator)))
    assert result.duty_roles == {"estimator", "estimator-2", "pto-engineer"}
    # the head of production now manages 2 more positions (the copy has 2 incumbents)
    assert figures(after, "head-of-production-technical")[0] == \
        figures(catalogue, "head-of-production-technical")[0] + 2


@pytest.mark.parametrize("changes, cause", [
    ([Change("move", "general-director", "middle-sales-manager")],
     "reporting lines form a cycle: general-director -> middle-sales-manager -> "
     "head-of-sales -> general-director"),
    ([Change("move", "head-of-sales", "")], "business area 'trade' has 2 roots"),
    ([Change("move", "hr-manager", "no-such-role")], "the manager 'no-such-role' is not in the "
     "catalogue"),
    ([Change("retire", "construction-director")], "business area 'construction' has 5 roots"),
    ([Change("add", "estimator", "Head-Of-Sales", title="Copy")], "already used by "
     "'head-of-sales'"),
    ([Change("duties", "estimator", "pto-engineer", duties=(99,))], "duty 99 of 'estimator' "
     "does not exist"),
])
def test_a_change_the_checks_refuse_changes_nothing_and_says_why(catalogue, base, changes,
                                                                 cause):
    result = apply_scenario(base, changes)
    assert result.applied == ()
    [problem] = result.problems
    assert problem.file == "change 1"
    assert problem.message.startswith("Change 1 (")
    assert "was refused and changed nothing" in problem.message
    assert cause in problem.message
    pd.testing.assert_frame_equal(result.catalogue.roles, catalogue.roles)
    pd.testing.assert_frame_equal(result.catalogue.metrics, catalogue.metrics)


def test_a_cycle_names_the_change_the_cause_and_the_fix(base):
    result = apply_scenario(base, [Change("move", "hr-manager", "head-of-sales"),
                                   Change("move", "general-director", "middle-sales-manager"),
                                   Change("headcount", "hr-manager", headcount=2)])
    assert [c.kind for c in result.applied] == ["move", "headcount"]
    [problem] = result.problems
    assert problem.message == (
        "Change 2 (move General Director under Sales Manager (Middle Manager)) was refused "
        "and changed nothing: General Director: reporting lines form a cycle: "
        "general-director -> middle-sales-manager -> head-of-sales -> general-director; "
        "change one reports_to to break it. To fix it: choose a manager outside the role's "
        "own line (not one of the roles below it) and not none while its area has a top "
        "role, or leave the role where it is.")
    assert "not reachable" not in problem.message  # the consequence is not repeated


CASES = [
    [Change("move", "hr-manager", "head-of-sales")],
    [Change("add", "estimator", "estimator-2", title="Estimator")],  # a title two roles share
    [Change("retire", "head-of-logistics")],
    [Change("add", "estimator", "estimator-2", title="Junior estimator")],
    [Change("duties", "estimator", "pto-engineer", duties=(1, 2))],
    [Change("headcount", "site-foreman", headcount=8)],
    [Change("move", "procurement-manager", "head-of-logistics"),
     Change("move", "head-of-marketing", "head-of-sales")],
    [Change("duties", "head-of-sales", "chief-accountant", duties=(1, 3, 5)),
     Change("retire", "middle-sales-manager"),
     Change("headcount", "sales-representative", headcount=40)],
]


@pytest.mark.parametrize("changes", CASES, ids=[encode_changes(c) for c in CASES])
def test_incremental_metrics_and_findings_equal_a_full_run_on_the_scenario(base, changes):
    result = apply_scenario(base, changes)
    assert len(result.applied) == len(changes)
    # the metrics, recomputed for the roles a change reaches only, equal a full computation
    pd.testing.assert_frame_equal(result.catalogue.metrics,
                                  compute_metrics(result.tables, base.catalogue.taxonomy))
    incremental = scenario_findings(base, result)
    # the comparison of the reached roles only is the comparison of every role
    whole = compare_scenario(base.catalogue, result.catalogue, base.findings, incremental)
    reached = compare_scenario(base.catalogue, result.catalogue, base.findings, incremental,
                               result.reached)
    for name in ("lines", "structure", "layers", "indices", "findings"):
        pd.testing.assert_frame_equal(getattr(reached, name), getattr(whole, name))
    # the full run: every rule, the duty neighbours searched again (the index keeps the
    # base's vocabulary, as the incremental one does)
    index = replace_roles(base.index, result.catalogue.duties, result.duty_roles)
    full = find_findings(result.catalogue, index)
    pd.testing.assert_frame_equal(incremental, full)


def test_findings_that_appear_and_disappear(catalogue, base):
    result = apply_scenario(base, [Change("duties", "estimator", "pto-engineer", duties=(1, 2)),
                                   Change("retire", "head-of-logistics")])
    comparison = compare_scenario(catalogue, result.catalogue, base.findings,
                                  scenario_findings(base, result))
    changes = dict(zip(comparison.findings["id"], comparison.findings["change"]))
    assert changes == {"workload/time-share/pto-engineer": "appears",
                       "workload/time-share/estimator": "appears",
                       "overlap/head-of-logistics/procurement-manager": "disappears"}


def test_the_org_charts_mark_the_changed_lines(catalogue, base):
    result = apply_scenario(base, [Change("move", "hr-manager", "head-of-sales")])
    before, after = scenario_layouts(catalogue, result.catalogue, "trade", max_depth=6)

    def marked(chart):
        lines = chart.connectors[chart.connectors["on_path"]]
        return set(zip(lines["from_id"].tolist(), lines["to_id"].tolist()))

    assert marked(before) == {("general-director", "hr-manager")}
    assert marked(after) == {("head-of-sales", "hr-manager")}
    assert set(after.boxes.loc[after.boxes["focus"], "role_id"]) == {"hr-manager"}


# --- The URL encoding ---------------------------------------------------------------------

def test_the_url_encoding_round_trips():
    changes = [Change("move", "hr-manager", "head-of-sales"), Change("move", "estimator", ""),
               Change("headcount", "site-foreman", headcount=8),
               Change("add", "estimator", "estimator-2", title="Junior: estimator, 2nd"),
               Change("retire", "head-of-logistics"),
               Change("duties", "estimator", "pto-engineer", duties=(3, 1))]
    text = encode_changes(changes)
    assert text.startswith("move:hr-manager:head-of-sales,move:estimator:,headcount:")
    assert "Junior%3A%20estimator%2C%202nd" in text
    assert decode_changes(text) == (changes, [])


@pytest.mark.parametrize("text, said", [
    ("drop:table:roles", "'drop' is not a kind of change"),
    ("move:hr-manager", "a move change has 2 fields, not 1"),
    ("headcount:site-foreman:-3", "headcount '-3' is not a whole number from 1 to 1,000,000"),
    ("headcount:site-foreman:99999999999", "is not a whole number"),
    ("duties:a:b:1.x", "duty numbers '1.x' are not whole numbers"),
    ("duties:a:b:1.1", "a duty number is listed twice"),
    ("move:..%2F..%2Fetc:x", "cannot be a role id"),
    ("retire:%E2%80%AEevil", "the role contains"),
    ("add:a:b:" + "t" * 500, "the title has 500 characters"),
    ("retire:%FF", "not valid percent-encoded UTF-8"),
    ("add:a::Title", "the new role's id is empty"),
])
def test_hostile_url_parts_are_ignored_with_a_reason(text, said):
    changes, ignored = decode_changes(f"retire:estimator,{text}")
    assert changes == [Change("retire", "estimator")]
    [message] = ignored
    assert message.startswith("change 2 (") and said in message


def test_an_overlong_or_overfull_scenario_is_bounded():
    assert decode_changes("retire:x," * 2000) == ([], [
        f"the scenario in the link has 18,000 characters, over the limit of "
        f"{MAX_ENCODED_CHARS:,}; it was ignored whole"])
    changes, ignored = decode_changes(",".join(["retire:x"] * (MAX_CHANGES + 5)))
    assert len(changes) == MAX_CHANGES
    assert ignored == [f"the link holds {MAX_CHANGES + 5} changes; only the first "
                       f"{MAX_CHANGES} were read"]
    assert clean_name("x" * 81)[0] == "" and "over the limit of 80" in clean_name("x" * 81)[1]
    assert clean_name("  Logistics under sales ") == ("Logistics under sales", None)


# --- Submitting as drafts -----------------------------------------------------------------

@pytest.fixture
def seeded(tmp_path):
    workspace = Workspace.open(f"sqlite:///{tmp_path / 'w.sqlite'}", create=True)
    workspace.seed_from_folder(DATA)
    yield workspace
    workspace.close()


def test_submitting_writes_every_changed_role_as_a_draft_in_one_go(seeded):
    snapshot = load_snapshot(seeded)
    result = apply_scenario(snapshot.catalogue, [
        Change("move", "hr-manager", "head-of-sales"), Change("retire", "head-of-logistics"),
        Change("add", "estimator", "estimator-2", title="Junior estimator"),
        Change("duties", "estimator", "pto-engineer", duties=(2,)),
        Change("headcount", "site-foreman", headcount=8)], name="Logistics out")
    stored = submit_scenario(seeded, snapshot, result, revision_highest(snapshot.revision),
                             author="tester")
    assert {v.role_id for v in stored} == set(result.changed) | {"head-of-logistics"}
    assert all(v.status == "draft" and v.author == "tester" for v in stored)
    assert {v.note for v in stored} == {"what-if scenario 'Logistics out'",
                                        "what-if scenario 'Logistics out': retire this role"}
    assert {v.role_id for v in stored if v.retires} == {"head-of-logistics"}
    assert seeded.latest("estimator-2").version == 1
    # the approved catalogue is unchanged: drafts wait for approval
    assert load_snapshot(seeded).catalogue.fingerprint == snapshot.catalogue.fingerprint
    # the drafts, read back by the loader, are exactly the scenario's catalogue
    documents = {v.role_id: None if v.note.endswith("retire this role") else
                 RoleDocument(role_document_name(v.role_id), v.document.encode("utf-8"))
                 for v in stored}
    loaded = update_documents(snapshot.catalogue, documents, "drafts")
    assert loaded.errors == []
    columns = ["role_id", "reports_to", "headcount", "title"]
    order = lambda t: t.sort_values(list(t.columns[:3])).reset_index(drop=True)  # noqa: E731
    pd.testing.assert_frame_equal(order(loaded.roles[columns]),
                                  order(result.catalogue.roles[columns]))
    for name in ("duties", "interactions", "career", "reporting"):
        kept = [c for c in loaded.tables[name].columns if c != "source"]
        pd.testing.assert_frame_equal(order(loaded.tables[name][kept]),
                                      order(result.tables[name][kept]))


def test_a_retirement_submitted_from_a_scenario_retires_the_role_once_approved(seeded):
    from jdcore.store.catalogue import pending_catalogue

    snapshot = load_snapshot(seeded)
    result = apply_scenario(snapshot.catalogue, [Change("retire", "head-of-logistics")],
                            name="Logistics out")
    stored = submit_scenario(seeded, snapshot, result, revision_highest(snapshot.revision),
                             author="tester")
    retiring = {v.role_id: v.retires for v in stored}
    assert retiring.pop("head-of-logistics") is True
    assert retiring and not any(retiring.values())  # its reports' drafts move them up
    # pending, it is marked as such and the pending catalogue is without it
    [pending] = [v for v in seeded.pending() if v.role_id == "head-of-logistics"]
    assert pending.retires and pending.status == "draft"
    with_pending, _ = pending_catalogue(seeded, load_snapshot(seeded))
    assert "head-of-logistics" not in set(with_pending.roles["role_id"])
    assert with_pending.errors == []
    assert "head-of-logistics" in set(load_snapshot(seeded).catalogue.roles["role_id"])
    # submitted, rejected and submitted again, it still asks for the retirement
    submitted = seeded.submit("head-of-logistics", pending.version, author="tester")
    rejected = seeded.reject("head-of-logistics", submitted.version, "not yet", reviewer="ann")
    assert submitted.retires and rejected.retires
    again = seeded.submit("head-of-logistics", rejected.version, author="tester")
    for v in seeded.pending():
        if v.role_id != "head-of-logistics":
            seeded.approve(v.role_id, seeded.submit(v.role_id, v.version).version,
                           approver="ann")
    approved = seeded.approve("head-of-logistics", again.version, approver="ann")
    assert (approved.status, approved.reviewer, approved.retires) == ("retired", "ann", False)
    after = load_snapshot(seeded).catalogue
    assert "head-of-logistics" not in set(after.roles["role_id"])
    assert after.errors == []
    reports = after.roles.set_index("role_id")["reports_to"]
    assert reports["logistics-dispatcher"] == result.catalogue.roles.set_index(
        "role_id")["reports_to"]["logistics-dispatcher"]


def test_only_a_pending_version_asks_for_a_retirement(seeded):
    document = seeded.latest("estimator").document
    with pytest.raises(WorkspaceError, match="only a draft or a version in review"):
        seeded.save_role("estimator", document, 1, status="approved", retires=True)
    with pytest.raises(WorkspaceError, match="a retirement needs the role's document"):
        seeded.add_drafts({"estimator": document}, retiring=["hr-manager"])
    assert seeded.pending() == []


def test_a_scenario_on_a_role_saved_since_is_refused_and_stores_nothing(seeded):
    snapshot = load_snapshot(seeded)
    base = revision_highest(snapshot.revision)
    result = apply_scenario(snapshot.catalogue, [Change("move", "hr-manager", "head-of-sales")])
    document = seeded.latest("hr-manager").document
    seeded.save_role("hr-manager", document.replace("headcount: 1", "headcount: 2"), 1,
                     author="someone")
    count = len(seeded.changes_since(0)[0])
    with pytest.raises(WorkspaceError, match=r"HR Manager \(version 2 by someone"):
        submit_scenario(seeded, snapshot, result, base)
    assert len(seeded.changes_since(0)[0]) == count


def test_drafts_that_would_fail_the_checks_are_refused(seeded):
    snapshot = load_snapshot(seeded)
    # two duties more take the engineer's time shares over 100 %
    result = apply_scenario(snapshot.catalogue, [
        Change("duties", "estimator", "pto-engineer", duties=(1, 2))])
    with pytest.raises(WorkspaceError, match="time shares add up to 125 %"):
        submit_scenario(seeded, snapshot, result, revision_highest(snapshot.revision))
    assert seeded.pending() == []


def test_role_and_area_findings_name_their_role_or_area_third(catalogue, base):
    """The contract of a rule's scope, which the incremental findings rest on."""
    from jdcore.analysis.findings import RULES

    scopes = {r.id: r.scope for r in RULES}
    roles, areas = set(catalogue.roles["role_id"]), set(catalogue.roles["business_area"])
    seen = set()
    for finding_id in base.findings["id"]:
        scope = scopes.get("/".join(finding_id.split("/")[:2]))
        if scope in ("role", "area"):
            seen.add(scope)
            assert finding_id.split("/")[2] in (roles if scope == "role" else areas), finding_id
    assert seen == {"role", "area"}


@pytest.fixture(scope="module")
def synthetic_base(tmp_path_factory):
    """A scenario base on a synthetic catalogue large enough for roles with many overlapping
    partners (more than OVERLAP_PARTNERS) and deep lines."""
    from jdcore import load_catalogue
    from jdcore.synth import write_synthetic_catalogue

    folder = tmp_path_factory.mktemp("scenario") / "synthetic"
    write_synthetic_catalogue(folder, 400, seed=3)
    catalogue = load_catalogue(folder)
    index = fit_duty_index(catalogue.duties)
    neighbours = neighbour_search(index, k=OVERLAP_NEIGHBOURS, threshold=OVERLAP_THRESHOLD)
    return scenario_base(catalogue, index, neighbours,
                         find_findings(catalogue, index, neighbours))


def synthetic_changes(catalogue) -> dict[str, list[Change]]:
    """One change of each kind on roles in the middle of the synthetic structure, and one
    scenario of several."""
    roles = catalogue.roles.merge(catalogue.metrics, on="role_id").sort_values("role_id")
    managers = roles[roles["direct_reports"] > 0]
    leaf = roles[(roles["direct_reports"] == 0) & roles["reports_to"].notna()].iloc[7]
    other = managers[(managers["business_area"] == leaf["business_area"])
                     & (managers["role_id"] != leaf["reports_to"])].iloc[0]
    above_other = other["chain_of_command"].split(" > ")  # moving one of them: a cycle
    middle = managers[(managers["layer"] > 1)
                      & (managers["business_area"] == other["business_area"])
                      & ~managers["role_id"].isin(above_other)
                      & (managers["reports_to"] != other["role_id"])].iloc[0]
    duties = catalogue.duties[catalogue.duties["role_id"] == leaf["role_id"]]["duty_no"]
    two = tuple(int(n) for n in duties.head(2))
    return {
        "move": [Change("move", leaf["role_id"], other["role_id"])],
        "move a team": [Change("move", middle["role_id"], other["role_id"])],
        "headcount": [Change("headcount", middle["role_id"], headcount=12)],
        "add": [Change("add", middle["role_id"], "copy-of-middle", title="Copy of middle")],
        "retire": [Change("retire", middle["role_id"])],
        "duties": [Change("duties", leaf["role_id"], other["role_id"], duties=two)],
        "several": [Change("move", leaf["role_id"], other["role_id"]),
                    Change("duties", other["role_id"], middle["role_id"], duties=(1,)),
                    Change("retire", middle["role_id"])],
    }


@pytest.mark.parametrize("kind", ["move", "move a team", "headcount", "add", "retire",
                                  "duties", "several"])
def test_incremental_recompute_equals_a_full_one_on_a_larger_catalogue(synthetic_base, kind):
    base = synthetic_base
    changes = synthetic_changes(base.catalogue)[kind]
    result = apply_scenario(base, changes)
    assert len(result.applied) == len(changes), result.problems
    full_metrics = compute_metrics(result.tables, base.catalogue.taxonomy)
    pd.testing.assert_frame_equal(result.catalogue.metrics, full_metrics)
    incremental = scenario_findings(base, result)
    index = replace_roles(base.index, result.catalogue.duties, result.duty_roles)
    pd.testing.assert_frame_equal(incremental, find_findings(result.catalogue, index))
    whole = compare_scenario(base.catalogue, result.catalogue, base.findings, incremental)
    reached = compare_scenario(base.catalogue, result.catalogue, base.findings, incremental,
                               result.reached)
    for name in ("lines", "structure", "layers", "indices", "findings"):
        pd.testing.assert_frame_equal(getattr(reached, name), getattr(whole, name))
