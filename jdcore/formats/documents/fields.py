"""Fields of a role from the text of its document: title, grade, department, the reporting
line as written, the date, interactions, decision rights, qualities and requirements.

Nothing here guesses a value the text does not state: a function returns None (or leaves
an item out, saying why) when the wording does not say it.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from .recognise import Found, heading_words, level_of, words
from .vocabulary import (ABBREVIATIONS, ARTICLES, INTERACTION_KINDS, LEVELS, QUALITY_KINDS,
                         REQUIREMENT_KINDS, RIGHT_AREAS, RIGHT_SCOPES, ROLE_NOUNS, ROMAN)

SMALL_WORDS = {"of", "the", "and", "for", "a", "an", "in", "on", "to", "at", "by", "with", "or"}
_STOP = r"(?=\s*(?:[:.;,(\[]|\s[-–—]\s|\bis\b|\bare\b|\bcontains\b|$))"
TITLE_PHRASES = (
    re.compile(r"\bjob description (?:of|for) (?:the |a |an )?(?P<t>[^:.;,(\n]{3,80}?)" + _STOP,
               re.IGNORECASE),
    re.compile(r"^(?P<t>[A-Z][^.:;,\n]{2,60}?) (?:is|-|–|—) (?:a|an|the) (?:\w+ ){0,3}"
               r"(?:position|post|role|job)\b"),
    re.compile(r"\b(?:position|post|role) of (?:the |a |an )?(?P<t>[^:.;,(\n]{3,60}?)" + _STOP,
               re.IGNORECASE),
)
_REPORT_CUT = re.compile(r",|\s(?:and is|and the|who|which|on|about|regarding|in the|within|"
                         r"as well|or his|or her|or their|or a person|at|for|with|when)\s",
                         re.IGNORECASE)
MODIFIED = re.compile(r"\b(?:last modified|modified|updated|last updated|date|revised)\s*:?\s*"
                      r"(?P<d>\d{4}-\d{2}-\d{2}|\d{1,2}[./]\d{1,2}[./]\d{4})", re.IGNORECASE)
META = re.compile(r"\b(?:author|last modified|posted|published|updated)\s*:", re.IGNORECASE)
YEARS = re.compile(r"\b(?P<n>\d{1,2})\s*(?:\+|-\s*\d{1,2})?\s*(?:\+\s*)?years?\b", re.IGNORECASE)


def title_case(text: str) -> str:
    """A title from running text: first letters of the significant words capitalised."""
    out = []
    for i, word in enumerate(text.split()):
        if word.islower() and (i == 0 or word not in SMALL_WORDS):
            word = word[0].upper() + word[1:]
        out.append(word)
    return " ".join(out)


def strip_site(title: str) -> str:
    """A page title without its site name ("Backend Engineer | GitLab" -> "Backend Engineer")."""
    for separator in (" | ", " – ", " — ", " · ", " :: "):
        if separator in title:
            title = title.split(separator)[0]
    return title.strip()


def title_from_text(paragraphs: list[Found]) -> Found | None:
    """The first phrase of the text that names the role, as in "job description of the head
    of the logistics department" or "Head of sales department is a specific position"."""
    for found in paragraphs:
        for sentence in re.split(r"(?<=[.!?])\s+", found.text)[:4]:
            for pattern in TITLE_PHRASES:
                match = pattern.search(sentence)
                if match:
                    text = match.group("t").strip(" -–—")
                    if text.isupper():
                        text = text.lower()
                    if 1 <= len(text.split()) <= 9:
                        return Found(title_case(text), found.where, "", found.text)
    return None


def family_name(title: str) -> str:
    """A title without a level word in front ("Senior Backend Engineer" -> "Backend Engineer")."""
    ws = title.split()
    level = level_of(title)
    if level and " ".join(heading_words(" ".join(ws[:len(level.split())]))) == level:
        return " ".join(ws[len(level.split()):]) or title
    return title


def level_title(heading: str, family: str) -> str:
    """The title of one level of a job family: the heading when it names the role, else the
    level word with the family's title ("Senior" + "Backend Engineer")."""
    heading = heading.strip().rstrip(":")
    hw, fw = set(heading_words(heading)), set(heading_words(family))
    if fw and fw <= hw:
        return heading
    level = level_of(heading)
    # only a level ("Senior", "Level 2", "Senior (grade 7)"): the family's title completes it
    rest = hw - set(level.split()) - {"grade", "level", "band"} if level else hw
    if level and all(w.isdigit() or w in ROMAN for w in rest):
        return f"{heading} {family}".strip()
    return heading


