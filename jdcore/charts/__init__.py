"""Chart builders: each takes DataFrames and returns an Altair chart (tested via to_dict());
the org chart is drawn as SVG and PNG from its layout (tested via its SVG text).

Data is aggregated in pandas first, so the browser gets only what it draws. One module per
page or topic; every builder is importable from jdcore.charts.
"""

from .catalogue import SCALE_DOMAIN, category_profile, roles_per_department, scale_bars
from .authority import INDEX_DOMAIN, SPAN_FLAG_COLOURS, index_breakdown_bars, index_ranking_bars, index_scatter, rights_heatmap
from .structure import DEPARTMENT_COLOURS, layer_bars, org_chart_png, org_chart_svg, span_bars
from .duties import duty_heatmap
from .palette import (LEGEND_LABEL_PX, ROLE_COLOURS, role_colour_scale, role_key_html,
                      role_legend)
from .compare import STATUS_COLOURS, duty_status_bars, index_parts_bars, similarity_heatmap
from .graph import GRAPH_DOMAIN, GRAPH_LABEL_PX, GRAPH_NODE_SHAPES, GRAPH_UNIT_PX, interaction_graph
