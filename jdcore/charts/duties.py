"""Chart of the Duties page: duties per department and category."""

from __future__ import annotations

import altair as alt
import pandas as pd

from .style import label_lines, wrapped


def duty_heatmap(duties: pd.DataFrame) -> alt.Chart:
    """Department x duty category: how many of the given duties fall in each cell (colour).

    Takes rows of the duties view (department_name, category_name, time_share); the tooltip
    also gives the cell's time share summed over its duties (percent of a role's time each).
    """
    cells = (duties.groupby(["department_name", "category_name"], observed=True, as_index=False)
             .agg(duties=("time_share", "size"), time_share=("time_share", "sum")))
    cells = cells.astype({"department_name": str, "category_name": str})
    cells["time_share"] = cells["time_share"].round(1)
    cells["department_label"] = wrapped(cells["department_name"])
    chart = alt.Chart(cells, title="Duties by department and category").mark_rect().encode(
        # upright category labels and wrapped department names leave the cells room on a
        # phone; the tooltip names both in full
        x=alt.X("category_name:N", title="Duty category",
                axis=alt.Axis(labelAngle=-90, labelLimit=180, labelOverlap=False)),
        y=alt.Y("department_label:N", title=None,
                axis=alt.Axis(labelLimit=200, labelExpr=label_lines(), labelOverlap=False)),
        color=alt.Color("duties:Q", title="Duties", scale=alt.Scale(scheme="blues", zero=True),
                        legend=alt.Legend(format="d", tickMinStep=1, orient="top",
                                          direction="horizontal")),
        tooltip=[alt.Tooltip("department_name:N", title="Department"),
                 alt.Tooltip("category_name:N", title="Category"),
                 alt.Tooltip("duties:Q", title="Duties"),
                 alt.Tooltip("time_share:Q", title="Total time share (%)", format=".1f")],
    )
    # as wide as the page (a phone too): the cells share the width, the rows keep their height
    return chart.properties(height=alt.Step(30))
