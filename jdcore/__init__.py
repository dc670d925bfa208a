"""jdcore: the role catalogue library (no Streamlit here; pages/ and app.py draw).

Layers, each importing only from those above it in this list (docs/architecture.md):
model -> loading -> analysis -> formats -> charts; cli on top.
"""

from .loading import catalogue_fingerprint, load_catalogue
from .model.catalogue import Catalogue
from .model.problems import CatalogueError, Problem
from .model.tables import TABLES

__all__ = ["TABLES", "Catalogue", "CatalogueError", "Problem", "catalogue_fingerprint",
           "load_catalogue"]
