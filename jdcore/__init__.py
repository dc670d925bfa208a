"""jdcore: the role catalogue library (no Streamlit here; pages/ and app.py draw)."""

from .catalogue import TABLES, Catalogue, catalogue_fingerprint, load_catalogue
from .problems import CatalogueError, Problem

__all__ = ["TABLES", "Catalogue", "CatalogueError", "Problem", "catalogue_fingerprint",
           "load_catalogue"]
