"""Command line: python -m jdcore validate | info | export | import | synth | findings [--rules] |
workspace."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from .formats.bundle import bundle_zip
from .model.tables import TABLES
from .model.catalogue import Catalogue
from .model.problems import printable
from .loading import load_catalogue
from .formats.csvio import write_csv
from .model.problems import printable

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
    files = [command for option, command in (("xlsx", cmd_export_xlsx),
                                             ("documents", cmd_export_documents),
                                             ("docx", cmd_export_docx))
             if getattr(args, option, None)]
    for command in files:
        status = command(args)
        if status != EXIT_OK:
            return status
    if files and not args.out:
        return EXIT_OK
    if not args.out:
        print("error: give --out DIR (or --xlsx FILE for an Excel workbook, --documents or "
              "--docx FILE.zip for every job description)", file=sys.stderr)
        return EXIT_USAGE
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


def progress_printer(what: str, stream=None):
    """`progress(done, total)` that prints how far a long build is, on stderr: one line
    rewritten in place on a terminal, else a line every tenth of the way."""
    stream = stream or sys.stderr
    live = stream.isatty()
    shown = {"tenth": -1}
    started = time.monotonic()

    def progress(done: int, total: int) -> None:
        share = done / total if total else 1.0
        line = (f"{what}: {done:,} of {total:,} ({share:.0%}, "
                f"{time.monotonic() - started:.0f} s)")
        if live:
            stream.write("\r" + line + ("\n" if done >= total else ""))
            stream.flush()
        elif int(share * 10) > shown["tenth"]:
            shown["tenth"] = int(share * 10)
            print(line, file=stream, flush=True)

    return progress


def _export_file(args, option: str, target: str, build, what: str, folder_hint: str,
                 count=None) -> int:
    """Write one file built from the catalogue (a ZIP, a workbook) at `target`; `count(catalogue)`
    is how many `what` it holds (default: the tables)."""
    source, out = Path(args.path).resolve(), Path(target).resolve()
    if source in out.parents:
        print(f"error: {option} {target} is inside the catalogue folder; choose another place",
              file=sys.stderr)
        return EXIT_USAGE
    if out.is_dir():
        print(f"error: {option} {target} is a folder; {folder_hint}", file=sys.stderr)
        return EXIT_USAGE
    catalogue = load_catalogue(args.path)
    _print_problems(catalogue, sys.stderr)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(build(catalogue))
    except OSError as exc:
        print(f"error: cannot write {target}: {exc.strerror}", file=sys.stderr)
        return EXIT_USAGE
    held = len(TABLES) if count is None else count(catalogue)
    print(f"wrote {held} {what} ({len(catalogue.roles)} roles) to {target}")
    return EXIT_OK if catalogue.is_valid else EXIT_INVALID


def cmd_export_zip(args) -> int:
    """export --zip: the CSV files `export` writes, in one ZIP file at --out."""
    return _export_file(args, "--out", args.out, bundle_zip, "tables",
                        "with --zip give the ZIP file's name, e.g. --out catalogue.zip")


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
    export.add_argument("--out", help="folder to write the CSV files to")
    export.add_argument("--zip", action="store_true",
                        help="write the same CSV files into one ZIP file; --out is its path")
    export.add_argument("--xlsx", metavar="FILE",
                        help="write every table into one Excel workbook (one sheet per table)")
    export.add_argument("--documents", metavar="FILE.zip",
                        help="write every role's job description as Markdown and HTML, in one "
                             "ZIP (progress on stderr)")
    export.add_argument("--docx", metavar="FILE.zip",
                        help="write every role's job description as Word (.docx), in one ZIP "
                             "(progress on stderr)")
    export.add_argument("--paper", choices=["A4", "US Letter"], default="A4",
                        help="paper size of the job descriptions (default: A4)")
    export.add_argument("--no-sources", action="store_true",
                        help="leave the seed / illustrative markings out of the job descriptions")
    _add_import_commands(commands)
    _add_findings_command(commands)
    _add_workspace_commands(commands)
    synth = commands.add_parser(
        "synth", help="Write a deterministic synthetic catalogue (for benchmarks and tests).",
        description="Write a deterministic synthetic catalogue (for benchmarks and tests).")
    synth.add_argument("--roles", type=int, required=True, help="number of roles")
    synth.add_argument("--seed", type=int, default=1, help="random seed (default: 1)")
    synth.add_argument("--out", required=True, help="folder to write (must be empty or new)")
    synth.set_defaults(handler=cmd_synth)
    return parser


def cmd_synth(args) -> int:
    from .synth import write_synthetic_catalogue

    try:
        write_synthetic_catalogue(args.out, args.roles, args.seed)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    print(f"wrote {args.roles} roles to {args.out}")
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)  # exits 2 with a usage message on bad arguments
    if getattr(args, "path", None) is not None and not Path(args.path).is_dir():
        print(f"error: catalogue folder '{args.path}' not found", file=sys.stderr)
        return EXIT_USAGE
    try:
        return args.handler(args)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # the CLI never shows a traceback, nor raw control bytes
        print(f"error: {type(exc).__name__}: {printable(str(exc))}", file=sys.stderr)
        return EXIT_INVALID


# --- export --xlsx and import (issue 5) ------------------------------------------------------

def _document_options(args):
    from .formats.jobdoc import DocumentOptions

    return DocumentOptions(paper=args.paper, provenance=not args.no_sources)


def cmd_export_documents(args) -> int:
    """export --documents FILE.zip: every job description as Markdown and HTML."""
    from .formats.jobdoc import documents_zip

    progress = progress_printer("job descriptions")
    return _export_file(
        args, "--documents", args.documents,
        lambda catalogue: documents_zip(catalogue, _document_options(args), progress),
        "job descriptions", "give the ZIP file's name, e.g. --documents documents.zip",
        count=lambda catalogue: len(catalogue.roles))


def cmd_export_docx(args) -> int:
    """export --docx FILE.zip: every job description as a Word document."""
    from .formats.wordfile import documents_docx_zip

    progress = progress_printer("Word documents")
    return _export_file(
        args, "--docx", args.docx,
        lambda catalogue: documents_docx_zip(catalogue, _document_options(args), progress),
        "Word documents", "give the ZIP file's name, e.g. --docx documents-docx.zip",
        count=lambda catalogue: len(catalogue.roles))


def cmd_export_xlsx(args) -> int:
    """export --xlsx FILE: every table in one Excel workbook."""
    from .formats.xlsx import catalogue_workbook

    return _export_file(args, "--xlsx", args.xlsx, catalogue_workbook, "sheets",
                        "give the workbook's file name, e.g. --xlsx catalogue.xlsx")


def _import_taxonomy(args):
    """The taxonomy given with --taxonomy, or None for the default; (taxonomy, problems)."""
    from .formats.tablereader import default_taxonomy

    if not getattr(args, "taxonomy", None):
        return None, []
    return default_taxonomy(args.taxonomy)


def _out_refused(args) -> bool:
    """Check --out before reading anything: print the reason and return True if refused."""
    from .formats.writer import WriteError, check_target

    try:
        check_target(Path(args.out), args.force)
    except WriteError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return True
    return False


def _finish_import(args, problems, write) -> int:
    """Print an import's problems; unless it has errors, write it and validate the result."""
    from .formats.writer import WriteError, check_target

    for problem in problems:
        print(problem, file=sys.stderr)
    errors = [p for p in problems if p.is_error]
    if errors:
        print(f"error: {len(errors)} error(s) in {args.source}; nothing written",
              file=sys.stderr)
        return EXIT_INVALID
    try:
        check_target(Path(args.out), args.force)
        catalogue = write()
    except WriteError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:
        print(f"error: cannot write to {args.out}: {exc.strerror}", file=sys.stderr)
        return EXIT_USAGE
    _print_problems(catalogue, sys.stderr)
    print(f"wrote {len(catalogue.roles)} roles to {args.out}")
    print(_summary(catalogue))
    return EXIT_OK if catalogue.is_valid else EXIT_INVALID


