"""AppTest runs of the Overview and Catalogue pages on the embedded catalogue."""

from apptest_tables import table as table_of


def test_overview_shows_counts_and_department_chart(run_page, charts, catalogue):
    at = run_page("overview")
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {"Roles": str(len(catalogue.roles)),
                       "Departments": str(catalogue.roles["department"].nunique()),
                       "Business areas": "2", "Duties": str(len(catalogue.duties))}
    [(spec, data)] = [(spec, data) for spec, data in charts(at)
                      if spec.get("title") == "Roles per department"]
    assert spec["mark"]["type"] == "bar"
    assert spec["encoding"]["x"]["field"] == "roles"
    per_department = next(iter(data.values())).set_index("department")["roles"]
    assert per_department.to_dict() == catalogue.roles["department"].value_counts().to_dict()


def test_catalogue_filters_restore_from_query_params(run_page):
    at = run_page("catalogue", {"department": ["Sales"], "role": "Head of Sales Department"})
    assert not at.exception
    table = table_of(at, "roles")
    assert set(table["department"]) == {"Sales"}
    assert "Head of Sales Department" in set(table["title"])
    assert at.header[0].value == "Head of Sales Department"


def test_catalogue_profile_lists_every_duty_of_the_role(run_page, catalogue):
    at = run_page("catalogue", {"role": "Head of Sales Department"})
    duties = table_of(at, "profile-duties")
    expected = catalogue.duties[catalogue.duties["role_id"] == "head-of-sales"]["text"]
    assert sorted(duties["duty"]) == sorted(expected)
