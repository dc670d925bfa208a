"""A deterministic generator of large, realistic, valid synthetic catalogues.

``write_synthetic_catalogue(out_dir, roles, seed)`` writes ``taxonomy.yaml`` and
``roles/<id>.yaml`` into an empty folder. The same seed always gives byte-identical files
(all randomness comes from one ``random.Random(seed)``; nothing depends on the clock, the
hash seed or the platform). The catalogue loads with no errors and no warnings:

- 3 business areas and 40 departments (its own taxonomy.yaml: a copy of data/taxonomy.yaml
  with the departments and business areas of vocabulary/*.yaml; see jdcore.synth.words);
- one reporting tree per business area with one root, 5 to 7 layers deep, in which every
  manager has 2 to 15 direct reports, counted in roles and also weighted by headcount;
- headcount 1 for most roles, larger for some specialist and operative roles;
- 20 to 30 responsibilities per role whose time shares add up to 85-100 %, with texts built
  from verb, object and qualifier vocabularies, so that exact repeats are rare but similar
  duties occur across departments;
- rights, authority scales, workload, qualities, requirements, KPIs, interactions with
  other roles and external parties, a career step to the manager for most roles, and a
  dotted line for a few percent of roles.

Role files are written as text (every text value double-quoted; no anchors, no ``&`` or
``*``) rather than through yaml.dump, so 10,000 roles take a few seconds.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import re
from bisect import bisect
from itertools import accumulate
from pathlib import Path

import yaml

from .words import (BUSINESS_AREAS, CERTIFICATIONS, CONTEXTS, DEPARTMENTS, DEPT_OBJECT_VERBS,
                    DUTY_CATEGORIES, DUTY_OBJECTS, DUTY_VERBS, EDUCATION, EXPERIENCE,
                    EXTERNAL_PARTIES, FREQUENCY_WEIGHTS, GENERIC_KPIS, INTERACTION_DIRECTIONS,
                    INTERACTION_SUBJECTS, OPERATIVE_EDUCATION, OPERATIVE_RIGHT,
                    OPERATIVE_SKILLS, QUALIFIERS, QUALITIES, QUALITY_KINDS, RIGHT_AREAS,
                    RIGHT_LIMITS, SENIOR_PREFIXES, SKILLS, TAILS, TAXONOMY)

MIN_ROLES = 30
MIN_LAYERS, MAX_LAYERS = 5, 7
MIN_SPAN, MAX_SPAN = 2, 15
MIN_DUTIES, MAX_DUTIES = 20, 30
MIN_TIME_TOTAL, MAX_TIME_TOTAL = 85, 100
DOTTED_SHARE = 0.03
CAREER_SHARE = 0.85

OPERATIVE_DEPARTMENT_LEAF_SHARE = 0.65

_SLUG = re.compile(r"[^a-z0-9]+")


# --------------------------------------------------------------------------- helpers

def _q(text: str) -> str:
    """A YAML double-quoted scalar."""
    if "\\" in text:
        text = text.replace("\\", "\\\\")
    if '"' in text:
        text = text.replace('"', '\\"')
    if "\n" in text or "\t" in text or "\r" in text:
        text = text.replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r")
    return f'"{text}"'


def _slug(text: str) -> str:
    return _SLUG.sub("-", text.lower()).strip("-")


def _cum(weights: list[float]) -> list[float]:
    return list(accumulate(weights))


def _pick(rng: random.Random, items: list, cum: list[float]):
    return items[bisect(cum, rng.random() * cum[-1])]


class _Node:
    __slots__ = ("index", "layer", "parent", "children", "department", "scope", "title", "grade",
                 "headcount", "role_id", "area", "dotted")

    def __init__(self, index: int, layer: int, parent: "_Node | None"):
        self.index = index
        self.layer = layer
        self.parent = parent
        self.children: list[_Node] = []
        self.department = ""
        self.scope: list[str] = []
        self.title = ""
        self.grade = ""
        self.headcount = 1
        self.role_id = ""
        self.area = ""
        self.dotted: str | None = None


# --------------------------------------------------------------------------- structure

def _max_nodes(depth: int) -> int:
    return sum(MAX_SPAN ** k for k in range(depth))


def _level_sizes(rng: random.Random, n: int, depth: int) -> list[int]:
    """Role counts per layer (layer 1 = the root) adding up to n, growing roughly geometrically."""
    lo, hi = 1.0, float(MAX_SPAN)
    for _ in range(60):
        mid = (lo + hi) / 2
        if sum(mid ** k for k in range(depth)) < n:
            lo = mid
        else:
            hi = mid
    ratio = (lo + hi) / 2
    raw = [ratio ** k * rng.uniform(0.85, 1.15) for k in range(1, depth)]
    scale = (n - 1) / sum(raw)
    sizes = [1] + [max(MIN_SPAN, round(x * scale)) for x in raw]
    for k in range(1, depth):  # a layer cannot outgrow the layer above times the largest span
        sizes[k] = min(sizes[k], MAX_SPAN * sizes[k - 1])

    def can_grow(k: int) -> bool:
        return sizes[k] + 1 <= MAX_SPAN * sizes[k - 1]

    def can_shrink(k: int) -> bool:
        below_ok = k == depth - 1 or sizes[k + 1] <= MAX_SPAN * (sizes[k] - 1)
        return sizes[k] > MIN_SPAN and below_ok

    while sum(sizes) != n:
        grow = sum(sizes) < n
        order = sorted(range(1, depth), key=lambda k: -sizes[k])  # largest layers absorb changes
        for k in order:
            if (can_grow(k) if grow else can_shrink(k)):
                sizes[k] += 1 if grow else -1
                break
        else:
            raise ValueError(f"cannot build a {depth}-layer tree of {n} roles")
    return sizes


def _spread(rng: random.Random, total: int, slots: int) -> list[int]:
    """Split `total` into `slots` counts each within MIN_SPAN..MAX_SPAN, unevenly."""
    counts = [MIN_SPAN] * slots
    weights = [rng.random() ** 2 + 0.15 for _ in range(slots)]
    remaining = total - MIN_SPAN * slots
    while remaining > 0:
        open_slots = [i for i in range(slots) if counts[i] < MAX_SPAN]
        total_weight = sum(weights[i] for i in open_slots)
        given = 0
        for i in open_slots:
            add = min(MAX_SPAN - counts[i], int(remaining * weights[i] / total_weight))
            counts[i] += add
            given += add
        remaining -= given
        if given == 0:
            for i in sorted(open_slots, key=lambda i: -weights[i])[:remaining]:
                counts[i] += 1
                remaining -= 1
    return counts


def _build_tree(rng: random.Random, n: int, depth: int) -> list[_Node]:
    """Nodes of one area's tree in breadth-first order; nodes[0] is the root."""
    sizes = _level_sizes(rng, n, depth)
    root = _Node(0, 1, None)
    nodes = [root]
    level = [root]
    for k in range(1, depth):
        below = sizes[k]
        low = max(1, math.ceil(below / MAX_SPAN))
        high = min(len(level), below // MIN_SPAN)
        managers = min(high, max(low, round(below / rng.uniform(2.5, 7.0))))
        chosen = sorted(rng.sample(range(len(level)), managers))
        counts = _spread(rng, below, managers)
        next_level = []
        for position, count in zip(chosen, counts):
            parent = level[position]
            for _ in range(count):
                node = _Node(len(nodes), k + 1, parent)
                parent.children.append(node)
                nodes.append(node)
                next_level.append(node)
        level = next_level
    return nodes


def _assign_departments(rng: random.Random, root: _Node, departments: list[str]) -> None:
    root.scope = departments
    root.department = departments[0]
    stack = [root]
    while stack:
        node = stack.pop()
        rest = node.scope[1:]
        managers = [c for c in node.children if c.children]
        targets = managers or node.children
        others = [c for c in node.children if c not in targets] if managers else []
        if rest:
            order = targets[:]
            rng.shuffle(order)
            chunks = min(len(rest), len(order))
            for i, child in enumerate(order):
                if i < chunks:
                    start, stop = i * len(rest) // chunks, (i + 1) * len(rest) // chunks
                    child.scope = rest[start:stop]
                else:  # more managers than departments: a second head of one of them
                    child.scope = [rng.choice(rest)]
        else:
            for child in targets:
                child.scope = [node.department]
        for child in others:
            child.scope = [node.department if rng.random() < 0.6 else rng.choice(node.scope)]
        for child in node.children:
            child.department = child.scope[0]
            stack.append(child)


def _cover_departments(trees: dict[str, list[_Node]]) -> None:
    """Give a missing department to a leaf role, so every department has roles when possible.

    A department can get lost when a role without reports inherits several departments;
    the leaf taken is one below the role that held the department, and only from a
    department with other roles, so no department is uncovered in exchange.
    """
    used: dict[str, int] = dict.fromkeys(DEPARTMENTS, 0)
    for nodes in trees.values():
        for node in nodes:
            used[node.department] += 1
    for area, nodes in trees.items():
        for department in (d for group in BUSINESS_AREAS[area].departments for d in group):
            if used[department]:
                continue
            holders = [n for n in nodes if department in n.scope]
            holder = max(holders, key=lambda n: n.layer) if holders else nodes[0]
            subtree, stack = [], [holder]
            while stack:
                current = stack.pop()
                subtree.append(current)
                stack.extend(reversed(current.children))
            leaves = [n for n in subtree + nodes if not n.children and used[n.department] > 1]
            if leaves:
                leaf = leaves[0]
                used[leaf.department] -= 1
                leaf.department = department
                leaf.scope = [department]
                used[department] += 1


def _assign_titles(rng: random.Random, nodes: list[_Node], area: str) -> None:
    for node in nodes:
        department = DEPARTMENTS[node.department]
        short, specialists, operatives = (department.short, department.specialists,
                                          department.operatives)
        if node.parent is None:
            node.title, node.grade = f"Managing Director, {BUSINESS_AREAS[area].short}", "executive"
        elif node.children:
            if node.layer == 2:
                node.title, node.grade = f"{short} Director", "executive"
            elif node.layer == 3:
                node.title, node.grade = f"Head of {short}", "head-of-department"
            elif not any(c.children for c in node.children) and node.layer >= 5:
                node.title, node.grade = f"{short} Team Leader", "manager"
            else:
                node.title, node.grade = f"{short} Manager", "manager"
        elif operatives and node.layer >= 3 and rng.random() < OPERATIVE_DEPARTMENT_LEAF_SHARE:
            node.title, node.grade = rng.choice(operatives), "operative"
        else:
            title = rng.choice(specialists)
            if rng.random() < 0.25 and not title.startswith(tuple(SENIOR_PREFIXES)):
                title = f"{rng.choice(SENIOR_PREFIXES)} {title}"
            node.title, node.grade = title, "specialist"


def _assign_headcounts(rng: random.Random, nodes: list[_Node]) -> None:
    """Most roles are single posts; some specialist and operative posts have several holders.

    The headcount of a manager's direct reports never exceeds MAX_SPAN, so the span of
    control stays within MIN_SPAN..MAX_SPAN whether counted in roles or in people.
    """
    for node in nodes:
        if not node.children:
            continue
        budget = MAX_SPAN - len(node.children)
        leaves = [c for c in node.children if not c.children]
        rng.shuffle(leaves)
        for leaf in leaves:
            if budget <= 0:
                break
            chance, most = (0.45, 10) if leaf.grade == "operative" else (0.15, 4)
            if rng.random() < chance:
                extra = min(budget, rng.randint(1, most - 1))
                leaf.headcount += extra
                budget -= extra


# --------------------------------------------------------------------------- role text

_GRADE_CATEGORY_BOOST = {
    "executive": {"strategy-planning": 5, "people-management": 4, "budget-finance": 3,
                  "reporting-control": 3, "partnerships": 3, "operations": 0.5,
                  "customer-service": 0.3, "resources-supply": 0.5},
    "head-of-department": {"strategy-planning": 3, "people-management": 4, "budget-finance": 2.5,
                           "reporting-control": 3, "operations": 0.8},
    "manager": {"people-management": 4, "reporting-control": 2.5, "operations": 2,
                "strategy-planning": 1.2},
    "specialist": {"people-management": 0.15, "strategy-planning": 0.4, "partnerships": 0.5,
                   "operations": 2},
    "operative": {"operations": 6, "health-safety": 3, "resources-supply": 2,
                  "people-management": 0.05, "strategy-planning": 0.05, "partnerships": 0.1,
                  "budget-finance": 0.1, "market-research": 0.1, "advertising-pr": 0.1,
                  "contracts": 0.1},
}
_FREQ = {category: (list(weights), _cum(list(weights.values())))
         for category, weights in FREQUENCY_WEIGHTS.items()}
_AUTHORITY_BASE = {"executive": 5, "head-of-department": 4, "manager": 3, "specialist": 2,
                   "operative": 1}
_HOURS_BASE = {"executive": 47, "head-of-department": 45, "manager": 43, "specialist": 40,
               "operative": 40}
_RIGHT_COUNT = {"executive": (4, 7), "head-of-department": (3, 5), "manager": (2, 4),
                "specialist": (1, 2), "operative": (0, 1)}
_RIGHT_SCOPE = {"executive": (["approve", "decide"], [1, 3]),
                "head-of-department": (["recommend", "approve", "decide"], [1, 3, 2]),
                "manager": (["recommend", "approve", "decide"], [2, 3, 1]),
                "specialist": (["none", "recommend", "approve"], [1, 4, 1]),
                "operative": (["none", "recommend", "decide"], [2, 3, 1])}


def _category_weights(department: str, grade: str) -> list[float]:
    focus = DEPARTMENTS[department].focus
    boost = _GRADE_CATEGORY_BOOST[grade]
    return [(6.0 if c in focus else 1.0) * boost.get(c, 1.0) for c in DUTY_CATEGORIES]


def _time_shares(rng: random.Random, count: int) -> list[int]:
    """Whole-percent time shares, each at least 1, adding up to 85-100."""
    total = rng.randint(MIN_TIME_TOTAL, MAX_TIME_TOTAL)
    weights = [rng.random() ** 2 + 0.1 for _ in range(count)]
    spare = total - count
    scale = spare / sum(weights)
    raw = [w * scale for w in weights]
    shares = [int(x) for x in raw]
    left = spare - sum(shares)
    for i in sorted(range(count), key=lambda i: shares[i] - raw[i])[:left]:
        shares[i] += 1
    return [s + 1 for s in shares]


def _duties(rng: random.Random, node: _Node, cum_weights: list[float]) -> list[str]:
    count = rng.randint(MIN_DUTIES, MAX_DUTIES)
    shares = _time_shares(rng, count)
    department = DEPARTMENTS[node.department]
    objects, short, focus = department.objects, department.short, department.focus
    seen: set[str] = set()
    out: list[str] = []
    random_ = rng.random

    def one(items: list[str]) -> str:  # faster than rng.choice; still only this rng
        return items[int(random_() * len(items))]

    for share in shares:
        for _ in range(5):  # a few tries for a text not used in this role yet
            category = _pick(rng, DUTY_CATEGORIES, cum_weights)
            if (category in focus or category == "operations") and random_() < 0.45:
                text = f"{one(DEPT_OBJECT_VERBS)} {one(objects)}"
            else:
                text = f"{one(DUTY_VERBS[category])} {one(DUTY_OBJECTS[category])}"
                if random_() < 0.25:
                    text += f" of the {short} unit"
            if random_() < 0.5:
                text += f" {one(CONTEXTS)}"
            if random_() < 0.85:
                text += f" {one(QUALIFIERS)}"
                if random_() < 0.4:
                    text += one(TAILS)
            else:
                text += one(TAILS)
            if text not in seen:
                break
        seen.add(text)
        frequency = _pick(rng, *_FREQ[category])
        essential = "true" if random_() < (0.35 + share / 12) else "false"
        out.append(f"  - text: {_q(text)}\n    category: \"{category}\"\n"
                   f"    frequency: \"{frequency}\"\n    time_share: {share}\n"
                   f"    essential: {essential}\n")
    return out


def _clamp(value: int, low: int = 1, high: int = 5) -> int:
    return max(low, min(high, value))


def _role_yaml(rng: random.Random, node: _Node, area_layers: list[list[_Node]], seed: int,
               category_cum: dict[tuple[str, str], list[float]]) -> str:
    dept = DEPARTMENTS[node.department]
    short, objects, externals = dept.short, dept.objects, dept.external_parties
    grade = node.grade
    manager = node.parent
    parts: list[str] = []
    add = parts.append

    # header
    add(f"id: {_q(node.role_id)}\ntitle: {_q(node.title)}\ndepartment: {_q(node.department)}\n"
        f"business_area: {_q(node.area)}\ngrade: {_q(grade)}\n")
    add(f"reports_to: {_q(manager.role_id)}\n" if manager else "reports_to: null\n")
    add(f"dotted_to: [{_q(node.dotted)}]\n" if node.dotted else "dotted_to: []\n")
    add(f"headcount: {node.headcount}\n")
    focus_objects = rng.sample(objects, 3)
    area_label = BUSINESS_AREAS[node.area].label.lower()
    if node.children:
        lead = (f"Leads the {short} unit of the {area_label} with {len(node.children)} direct "
                "reports")
    else:
        lead = f"Works in the {short} unit of the {area_label}"
    summary = (f"{lead} and is responsible for {focus_objects[0]}, {focus_objects[1]} and "
               f"{focus_objects[2]}.")
    summary += (f" Reports to the {manager.title}." if manager
                else " Answers to the shareholders for the results of the business area.")
    add(f"summary: {_q(summary)}\n")
    modified = dt.date(2025, 1, 1) + dt.timedelta(days=rng.randrange(700))
    add(f"source:\n  document: \"Synthetic job description (seed {seed})\"\n"
        f"  modified: {modified.isoformat()}\n  note: \"illustrative\"\n")

    # responsibilities
    add("responsibilities:\n")
    parts += _duties(rng, node, category_cum[(node.department, grade)])

    # qualities and requirements
    add("qualities:\n")
    for kind in QUALITY_KINDS:
        for name in rng.sample(QUALITIES[kind], rng.randint(0, 2) if kind == "corporate" else
                               rng.randint(1, 2)):
            add(f"  - name: {_q(name)}\n    kind: \"{kind}\"\n")
    add("requirements:\n")
    education = (OPERATIVE_EDUCATION if grade == "operative" and rng.random() < 0.6
                 else rng.choice(EDUCATION))
    add(f"  - kind: \"education\"\n    text: {_q(education)}\n")
    years = {"executive": 10, "head-of-department": 7, "manager": 5, "specialist": 2,
             "operative": 0}[grade] + rng.randint(0, 3)
    add(f"  - kind: \"experience\"\n    text: {_q(rng.choice(EXPERIENCE))}\n    years: {years}\n")
    add(f"  - kind: \"knowledge\"\n    text: {_q(f'Procedures of the {short} unit, including {rng.choice(objects)}')}\n")
    if rng.random() < 0.7:
        skills = OPERATIVE_SKILLS if grade == "operative" else SKILLS
        add(f"  - kind: \"skill\"\n    text: {_q(rng.choice(skills))}\n")
    if rng.random() < (0.6 if grade == "operative" else 0.2):
        add(f"  - kind: \"certification\"\n    text: {_q(rng.choice(CERTIFICATIONS))}\n")

    # rights
    low, high = _RIGHT_COUNT[grade]
    areas = rng.sample(list(RIGHT_AREAS), rng.randint(low, high))
    if grade == "operative":
        if areas:
            area, scope, limit = OPERATIVE_RIGHT
            add(f"rights:\n  - area: \"{area}\"\n    scope: \"{scope}\"\n    limit: {_q(limit)}\n")
        else:
            add("rights: []\n")
    elif areas:
        add("rights:\n")
        scopes, weights = _RIGHT_SCOPE[grade]
        for area in areas:
            scope = rng.choices(scopes, weights)[0]
            add(f"  - area: \"{area}\"\n    scope: \"{scope}\"\n")
            limit = rng.choice(RIGHT_LIMITS[area])
            if limit:
                add(f"    limit: {_q(limit)}\n")
    else:
        add("rights: []\n")

    # authority and workload
    base = _AUTHORITY_BASE[grade]
    add("authority:\n")
    for scale in ("freedom_to_make_decisions", "impact_of_decisions",
                  "responsibility_for_outcomes", "frequency_of_decisions"):
        shift = 1 if scale == "frequency_of_decisions" and grade in ("manager", "operative") else 0
        add(f"  {scale}: {_clamp(base + shift + rng.choice((-1, 0, 0, 1)))}\n")
    hours = min(50.0, _HOURS_BASE[grade] + rng.choice((-2, -1, 0, 0, 0, 0.5, 1, 2, 3)))
    travel = min(90, max(0, dept.travel_share + rng.choice((-10, -5, 0, 0, 5, 10))))
    add(f"workload:\n  weekly_hours: {hours:g}\n  time_pressure: {_clamp(2 + rng.randint(0, 3))}\n"
        f"  travel_share: {travel}\n")

    # interactions
    links: list[tuple[str, str, str]] = []  # (with, direction, kind)
    if manager:
        links.append((manager.role_id, "in", "instruction"))
        links.append((manager.role_id, "out", rng.choice(("report", "report", "suggestion",
                                                          "shortcoming-report"))))
    for child in rng.sample(node.children, min(2, len(node.children))):
        links.append((child.role_id, "out", "instruction"))
        links.append((child.role_id, "in", "report"))
    if manager and len(manager.children) > 1:
        peer = rng.choice(manager.children)
        if peer is not node:
            links.append((peer.role_id, "both", rng.choice(("coordination", "clarification"))))
    for _ in range(rng.randint(0, 2)):
        layer = min(max(node.layer + rng.choice((-1, 0, 0, 1)), 1), len(area_layers))
        other = rng.choice(area_layers[layer - 1])
        if other is not node:
            links.append((other.role_id, rng.choice(INTERACTION_DIRECTIONS),
                          rng.choice(("coordination", "clarification", "report", "suggestion",
                                      "shortcoming-report"))))
    if node.dotted:
        links.append((node.dotted, "out", "report"))
    external_count = rng.randint(1, 3) if grade != "operative" else rng.randint(0, 1)
    parties = list(dict.fromkeys(externals + EXTERNAL_PARTIES))
    for party in rng.sample(parties, external_count):
        kind = rng.choice(("negotiation", "coordination", "clarification", "report"))
        links.append((f"external:{party}", "both" if kind != "report" else "out", kind))
    links = list(dict.fromkeys(links))
    if links:
        add("interactions:\n")
        for target, direction, kind in links:
            add(f"  - with: {_q(target)}\n    direction: \"{direction}\"\n    kind: \"{kind}\"\n"
                f"    subject: {_q(rng.choice(INTERACTION_SUBJECTS[kind]))}\n")
    else:
        add("interactions: []\n")

    # KPIs and career
    add("kpis:\n")
    for name, target in rng.sample(GENERIC_KPIS, rng.randint(1, 3)):
        add(f"  - name: {_q(name)}\n    target: {_q(target)}\n")
    add(f"  - name: {_q(f'{short} service level')}\n"
        f"    target: {_q(f'Agreed service level for {rng.choice(objects)} met every month')}\n")
    if manager and rng.random() < CAREER_SHARE:
        add(f"career:\n  next: [{_q(manager.role_id)}]\n")
    else:
        add("career:\n  next: []\n")
    return "".join(parts)


# --------------------------------------------------------------------------- taxonomy

def _taxonomy_yaml() -> str:
    """data/taxonomy.yaml with the synthetic catalogue's departments and business areas."""
    doc = TAXONOMY.model_dump(mode="json", exclude_unset=True)
    doc["business_areas"] = {key: area.label for key, area in BUSINESS_AREAS.items()}
    doc["departments"] = {key: department.label for key, department in DEPARTMENTS.items()}
    return ("# Vocabularies of a synthetic role catalogue written by jdcore.synth: those of\n"
            f"# data/taxonomy.yaml, with {len(DEPARTMENTS)} departments and "
            f"{len(BUSINESS_AREAS)} business areas.\n\n"
            + yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=100))