def cmd_import_csv(args) -> int:
    from .formats.csvbundle import import_csv_folder
    from .formats.tablereader import write_import

    if _out_refused(args):
        return EXIT_USAGE
    if not Path(args.source).is_dir():
        print(f"error: CSV bundle folder '{args.source}' not found", file=sys.stderr)
        return EXIT_USAGE
    taxonomy, problems = _import_taxonomy(args)
    if problems:
        return _finish_import(args, problems, None)
    result = import_csv_folder(args.source, taxonomy)
    return _finish_import(args, result.problems,
                          lambda: write_import(result, args.out, force=args.force))


def cmd_import_xlsx(args) -> int:
    from .formats.tablereader import write_import
    from .formats.xlsx import MAX_WORKBOOK_BYTES, import_workbook, too_large

    source = Path(args.source)
    if _out_refused(args):
        return EXIT_USAGE
    if not source.is_file():
        print(f"error: workbook '{args.source}' not found", file=sys.stderr)
        return EXIT_USAGE
    taxonomy, problems = _import_taxonomy(args)
    if problems:
        return _finish_import(args, problems, None)
    if source.stat().st_size > MAX_WORKBOOK_BYTES:  # refuse before reading it into memory
        print(f"{source.name}: {too_large(source.stat().st_size)}", file=sys.stderr)
        return EXIT_INVALID
    result = import_workbook(source.read_bytes(), source.name, taxonomy)
    return _finish_import(args, result.problems,
                          lambda: write_import(result, args.out, force=args.force))


