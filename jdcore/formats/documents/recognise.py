"""Recognition: from a document's blocks to sketches of the roles it describes.

1. Every heading-like block is classified by its words: a section (summary, duties,
   requirements, qualities, rights, liability, kpis, career, interactions, other), text that
   belongs to no role (teasers, navigation, hiring process: IGNORED), a role heading, or
   another heading. Plain-text lines that only look like headings, bold paragraphs and
   numbered outline items ("I. General provisions") count as headings only when their
   wording names a section.
2. Role headings: headings holding a level word ("Senior", "Staff", "Level 2") or a role
   noun ("Engineer", "Manager") with a section beneath them. The heading level holding most
   of them is the level of the roles; a document without any describes one role.
3. Content is routed by the headings above it: to a role's section, to the family (sections
   outside every role heading apply to each role), to nothing (ignored text), or to the
   list of paragraphs not recognised.
4. Within a section, list items and table rows are the items; a section without any takes
   each short paragraph as one item, and a paragraph of semicolon-separated parts as several.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from .blocks import HEADING, ITEM, PARAGRAPH, ROW, Block, clean, looks_like_heading
from .vocabulary import END_PHRASES, IGNORED, LEVELS, ROLE_NOUNS, ROMAN, SECTIONS

GRADE_LINE = re.compile(r"(?:job\s+|pay\s+)?(?:grade|band)\s*:?\s*(?:\d{1,2}[a-z]?|[ivx]{1,4}|"
                        r"[a-z]{1,2}\d{1,2})\.?", re.IGNORECASE)
PSEUDO_LEVEL = 7  # the stack level of a heading a plain-text line or a bold paragraph makes
MAX_ITEM_WORDS = 60  # a longer paragraph in a section without a list is prose, not an item
LIST_SECTIONS = ("duties", "requirements", "qualities", "rights", "liability", "kpis", "career",
                 "interactions")


@dataclass(frozen=True)
class Found:
    """A piece of text and where it came from: the document, the place, the heading above."""

    text: str
    where: str
    heading: str = ""
    intro: str = ""  # the paragraph that introduced the list the item is in


@dataclass
class Sketch:
    """What a document says about one role, before fields are resolved."""

    heading: Found | None = None      # the role heading of a several-role document
    level: str | None = None          # the level word of the role heading, as written
    sections: dict[str, list[Found]] = field(default_factory=dict)
    prose: dict[str, list[Found]] = field(default_factory=dict)  # paragraphs by section
    fields: dict[str, Found] = field(default_factory=dict)        # "Reports to: X" lines
    extends: Found | None = None  # "Extends that of the Senior X responsibilities"


@dataclass
class Recognised:
    """A document's roles, its family-wide text, its title, and what was not recognised."""

    title: Found | None
    family: Sketch
    roles: list[Sketch]
    unrecognised: list[Found]
    ignored: int
    sections_found: int


_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)
_OUTLINE = re.compile(r"^\(?(?:\d{1,3}(?:\.\d{1,3})*|[IVX]{1,5}|[a-z])[.)]?\s+", re.IGNORECASE)


_PLAIN_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def words(text: str) -> list[str]:
    """Lowercase words; an apostrophe splits ("we're" -> "we", "re"), & reads as "and"."""
    text = text.casefold().replace("&", " and ").replace("’", " ").replace("'", " ")
    return _PLAIN_WORD.findall(text)


def heading_words(text: str) -> list[str]:
    text = _OUTLINE.sub("", clean(text)).strip().rstrip(":.").strip()
    return words(text)


def _phrases(table):
    return {tuple(p.split()): kind for kind, phrases in table for p in phrases}


_SECTION_PHRASES = _phrases(SECTIONS.items())
_IGNORED_PHRASES = {tuple(p.split()) for p in IGNORED}
_END = set(END_PHRASES)
_MAX_PHRASE = max(len(p) for p in list(_SECTION_PHRASES) + list(_IGNORED_PHRASES))


