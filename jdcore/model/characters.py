"""Which characters catalogue text may hold.

Refused anywhere: control characters other than tab and line feed (NUL, ESC, a carriage
return, the C1 controls, the line and paragraph separators), bidi controls (which reorder how
text is shown: stored "GNITEKRAM" shown as "MARKETING"), zero-width spaces and other
invisible format characters. The two joiners are text in some scripts and are kept there:

- ZERO WIDTH NON-JOINER (U+200C) and ZERO WIDTH JOINER (U+200D) between two letters of one
  joining script (Persian "mi<ZWNJ>khaham"; Arabic, Syriac, N'Ko, Mongolian and the
  Brahmic scripts such as Devanagari, where they choose a letter's form), or after a
  virama (Malayalam chillu, Devanagari half forms);
- ZERO WIDTH JOINER between two emoji (woman<ZWJ>laptop, white flag<VS16><ZWJ>rainbow), the
  first possibly followed by a variation selector or a skin tone.

And the tag characters only inside an emoji tag sequence (the flags of England, Scotland,
Wales). Everything is checked on decoded values, so a character written as a YAML escape
("\\u202e", "\\0") is found as well as one written as itself.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

ZWNJ, ZWJ = "\u200c", "\u200d"

_BIDI_OR_ZERO_WIDTH = ("\u061c\u180e\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064"
                       "\u2066-\u2069\ufeff")
_CONTROL = "\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029"
_OTHER_FORMAT = "\u206a-\u206f\ufff9-\ufffb\U000e0000-\U000e007f"
# Any character that may be refused; a text without one of them (or a backslash, which can
# write one as an escape in YAML) needs no closer look.
CANDIDATES = re.compile(f"[{_CONTROL}{_BIDI_OR_ZERO_WIDTH}{_OTHER_FORMAT}{ZWNJ}{ZWJ}\\\\]")
_SUSPECT = re.compile(f"[{_CONTROL}{_BIDI_OR_ZERO_WIDTH}{_OTHER_FORMAT}{ZWNJ}{ZWJ}]")
_CONTROL_RE = re.compile(f"[{_CONTROL}]")
_BIDI_OR_ZERO_WIDTH_RE = re.compile(f"[{_BIDI_OR_ZERO_WIDTH}]")
_TAG_SEQUENCE = re.compile("\U0001f3f4[\U000e0020-\U000e007e]+\U000e007f")

# Scripts whose letters join (or form conjuncts), so that a joiner between two of them means
# something; by the first words of the letters' Unicode names.
JOINING_SCRIPTS = (
    "ARABIC", "SYRIAC", "NKO", "MONGOLIAN", "MANDAIC", "MANICHAEAN", "PSALTER PAHLAVI",
    "ADLAM", "HANIFI ROHINGYA", "SOGDIAN", "OLD UYGHUR", "PHAGS-PA", "CHORASMIAN",
    "DEVANAGARI", "BENGALI", "GURMUKHI", "GUJARATI", "ORIYA", "TAMIL", "TELUGU", "KANNADA",
    "MALAYALAM", "SINHALA",
)
_EMOJI_MODIFIERS = re.compile("[\ufe0e\ufe0f\U0001f3fb-\U0001f3ff]")


@dataclass(frozen=True)
class Refused:
    """The first character of a text that is not allowed there, and why."""

    char: str
    message: str

    @property
    def code(self) -> str:
        return f"U+{ord(self.char):04X}"


def refused_character(text: str) -> Refused | None:
    """The first character of `text` that catalogue text may not hold, or None."""
    if not _SUSPECT.search(text):
        return None
    text = _TAG_SEQUENCE.sub("\U0001f3f4", text)  # a flag's tags are part of the emoji
    for found in _SUSPECT.finditer(text):
        char, at = found.group(), found.start()
        if char in (ZWNJ, ZWJ):
            if _joins(text, at):
                continue
            return Refused(char, f"contains {_name(char)} where it joins nothing; it is "
                           "kept only between two letters of a joining script (such as "
                           "Persian or Devanagari) or inside an emoji sequence; delete it")
        if _CONTROL_RE.match(char):
            return Refused(char, f"contains the control character {_name(char)}; delete it "
                           "(text may hold tabs and line breaks, no other control character)")
        if _BIDI_OR_ZERO_WIDTH_RE.match(char):
            return Refused(char, f"contains the invisible control character U+{ord(char):04X} "
                           "(bidi or zero-width); delete it")
        return Refused(char, f"contains the invisible format character {_name(char)}; "
                       "delete it")
    return None


def _name(char: str) -> str:
    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X}" + (f" ({name})" if name else "")


def _script(char: str) -> str | None:
    name = unicodedata.name(char, "")
    return next((s for s in JOINING_SCRIPTS if name.startswith(s + " ")), None)


def _joins(text: str, at: int) -> bool:
    """Whether the joiner at `at` follows a virama, stands between two letters of one
    joining script, or (a ZWJ) between two emoji."""
    if at == 0:
        return False
    before = text[at - 1]
    if unicodedata.combining(before) == 9 and _script(before):
        return True  # also at the end of a word: a Malayalam chillu
    after = text[at + 1] if at + 1 < len(text) else ""
    if not after:
        return False
    if text[at] == ZWJ:
        emoji = at - 1
        while emoji > 0 and _EMOJI_MODIFIERS.match(text[emoji]):
            emoji -= 1
        if unicodedata.category(text[emoji]) == "So" and unicodedata.category(after) == "So":
            return True
    base = at - 1
    while base > 0 and unicodedata.category(text[base]).startswith("M"):
        base -= 1
    script = _script(text[base])
    return (script is not None and unicodedata.category(text[base]).startswith("L")
            and unicodedata.category(after)[0] in "LM" and _script(after) == script)
