"""Text that an XML document (an Excel workbook, a Word file) can hold."""

from __future__ import annotations

import re

# XML 1.0 forbids the C0 controls but tab, newline and carriage return; lone surrogates
# cannot be encoded; U+FFFE and U+FFFF are not characters.
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    """`text` without the characters an XML document cannot hold (openpyxl refuses a NUL or
    a BEL with IllegalCharacterError; Word cannot open a file that holds one)."""
    return XML_ILLEGAL.sub("", text)