# --------------------------------------------------------------------------- entry point

def _area_sizes(rng: random.Random, roles: int) -> dict[str, int]:
    weights = {a: area.share * rng.uniform(0.9, 1.1) for a, area in BUSINESS_AREAS.items()}
    total = sum(weights.values())
    sizes = {a: max(2 * MIN_LAYERS - 1, round(roles * w / total)) for a, w in weights.items()}
    biggest = max(sizes, key=lambda a: sizes[a])
    sizes[biggest] += roles - sum(sizes.values())
    return sizes


def _prepare_folder(out_dir: str | Path) -> Path:
    out = Path(out_dir)
    if out.exists():
        if not out.is_dir():
            raise ValueError(f"cannot write a synthetic catalogue to '{out}': it is a file, "
                             "not a folder")
        if any(out.iterdir()):
            raise ValueError(f"cannot write a synthetic catalogue to '{out}': the folder is not "
                             "empty; give a new or empty folder")
    return out


def write_synthetic_catalogue(out_dir: str | Path, roles: int, seed: int) -> None:
    """Write taxonomy.yaml and roles/<id>.yaml of a valid synthetic catalogue into out_dir.

    out_dir must not exist or be empty (ValueError otherwise); roles must be at least
    MIN_ROLES. The same (roles, seed) always writes byte-identical files.
    """
    if isinstance(roles, bool) or not isinstance(roles, int) or roles < MIN_ROLES:
        raise ValueError(f"roles must be a whole number of at least {MIN_ROLES}, got {roles!r}")
    out = _prepare_folder(out_dir)
    rng = random.Random(seed)

    trees: dict[str, list[_Node]] = {}
    all_nodes: list[_Node] = []
    layers_of: dict[str, list[list[_Node]]] = {}  # area -> roles of each layer
    for area, size in _area_sizes(rng, roles).items():
        depths = [d for d in range(MIN_LAYERS, MAX_LAYERS + 1) if 2 * d - 1 <= size <= _max_nodes(d)]
        if not depths:
            raise ValueError(f"{roles} roles cannot be arranged in trees of {MIN_LAYERS} to "
                             f"{MAX_LAYERS} layers with spans of {MIN_SPAN} to {MAX_SPAN}")
        nodes = _build_tree(rng, size, rng.choice(depths))
        head, *groups = BUSINESS_AREAS[area].departments
        rng.shuffle(groups)
        departments = head + [d for group in groups for d in group]
        _assign_departments(rng, nodes[0], departments)
        trees[area] = nodes
    _cover_departments(trees)

    for area, nodes in trees.items():
        _assign_titles(rng, nodes, area)
        _assign_headcounts(rng, nodes)
        for node in nodes:
            node.area = area
        layers: list[list[_Node]] = []
        for node in nodes:
            if node.layer > len(layers):
                layers.append([])
            layers[node.layer - 1].append(node)
        layers_of[area] = layers
        all_nodes += nodes

    width = max(5, len(str(roles)))
    for number, node in enumerate(all_nodes, 1):
        node.role_id = f"r{number:0{width}d}-{_slug(node.title)}"

    managers = [n for n in all_nodes if n.children]
    for node in all_nodes:
        if node.parent is not None and rng.random() < DOTTED_SHARE:
            target = rng.choice(managers)
            if target is not node and target is not node.parent:
                node.dotted = target.role_id

    category_cum = {(d, g): _cum(_category_weights(d, g))
                    for d in DEPARTMENTS for g in _AUTHORITY_BASE}
    texts = [(node.role_id, _role_yaml(rng, node, layers_of[node.area], seed, category_cum))
             for node in all_nodes]

    roles_dir = out / "roles"
    roles_dir.mkdir(parents=True, exist_ok=True)
    with open(out / "taxonomy.yaml", "w", encoding="utf-8", newline="\n") as handle:
        handle.write(_taxonomy_yaml())
    for role_id, text in texts:
        with open(roles_dir / f"{role_id}.yaml", "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
