"""Command line: python -m jdcore validate | export | info [PATH]."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .bundle import bundle_zip
from .catalogue import TABLES, Catalogue, load_catalogue
from .csvio import write_csv

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


def _print_problems(catalogue: Catalogue, stream) -> None:
    for problem in catalogue.problems:
        print(problem, file=stream)


def _summary(catalogue: Catalogue) -> str:
    errors, warnings = len(catalogue.errors), len(catalogue.warnings)
    state = "valid" if catalogue.is_valid else "invalid"
    return f"{catalogue.path}: {state}: {errors} error(s), {warnings} warning(s)"


def cmd_validate(args) -> int:
    catalogue = load_catalogue(args.path)
    _print_problems(catalogue, sys.stdout)
    print(_summary(catalogue))
    return EXIT_OK if catalogue.is_valid else EXIT_INVALID


def cmd_info(args) -> int:
    catalogue = load_catalogue(args.path)
    roles = catalogue.roles
    print(f"roles: {len(roles)}")
    print(f"departments: {roles['department'].nunique()}")
    print(f"business areas: {roles['business_area'].nunique()}")
    print(f"duties: {len(catalogue.duties)}")
    print(_summary(catalogue))
    return EXIT_OK if catalogue.is_valid else EXIT_INVALID


def cmd_export(args) -> int:
    if getattr(args, "zip", False):
        return cmd_export_zip(args)
    source, out = Path(args.path).resolve(), Path(args.out).resolve()
    if out == source or source in out.parents:
        print(f"error: --out {args.out} is inside the catalogue folder; choose another folder",
              file=sys.stderr)
        return EXIT_USAGE
    catalogue = load_catalogue(args.path)
    _print_problems(catalogue, sys.stderr)
    try:
        out.mkdir(parents=True, exist_ok=True)
        for name in TABLES:
            write_csv(catalogue.tables[name], out / f"{name}.csv")
    except OSError as exc:
        print(f"error: cannot write to {args.out}: {exc.strerror}", file=sys.stderr)
        return EXIT_USAGE
    print(f"wrote {len(TABLES)} tables ({len(catalogue.roles)} roles) to {args.out}")
    return EXIT_OK if catalogue.is_valid else EXIT_INVALID


def cmd_export_zip(args) -> int:
    """export --zip: the CSV files `export` writes, in one ZIP file at --out."""
    source, out = Path(args.path).resolve(), Path(args.out).resolve()
    if source in out.parents:
        print(f"error: --out {args.out} is inside the catalogue folder; choose another place",
              file=sys.stderr)
        return EXIT_USAGE
    if out.is_dir():
        print(f"error: --out {args.out} is a folder; with --zip give the ZIP file's name, "
              "e.g. --out catalogue.zip", file=sys.stderr)
        return EXIT_USAGE
    catalogue = load_catalogue(args.path)
    _print_problems(catalogue, sys.stderr)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(bundle_zip(catalogue))
    except OSError as exc:
        print(f"error: cannot write {args.out}: {exc.strerror}", file=sys.stderr)
        return EXIT_USAGE
    print(f"wrote {len(TABLES)} tables ({len(catalogue.roles)} roles) to {args.out}")
    return EXIT_OK if catalogue.is_valid else EXIT_INVALID


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m jdcore",
                                     description="Role catalogue tools.")
    commands = parser.add_subparsers(dest="command", required=True)

    def command(name: str, handler, help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.add_argument("path", nargs="?", default="data",
                         help="catalogue folder (default: data)")
        sub.set_defaults(handler=handler)
        return sub

    command("validate", cmd_validate,
            "Print every problem of a catalogue; exit 0 when valid, 1 when invalid.")
    command("info", cmd_info, "Counts of roles, departments and duties, and validity.")
    export = command("export", cmd_export, "Write one CSV per table.")
    export.add_argument("--out", required=True, help="folder to write the CSV files to")
    export.add_argument("--zip", action="store_true",
                        help="write the same CSV files into one ZIP file; --out is its path")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)  # exits 2 with a usage message on bad arguments
    if not Path(args.path).is_dir():
        print(f"error: catalogue folder '{args.path}' not found", file=sys.stderr)
        return EXIT_USAGE
    try:
        return args.handler(args)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # the CLI never shows a traceback
        print(f"error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_INVALID