def cmd_import_onet(args) -> int:
    from .formats.onet import import_onet, write_onet

    if _out_refused(args):
        return EXIT_USAGE
    if not Path(args.source).is_dir():
        print(f"error: O*NET folder '{args.source}' not found", file=sys.stderr)
        return EXIT_USAGE
    result = import_onet(args.source)
    return _finish_import(args, result.problems,
                          lambda: write_onet(result, args.out, force=args.force))


def _add_import_commands(commands) -> None:
    text = "Import a catalogue from a CSV bundle, an Excel workbook or the O*NET database."
    parser = commands.add_parser("import", help=text, description=text)
    kinds = parser.add_subparsers(dest="kind", required=True)

    def kind(name: str, handler, source_help: str, help_text: str, taxonomy: bool = True):
        sub = kinds.add_parser(name, help=help_text, description=help_text)
        sub.add_argument("source", help=source_help)
        sub.add_argument("--out", required=True,
                         help="folder to write the catalogue to (new or empty)")
        sub.add_argument("--force", action="store_true",
                         help="replace taxonomy.yaml and roles/*.yaml of a non-empty --out")
        if taxonomy:
            sub.add_argument("--taxonomy", metavar="FILE",
                             help="taxonomy.yaml to write with the roles (default: a "
                                  "taxonomy.yaml in the bundle, else the embedded one)")
        sub.set_defaults(handler=handler, path=None)

    kind("csv", cmd_import_csv, "folder of CSV files, as `export` writes them",
         "Import the CSV bundle `export` writes (one CSV per table).")
    kind("xlsx", cmd_import_xlsx, "Excel workbook (.xlsx), one sheet per table",
         "Import an Excel workbook as `export --xlsx` writes it.")
    kind("onet", cmd_import_onet, "folder of the O*NET text release (Occupation Data.txt, ...)",
         "Import the O*NET database, text release: one role per occupation.", taxonomy=False)
    text = ("Import job descriptions as documents (.docx, .md, .txt, .html, .pdf, or ZIPs of "
            "them): one draft role per role a document describes.")
    sub = kinds.add_parser("documents", help=text, description=text)
    sub.add_argument("paths", nargs="+", metavar="PATH",
                     help="a document, a ZIP of documents or a folder (read recursively)")
    sub.add_argument("--out", required=True, help="folder to write the catalogue to (new or empty)")
    sub.add_argument("--force", action="store_true",
                     help="replace taxonomy.yaml and roles/*.yaml of a non-empty --out")
    sub.add_argument("--catalogue", metavar="DIR",
                     help="resolve reporting lines against this catalogue's roles too, and "
                          "write its roles along with the imported ones (default: the "
                          "imported roles only, with the embedded taxonomy)")
    sub.set_defaults(handler=cmd_import_documents, path=None, source=None)


