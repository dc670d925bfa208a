"""The synthetic catalogue generator (for benchmarks and tests; not imported by the app).

Only ``python -m jdcore synth`` (imported there when the command runs), the tests and
bench/ use it; nothing on the app's or the loader's path imports this package.
"""

from .generator import MIN_ROLES, write_synthetic_catalogue

__all__ = ["MIN_ROLES", "write_synthetic_catalogue"]