@lru_cache(maxsize=8192)
def section_of(text: str, strict: bool = False) -> str | None:
    """The section kind a heading names, "ignored" for text of no role, or None.

    The heading's words must equal a phrase; or start with one with at most 3 words after
    it ("Requirements for the position"); or, in a heading of at most 7 words, end with one
    ("Senior Backend Engineer Responsibilities"). strict=True (a plain-text line) needs
    the phrase alone or with "of the ..." words after it only up to 3.
    """
    ws = heading_words(text)
    if not ws or len(ws) > 12:
        return None
    candidates: list[tuple[int, str]] = []
    for n in range(min(len(ws), _MAX_PHRASE), 0, -1):
        head, tail = tuple(ws[:n]), tuple(ws[-n:])
        for part, rest in ((head, len(ws) - n), (tail, len(ws) - n)):
            if part in _IGNORED_PHRASES:
                kind = "ignored"
            else:
                kind = _SECTION_PHRASES.get(part)
            if kind is None:
                continue
            if rest == 0:
                return kind
            if part is head and rest <= 3:
                candidates.append((n, kind))
            elif part is tail and len(ws) <= 7 and not strict and " ".join(part) in _END:
                candidates.append((n, kind))
    if candidates:
        return max(candidates)[1]
    return None


def level_of(text: str) -> str | None:
    """The level or grade a heading or title states ("Senior", "Level 2", "II"), or None."""
    ws = heading_words(text)
    best = None
    for n in (3, 2, 1):
        for i in range(len(ws) - n + 1):
            phrase = " ".join(ws[i:i + n])
            if phrase in LEVELS and (best is None or len(phrase) > len(best)):
                best = phrase
        if best:
            break
    if best:
        return best
    match = re.search(r"\b(level|grade|band|tier)\s+([0-9]{1,2}[a-z]?|[ivx]{1,4}|[a-z]\d?)\b",
                      " ".join(ws))
    if match:
        return f"{match.group(1)} {match.group(2)}"
    if len(ws) >= 2 and ws[-1] in ROMAN:
        return ws[-1]
    return None


def has_role_noun(text: str) -> bool:
    return any(w in ROLE_NOUNS for w in heading_words(text))


@dataclass
class _Head:
    level: int
    kind: str          # section | ignored | role | title | other
    section: str = ""  # for kind == section
    block: Block | None = None
    role: int = -1


def _heading_level(block: Block) -> int | None:
    """The stack level of a block that may be a heading, or None if it cannot be one."""
    if block.kind == HEADING and block.level:
        return block.level
    if _field_line(block.text) is not None:
        return None  # "Reports to: Head of Sales" is a field, not a heading
    if block.kind != HEADING and GRADE_LINE.fullmatch(block.text.strip()):
        return None  # "Grade 7" alone on its line states a grade
    if block.kind == HEADING:
        return PSEUDO_LEVEL
    if block.kind == PARAGRAPH and block.bold and looks_like_heading(block.text.rstrip(":")):
        # a bold line naming no section ("**Senior Marketing Manager**") stands above the
        # plain "Responsibilities:" lines beneath it
        return PSEUDO_LEVEL if section_of(block.text.rstrip(":")) else PSEUDO_LEVEL - 1
    if block.kind == ITEM and re.fullmatch(r"\(?(?:[IVX]{1,5}|\d{1,2})[.)]?", block.marker,
                                           re.IGNORECASE) and looks_like_heading(
                                               block.text.rstrip(":")):
        return PSEUDO_LEVEL
    if block.kind == PARAGRAPH and re.match(r"^[A-ZА-Я0-9 ,&/-]{4,60}:?$", block.text) and \
            block.text.upper() == block.text and looks_like_heading(block.text.rstrip(":")):
        return PSEUDO_LEVEL  # an all-caps line
    if block.kind == PARAGRAPH and len(block.text.split()) <= 6 and \
            looks_like_heading(block.text.rstrip(":")):
        return PSEUDO_LEVEL  # "Responsibilities:" alone on its line (a section only by wording)
    return None