def cmd_import_documents(args) -> int:
    """import documents PATH... --out DIR: draft roles from job description documents."""
    from .formats.documents import (catalogue_base, embedded_base, import_paths, write_draft)
    from .formats.writer import role_documents

    args.source = " ".join(args.paths)
    if _out_refused(args):
        return EXIT_USAGE
    base, base_documents = embedded_base(), None
    if args.catalogue:
        existing = load_catalogue(args.catalogue)
        if existing.taxonomy is None or not existing.is_valid:
            _print_problems(existing, sys.stderr)
            print(f"error: --catalogue {args.catalogue} is not a valid catalogue; fix it first",
                  file=sys.stderr)
            return EXIT_USAGE
        base, base_documents = catalogue_base(existing), role_documents(existing.tables)
    draft = import_paths(args.paths, base)
    if not draft.errors and not draft.roles:
        for problem in draft.problems:
            print(problem, file=sys.stderr)
        print("error: no role was found in the documents; nothing written", file=sys.stderr)
        return EXIT_INVALID
    status = _finish_import(args, draft.problems,
                            lambda: write_draft(draft, args.out, force=args.force,
                                                base_documents=base_documents))
    if draft.roles and not draft.errors:
        counts = draft.items_per_section()
        lines = draft.reporting
        print(f"documents read: {len(draft.documents)}")
        print(f"roles found: {len(draft.roles)}")
        print("items per section: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
        print(f"reporting lines: {lines.get('stated', 0)} stated, {lines.get('resolved', 0)} "
              f"resolved, {lines.get('unresolved', 0)} unresolved, "
              f"{lines.get('ambiguous', 0)} ambiguous")
        print(f"paragraphs not recognised: {len(draft.unrecognised)}; left out as not about a "
              f"role: {draft.ignored_blocks}")
        print(f"time: {draft.seconds:.2f} s")
    return status


# --- findings (issue 4) ----------------------------------------------------------------------

def cmd_findings(args) -> int:
    """findings [PATH]: one line per finding, `severity: kind: title [roles]`;
    findings --rules: one line per rule, `id (kind; severities): what it checks`."""
    from .analysis.findings import RULES, find_findings
    from .analysis.matching import fit_duty_index

    if args.rules:
        for rule in RULES:
            print(f"{rule.id} ({rule.kind}; {', '.join(rule.severities)}): {rule.summary}")
        return EXIT_OK
    catalogue = load_catalogue(args.path)
    if catalogue.taxonomy is None:
        _print_problems(catalogue, sys.stderr)
        print(f"error: {args.path}: the catalogue cannot be read; fix the problems above",
              file=sys.stderr)
        return EXIT_INVALID
    findings = find_findings(catalogue, fit_duty_index(catalogue.duties))
    for row in findings.itertuples(index=False):
        print(printable(f"{row.severity}: {row.kind}: {row.title} [{row.roles}]"))
    counts = findings["severity"].value_counts()
    print(f"{catalogue.path}: {len(findings)} finding(s): {counts.get('error', 0)} error(s), "
          f"{counts.get('warning', 0)} warning(s), {counts.get('info', 0)} info",
          file=sys.stderr)
    if not catalogue.is_valid:
        print(f"{catalogue.path}: the catalogue has {len(catalogue.errors)} error(s); "
              "run `python -m jdcore validate` to list them", file=sys.stderr)
    errors = int(counts.get("error", 0))
    return EXIT_OK if errors == 0 and catalogue.is_valid else EXIT_INVALID


def _add_findings_command(commands) -> None:
    text = ("Print the catalogue's findings (overlaps, gaps, authority and workload), one per "
            "line; exit 0 when none is an error, 1 otherwise.")
    sub = commands.add_parser("findings", help=text, description=text)
    sub.add_argument("path", nargs="?", default="data", help="catalogue folder (default: data)")
    sub.add_argument("--rules", action="store_true",
                     help="list the rules and what each checks instead of the findings")
    sub.set_defaults(handler=cmd_findings)


# --- workspace (issue 11) ----------------------------------------------------------------------

def _open_workspace(args, create: bool = False):
    from .store import Workspace
    from .store.settings import configured_workspace_url, default_workspace_url

    url = configured_workspace_url(args.workspace) or default_workspace_url()
    return Workspace.open(url, create=create)


def _workspace_command(handler):
    """Run a workspace command: a WorkspaceError is a clear message and exit 1."""
    from .store import WorkspaceError

    def run(args) -> int:
        try:
            return handler(args)
        except WorkspaceError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_INVALID

    return run


def cmd_workspace_init(args) -> int:
    from .store.settings import seed_folder

    folder = Path(args.source) if args.source else seed_folder()
    if not (folder / "taxonomy.yaml").is_file():
        print(f"error: {folder} is not a catalogue folder (no taxonomy.yaml); give the folder "
              "that holds taxonomy.yaml and roles/", file=sys.stderr)
        return EXIT_USAGE
    workspace = _open_workspace(args, create=True)
    stored = workspace.seed_from_folder(folder)
    if stored == 0:
        print(f"{workspace.label} already holds a catalogue "
              f"({len(workspace.role_ids())} roles); nothing changed")
        return EXIT_OK
    print(f"created {workspace.label}: {stored} roles from {folder}, each as version 1, "
          "approved")
    return EXIT_OK


def cmd_workspace_export(args) -> int:
    from .store import export_folder

    workspace = _open_workspace(args)
    written = export_folder(workspace, args.out, force=args.force)
    print(f"wrote taxonomy.yaml and {written} roles (the approved catalogue) to {args.out}")
    return EXIT_OK


def cmd_workspace_history(args) -> int:
    workspace = _open_workspace(args)
    history = workspace.history(args.role)
    if not history:
        print(f"error: no role '{args.role}' in {workspace.label}", file=sys.stderr)
        return EXIT_INVALID
    for version in history:
        note = f"  {version.note}" if version.note else ""
        print(f"{version.version:>4}  {version.status:<9}  {version.author:<12}  "
              f"{version.when}{note}")
    return EXIT_OK


def cmd_workspace_diff(args) -> int:
    from .store.diff import role_diff

    workspace = _open_workspace(args)
    versions = [workspace.version(args.role, n) for n in (args.v1, args.v2)]
    for number, version in zip((args.v1, args.v2), versions):
        if version is None:
            print(f"error: '{args.role}' has no version {number} in {workspace.label}",
                  file=sys.stderr)
            return EXIT_INVALID
    changes = role_diff(versions[0].document, versions[1].document)
    for change in changes:
        print(change)
    print(f"{args.role}: {len(changes)} change(s) from version {args.v1} to {args.v2}",
          file=sys.stderr)
    return EXIT_OK


def cmd_workspace_backup(args) -> int:
    workspace = _open_workspace(args)
    target = workspace.backup(args.file)
    print(f"backed up {workspace.label} to {target}")
    return EXIT_OK


def cmd_workspace_import(args) -> int:
    from .formats.csvbundle import import_csv_folder
    from .formats.xlsx import import_workbook
    from .store.imports import draft_documents, import_drafts

    if args.kind == "documents":
        return _workspace_import_documents(args)
    if len(args.source) != 1:
        print(f"error: give one {args.kind} source, not {len(args.source)}", file=sys.stderr)
        return EXIT_USAGE
    source = Path(args.source[0])
    args.source = args.source[0]
    if args.kind == "csv":
        if not source.is_dir():
            print(f"error: CSV bundle folder '{args.source}' not found", file=sys.stderr)
            return EXIT_USAGE
        result = import_csv_folder(source)
    else:
        if not source.is_file():
            print(f"error: workbook '{args.source}' not found", file=sys.stderr)
            return EXIT_USAGE
        result = import_workbook(source.read_bytes(), source.name)
    for problem in result.problems:
        print(problem, file=sys.stderr)
    if result.errors:
        print(f"error: {len(result.errors)} error(s) in {args.source}; nothing imported",
              file=sys.stderr)
        return EXIT_INVALID
    workspace = _open_workspace(args)
    drafts = import_drafts(workspace, draft_documents(result.tables), source.name)
    print(f"stored {len(drafts)} draft(s) in {workspace.label}; review them on the Review page "
          "or approve them with `python -m jdcore workspace approve --all`")
    return EXIT_OK


def _workspace_import_documents(args) -> int:
    from .formats.documents import catalogue_base, import_paths
    from .formats.writer import role_documents
    from .store import load_snapshot
    from .store.imports import import_document_drafts

    missing = [p for p in args.source if not Path(p).exists()]
    if missing:
        print(f"error: '{missing[0]}' not found", file=sys.stderr)
        return EXIT_USAGE
    workspace = _open_workspace(args)
    catalogue = load_snapshot(workspace).catalogue
    draft = import_paths(args.source, catalogue_base(catalogue))
    for problem in draft.problems:
        print(problem, file=sys.stderr)
    if not draft.roles:
        print("error: no role was found in the documents; nothing imported", file=sys.stderr)
        return EXIT_INVALID
    stored, added = import_document_drafts(workspace, draft, role_documents(catalogue.tables),
                                           f"{len(draft.documents)} document(s)")
    print(f"stored {len(stored)} draft(s) in {workspace.label} from {len(draft.documents)} "
          "document(s); review them on the Review page")
    for key, values in added.items():
        print(f"added to the taxonomy: {key.replace('_', ' ')}: {', '.join(values)}")
    return EXIT_OK


def cmd_workspace_approve(args) -> int:
    """Approve one role's pending change or all of them: checked together as one catalogue
    with every one applied (a family whose lines point at each other passes in any order),
    stored in one transaction; any error refuses them all and nothing is stored."""
    from .loading.files import role_document_name
    from .store import RETIRED, load_snapshot
    from .store.editing import check_edits

    workspace = _open_workspace(args)
    pending = {v.role_id: v for v in workspace.pending()}
    if args.all:
        chosen = list(pending.values())
    elif args.role:
        if args.role not in pending:
            print(f"error: '{args.role}' has no draft waiting for approval", file=sys.stderr)
            return EXIT_INVALID
        chosen = [pending[args.role]]
    else:
        print("error: give a ROLE or --all", file=sys.stderr)
        return EXIT_USAGE
    check = check_edits(load_snapshot(workspace).catalogue,
                        {v.role_id: None if v.retires else v.document for v in chosen},
                        {v.role_id: f"{role_document_name(v.role_id)} (version {v.version}, "
                                    f"{v.status})" for v in chosen})
    if check.errors:
        for problem in check.errors:
            print(printable(str(problem)), file=sys.stderr)
        print(f"error: the {len(chosen)} change(s), applied together, would leave "
              f"{len(check.errors)} error(s) in the catalogue; correct them (or approve the "
              "changes they depend on with them). Nothing was approved.", file=sys.stderr)
        return EXIT_INVALID
    approved = workspace.approve_many([(v.role_id, v.version) for v in chosen])
    for version in approved:
        done = "retired" if version.status == RETIRED else "approved"
        print(f"{done} {version.role_id} (version {version.version})")
    print(f"{len(approved)} draft(s) approved; {len(workspace.pending())} still pending")
    return EXIT_OK


def _add_workspace_commands(commands) -> None:
    text = ("The workspace: every version of every role in a database ($JDCORE_WORKSPACE, an "
            "SQLAlchemy URL; default workspace/catalogue.sqlite).")
    parser = commands.add_parser("workspace", help=text, description=text)
    actions = parser.add_subparsers(dest="action", required=True)

    def action(name: str, handler, help_text: str) -> argparse.ArgumentParser:
        sub = actions.add_parser(name, help=help_text, description=help_text)
        sub.add_argument("--workspace", metavar="URL",
                         help="SQLAlchemy URL of the workspace (default: $JDCORE_WORKSPACE, "
                              "else sqlite:///workspace/catalogue.sqlite)")
        sub.set_defaults(handler=_workspace_command(handler), path=None)
        return sub

    init = action("init", cmd_workspace_init,
                  "Create the workspace and store a catalogue folder as the first approved "
                  "version of every role and of the taxonomy.")
    init.add_argument("--from", dest="source", metavar="DIR",
                      help="catalogue folder (default: $JDCORE_CATALOGUE, else data)")
    export = action("export", cmd_workspace_export,
                    "Write the approved catalogue as a folder in the format of data/.")
    export.add_argument("--out", required=True, metavar="DIR", help="folder (new or empty)")
    export.add_argument("--force", action="store_true",
                        help="replace taxonomy.yaml and roles/*.yaml of a non-empty --out")
    history = action("history", cmd_workspace_history,
                     "Every version of a role: number, status, author, time, note.")
    history.add_argument("role", help="role id")
    diff = action("diff", cmd_workspace_diff, "What changed between two versions of a role.")
    diff.add_argument("role", help="role id")
    diff.add_argument("v1", type=int, help="version number")
    diff.add_argument("v2", type=int, help="version number")
    backup = action("backup", cmd_workspace_backup,
                    "A consistent copy of an SQLite workspace, also while the app runs "
                    "(PostgreSQL: use pg_dump).")
    backup.add_argument("file", help="the backup file to write (must not exist)")
    imports = action("import", cmd_workspace_import,
                     "Store the roles of a CSV bundle, an Excel workbook or job description "
                     "documents as drafts (documents: the departments, grades and duty "
                     "categories they name that the taxonomy lacks are added to it).")
    imports.add_argument("kind", choices=("csv", "xlsx", "documents"))
    imports.add_argument("source", nargs="+",
                         help="CSV bundle folder, .xlsx workbook, or documents (files, ZIPs, "
                              "folders)")
    approve = action("approve", cmd_workspace_approve,
                     "Approve a role's pending draft, or every pending draft.")
    approve.add_argument("role", nargs="?", help="role id")
    approve.add_argument("--all", action="store_true", help="approve every pending draft")
