"""The app's pages as data: the one registry that app.py, the Overview guide, the README and
the findings' links read.

Plain data (no Streamlit here): app.py turns each entry into an `st.Page`; a finding names a
page by its key and query parameters and `page_url` spells the link. A query key is listed
with the page that reads it, so a link can be checked against what the page understands.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import parse_qsl, quote


@dataclass(frozen=True)
class Page:
    key: str                    # URL path and file stem: /compare is pages/compare.py
    title: str
    icon: str                   # an emoji: the browser draws it (the tab's icon follows the page,
                                # and a Material icon there would be fetched from a font host)
    audience: str
    summary: str                # one line: what the page shows (README table)
    guide: str                  # the Overview's "Where to go" sentence
    query_keys: tuple[str, ...] = ()

    @property
    def script(self) -> str:
        return f"pages/{self.key}.py"


PAGES: tuple[Page, ...] = (
    Page("overview", "Overview", "🏠", "everyone",
         "counts, roles per department, catalogue health, a guide to the pages",
         "the catalogue in numbers, roles per department and catalogue health."),
    Page("catalogue", "Catalogue", "🗂️", "everyone",
         "roles filtered by department, business area, grade and title; a role's full profile",
         "browse roles by department, business area and grade; open a role's full profile.",
         ("department", "area", "grade", "q", "role")),
    Page("compare", "Compare", "🔀", "managers",
         "2-6 roles side by side, the key differences first in sentences with their numbers: "
         "duty categories, shared / similar / unique duties, scales, indices, decision "
         "rights, pairwise similarity",
         "put two to six roles side by side: duty categories, shared and unique duties, "
         "authority, workload and decision rights.",
         ("roles",)),
    Page("duties", "Duties", "✅", "HR",
         "every duty, filtered by department, area, category, grade, frequency, essential and "
         "keyword, with the filter stated in plain English and a department x category heatmap",
         "every duty across the catalogue, filtered by department, category, grade, frequency "
         "and keyword, as a table you can download.",
         ("dept", "area", "grade", "cat", "freq", "essential", "q", "inside")),
    Page("authority", "Authority & workload", "⚖️", "directors",
         "authority vs workload scatter, ranked indices, decision-rights heatmap, "
         "span-of-control flags, a role's index breakdown",
         "who decides what, who carries too much, and span-of-control flags.",
         ("rank", "role", "department", "area")),
    Page("reporting", "Reporting structure", "🌳", "directors",
         "org chart per business area (boxes with headcount and span, collapsible branches, "
         "find a role, dotted lines, SVG/PNG export), layers, spans, chain of command, "
         "integrity problems",
         "the org chart of each business area and every role's chain of command.",
         ("area", "find", "root", "depth", "expand", "role")),
    Page("findings", "Findings", "🚩", "directors, HR",
         "overlapping duties across departments, uncovered duty categories, authority that "
         "does not match the hierarchy, duties without the decision right they need, workload "
         "arithmetic, the interaction graph",
         "duties held twice in different departments, work no role covers, authority out of "
         "line with the hierarchy, workload that does not add up; and who interacts with whom.",
         ("kind", "severity", "involving", "garea", "gkind")),
    Page("whatif", "What-if", "🧪", "managers",
         "try a restructuring without touching the catalogue: move roles, change headcount, "
         "add, retire, move duties; the org chart, layers, spans, indices and findings before "
         "and after; shared by URL, submitted for review as drafts",
         "try a reorganisation before proposing it: see what moving roles, headcount and "
         "duties does to spans, layers, workload and findings, then submit it for review.",
         ("scenario", "name", "base", "area")),
    Page("export", "Export", "⬇️", "everyone",
         "every table as CSV, all of them as a ZIP or one Excel workbook, a job description as "
         "Markdown, print-ready HTML or Word",
         "the catalogue tables as CSV, ZIP or Excel, and the job description of any role as "
         "Markdown, printable HTML or Word.",
         ("role", "paper", "sources")),
    Page("import", "Import", "⬆️", "HR",
         "upload a CSV bundle (ZIP) or an Excel workbook, or job descriptions as documents "
         "(reviewed and corrected role by role), see every problem, and explore it for this "
         "session or save its roles as drafts in the workspace; `data/` is never touched",
         "a CSV bundle (ZIP), an Excel workbook, or job description documents drafted into "
         "roles for review, checked and previewed, to explore for this session (O*NET "
         "releases import from the command line)."),
    Page("edit", "Edit", "✏️", "HR",
         "edit every field of a role, create, duplicate or retire one, with live checks over "
         "the whole catalogue; every version kept, its history and differences; save as a "
         "draft, for review or (with the right) approved",
         "change a role (every save is a new version, checked live), see its history and "
         "restore any version, and save changes as drafts or for review.",
         ("role",)),
    Page("review", "Review", "📝", "approvers",
         "the changes waiting for approval (what, by whom, since when), each with its "
         "difference from the approved version, to approve or reject one or many; drafts to "
         "submit, with why a rejected one came back",
         "approve or reject the changes waiting for review, each shown against the approved "
         "version, and submit drafts for review."),
    Page("taxonomy", "Taxonomy", "🏷️", "administrators",
         "the vocabularies (business areas, departments, grades, duty categories and every "
         "other list) and settings as tables: an administrator edits them, checked live over "
         "the whole catalogue, and saves a new taxonomy version or renames a value in every "
         "role that uses it; everyone else reads them; every version kept, with differences",
         "the vocabularies every role file uses, with the roles that use each value; an "
         "administrator changes them as a new taxonomy version."),
)
PAGES_BY_KEY = {page.key: page for page in PAGES}
DEFAULT_PAGE = PAGES[0].key


def page_url(page: str, params: list[tuple[str, str]]) -> str:
    """A relative app URL: page key and URL-encoded query string (spaces as %20).

    Raises KeyError for a page or query key that no page of the registry reads, so a link
    cannot point at nothing."""
    known = PAGES_BY_KEY[page].query_keys + APP_QUERY_KEYS
    unknown = [key for key, _ in params if key not in known]
    if unknown:
        raise KeyError(f"page {page!r} reads no query key {unknown[0]!r}")
    if not params:
        return page
    return page + "?" + "&".join(f"{_quoted(str(key))}={_quoted(str(value))}"
                                 for key, value in params)


@lru_cache(maxsize=65_536)
def _quoted(text: str) -> str:
    """`text` percent-encoded as a query's key or value (urlencode with quote_via=quote: every
    reserved character, spaces as %20); kept, since the findings of a large catalogue link
    to the same few thousand titles tens of thousands of times."""
    return quote(text, safe="")


def page_target(url: str) -> tuple[str, list[tuple[str, str]]]:
    """Split a page URL into the page key and its query parameters."""
    page, _, query = url.partition("?")
    return page, parse_qsl(query, keep_blank_values=True)


STREAMLIT_QUERY_KEYS = ("embed", "embed_options")  # read by Streamlit itself, on every page
# read by the app on every page: the sidebar's switch that shows the catalogue with pending
# changes applied (pages.common.PENDING_KEY, bound to the URL)
APP_QUERY_KEYS = ("show_pending",)


def ignored_query(page: str, params: Mapping[str, Sequence[str]],
                  allowed: Mapping[str, Collection[str]]) -> list[tuple[str, str]]:
    """The (key, value) pairs of a link to `page` that the page cannot use: a key the page
    does not read (value ""), or a value of a key of `allowed` that is not among its allowed
    values (a key not in `allowed` takes any value). In the order of the link."""
    known = PAGES_BY_KEY[page].query_keys
    ignored = []
    for key, values in params.items():
        if key in STREAMLIT_QUERY_KEYS or key in APP_QUERY_KEYS:
            continue
        if key not in known:
            ignored.append((key, ""))
            continue
        choices = allowed.get(key)
        if choices is not None:
            ignored += [(key, value) for value in values if value not in choices]
    return ignored


def say_ignored(ignored: Sequence[tuple[str, str]], names: Mapping[str, str]) -> str:
    """One sentence for a link's values that were ignored, e.g. 'This link's role “Chief
    Acountant” is not in the catalogue, and the page reads no “sort”; both were left out.'
    `names` gives each query key's name as the page labels it (e.g. dept -> department)."""
    values = [f"{names.get(key, key)} “{value}”" for key, value in ignored if value]
    keys = [f"“{key}”" for key, value in ignored if not value]
    parts = []
    if values:
        parts.append(f"this link's {_listed(values)} "
                     + ("is" if len(values) == 1 else "are") + " not in the catalogue")
    if keys:
        parts.append(f"the page reads no {_listed(keys)}")
    if not parts:
        return ""
    sentence = ", and ".join(parts)
    left_out = "it was" if len(values) + len(keys) == 1 else "they were"
    return f"{sentence[:1].upper()}{sentence[1:]}, so {left_out} ignored."


def _listed(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