def _classify(blocks: list[Block]) -> list[_Head | None]:
    """A _Head for each block that acts as a heading, else None."""
    heads: list[_Head | None] = []
    first_real = next((i for i, b in enumerate(blocks) if b.kind == HEADING and b.level), None)
    for i, block in enumerate(blocks):
        level = _heading_level(block)
        if level is None:
            heads.append(None)
            continue
        real = block.kind == HEADING and block.level > 0
        text = block.text
        if block.kind == ITEM and block.marker:
            text = block.text
        kind = section_of(text, strict=not real)
        if kind == "ignored":
            heads.append(_Head(level, "ignored", block=block))
        elif kind is not None:
            heads.append(_Head(level, "section", kind, block))
        elif real and i == first_real:
            heads.append(_Head(level, "title", block=block))
        elif i == 0 and not real and block.kind == HEADING and (
                has_role_noun(text) or level_of(text)) and _field_line(text) is None:
            heads.append(_Head(level, "title", block=block))  # a plain text's first line
        elif real or (block.bold and (level_of(text) or has_role_noun(text))):
            heads.append(_Head(level, "other", block=block))
        else:
            heads.append(None)
    return heads


def _mark_roles(blocks: list[Block], heads: list[_Head | None]) -> None:
    """Turn the role headings (see the module's docstring) from "other" into "role"."""
    candidates: list[int] = []
    outside, in_section = _outside_roles(heads)
    for i, head in enumerate(heads):
        if head is None or head.kind not in ("other", "title"):
            continue
        text = blocks[i].text
        if len(heading_words(text)) > 10 or not (level_of(text) or has_role_noun(text)):
            continue
        if head.kind == "other" and i not in outside and i not in in_section and \
                _items_beneath(blocks, heads, i) >= 2:
            candidates.append(i)  # "### Senior Security Engineer" and its list, no section
            continue
        # a section must follow beneath it before the next heading at its level or above
        for j in range(i + 1, len(heads)):
            below = heads[j]
            if below is None:
                continue
            if below.level <= head.level and below.kind != "section":
                break
            if below.level <= head.level and below.kind == "section" and below.level == head.level:
                break
            if below.kind == "section" and below.level > head.level:
                candidates.append(i)
                break
    if not candidates:
        _mark_levels_in_sections(blocks, heads)
        return
    by_level: dict[int, list[int]] = {}
    for i in candidates:
        by_level.setdefault(heads[i].level, []).append(i)
    # the level holding most role headings (the title heading counts only beside others)
    level, chosen = max(by_level.items(), key=lambda kv: (
        sum(heads[i].kind != "title" for i in kv[1]), len(kv[1]), kv[0]))
    if all(heads[i].kind == "title" for i in chosen):
        siblings = [i for i, head in enumerate(heads) if head is not None and
                    head.kind == "other" and head.level == level and i not in outside
                    and level_of(blocks[i].text) and len(heading_words(blocks[i].text)) <= 10]
        if not siblings:
            _mark_levels_in_sections(blocks, heads)
            return  # the document's own title heading: one role (or levels inside sections)
        # "## Support Engineer" (the title, with its sections) and "## Senior Support
        # Engineer" beside it: the title heading is one of the levels
        chosen = chosen + siblings
    # the other levels at that heading level: "### Junior Backend Engineer" with only a line
    # of prose under it is a level too (it shares the family's sections)
    chosen = set(chosen)
    for i, head in enumerate(heads):
        if head is not None and head.kind == "other" and head.level == level and \
                i not in outside and level_of(blocks[i].text) and \
                len(heading_words(blocks[i].text)) <= 10:
            chosen.add(i)
    # a role heading at another level, beside the levels rather than above or below them
    # ("## Frontend Engineering Manager" after "## Levels > ### Senior Frontend Engineer")
    spans = [(i, _span_end(heads, i)) for i in chosen]
    for i in candidates:
        if i in chosen or heads[i].kind == "title" or i in outside:
            continue
        end = _span_end(heads, i)
        if not any(s <= i < e or i <= s < end for s, e in spans):
            chosen.add(i)
    for n, i in enumerate(sorted(chosen)):
        heads[i].kind = "role"
        heads[i].role = n


def _span_end(heads: list[_Head | None], i: int) -> int:
    """Where the part of the document under heading i ends."""
    for j in range(i + 1, len(heads)):
        if heads[j] is not None and heads[j].level <= heads[i].level:
            return j
    return len(heads)


