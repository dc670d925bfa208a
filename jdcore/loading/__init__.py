"""Loading a catalogue folder into tables: reading its files (in worker processes when it
is large), fingerprinting it, and keeping loaded tables on disk as Parquet."""

from .fingerprint import catalogue_fingerprint
from .loader import load_catalogue

__all__ = ["catalogue_fingerprint", "load_catalogue"]
