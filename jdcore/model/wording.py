"""English phrasing for the sentences the app writes about a catalogue: lists of names,
counted nouns, plural grade names, quoted duty text.

One place for it, so that the Duties page's filter ("duties of heads of department in Sales
and Finance") and the findings ("3 more pairs of roles ...") say things the same way.
Plain strings in, plain strings out; nothing here knows a catalogue.
"""

from __future__ import annotations

from collections.abc import Iterable

# Grade names that name a body rather than a person: "duties of the board".
COLLECTIVE_NOUNS = {"board", "management", "staff", "committee", "council"}


def join_words(items: Iterable[str]) -> str:
    """["a"] -> "a"; ["a", "b"] -> "a and b"; ["a", "b", "c"] -> "a, b and c"."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def join_listing(names: Iterable[str]) -> str:
    """Names that often hold an "and" themselves ("Strategy and planning"), joined by
    semicolons so that the list still reads as a list."""
    return "; ".join(names)


def counted(count: int, noun: str) -> str:
    """1 -> "1 pair"; 1200 -> "1,200 pairs"; the last word of `noun` takes the plural."""
    return f"{count:,} {noun if count == 1 else plural_word(noun)}"


def quote(text: object, limit: int = 160) -> str:
    """Text on one line between curly quotes, cut with an ellipsis beyond `limit` characters."""
    text = " ".join(str(text).split())
    return f"“{text if len(text) <= limit else text[:limit - 1].rstrip() + '…'}”"


def lowercase_initial(name: str) -> str:
    """"Construction company" -> "construction company"; an acronym ("HR team") stays."""
    if len(name) > 1 and name[1].isupper():
        return name
    return name[:1].lower() + name[1:]


def plural(name: str) -> str:
    """A grade name as the people who hold it: "Head of department" -> "heads of department".

    The head noun is the word before " of " if there is one, else the last word; a
    collective noun ("Board") becomes "the board".
    """
    text = lowercase_initial(name.strip())
    if text.lower() in COLLECTIVE_NOUNS:
        return "the " + text
    head, sep, rest = text.partition(" of ")
    words = head.split(" ")
    words[-1] = plural_word(words[-1])
    return " ".join(words) + sep + rest


def plural_word(word: str) -> str:
    """"pair" -> "pairs", "boss" -> "bosses", "category" -> "categories", "day" -> "days"."""
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    if word.endswith("y") and len(word) > 1 and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"