def _items_beneath(blocks: list[Block], heads: list[_Head | None], i: int) -> int:
    """The list items right under heading i, before the next heading of any kind."""
    count = 0
    for j in range(i + 1, len(heads)):
        if heads[j] is not None:
            break
        count += blocks[j].kind == ITEM
    return count


def _outside_roles(heads: list[_Head | None]) -> tuple[set[int], set[int]]:
    """Headings under a section that holds no roles ("Specialties > Database", "Hiring
    process > Interview"): never role headings; and headings under a section other than
    the levels ("Responsibilities > Senior": a level written inside the sections)."""
    stack: list[_Head] = []
    out, inside = set(), set()
    for i, head in enumerate(heads):
        if head is None:
            continue
        while stack and stack[-1].level >= head.level:
            stack.pop()
        if any(h.kind == "ignored" or (h.kind == "section" and h.section == "other")
               for h in stack):
            out.add(i)
        if any(h.kind == "section" and h.section != "career" for h in stack):
            inside.add(i)
        stack.append(head)
    return out, inside


_INLINE = re.compile(r"^(?P<head>[^:]{3,50}):\s+(?P<rest>\S.*)$")


def split_inline_headings(blocks: list[Block]) -> list[Block]:
    """"Responsibilities: negotiate...; plan..." as a heading and its paragraph."""
    out = []
    for block in blocks:
        plain = block.kind == PARAGRAPH or (block.kind == HEADING and block.level == 0)
        match = _INLINE.match(block.text) if plain else None
        if match and _field_line(block.text) is not None:
            out.append(Block(PARAGRAPH, block.text, block.where))  # "Reports to: X" is a field
        elif match and section_of(match.group("head"), strict=True) not in (None, "ignored"):
            out.append(Block(HEADING, match.group("head"), block.where))
            out.append(Block(PARAGRAPH, match.group("rest"), block.where))
        else:
            out.append(block)
    return out


def _mark_levels_in_sections(blocks: list[Block], heads: list[_Head | None]) -> None:
    """Levels written inside the sections ("Responsibilities > Senior > items"): each level
    word is one role, gathering its part of every section."""
    stack: list[_Head] = []
    found: list[tuple[int, str]] = []
    for i, head in enumerate(heads):
        if head is None:
            continue
        while stack and stack[-1].level >= head.level:
            stack.pop()
        if head.kind == "other" and stack and stack[-1].kind == "section" and \
                stack[-1].section not in ("other", "career") and level_of(blocks[i].text) and \
                len(heading_words(blocks[i].text)) <= 4:
            found.append((i, level_of(blocks[i].text)))
        stack.append(head)
    levels = list(dict.fromkeys(level for _, level in found))
    if len(levels) < 2:
        return
    for i, level in found:
        heads[i].kind = "role"
        heads[i].role = levels.index(level)
        heads[i].section = "inside"


