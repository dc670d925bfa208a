"""Loading a catalogue into tables: from a folder (its files read in worker processes when
it is large) or from documents held in memory (a workspace), fingerprinting a folder, and
keeping loaded tables on disk as Parquet."""

from .files import RoleDocument
from .fingerprint import catalogue_fingerprint
from .loader import load_catalogue, load_documents, update_documents

__all__ = ["RoleDocument", "catalogue_fingerprint", "load_catalogue", "load_documents",
           "update_documents"]
