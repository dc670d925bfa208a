"""The findings engine (jdcore.analysis.findings): each kind on a small catalogue built for it, naming
exactly the roles it should; the decision-right rule table; the embedded catalogue."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pandas as pd
import pytest

from findings_catalogues import role, varied_synthetic_catalogue, write_catalogue
import jdcore.analysis.findings as findings_module
from jdcore.analysis.findings import (FINDING_COLUMNS, HIGH_WORKLOAD, KINDS, OVERLAP_THRESHOLD,
                                      OVERLAP_WARNING, RULES, SEVERITIES, FindingContext,
                                      authority_findings, decision_rules_for, filter_findings,
                                      find_findings, finding_counts, gap_findings,
                                      overlap_findings, rule, team_workload, workload_findings)
from jdcore.navigation import page_target, page_url
from jdcore.model.labels import role_labels
from jdcore.analysis.matching import duty_similarity, fit_duty_index

ALL_CATEGORIES = ["strategy-planning", "people-management", "sales-negotiation",
                  "market-research", "advertising-pr", "contracts", "partnerships",
                  "budget-finance", "operations", "reporting-control",
                  "technical-documentation", "resources-supply", "health-safety",
                  "customer-service"]


def named(findings, prefix: str = "") -> dict[str, tuple[str, ...]]:
    """finding id -> the roles it names, for the findings whose id starts with `prefix`."""
    return {f.id: f.roles for f in findings if f.id.startswith(prefix)}


def by_id(findings, finding_id: str):
    return next(f for f in findings if f.id == finding_id)


# --- Overlap ------------------------------------------------------------------------------

CONTRACTS = ("Negotiate supplier delivery contracts, including prices, delivery terms, lead times "
             "and penalties")
CONTRACTS_ALIKE = ("Negotiate delivery contracts with suppliers and carriers, including "
                   "delivery terms, lead times and liability for damage")
GOODS = "Check incoming goods against delivery notes"
GOODS_ALIKE = "Check incoming goods against purchase orders and delivery notes and document damage"
STOCKTAKES = "Organise stocktakes of goods and cash and record their results in the accounts"
STOCKTAKES_ALIKE = "Organise stocktakes and reconcile their results with the accounting department"


def two_roles(tmp_path, text, other_text, **other):
    """A buyer (procurement) and a second role (logistics unless `other` says), one duty each
    to compare and one of their own."""
    return write_catalogue(tmp_path / "c", [
        role("buyer", department="procurement",
             duties=[(text, "contracts", 50), ("Look after buyer", "operations", 50)]),
        role("carrier", **({"department": "logistics"} | other),
             duties=[(other_text, "contracts", 50), ("Look after carrier", "operations", 50)]),
    ])


def similarity(catalogue) -> float:
    index = fit_duty_index(catalogue.duties)
    return float(duty_similarity(index, ["buyer", "carrier"])["similarity"].max())


@pytest.mark.parametrize("text, other_text, severity, band", [
    (CONTRACTS, CONTRACTS, "warning", (0.99, 1.0)),
    (CONTRACTS, CONTRACTS_ALIKE, "warning", (OVERLAP_WARNING, 1.0)),
    (GOODS, GOODS_ALIKE, "info", (OVERLAP_THRESHOLD, OVERLAP_WARNING)),
])
def test_overlap_names_both_roles_of_a_close_duty_in_different_departments(
        tmp_path, text, other_text, severity, band):
    catalogue = two_roles(tmp_path, text, other_text)
    assert band[0] <= similarity(catalogue) <= band[1]  # the premise of the case
    findings = overlap_findings(catalogue, fit_duty_index(catalogue.duties))
    assert named(findings) == {"overlap/buyer/carrier": ("buyer", "carrier")}
    finding = findings[0]
    assert finding.severity == severity
    assert text in finding.explanation and other_text in finding.explanation
    assert finding.page == "compare?roles=Buyer&roles=Carrier"


def test_overlap_leaves_out_duties_below_the_reporting_threshold(tmp_path):
    catalogue = two_roles(tmp_path, STOCKTAKES, STOCKTAKES_ALIKE)
    assert 0.3 < similarity(catalogue) < OVERLAP_THRESHOLD  # similar on Compare, not here
    assert overlap_findings(catalogue, fit_duty_index(catalogue.duties)) == []


@pytest.mark.parametrize("other, text, other_text", [
    ({"department": "procurement"}, CONTRACTS, CONTRACTS),             # same department
    ({"area": "construction"}, CONTRACTS, CONTRACTS),                  # another company
    ({"reports_to": "buyer"}, CONTRACTS, CONTRACTS),                   # delegation
    ({}, "Report on purchases and costs to the general director",      # upward reporting
     "Report on deliveries and costs to the general director"),
], ids=["same-department", "other-business-area", "manager-and-report", "upward-reports"])
def test_overlap_ignores_pairs_that_are_not_duplicated_accountability(tmp_path, other, text,
                                                                       other_text):
    catalogue = two_roles(tmp_path, text, other_text, **other)
    assert similarity(catalogue) >= OVERLAP_WARNING
    assert overlap_findings(catalogue, fit_duty_index(catalogue.duties)) == []


def test_overlap_gives_one_finding_per_pair_of_roles_and_counts_the_other_pairs(tmp_path):
    catalogue = write_catalogue(tmp_path / "c", [
        role("buyer", department="procurement",
             duties=[(CONTRACTS, "contracts", 50), (GOODS, "operations", 50)]),
        role("carrier", department="logistics",
             duties=[(CONTRACTS, "contracts", 50), (GOODS, "operations", 50)]),
        role("clerk", department="sales"),
    ])
    findings = overlap_findings(catalogue, fit_duty_index(catalogue.duties))
    assert named(findings) == {"overlap/buyer/carrier": ("buyer", "carrier")}
    assert "1 more pair of their duties match" in findings[0].explanation


# --- Gaps ---------------------------------------------------------------------------------

def covering(role_id: str, categories, **fields) -> dict:
    """A role with one duty in each of `categories`."""
    duties = [(f"{c.replace('-', ' ').capitalize()} work number {i}", c, 5)
              for i, c in enumerate(categories)]
    return role(role_id, duties=duties, **fields)


def test_gap_names_the_top_role_of_an_area_that_covers_no_health_and_safety(tmp_path):
    without_safety = [c for c in ALL_CATEGORIES if c != "health-safety"]
    catalogue = write_catalogue(tmp_path / "c", [
        covering("boss", without_safety[:7], area="construction", grade="executive"),
        covering("worker", without_safety[7:], area="construction", reports_to="boss"),
        covering("trader", ALL_CATEGORIES, area="trade", grade="executive"),
    ])
    findings = gap_findings(catalogue)
    assert named(findings, "gap/area/") == {"gap/area/construction": ("boss",)}
    finding = by_id(findings, "gap/area/construction")
    assert finding.severity == "warning"
    assert finding.title.endswith("1 category: Health, safety and compliance.")
    assert finding.page == "duties?area=Construction%20company"


def test_gap_of_an_ordinary_category_is_info(tmp_path):
    catalogue = write_catalogue(tmp_path / "c", [
        covering("boss", [c for c in ALL_CATEGORIES if c != "advertising-pr"], grade="executive")])
    assert [(f.id, f.severity) for f in gap_findings(catalogue)] == [("gap/area/trade", "info")]


def test_gap_names_the_head_of_a_department_that_does_not_plan_or_manage(tmp_path):
    catalogue = write_catalogue(tmp_path / "c", [
        covering("director", ALL_CATEGORIES, grade="executive", department="executive"),
        # head and staff: reporting is covered, planning and people management are not
        covering("sales-head", ["sales-negotiation"], grade="head-of-department",
                 department="sales", reports_to="director"),
        covering("seller", ["reporting-control"], department="sales", reports_to="sales-head",
                 headcount=3),
        # a head alone in the department: people management is not expected of it
        covering("lawyer", ["contracts", "strategy-planning", "reporting-control"],
                 grade="head-of-department", department="hr", reports_to="director"),
        # no head of department: no expectations
        covering("clerk", ["operations"], department="finance", reports_to="director"),
    ])
    findings = gap_findings(catalogue)
    assert named(findings, "gap/department/") == {
        "gap/department/trade/sales": ("sales-head",)}
    finding = by_id(findings, "gap/department/trade/sales")
    assert finding.title == "Sales (Trading company) has no duty in Strategy and planning; " \
                            "People management."
    assert page_target(finding.page) == ("duties", [("area", "Trading company"),
                                                    ("dept", "Sales")])


# --- Authority vs hierarchy ---------------------------------------------------------------

@pytest.mark.parametrize("text, areas", [
    ("Approve overtime and pay bonuses to the workers of the team for urgent work", ["budget"]),
    ("Authorise spending within the approved budget", ["budget"]),
    ("Prepare the annual budget with the heads of department", []),
    ("Negotiate and sign general contracts with clients", ["contracts"]),
    ("Conclude supply agreements with dealers", ["contracts"]),
    ("Check the payment terms and tax consequences of contracts before signing", []),
    ("Recruit staff for open positions", ["staffing"]),
    ("Appoint, evaluate and dismiss the general director", ["staffing"]),
    ("Arrange the hire of cranes and other machinery", []),
    ("Approve customer orders and discounts within the standard scale", ["pricing"]),
    ("Set the prices of the new product range", ["pricing"]),
    ("Recommend changes to pricing and assortment", []),
    ("Approve related-party transactions and contracts above the threshold", ["contracts"]),
])
def test_decision_rules_read_the_leading_verb_and_its_object(text, areas):
    assert [rule.area for rule in decision_rules_for(text)] == areas


OVERTIME = "Approve overtime and pay bonuses to the workers of the team for urgent work"


@pytest.mark.parametrize("rights, flagged", [
    ([], True),                                    # no budget right at all
    ([("budget", "recommend")], True),             # below the rule's minimum
    ([("budget", "approve")], False),
    ([("budget", "decide")], False),
    ([("staffing", "decide")], True),              # a right, but in another area
])
def test_a_duty_that_approves_spending_needs_a_budget_right(tmp_path, rights, flagged):
    catalogue = write_catalogue(tmp_path / "c", [
        role("foreman", rights=rights, duties=[(OVERTIME, "people-management", 100)])])
    expected = {"authority/decision-right/foreman/1/budget": ("foreman",)} if flagged else {}
    assert named(authority_findings(catalogue), "authority/decision-right/") == expected


def test_authority_names_a_role_above_its_manager(tmp_path):
    catalogue = write_catalogue(tmp_path / "c", [
        role("chair", grade="executive", authority=2),
        role("deputy", reports_to="chair", authority=5,
             rights=[("budget", "decide"), ("staffing", "decide")]),
        role("assistant", reports_to="deputy", authority=1),
    ])
    findings = authority_findings(catalogue)
    assert named(findings, "authority/above-manager/") == {
        "authority/above-manager/deputy": ("deputy", "chair")}
    finding = by_id(findings, "authority/above-manager/deputy")
    assert finding.severity == "warning"
    assert "decision rights" in finding.explanation
    assert finding.page == "compare?roles=Deputy&roles=Chair"


def test_the_site_foremans_overtime_duty_is_found_in_the_embedded_catalogue(catalogue):
    duties = catalogue.duties[catalogue.duties["role_id"] == "site-foreman"]
    number = int(duties.loc[duties["text"].str.startswith("Approve overtime"), "duty_no"].iloc[0])
    findings = authority_findings(catalogue)
    finding = by_id(findings, f"authority/decision-right/site-foreman/{number}/budget")
    assert finding.roles == ("site-foreman",)
    assert finding.page == "catalogue?role=Site%20Foreman"


# --- Workload arithmetic ------------------------------------------------------------------

@pytest.mark.parametrize("shares, severity", [
    ([50, 20], "warning"),   # 70 %: below the floor
    ([60, 30], None),        # 90 %
    ([60, 40], None),        # 100 %
    ([70, 40], "error"),     # 110 %: more than all the time
])
def test_time_shares_far_from_100_percent(tmp_path, shares, severity):
    catalogue = write_catalogue(tmp_path / "c", [role("clerk", duties=[
        ("Sort the post", "operations", shares[0]),
        ("File the receipts", "budget-finance", shares[1])])])
    found = [(f.id, f.roles, f.severity) for f in workload_findings(catalogue)
             if f.id.startswith("workload/time-share/")]
    assert found == ([("workload/time-share/clerk", ("clerk",), severity)] if severity else [])


def test_weekly_hours_above_the_taxonomy_limit(tmp_path):
    catalogue = write_catalogue(tmp_path / "c", [role("driver", hours=55),
                                                 role("clerk", hours=50)])
    assert named(workload_findings(catalogue), "workload/hours/") == {
        "workload/hours/driver": ("driver",)}


def test_span_of_control_outside_the_range_but_not_for_a_board(tmp_path):
    catalogue = write_catalogue(tmp_path / "c", [
        role("board", grade="board", headcount=5),
        role("director", grade="executive", reports_to="board"),           # span 1: under
        role("foreman", grade="manager", reports_to="director", headcount=2),
        role("worker", grade="operative", reports_to="foreman", headcount=30),  # 15 each: over
    ])
    findings = workload_findings(catalogue)
    assert {f.id: (f.roles, f.severity) for f in findings if f.id.startswith("workload/span/")} \
        == {"workload/span/director": (("director",), "info"),
            "workload/span/foreman": (("foreman",), "warning")}
    assert by_id(findings, "workload/span/foreman").page == \
        "reporting?area=Trading%20company&role=Foreman"


BUSY = dict(hours=58, pressure=5, travel=50,
            duties=[(f"Visit customer number {i}", "sales-negotiation", 15, "daily")
                    for i in range(6)])


def team(distributes: bool, busy: bool = True) -> list[dict]:
    duty = ("Distribute workload and responsibilities to the team leaders" if distributes
            else "Review the results of the team leaders")
    return [
        role("head", grade="head-of-department", duties=[(duty, "people-management", 100)]),
        role("team-leader", reports_to="head", headcount=2, **(BUSY if busy else {})),
        role("assistant", reports_to="head", hours=30, pressure=1),
        role("intern", reports_to="head"),
    ]


def test_a_manager_who_distributes_work_to_busy_reports_is_told(tmp_path):
    catalogue = write_catalogue(tmp_path / "c", team(distributes=True))
    workload = catalogue.metrics.set_index("role_id")["workload_index"]
    assert workload["team-leader"] >= HIGH_WORKLOAD > workload["assistant"]  # the premise
    findings = workload_findings(catalogue)
    assert named(findings, "workload/delegation/") == {
        "workload/delegation/head": ("head", "team-leader")}
    assert by_id(findings, "workload/delegation/head").page == \
        "compare?roles=Head&roles=Team%20Leader"


@pytest.mark.parametrize("distributes, busy", [(False, True), (True, False)])
def test_no_delegation_finding_without_the_duty_or_without_busy_reports(tmp_path, distributes,
                                                                        busy):
    catalogue = write_catalogue(tmp_path / "c", team(distributes, busy))
    assert named(workload_findings(catalogue), "workload/delegation/") == {}


def test_a_manager_with_too_many_busy_reports_is_told(tmp_path):
    catalogue = write_catalogue(tmp_path / "c", [
        role("foreman", grade="manager"),
        role("worker", grade="operative", reports_to="foreman", headcount=15, **BUSY),
    ])
    assert named(workload_findings(catalogue), "workload/delegation/") == {
        "workload/delegation/foreman": ("foreman",)}


def test_team_workload_is_the_headcount_weighted_mean_of_the_direct_reports(tmp_path):
    catalogue = write_catalogue(tmp_path / "c", team(distributes=True))
    workload = catalogue.metrics.set_index("role_id")["workload_index"]
    row = team_workload(catalogue).set_index("manager_id").loc["head"]
    expected = (2 * workload["team-leader"] + workload["assistant"] + workload["intern"]) / 4
    assert row["positions"] == 4
    assert row["team_workload"] == pytest.approx(expected, abs=0.05)
    assert row["busiest_id"] == "team-leader"


# --- All findings -------------------------------------------------------------------------

def test_every_rule_has_an_id_a_kind_its_severities_and_a_docstring():
    ids = [r.id for r in RULES]
    assert ids and len(ids) == len(set(ids))
    for r in RULES:
        assert r.id.startswith(f"{r.kind}/") and r.kind in KINDS
        assert r.severities and set(r.severities) <= set(SEVERITIES)
        assert r.doc.strip() and r.summary
    assert {r.kind for r in RULES} == set(KINDS)


def test_a_rule_of_an_unknown_kind_or_a_taken_id_is_refused():
    with pytest.raises(ValueError):
        rule("nonsense/rule", "nonsense", "info")
    with pytest.raises(ValueError):
        rule("workload/odd", "workload", "fatal")
    with pytest.raises(ValueError):
        rule(RULES[0].id, RULES[0].kind, *RULES[0].severities)


def test_each_rule_finds_only_its_kind_and_severities(catalogue):
    context = FindingContext(catalogue, fit_duty_index(catalogue.duties))
    for r in RULES:
        for finding in r.check(context):
            assert finding.kind == r.kind and finding.severity in r.severities, r.id
            assert finding.id.startswith(f"{r.kind}/"), r.id


def test_find_findings_runs_every_rule_on_one_context(catalogue, monkeypatch):
    contexts = []
    built = FindingContext.__init__

    def counting(self, *args, **kwargs):
        contexts.append(self)
        built(self, *args, **kwargs)

    monkeypatch.setattr(FindingContext, "__init__", counting)
    find_findings(catalogue, fit_duty_index(catalogue.duties))
    assert len(contexts) == 1


def test_find_findings_orders_by_severity_then_kind_and_ids_are_unique(catalogue):
    findings = find_findings(catalogue, fit_duty_index(catalogue.duties))
    assert list(findings.columns) == FINDING_COLUMNS
    assert findings["id"].is_unique
    order = [(SEVERITIES.index(s), list(KINDS).index(k))
             for s, k in zip(findings["severity"], findings["kind"])]
    assert order == sorted(order)
    assert set(findings["severity"]) <= set(SEVERITIES)


def test_find_findings_is_the_same_on_every_run(catalogue):
    first = find_findings(catalogue, fit_duty_index(catalogue.duties))
    second = find_findings(catalogue, fit_duty_index(catalogue.duties))
    pd.testing.assert_frame_equal(first, second)


def test_the_embedded_catalogue_has_a_short_list_and_no_errors(catalogue):
    findings = find_findings(catalogue, fit_duty_index(catalogue.duties))
    assert 8 <= len(findings) <= 20
    assert "error" not in set(findings["severity"])
    assert set(findings["kind"]) == set(KINDS)  # every kind finds something honest


def test_every_finding_names_known_roles_and_links_to_a_page_of_the_app(catalogue):
    findings = find_findings(catalogue, fit_duty_index(catalogue.duties))
    known = set(catalogue.roles["role_id"])
    titles = set(role_labels(catalogue.roles).values())
    for finding in findings.itertuples():
        assert set(finding.roles.split(";")) <= known
        page, params = page_target(finding.page)
        assert page in {"compare", "catalogue", "duties", "authority", "reporting"}
        for key, value in params:
            if key in ("role", "roles"):
                assert value in titles
        assert finding.title.endswith(".") and "\n" not in finding.title


def test_page_urls_are_encoded_and_read_back():
    url = page_url("compare", [("roles", "R&D Lead (a)"), ("roles", "Café 50%")])
    assert " " not in url and "&roles=" in url
    assert parse_qs(urlparse(url).query)["roles"] == ["R&D Lead (a)", "Café 50%"]
    assert page_target(url) == ("compare", [("roles", "R&D Lead (a)"), ("roles", "Café 50%")])


FINDINGS = pd.DataFrame({
    "id": ["a", "b", "c"], "severity": ["warning", "info", "warning"],
    "kind": ["overlap", "gap", "workload"], "title": ["A.", "B.", "C."],
    "roles": ["site-foreman;site-manager", "construction-director", "head-of-sales"],
    "explanation": ["", "", ""], "page": ["", "", ""]})
TITLES = {"site-foreman": "Site Foreman", "site-manager": "Site Manager",
          "construction-director": "Construction Director", "head-of-sales": "Head of Sales"}


@pytest.mark.parametrize("kinds, severities, text, ids", [
    ((), (), "", ["a", "b", "c"]),
    (("overlap", "workload"), (), "", ["a", "c"]),
    ((), ("info",), "", ["b"]),
    ((), (), "FOREMAN", ["a"]),            # a title, any case
    ((), (), "head-of", ["c"]),            # an id
    ((), (), "site manager", ["a"]),       # every word must match one role
    ((), (), "director sales", []),
    (("workload",), ("warning",), "sales", ["c"]),
])
def test_filter_findings(kinds, severities, text, ids):
    shown = filter_findings(FINDINGS, kinds, severities, text, TITLES)
    assert list(shown["id"]) == ids


def test_finding_counts_list_every_severity_and_kind():
    counts = finding_counts(FINDINGS)
    assert counts["severity"] == {"error": 0, "warning": 2, "info": 1}
    assert counts["kind"] == {"overlap": 1, "gap": 1, "authority": 0, "workload": 1}


def test_overlap_lists_each_roles_closest_partners_and_counts_the_rest(tmp_path, monkeypatch):
    # Five roles in five departments all hold the same duty: ten pairs of roles. With two
    # partners per role, a pair is listed when it is among the two closest of either role.
    monkeypatch.setattr(findings_module, "OVERLAP_PARTNERS", 2)
    departments = ["procurement", "logistics", "sales", "finance", "marketing"]
    catalogue = write_catalogue(tmp_path / "c", [
        role(f"r{i}", department=d, duties=[(CONTRACTS, "contracts", 100)])
        for i, d in enumerate(departments)])
    findings = overlap_findings(catalogue, fit_duty_index(catalogue.duties))
    pairs = [f for f in findings if f.id != "overlap/more"]
    partners = {}
    for f in pairs:
        for r in f.roles:
            partners[r] = partners.get(r, 0) + 1
    assert all(count >= 2 for count in partners.values()) and len(partners) == 5
    assert len(pairs) < 10
    more = [f for f in findings if f.id == "overlap/more"]
    assert len(more) == 1 and more[0].severity == "info" and more[0].roles == ()
    assert more[0].title.startswith(f"{10 - len(pairs)} more pair")
    assert more[0].page == "duties"


def test_the_duty_index_only_narrows_which_duties_are_checked_for_decision_rights(catalogue,
                                                                                  tmp_path):
    from jdcore import load_catalogue
    from jdcore.synth import write_synthetic_catalogue

    write_synthetic_catalogue(tmp_path / "synthetic", 120, seed=5)
    for checked in (catalogue, load_catalogue(tmp_path / "synthetic")):
        index = fit_duty_index(checked.duties)
        narrowed = findings_module.FindingContext(checked, index).missing_decision_rights
        every = findings_module.FindingContext(checked).missing_decision_rights
        assert len(every) > 0
        pd.testing.assert_frame_equal(narrowed, every)


def test_a_rule_of_an_unknown_scope_is_refused():
    with pytest.raises(ValueError, match="scope 'everywhere'"):
        rule("workload/anywhere", "workload", "info", scope="everywhere")


FROZEN = Path(__file__).resolve().parent / "fixtures" / "findings" / "varied-60-seed1.csv"


def test_every_rule_finds_what_it_found_before_it_was_vectorised(tmp_path):
    """The findings of a varied synthetic catalogue (every rule finds something) are those
    the rules found, finding by finding and word by word, before they were rewritten over
    whole columns (the fixture was written by the per-row rules of commit 9ff596c with
    `find_findings(catalogue, fit_duty_index(catalogue.duties)).to_csv(FROZEN, index=False)`;
    a change of jdcore.synth or of a rule's wording means writing it again)."""
    catalogue = varied_synthetic_catalogue(tmp_path / "varied", 60, seed=1)
    found = find_findings(catalogue, fit_duty_index(catalogue.duties))
    expected = pd.read_csv(FROZEN, dtype=str, keep_default_na=False)
    rules = set(expected["id"].str.split("/").str[:2].str.join("/"))
    pairs = {r for r in rules if r.startswith("overlap/") and r != "overlap/more"}
    assert pairs and rules - pairs | {"overlap/pairs"} == {r.id for r in RULES}
    pd.testing.assert_frame_equal(found.astype(str), expected)