def recognise(blocks: list[Block], title: str | None = None) -> Recognised:
    blocks = split_inline_headings(blocks)
    heads = _classify(blocks)
    _mark_roles(blocks, heads)
    role_count = len({h.role for h in heads if h is not None and h.kind == "role"})
    family = Sketch()
    roles = [Sketch() for _ in range(role_count)]
    unrecognised: list[Found] = []
    ignored = 0
    stack: list[_Head] = []
    title_found: Found | None = Found(title, "document properties") if title else None
    # content of the current (sketch, section kind, heading, intro)
    groups: list[tuple[Sketch, str, Found, list[tuple[Block, str]]]] = []
    current: list | None = None
    sections_found = 0

    def context():
        role = None
        section: _Head | None = None
        ignore = orphan = False
        for head in stack:
            if head.kind == "role" and head.section == "inside":
                role, ignore, orphan = head, False, False  # a level inside a section
            elif head.kind == "role":
                role, section, ignore, orphan = head, None, False, False
            elif head.kind == "section":
                section, ignore = head, False
            elif head.kind == "ignored":
                ignore = True
            elif head.kind == "other" and role is None and (
                    section is None or section.section == "other"):
                orphan = True  # e.g. "Specialties > Database": not a level of the role
        return role, section, ignore, orphan

    for i, block in enumerate(blocks):
        head = heads[i]
        if head is not None:
            while stack and stack[-1].level >= head.level:
                stack.pop()
            # a plain-text line only ends ignored text when it names a section exactly
            _, _, ignoring, _ = context()
            if ignoring and head.kind == "section" and head.level == PSEUDO_LEVEL and \
                    section_of(block.text, strict=True) is None:
                head = None
            else:
                stack.append(head)
                if head.kind == "title" and title_found is None:
                    title_found = Found(block.text, block.where)
                elif head.kind == "title":
                    title_found = Found(block.text, block.where)
                if head.kind == "role":
                    if roles[head.role].heading is None:
                        roles[head.role].heading = Found(block.text, block.where)
                        roles[head.role].level = level_of(block.text)
                    _, section_head, _, _ = context()
                    if head.section == "inside" and section_head is not None:
                        current = [roles[head.role], section_head.section,
                                   Found(section_head.block.text, section_head.block.where), []]
                        groups.append(current)
                        continue
                if head.kind == "section":
                    sections_found += 1
                    role, _, _, orphan = context()
                    target = roles[role.role] if role is not None else family
                    if orphan:
                        current = None
                    else:
                        current = [target, head.section, Found(block.text, block.where), []]
                        groups.append(current)
                elif head.kind == "other":
                    # a sub-heading inside a section ("Responsibilities > Planning") keeps it
                    role, section_head, _, orphan = context()
                    if section_head is not None and not orphan:
                        target = roles[role.role] if role is not None else family
                        current = [target, section_head.section,
                                   Found(section_head.block.text, section_head.block.where), []]
                        groups.append(current)
                    else:
                        current = None
                elif head.kind in ("role", "ignored", "title"):
                    current = None
                continue
        role, section, ignore, orphan = context()
        if ignore:
            ignored += 1
            continue
        text = block.text
        found = Found(text, block.where)
        target = roles[role.role] if role is not None else family
        field_match = _field_line(text)
        if field_match:
            key, value = field_match
            target.fields.setdefault(key, Found(value, block.where, key))
            if section is None:
                continue
        if orphan:
            unrecognised.append(found)
            continue
        if section is None and role is not None and role.section != "inside" and (
                block.kind == ITEM or extends_of(text)):
            # a level's list with no section heading of its own: its duties
            if current is None or current[1] != "duties" or current[0] is not roles[role.role]:
                current = [roles[role.role], "duties", Found(role.block.text, role.block.where),
                           []]
                groups.append(current)
            current[3].append((block, ""))
            continue
        if section is None or current is None:
            if block.kind in (ITEM, ROW):  # a list outside every section (a table of contents)
                unrecognised.append(found)
            else:
                target.prose.setdefault("preamble", []).append(found)
            continue
        current[3].append((block, ""))

    for sketch, kind, heading, content in groups:
        _items_of(sketch, kind, heading, content, unrecognised)
    return Recognised(title_found, family, roles, unrecognised, ignored, sections_found)


_FIELDS = {
    "title": ("job title", "position title", "title", "position", "role", "job"),
    "department": ("department", "division", "unit", "team", "function", "structural unit"),
    "reports_to": ("reports to", "reporting to", "line manager", "manager", "supervisor",
                   "direct manager", "immediate supervisor", "subordinate to", "reports"),
    "grade": ("grade", "level", "band", "job grade", "job level", "seniority", "category"),
}
_FIELD_LINE = re.compile(r"^\s*(?P<key>[A-Za-z][A-Za-z /']{1,30}?)\s*(?::|\|)\s*(?P<value>\S.{0,150})$")


def _field_line(text: str) -> tuple[str, str] | None:
    """("reports_to", "Head of Sales") of a line or table row "Reports to: Head of Sales"."""
    match = _FIELD_LINE.match(text)
    if not match:
        return None
    key = " ".join(words(match.group("key")))
    value = clean(match.group("value")).strip(" |.;")
    if not value or len(value.split()) > 12:
        return None
    if any(" ".join(words(value)) in keys for keys in _FIELDS.values()):
        return None  # a table's header row ("Role | Grade"), not a value
    for name, keys in _FIELDS.items():
        if key in keys:
            return name, value
    return None


