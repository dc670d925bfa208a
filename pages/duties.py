"""Duties: every duty across the catalogue, filtered by department, grade, category and keyword."""

import streamlit as st

from jdcore.charts import duty_heatmap
from jdcore.analysis.duties import (ESSENTIAL_CHOICES, DutyFilter, duties_table, duty_labels,
                                    facet_options)
from jdcore.model.text import escape_markdown
from pages.common import (current_catalogue, current_duties_view, filters_expander,
                          note_ignored_query,
                          require_roles, show_table)

catalogue = current_catalogue()
require_roles(catalogue)
st.title("Duties")
st.caption("Every duty of every role in the catalogue. Filters combine: within a filter any "
           "chosen value matches, across filters all must match.")
view = current_duties_view(catalogue)
if view.empty:
    st.info("The catalogue lists no duties yet.")
    st.stop()
labels = duty_labels(catalogue.taxonomy)
options = facet_options(view, catalogue.taxonomy)


def pick(column, label: str, field: str, key: str) -> list[str]:
    """A multiselect of a facet's ids, shown (and kept in the URL) by their names."""
    return column.multiselect(label, options[field], format_func=lambda i: labels[field].get(i, i),
                              key=key, bind="query-params", placeholder="Any", wrap=True)


FILTER_KEYS = {"dept": "department", "area": "business area", "grade": "grade",
               "cat": "category", "freq": "frequency", "essential": "essential",
               "q": "keyword"}
FACET_KEYS = {"dept": "departments", "area": "business_areas", "grade": "grades",
              "cat": "categories", "freq": "frequencies"}
note_ignored_query("duties", {key: (FILTER_KEYS[key], [labels[field].get(i, i)
                                                      for i in options[field]])
                              for key, field in FACET_KEYS.items()}
                   | {"essential": ("essential", list(ESSENTIAL_CHOICES))})
# One line on a phone until opened; at any width the sentence below says what is filtered.
with filters_expander("duty-filters", FILTER_KEYS, "every duty is shown"):
    row = st.columns(4)
    departments = pick(row[0], "Department", "departments", "dept")
    areas = pick(row[1], "Business area", "business_areas", "area")
    grades = pick(row[2], "Grade", "grades", "grade")
    categories = pick(row[3], "Category", "categories", "cat")
    row = st.columns([1, 1, 2], vertical_alignment="bottom")
    frequencies = pick(row[0], "Frequency", "frequencies", "freq")
    essential = row[1].selectbox("Essential", list(ESSENTIAL_CHOICES), key="essential",
                                 bind="query-params")
    keyword = row[2].text_input("Duty text mentions", key="q", bind="query-params",
                                placeholder="e.g. contract supplier (every word must appear)",
                                help="Whole words in any form: “contract” finds “contracts” "
                                     "and “contracting”, not “subcontractors”.")
    inside_words = st.checkbox("Match inside words too (“contract” also finds "
                               "“subcontractors”)", key="inside", bind="query-params")

duty_filter = DutyFilter(departments=departments, business_areas=areas, categories=categories,
                         grades=grades, frequencies=frequencies,
                         essential=ESSENTIAL_CHOICES[essential], keyword=keyword,
                         inside_words=inside_words)
duties, forms = duty_filter.apply_with_forms(view)

st.subheader(escape_markdown(duty_filter.describe(labels, total=len(view), forms=forms)),
             divider="gray")
if duty_filter.is_active:
    st.caption(f"{len(duties):,} of {len(view):,} duties match.")
if duties.empty:
    st.info("No duty matches these filters. Remove a filter or shorten the keyword.",
            icon=":material/filter_alt_off:")
    st.stop()

st.altair_chart(duty_heatmap(duties), width="stretch")
show_table(duties_table(duties), "duties", "duties", view="duties")
