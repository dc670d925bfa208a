"""AppTest runs of the What-if page: a scenario from the URL, before and after; a change
added with the widgets; a refused change; hostile links; discard; submit for review."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from apptest_tables import table as table_of
from jdcore.store import Workspace, load_snapshot
from jdcore.store.catalogue import revision_highest

ROOT = Path(__file__).resolve().parent.parent


def whatif(query: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.switch_page("pages/whatif.py")
    at.run()
    assert not at.exception, at.exception
    return at


def plain(text: str) -> str:
    """A message as the user reads it: without the escapes that keep it from being markup."""
    return text.replace("\\", "").replace("\u2060", "")


def button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def test_a_shared_scenario_shows_before_and_after(workspace_file):
    at = whatif({"scenario": "move:hr-manager:head-of-sales,headcount:site-foreman:8",
                 "name": "Sales takes HR"})
    assert at.text_input(key="whatif-name").value == "Sales takes HR"
    assert [m.value for m in at.markdown][:2] == [
        "1. move HR Manager under Head of Sales Department",
        "2. set the headcount of Site Foreman to 8"]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Roles whose line changed"] == "1"
    assert metrics["Findings disappearing"] == "2"  # both span findings of the site
    lines = table_of(at, "whatif-lines")
    assert lines.to_dict("records") == [{"title": "HR Manager",
                                         "manager_before": "General Director",
                                         "manager_after": "Head of Sales Department",
                                         "change": "moved"}]
    spans = table_of(at, "whatif-structure").set_index("title")
    assert (spans.at["General Director", "direct_reports_before"],
            spans.at["General Director", "direct_reports_after"]) == (7, 6)
    assert (spans.at["Site Foreman", "span_flag_before"],
            spans.at["Site Foreman", "span_flag_after"]) == ("over", "ok")
    indices = table_of(at, "whatif-indices").set_index("title")
    assert indices.at["Site Foreman", "workload_delta"] == pytest.approx(
        indices.at["Site Foreman", "workload_after"]
        - indices.at["Site Foreman", "workload_before"], abs=0.051)
    findings = table_of(at, "whatif-findings")
    assert set(findings["id"]) == {"workload/span/site-foreman", "workload/span/site-manager"}
    assert set(findings["change"]) == {"disappears"}
    captions = [c.value for c in at.caption]
    assert any(c.startswith("14 roles drawn") and "In blue: 1 line(s) the scenario removes"
               in c for c in captions)
    assert any("In blue: 1 line(s) the scenario adds" in c for c in captions)


def test_adding_a_change_puts_it_in_the_url(workspace_file):
    at = whatif()
    assert at.info[0].value.startswith("No changes yet")
    at.selectbox(key="whatif-kind").set_value("Move a role under another manager")
    at.selectbox(key="whatif-role").set_value("HR Manager").run()
    at.selectbox(key="whatif-manager").set_value("Head of Sales Department")
    button(at, "Add change").click().run()
    assert not at.exception
    assert at.query_params["scenario"] == "move:hr-manager:head-of-sales"
    snapshot = load_snapshot(Workspace.open(workspace_file))
    assert at.query_params["base"] == str(revision_highest(snapshot.revision))
    assert at.markdown[0].value == "1. move HR Manager under Head of Sales Department"
    # a change that would make a cycle is refused and not added
    at.selectbox(key="whatif-kind").set_value("Move a role under another manager")
    at.selectbox(key="whatif-role").set_value("General Director").run()
    at.selectbox(key="whatif-manager").set_value("HR Manager")
    button(at, "Add change").click().run()
    assert not at.exception
    assert "reporting lines form a cycle: general-director -> hr-manager -> head-of-sales -> " \
        "general-director" in plain(at.error[0].value)
    assert at.query_params["scenario"] == "move:hr-manager:head-of-sales"
    # remove it again, then discard
    button(at, "Remove").click().run()
    assert "scenario" not in at.query_params
    assert at.info[0].value.startswith("No changes yet")


@pytest.mark.parametrize("query, said", [
    ({"scenario": "drop:table:roles"}, "'drop' is not a kind of change"),
    ({"scenario": "move:..%2F..%2Fetc%2Fpasswd:x"}, "cannot be a role id"),
    ({"scenario": "x" * 10_000}, "over the limit of 6,000"),
    ({"scenario": "retire:%E2%80%AEboard"}, "the role contains"),
    ({"scenario": "retire:hr-manager", "base": "1; DROP TABLE"}, "is not a version number"),
    ({"scenario": "retire:hr-manager", "name": "<script>alert(1)</script>" * 5},
     "the scenario's name has 125 characters"),
])
def test_a_hostile_link_says_what_was_ignored(workspace_file, query, said):
    at = whatif(query)
    warning = plain(at.warning[0].value)
    assert warning.startswith("Parts of this link were ignored: ")
    assert said in warning


def test_a_change_of_the_link_the_checks_refuse_is_left_out_and_said(workspace_file):
    at = whatif({"scenario": "move:general-director:middle-sales-manager,retire:hr-manager"})
    assert "Change 1 (move General Director under Sales Manager (Middle Manager)) was " \
        "refused and changed nothing" in plain(at.error[0].value)
    assert at.markdown[0].value == "1. retire HR Manager"


def test_discard_clears_the_scenario(workspace_file):
    at = whatif({"scenario": "retire:hr-manager", "name": "gone", "base": "1"})
    button(at, "Discard scenario").click().run()
    assert not at.exception
    assert not {"scenario", "name", "base"} & set(at.query_params)


def test_submit_for_review_writes_drafts_and_refuses_a_stale_scenario(workspace_file):
    at = whatif()  # seeds the workspace
    workspace = Workspace.open(workspace_file)
    base = revision_highest(load_snapshot(workspace).revision)
    at = whatif({"scenario": "move:hr-manager:head-of-sales,headcount:site-foreman:8",
                 "name": "Sales takes HR", "base": str(base)})
    button(at, "Submit for review").click().run()
    assert not at.exception
    assert plain(at.success[-1].value).startswith(
        "Submitted 'Sales takes HR' for review: 2 draft(s) (hr-manager, site-foreman)")
    drafts = {v.role_id: v for v in workspace.pending()}
    assert set(drafts) == {"hr-manager", "site-foreman"}
    assert drafts["hr-manager"].note == "what-if scenario 'Sales takes HR'"
    assert "reports_to: head-of-sales" in drafts["hr-manager"].document
    # the same scenario again: its roles have drafts now; nothing more is stored
    count = len(workspace.changes_since(0)[0])
    at = whatif({"scenario": "move:hr-manager:head-of-sales", "base": str(base)})
    button(at, "Submit for review").click().run()
    refused = plain(at.error[0].value)
    assert "HR Manager (version 2 by local" in refused and "Nothing was submitted" in refused
    assert len(workspace.changes_since(0)[0]) == count
    workspace.close()