def grade_text(level: str) -> str:
    """A level word as the grade's name ("senior" -> "Senior", "vp" -> "VP", "level 2")."""
    level = {"sr": "senior", "snr": "senior", "jr": "junior"}.get(level, level)
    if level in ("vp", "svp", "evp") or re.fullmatch(r"[ivx]+", level):
        return level.upper()
    return level[0].upper() + level[1:]


def level_rank(level: str | None) -> int | None:
    if level is None:
        return None
    if level in LEVELS:
        return LEVELS[level][0]
    match = re.search(r"(\d+)$", level)
    if match:
        return int(match.group(1))
    return ROMAN.get(level.split()[-1])


def modified_date(paragraphs: list[Found]) -> dt.date | None:
    for found in paragraphs:
        match = MODIFIED.search(found.text)
        if match:
            value = match.group("d")
            for pattern in ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y", "%m/%d/%Y"):
                try:
                    return dt.datetime.strptime(value, pattern).date()
                except ValueError:
                    continue
    return None


def is_meta(text: str) -> bool:
    return bool(META.search(text)) or "@" in text and len(text.split()) < 20


def title_key(text: str) -> frozenset[str]:
    """A title's words as compared for a match: case, articles, punctuation, abbreviations,
    plural s and word order do not count."""
    out = []
    for word in words(unicodedata.normalize("NFKC", text)):
        for part in ABBREVIATIONS.get(word, word).split():
            if part in ARTICLES or part == "department" or part == "dept":
                continue
            if len(part) > 4 and part.endswith("s") and not part.endswith("ss"):
                part = part[:-1]
            out.append(part)
    return frozenset(out)


class TitleIndex:
    """Role titles by their keys (title_key), with each word's roles, so a phrase is compared
    with the titles that share a word with it only."""

    def __init__(self, titles: dict[str, frozenset[str]],
                 families: dict[str, int] | None = None):
        self.titles = titles
        self.by_word: dict[str, list[str]] = {}
        for rid, key in titles.items():
            for word in key:
                self.by_word.setdefault(word, []).append(rid)
        self.families: dict[int, dict[str, frozenset[str]]] = {}
        for rid, family in (families or {}).items():
            self.families.setdefault(family, {})[rid] = titles[rid]

    def family_of(self, family: int) -> dict[str, frozenset[str]]:
        """The titles of one document's roles (a reporting line names one of them first)."""
        return self.families.get(family, {})

    def candidates(self, key: frozenset[str]) -> dict[str, frozenset[str]]:
        """The titles holding one of the phrase's two rarest words: a title that matches
        (the same words, or most of them) holds at least one of them."""
        postings = sorted((self.by_word.get(w, []) for w in key), key=len)
        chosen: set[str] = set()
        for posting in postings[:2]:
            chosen.update(posting)
        return {rid: self.titles[rid] for rid in chosen}


def resolve_title(phrase: str, titles: dict[str, frozenset[str]] | TitleIndex,
                  exclude: str | None = None) -> tuple[str | None, list[str]]:
    """(role id, []) when one role's title matches the phrase, (None, candidates) when several
    match equally well, (None, []) when none does."""
    key = title_key(phrase)
    if not key:
        return None, []
    if isinstance(titles, TitleIndex):
        titles = titles.candidates(key)
    scored: list[tuple[float, str]] = []
    for rid, other in titles.items():
        if rid == exclude or not other:
            continue
        if other == key:
            scored.append((1.0, rid))
            continue
        common = len(key & other)
        if not common:
            continue
        jaccard = common / len(key | other)
        if jaccard >= 0.6 or (key <= other and len(key) >= 2 and jaccard >= 0.5):
            scored.append((jaccard, rid))
    if not scored:
        return None, []
    best = max(s for s, _ in scored)
    top = sorted(rid for s, rid in scored if s == best)
    if len(top) == 1:
        return top[0], []
    # the levels of one family ("Manager" -> Manager, Senior Manager...): the entry level,
    # when the titles differ from the phrase by a level word only
    levels = []
    for rid in top:
        extra = " ".join(sorted(titles[rid] - key))
        rank = LEVELS.get(extra, (None,))[0] if extra else None
        if rank is None:
            break
        levels.append((rank, rid))
    else:
        ranks = sorted(levels)
        if len(ranks) >= 2 and ranks[0][0] < ranks[1][0]:
            return ranks[0][1], []
    return None, top


def _kind_by_words(text: str, table, default=None):
    low = " " + text.casefold() + " "
    for kind, stems in table:
        if any(stem in low for stem in stems):
            return kind
    return default


