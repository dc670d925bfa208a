"""Compare: 2 to 6 roles side by side: duties, authority and workload, decision rights."""

import streamlit as st

from jdcore.charts import (STATUS_COLOURS, category_profile, duty_status_bars,
                           index_parts_bars, rights_heatmap, role_key_html, scale_bars,
                           similarity_heatmap)
from jdcore.analysis.compare import (MAX_ROLES, MIN_ROLES, comparison_summary,
                                     default_roles, duty_table, index_table, pairs_table,
                                     rights_table, similarity_matrix, similarity_words,
                                     unknown_parts_note)
from jdcore.analysis.indices import INDICES
from jdcore.analysis.matching import SHARED_THRESHOLD, SIMILAR_THRESHOLD
from jdcore.model.text import escape_markdown
from pages.common import current_catalogue, current_comparison, labels, require_roles, show_table

catalogue = current_catalogue()
require_roles(catalogue)
st.title("Compare")
titles = labels(catalogue)
role_titles = {titles[r]: r for r in sorted(titles, key=lambda r: titles[r].casefold())}
chosen = st.multiselect(
    f"Roles to compare ({MIN_ROLES} to {MAX_ROLES})", list(role_titles),
    default=[titles[r] for r in default_roles(catalogue.roles["role_id"])],
    max_selections=MAX_ROLES, key="roles", bind="query-params")
if len(chosen) < MIN_ROLES:
    st.info(f"Choose at least {MIN_ROLES} roles to compare.", icon=":material/info:")
    st.stop()
comparison = current_comparison(catalogue, tuple(role_titles[t] for t in chosen))
ids = comparison.role_ids

# The answer first: the key differences in sentences; the charts below are the evidence
with st.container(border=True, key="compare-summary"):
    st.subheader("Key differences")
    st.markdown("\n".join(f"- {escape_markdown(point.text)}"
                          for point in comparison_summary(comparison)))

# One key of the role colours for every chart below (a chart's own legend of long titles
# would be cut off on a phone)
st.html(role_key_html(list(comparison.titles.values())))

# Duties
st.header("Duties")
st.altair_chart(category_profile(comparison.category_shares, comparison.titles, legend=False),
                width="stretch")
st.altair_chart(duty_status_bars(comparison.duty_matches), width="stretch")
st.subheader("Shared, similar and unique duties")
st.caption(f"Each duty next to the closest duty of the other chosen roles, matched by the "
           f"meaning of the words (TF-IDF cosine similarity, 0-1): **shared** from "
           f"{SHARED_THRESHOLD:.2f} (the same duty), **similar** from {SIMILAR_THRESHOLD:.2f} "
           f"(related work), otherwise **unique**.")
show_table(duty_table(comparison.duty_matches), "compare-duties", "duties", height=420,
           column_config={
               "role": st.column_config.TextColumn("role", width=170),
               "duty": st.column_config.TextColumn("duty", width=320),
               "status": st.column_config.MultiselectColumn(
                   "status", options=list(STATUS_COLOURS),
                   color=list(STATUS_COLOURS.values())),
               "similarity": st.column_config.ProgressColumn(
                   "similarity", min_value=0, max_value=1, format="%.2f", width=110),
               "best_match": st.column_config.TextColumn("best match", width=320),
               "best_match_role": st.column_config.TextColumn("best match in", width=170),
               "time_share": st.column_config.NumberColumn("time share (%)", format="%.0f"),
           })

# Authority and workload
st.header("Authority and workload")
st.altair_chart(scale_bars(comparison.scales, list(comparison.titles.values()), legend=False),
                width="stretch")
for index_name in INDICES.values():
    st.altair_chart(index_parts_bars(comparison.index_parts, index_name), width="stretch")
st.caption("Each part adds 100 × weight × part (0-1) / sum of the weights points to its index; "
           "the row under an index's parts is the index itself.")
show_table(index_table(comparison.index_parts), "compare-indices", "indices", height="content")
if note := unknown_parts_note(comparison.index_parts):
    st.warning(escape_markdown(note), icon=":material/help:")

# Decision rights
st.header("Decision rights")
scopes = list(catalogue.taxonomy.decision_right_scopes)
st.altair_chart(rights_heatmap(comparison.rights, scopes, areas_down=True), width="stretch")
st.caption(f"An area a role file does not list counts as '{escape_markdown(scopes[0])}'.")
show_table(rights_table(comparison.rights), "compare-decision-rights", "rights",
           height="content")

# Overall similarity
st.header("Overall similarity")
st.caption("Every duty of a role takes the similarity of its best match in the other role; "
           "their time-share-weighted mean is how far the other role covers it. A pair's "
           "similarity is the mean of the two directions (1 = the same duties).")
if len(ids) == 2:  # one pair: the number itself; a matrix from three roles
    pair = comparison.role_pairs.iloc[0]
    st.metric("Overall duty similarity (0-1)",
              f"{pair['similarity']:.2f}", border=True,
              help=f"{similarity_words(pair['similarity']).capitalize()}: "
                   f"{int(pair['shared_pairs'])} shared and {int(pair['similar_pairs'])} "
                   "similar duty pairs.")
else:
    st.altair_chart(similarity_heatmap(similarity_matrix(comparison.role_pairs, ids,
                                                         comparison.titles)), width="stretch")
show_table(pairs_table(comparison.role_pairs), "compare-similarity", "pairs", height="content")
