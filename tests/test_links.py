"""Shared links: what a page ignores of a link is said (jdcore.navigation.ignored_query and
say_ignored, pages.common.note_ignored_query), no stale role stays in the Catalogue's URL,
and pages open on sensible defaults (a head role, the taxonomy's first business area)."""

from __future__ import annotations

import pytest

from jdcore.analysis.profile import head_role
from jdcore.model.labels import in_taxonomy_order
from jdcore.navigation import PAGES, ignored_query, say_ignored
from apptest_tables import table


def test_ignored_query_lists_unknown_keys_and_values_not_offered():
    params = {"department": ["Salse", "Sales"], "role": ["Nobody"], "q": ["anything"],
              "sort": ["up"], "embed": ["true"]}
    allowed = {"department": {"Sales", "Marketing"}, "role": {"Chief Accountant"}}
    assert ignored_query("catalogue", params, allowed) == [
        ("department", "Salse"), ("role", "Nobody"), ("sort", "")]
    assert ignored_query("catalogue", {"department": ["Sales"]}, allowed) == []


def test_the_pending_switch_is_read_on_every_page_and_may_be_linked_to():
    from jdcore.navigation import page_url

    for page in PAGES:  # the sidebar's switch (pages.common.PENDING_KEY), not the page's
        assert ignored_query(page.key, {"show_pending": ["true"], "nope": ["1"]}, {}) == [
            ("nope", "")]
    assert page_url("duties", [("show_pending", "true")]) == "duties?show_pending=true"


def test_every_page_key_is_known_to_ignored_query():
    for page in PAGES:
        assert ignored_query(page.key, {k: ["x"] for k in page.query_keys}, {}) == []


@pytest.mark.parametrize("ignored, expected", [
    ([("role", "Nobody")], "This link's role “Nobody” is not in the catalogue, so it was "
                           "ignored."),
    ([("dept", "Salse"), ("cat", "Legal")],
     "This link's department “Salse” and category “Legal” are not in the catalogue, so they "
     "were ignored."),
    ([("sort", "")], "The page reads no “sort”, so it was ignored."),
    ([("dept", "Salse"), ("sort", "")],
     "This link's department “Salse” is not in the catalogue, and the page reads no “sort”, "
     "so they were ignored."),
    ([], ""),
])
def test_say_ignored_names_each_ignored_value(ignored, expected):
    assert say_ignored(ignored, {"dept": "department", "cat": "category"}) == expected


def test_in_taxonomy_order_keeps_the_vocabulary_order_and_puts_unknown_ids_last():
    names = {"trade": "Trading company", "construction": "Construction company"}
    assert in_taxonomy_order(names, ["construction", "zeta", "trade", "alpha"]) == [
        "trade", "construction", "alpha", "zeta"]


def test_head_role_is_the_head_of_the_largest_organisation(catalogue):
    metrics = catalogue.metrics.set_index("role_id")
    head = head_role(catalogue, catalogue.roles["role_id"])
    assert metrics.loc[head, "total_reports"] == metrics["total_reports"].max()
    sales = catalogue.roles.loc[catalogue.roles["department"] == "sales", "role_id"]
    assert head_role(catalogue, sales) == "head-of-sales"
    assert head_role(catalogue, []) is None


def warnings_of(at) -> list[str]:
    return [w.value for w in at.warning]


def test_a_link_with_an_unknown_role_and_department_says_what_was_ignored(run_page):
    at = run_page("catalogue", {"department": ["Salse", "Sales"], "role": "Nobody Special"})
    assert not at.exception
    assert "This link's department “Salse” and role “Nobody Special” are not in the " \
           "catalogue, so they were ignored." in [w.replace("\\", "") for w in warnings_of(at)]
    assert at.multiselect(key="department").value == ["Sales"]


def test_a_link_the_page_can_use_whole_warns_of_nothing(run_page):
    at = run_page("catalogue", {"department": ["Sales"], "role": "Head of Sales Department"})
    assert not any("ignored" in w for w in warnings_of(at))


@pytest.mark.parametrize("page, query, said", [
    ("duties", {"dept": ["Salse"], "essential": "Maybe"},
     "department “Salse” and essential “Maybe”"),
    ("authority", {"rank": "Height", "role": "Nobody"}, "ranking “Height” and role “Nobody”"),
    ("findings", {"kind": ["overlap", "typo"], "garea": "Mars"},
     "kind “typo” and business area “Mars”"),
])
def test_every_page_with_bound_widgets_says_what_a_link_asked_for_in_vain(run_page, page, query,
                                                                          said):
    at = run_page(page, query)
    assert not at.exception
    assert any(said in w.replace("\\", "") for w in warnings_of(at)), warnings_of(at)


def test_the_catalogue_drops_a_role_the_filters_no_longer_offer_from_the_url(run_page):
    at = run_page("catalogue", {"role": "Chief Accountant"})
    assert at.header[0].value == "Chief Accountant"
    at.multiselect(key="department").set_value(["Marketing"]).run()
    assert not at.exception
    assert "role" not in at.query_params
    assert at.header[0].value == "Head of Marketing Department"  # the head of what is shown
    assert set(table(at, "roles")["department"]) == {"Marketing"}


def test_the_profile_opens_on_a_head_role_not_the_first_row(run_page, catalogue):
    at = run_page("catalogue")
    first_row = table(at, "roles")["title"].iloc[0]
    head = catalogue.roles.set_index("role_id").loc[
        head_role(catalogue, catalogue.roles["role_id"]), "title"]
    assert at.selectbox(key="role").value == head != first_row
    assert at.header[0].value == head


def test_the_reporting_page_opens_on_the_first_business_area_of_the_taxonomy(run_page,
                                                                             catalogue):
    at = run_page("reporting")
    first = next(iter(catalogue.taxonomy.business_areas.values()))
    assert at.selectbox(key="area").value == first
    assert at.selectbox(key="area").options == list(catalogue.taxonomy.business_areas.values())