def interaction_kind(text: str) -> str:
    return _kind_by_words(text, INTERACTION_KINDS, "coordination")


def interaction_direction(text: str) -> str | None:
    low = text.casefold()
    gives = re.search(r"\b(give|provide|make|submit|report|send|inform|present|propose|suggest)",
                      low)
    takes = re.search(r"\b(receive|get|request|obtain|accept)", low)
    if gives and takes:
        return "both"
    if gives:
        return "out"
    if takes:
        return "in"
    return None


def counterparts(text: str) -> list[str]:
    """Parties named in an interaction section's heading or introduction: the parenthesis of
    "the top management (general director, board of directors)", else "with the X"."""
    paren = re.search(r"\(([^()]{3,200})\)", text)
    if paren:
        parts = [p.strip(" .") for p in re.split(r",|;|\band\b", paren.group(1)) if p.strip(" .")]
        if all(1 <= len(p.split()) <= 5 for p in parts):
            return parts
    match = re.search(r"\bwith (?:the |a |an )?(?P<x>[^.;:,()]{3,60})", text, re.IGNORECASE)
    if match:
        target = re.split(r"\s(?:on|about|to|for|in|of the enterprise|regarding)\s",
                          match.group("x"))[0].strip()
        if 1 <= len(target.split()) <= 6:
            return [target]
    return []


def right_of(text: str, areas: dict[str, str]) -> tuple[str | None, str | None]:
    """(area, scope) of a decision right from its wording; None where the wording says none."""
    area = None
    if set(areas) >= {a for a, _ in RIGHT_AREAS}:
        low = " " + text.casefold() + " "  # the area named first: "sign contracts within
        hits = [(low.find(stem), kind) for kind, stems in RIGHT_AREAS  # the budget" is contracts
                for stem in stems if stem in low]
        area = min(hits)[1] if hits else None
    else:  # a taxonomy of its own: by the words of the areas' names
        key = title_key(text)
        best = max(((len(key & title_key(name + " " + aid)), aid) for aid, name in areas.items()),
                   default=(0, None))
        area = best[1] if best[0] else None
    low = " " + text.casefold() + " "  # the verb named first: "submit proposals on hiring"
    hits = [(low.find(stem), kind) for kind, stems in RIGHT_SCOPES for stem in stems
            if stem in low]
    scope = min(hits)[1] if hits else None
    return area, scope


def quality_kind(text: str) -> str:
    return _kind_by_words(text, QUALITY_KINDS, "personal")


def requirement_kind(text: str, heading: str) -> tuple[str, int | None]:
    kind = _kind_by_words(text, REQUIREMENT_KINDS) or \
        _kind_by_words(heading, REQUIREMENT_KINDS) or "skill"
    years = None
    match = YEARS.search(text)
    if match and kind == "experience":
        years = min(int(match.group("n")), 60)
    return kind, years


