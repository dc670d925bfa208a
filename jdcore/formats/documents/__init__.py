"""Job descriptions as documents (.docx, .md, .txt, .html, .pdf) into draft roles.

readers (one per format) -> blocks (headings with levels, paragraphs, list items, table
rows, each with its place) -> recognise (roles, sections, items) -> fields and build (the
role documents a role YAML file holds, with provenance) -> importer (files, folders, ZIPs
in; a catalogue folder out, written with jdcore.formats.writer).
"""

from .build import Base, import_documents
from .draft import IMPORTED_NOTE, DocumentDraft, Provenance, Unrecognised
from .importer import (catalogue_base, draft_documents, embedded_base, import_paths,
                       import_uploads, write_draft)
from .readers import SUFFIXES

__all__ = ["Base", "DocumentDraft", "IMPORTED_NOTE", "Provenance", "SUFFIXES", "Unrecognised",
           "catalogue_base", "draft_documents", "embedded_base", "import_documents",
           "import_paths", "import_uploads", "write_draft"]