# "Extends that of the Intermediate X responsibilities", "Everything in the X
# responsibilities, plus:", "Everything a Legal Counsel does": the duties of another level
EXTENDS = re.compile(
    r"^(?:the [^,]{2,60}? )?(?:extends?|extending|builds? (?:up)?on|in addition to|everything"
    r"(?: in| of| from| that)?)(?: (?:that|those|the responsibilities) of)?"
    r" (?:the |a |an )?(?P<x>[^,:;]{2,80}?)(?:['’]s?)?(?: (?:responsibilities|duties|role|"
    r"does|level)\b|\s*[,.:;]?\s*$)", re.IGNORECASE)
# "Includes all the responsibilities of the Intermediate X, plus:", "Same as the X, and:"
EXTENDS_OF = re.compile(
    r"^(?:(?:it |this level |this role )?(?:includes?|has) (?:all )?(?:of )?"
    r"(?:the )?(?:responsibilities|duties) of|(?:the )?same as) (?:the |a |an )?"
    r"(?P<x>[^,:;.]{2,80}?)(?:['’]s)?(?:\s*[,.:;]|\s+(?:plus|and|as well|with|level|role)\b|$)",
    re.IGNORECASE)


def extends_of(text: str) -> str | None:
    """The level whose duties a line says this one includes, as written, or None."""
    for pattern in (EXTENDS, EXTENDS_OF):
        match = pattern.search(text)
        if match:
            return clean(match.group("x"))
    return None


def split_semicolons(text: str) -> list[str]:
    parts = [p.strip() for p in re.split(r";\s+", text) if p.strip()]
    return parts if len(parts) >= 2 else [text]


def tidy_item(text: str) -> str:
    """An item's text without its closing punctuation or a leading "and"."""
    text = clean(text).strip()
    text = re.sub(r"[;,.]+$", "", text).strip()
    text = re.sub(r"^(?:and|or)\s+", "", text, flags=re.IGNORECASE)
    return text


def _items_of(sketch: Sketch, kind: str, heading: Found, content: list[tuple[Block, str]],
              unrecognised: list[Found]) -> None:
    items = sketch.sections.setdefault(kind, [])
    prose = sketch.prose.setdefault(kind, [])
    listed = any(b.kind in (ITEM, ROW) for b, _ in content)
    intro = ""
    for block, _ in content:
        found = Found(block.text, block.where, heading.text)
        if kind in ("duties", "requirements") and len(block.text.split()) <= 25:
            extends = extends_of(block.text)
            if extends:  # "Extends that of the Senior X responsibilities": inherited in build
                if sketch.extends is None and kind == "duties":
                    sketch.extends = Found(extends, block.where, heading.text, block.text)
                continue  # (the requirements are the family's and the level's own)
        if kind in ("summary", "grade", "reports"):
            prose.append(found)
            continue
        if kind == "other":
            unrecognised.append(found)
            continue
        if block.kind in (ITEM, ROW):
            for part in split_semicolons(block.text) if block.kind == ITEM else [block.text]:
                text = tidy_item(part)
                if text:
                    items.append(Found(text, block.where, heading.text, intro))
            continue
        # a paragraph (or a plain line that looked like a heading)
        if listed:
            intro = f"{intro} {block.text}".strip()  # what introduces the items that follow
            prose.append(Found(block.text, block.where, heading.text))
            continue
        parts = split_semicolons(block.text)
        if len(parts) >= 2 or len(block.text.split()) <= MAX_ITEM_WORDS // 2 \
                or block.kind == HEADING:
            for part in parts:
                text = tidy_item(re.sub(r"^[^:]{0,80}:\s+(?=\S)", "", part) if len(parts) >= 2
                                 and part is parts[0] and ":" in part else part)
                if text:
                    items.append(Found(text, block.where, heading.text, intro))
        else:
            prose.append(Found(block.text, block.where, heading.text))