def slug(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    text = re.sub(r"[^\w]+", "-", text, flags=re.UNICODE).strip("-_")
    return re.sub(r"-{2,}", "-", text.replace("_", "-"))[:60].strip("-") or "role"


# --- who states what about whom: reporting lines and grades ------------------------------------

_REPORT_VERB = re.compile(
    r"\b(?:(?:reports?|reporting|is accountable|answers?|is (?:directly )?subordinate|"
    r"subordinated?|responsible)(?: directly| functionally| administratively)? (?:in)?to|"
    r"under the (?:direct )?(?:supervision|management|leadership) of)\b:?\s*"
    r"(?:the |a |an |their |his |her |its )?", re.IGNORECASE)
_TARGET_END = re.compile(r"[.;\n()]|,?\s+(?:who|which|and who)\b", re.IGNORECASE)
_WHO = re.compile(r"^\W*(?:who|which)\b", re.IGNORECASE)
_BAD_TARGET = ("him", "her", "them", "whom", "it ", "the results", "achiev")
# words of a sentence's subject that name nobody in particular: "They", "You will",
# "Team members in this role", "All", "at every level"
GENERIC_SUBJECT = frozenset("""
they you we he she it this that these those role roles position positions team member members
person people holder holders incumbent all every each level levels job jobs employee employees
individual individuals who in turn also directly will shall must should would currently
typically usually generally normally at any both of here line the a an is are within whole
""".split())
LEVEL_WORDS = frozenset(w for phrase in LEVELS for w in phrase.split()) | frozenset(ROMAN)
DEFAULT_LEVEL = frozenset({"intermediate", "mid", "middle"})  # often left out of a title


@dataclass(frozen=True)
class Statement:
    """"SUBJECT reports to TARGET" (or "SUBJECT is a grade N"): the subject as written ("" when
    the sentence names nobody, "They report to"), the value's readings (longest first), and
    the text it was found in."""

    subject: str
    values: tuple[str, ...]
    found: Found


_ABBREVIATION_DOT = re.compile(r"\b(Sr|Jr|Snr|Mgr|Asst|Assoc|Mr|Ms|Mrs|Dr|e\.g|i\.e|vs|approx)\.",
                               re.IGNORECASE)


def _sentences(text: str) -> list[str]:
    """A text's sentences; "Sr." and "e.g." end none ("the Sr. Director, Sales")."""
    text = _ABBREVIATION_DOT.sub(lambda m: m.group(1).replace(".", ""), text)
    return [s for s in re.split(r"(?<=[.!?])\s+", text) if s.strip()]


def report_statements(found: Found) -> list[Statement]:
    """Every "X reports to the Y" of a text: "Senior Engineers report to the Manager,
    Engineering, who reports to the Director" states two lines (the second's subject is the
    first's manager), as does "A reports to B, and B reports to C"."""
    out = []
    for sentence in _sentences(found.text):
        matches = list(_REPORT_VERB.finditer(sentence))
        subject = sentence[:matches[0].start()] if matches else ""
        for n, match in enumerate(matches):
            following = matches[n + 1].start() if n + 1 < len(matches) else len(sentence)
            segment = sentence[match.end():following]
            end = _TARGET_END.search(segment)
            raw = segment[:end.start()] if end else segment
            rest = segment[end.start():] if end else ""
            joint = None
            if n + 1 < len(matches) and not end:  # "B, and C reports to": C is the next
                # line's subject
                joint = _JOINT.search(raw) or _COMMA_JOINT.search(raw)
            if joint:
                raw, rest = raw[:joint.start()], raw[joint.end():]
            readings = _readings(raw)
            if readings:
                out.append(Statement(clean_subject(subject), readings, found))
            if _WHO.match(rest):
                subject = readings[0] if readings else ""
            else:
                subject = rest.lstrip(" ;,.:")
    return out


_JOINT = re.compile(r"[,;]?\s+(?:and|while|whereas|but|so)\s+(?=\S)", re.IGNORECASE)
_COMMA_JOINT = re.compile(r"[;,]\s+(?=(?:the |a |an )?[A-Z])")


def _readings(raw: str) -> tuple[str, ...]:
    """A target as written and its shorter readings, cut where a title cannot go on:
    "Manager, Backend Engineering on all hiring" -> that, "Manager, Backend Engineering",
    "Manager"."""
    raw = raw.strip(" :-–—")
    cuts = [m.start() for m in _REPORT_CUT.finditer(raw)]
    out = []
    for text in [raw] + [raw[:c] for c in reversed(cuts)]:
        text = text.strip(" :-–—,")
        if 1 <= len(text.split()) <= 10 and not text.casefold().startswith(_BAD_TARGET) \
                and text not in out:
            out.append(text)
    return tuple(out)


def clean_subject(subject: str) -> str:
    """A subject without the words that name nobody ("All", "at every level")."""
    kept = [w for w in re.findall(r"[^\s,]+|,", subject)
            if w == "," or w.casefold().strip(".:;") not in GENERIC_SUBJECT]
    return re.sub(r"\s+,", ",", " ".join(kept)).strip(" ,")


def abbreviations_of(texts: list[str]) -> dict[str, str]:
    """Abbreviations a document defines: "Site Reliability Engineers (SREs)" -> {"sres":
    "Site Reliability Engineers", "sre": "Site Reliability Engineer"}."""
    found: dict[str, str] = {}
    for text in texts:
        for match in re.finditer(r"\(([A-Z][A-Za-z]{1,7})\)", text):
            abbr = match.group(1)
            letters = abbr[:-1] if abbr.endswith("s") and abbr[:-1].isupper() else abbr
            if not letters.isupper():
                continue
            before = text[:match.start()].split()[-len(letters):]
            if len(before) == len(letters) and \
                    "".join(w[0] for w in before).upper() == letters.upper():
                full = " ".join(before)
                found[letters.casefold() + "s"] = full
                found[letters.casefold()] = full[:-1] if full.endswith("s") else full
    return found


def expand(text: str, abbreviations: dict[str, str]) -> str:
    if not abbreviations:
        return text
    return re.sub(r"[A-Za-z]+", lambda m: abbreviations.get(m.group(0).casefold(), m.group(0))
                  if m.group(0)[:2].isupper() else m.group(0), text)


def subject_parts(subject: str) -> list[frozenset[str]]:
    """The roles a subject names, as title keys: "Junior, Intermediate and Senior Backend
    Engineers" -> the keys of the three levels (level words alone take the last part's
    title)."""
    parts = [title_key(p) for p in re.split(r",|\s(?:and|&|or|as well as)\s", subject)]
    parts = [p for p in parts if p]
    if not parts:
        return []
    core = parts[-1] - LEVEL_WORDS
    return [p | core if p <= LEVEL_WORDS else p for p in parts]


def names_role(parts: list[frozenset[str]], key: frozenset[str], family: bool = True) -> bool:
    """Whether a subject's parts name the role of this key: the same words (a default level
    word such as "Intermediate" more or less), or, with `family`, the role's title without
    its level word ("Backend Engineers" names every level of Backend Engineer) when the part
    states no level."""
    core = key - LEVEL_WORDS
    for part in parts:
        if part == key or part - DEFAULT_LEVEL == key - DEFAULT_LEVEL:
            return True
        if family and core and core & ROLE_NOUNS and core <= part and not part & LEVEL_WORDS:
            return True
    return False


_GRADE_TOKEN = r"(?P<g>\d{1,2}[a-z]?|[ivx]{1,4}|[a-z]{1,2}\d{1,2})"
GRADE_STATEMENTS = (
    # "The Senior X is a grade 7", "This role is grade 8", "sits at grade 7", "is a grade 6 role"
    re.compile(r"^(?P<who>.{0,120}?)\b(?:is|are|sits?|will be)\s+(?:graded\s+)?(?:(?:a|an|at|on|"
               r"in)\s+)?(?:the\s+)?(?:job\s+|pay\s+)?grade\s+" + _GRADE_TOKEN + r"\b",
               re.IGNORECASE),
    # "Junior Data Analysts are graded at 5"
    re.compile(r"^(?P<who>.{0,120}?)\b(?:is|are)\s+graded\s+(?:at\s+|as\s+)?"
               r"(?:(?:job\s+)?grade\s+)?" + _GRADE_TOKEN + r"\b", re.IGNORECASE),
    # "Technical Writer: grade 6", "Senior X - Grade 7"
    re.compile(r"^(?P<who>[^:|]{2,80}?)\s*(?::|\||\s[-–—])\s*(?:job\s+)?grade\s*:?\s*"
               + _GRADE_TOKEN + r"\s*$", re.IGNORECASE),
    # a table row of a grades section: "Senior Support Engineer | 7"
    re.compile(r"^(?P<who>[^|]{2,80}?)\s*\|\s*(?:grade\s*)?" + _GRADE_TOKEN + r"\s*$",
               re.IGNORECASE),
    # "Grade: 5", "Job grade 6", "Grade level: 7" alone
    re.compile(r"^(?P<who>)(?:job\s+|pay\s+)?grade(?:\s+level)?\s*:?\s*" + _GRADE_TOKEN +
               r"\s*\.?$", re.IGNORECASE),
    # "The job grade for this role is 7", "The grade of the Senior X is 8"
    re.compile(r"\b(?:job\s+|pay\s+)?grade\s+(?:for|of)\s+(?P<who>.{2,80}?)\s+is\s+"
               r"(?:a\s+)?(?:grade\s+)?" + _GRADE_TOKEN + r"\b", re.IGNORECASE),
)
# "Senior X (Grade 7)", "Senior X - Grade 7", "Senior X, grade 7"
GRADE_IN_HEADING = re.compile(r"\s*(?:[(\[]\s*|\s[-–—|:]\s*|,\s*)(?:job\s+)?grade\s*:?\s*"
                              + _GRADE_TOKEN + r"\s*(?:[)\]]|$)", re.IGNORECASE)


def grade_token(text: str) -> str | None:
    """The grade a field's value states ("7", "grade 7", "M2"), or None (a level word)."""
    match = re.fullmatch(r"\s*(?:(?:job\s+|pay\s+)?grade(?:\s+level)?\s*:?\s*)?" + _GRADE_TOKEN +
                         r"\s*\.?",
                         text, re.IGNORECASE)
    return match.group("g") if match else None


def grade_statements(found: Found) -> list[Statement]:
    out = []
    for sentence in _sentences(found.text):
        for pattern in GRADE_STATEMENTS:
            match = pattern.search(sentence.strip())
            if match:
                out.append(Statement(clean_subject(match.group("who")), (match.group("g"),),
                                     found))
                break
    return out
