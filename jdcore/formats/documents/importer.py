"""The documents import's inputs and output: files, folders (read recursively) and ZIPs of
documents in; a catalogue folder out, written with jdcore.formats.writer and loaded back.

Every ZIP (an uploaded one, or one found in a folder) goes through jdcore.formats.archive;
a member's folder is only ever used as a department hint, never as a path on disk, and a
member whose name climbs out of the archive (``../``) or is absolute is refused.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path, PurePosixPath

from ...model.problems import CatalogueError, Problem
from ..archive import ArchiveLimits, checked_members, open_archive, read_member
from ..limits import DEFAULT_LIMITS, Budget, ImportLimits, LimitExceeded
from .build import Base, import_documents
from .draft import DocumentDraft
from .readers import SUFFIXES

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
MAX_DOCUMENTS = 5000
ZIP_LIMITS = ArchiveLimits(max_total=500 * 1024 * 1024, max_member=MAX_DOCUMENT_BYTES)


def embedded_base() -> Base:
    """The embedded catalogue's taxonomy and its duties (examples of each duty category),
    with no roles to resolve reporting lines against."""
    from ...loading import load_catalogue
    from ..tablereader import EMBEDDED_TAXONOMY

    catalogue = load_catalogue(Path(EMBEDDED_TAXONOMY).parent)
    base = catalogue_base(catalogue)
    base.titles = {}
    return base


def catalogue_base(catalogue) -> Base:
    """A loaded catalogue as the base: its taxonomy, role titles and duties."""
    from ..writer import taxonomy_document

    roles = catalogue.roles
    duties = catalogue.duties
    return Base(taxonomy_document(catalogue.taxonomy),
                dict(zip(roles["role_id"].astype(str), roles["title"].astype(str))),
                list(zip(duties["text"].astype(str), duties["category"].astype(str))))


def zip_documents(data: bytes, name: str) -> tuple[list[tuple[str, bytes, str]], list[Problem]]:
    """The documents in a ZIP: (name as "zip/member", bytes, folder), after the archive checks."""
    files: list[tuple[str, bytes, str]] = []
    problems: list[Problem] = []
    try:
        with open_archive(data, name, "not a ZIP file, or a damaged one; create the ZIP "
                          "again") as archive:
            for info in checked_members(archive, name, ZIP_LIMITS):
                member = info.filename.replace("\\", "/")
                parts = PurePosixPath(member).parts
                if member.startswith("/") or ".." in parts or (parts and ":" in parts[0]):
                    problems.append(Problem(name, None, info.filename, "the member's path leaves "
                                            "the archive (absolute or with ..); refused: "
                                            "create the ZIP from the documents' folder"))
                    continue
                leaf = parts[-1] if parts else ""
                if not leaf or leaf.startswith(".") or "__MACOSX" in parts:
                    continue
                if not leaf.casefold().endswith(SUFFIXES):
                    continue
                folder = parts[-2] if len(parts) >= 2 else ""
                files.append((f"{name}/{member}", read_member(archive, info, name), folder))
    except CatalogueError as exc:
        problems += exc.problems
    return files, problems


def collect(paths: list[str | Path]) -> tuple[list[tuple[str, bytes, str]], list[Problem]]:
    """Documents of files and folders (read recursively; ZIPs opened): (name, bytes, folder)."""
    files: list[tuple[str, bytes, str]] = []
    problems: list[Problem] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file()
                           and p.name.casefold().endswith(SUFFIXES + (".zip",))
                           and not any(part.startswith(".") for part in p.relative_to(path).parts))
            if not found:
                problems.append(Problem(str(path), None, "", "the folder holds no document "
                                        f"({', '.join(SUFFIXES)} or .zip); give another"))
            for file in found:
                parent = file.parent.relative_to(path)
                folder = parent.name if parent.parts else ""
                _add_file(file, str(Path(path.name) / file.relative_to(path)), folder, files,
                          problems)
        elif path.is_file():
            _add_file(path, path.name, "", files, problems)
        else:
            problems.append(Problem(str(path), None, "", "no such file or folder; check the path"))
        if len(files) > MAX_DOCUMENTS:
            problems.append(Problem(str(path), None, "", f"over {MAX_DOCUMENTS} documents in one "
                                    "import; import them in smaller batches"))
            return files[:MAX_DOCUMENTS], problems
    return files, problems


def _add_file(path: Path, name: str, folder: str, files, problems) -> None:
    try:
        size = path.stat().st_size
        if size > (ZIP_LIMITS.max_total if path.suffix.casefold() == ".zip"
                   else MAX_DOCUMENT_BYTES):
            problems.append(Problem(name, None, "", f"the file is {size:,} bytes, over the "
                                    f"{MAX_DOCUMENT_BYTES // (1024 * 1024)} MB limit of a "
                                    "document; split it"))
            return
        data = path.read_bytes()
    except OSError as exc:
        problems.append(Problem(name, None, "", f"cannot read the file ({exc.strerror}); check "
                                "its permissions"))
        return
    if path.suffix.casefold() == ".zip":
        found, zip_problems = zip_documents(data, name)
        files += found
        problems += zip_problems
        return
    files.append((name, data, folder))


def import_paths(paths: list[str | Path], base: Base | None = None,
                 today: dt.date | None = None) -> DocumentDraft:
    """Every document under the paths, drafted against `base` (the embedded taxonomy)."""
    files, problems = collect(paths)
    draft = import_documents(files, base or embedded_base(), today)
    draft.problems = problems + draft.problems
    return draft


def import_uploads(uploads: list[tuple[str, bytes]], base: Base | None = None,
                   today: dt.date | None = None,
                   limits: ImportLimits = DEFAULT_LIMITS) -> DocumentDraft:
    """Uploaded documents and ZIPs of documents (the Import page), size capped, within the
    import's time budget and roles cap (`limits`); the Import page runs it in
    jdcore.formats.importworker's worker process (run_document_import)."""
    files: list[tuple[str, bytes, str]] = []
    problems: list[Problem] = []
    for name, data in uploads:
        limit = ZIP_LIMITS.max_total if name.casefold().endswith(".zip") else MAX_DOCUMENT_BYTES
        if len(data) > limit:
            problems.append(Problem(name, None, "", f"the file is {len(data):,} bytes, over the "
                                    f"{limit // (1024 * 1024)} MB limit; split it"))
        elif name.casefold().endswith(".zip"):
            found, zip_problems = zip_documents(data, name)
            files += found
            problems += zip_problems
        else:
            files.append((name, data, ""))
    if len(files) > MAX_DOCUMENTS:
        problems.append(Problem(uploads[-1][0], None, "", f"over {MAX_DOCUMENTS} documents in "
                                f"one import; the first {MAX_DOCUMENTS} are read: import the "
                                "others in another batch"))
    try:
        draft = import_documents(files[:MAX_DOCUMENTS], base or embedded_base(), today,
                                 Budget(limits, fix="import fewer or smaller documents at a "
                                        "time"), limits.roles)
    except LimitExceeded as exc:
        draft = DocumentDraft(documents=[name for name, _, _ in files], problems=exc.problems)
    draft.problems = problems + draft.problems
    return draft


TAXONOMY_HEADER = """\
# Taxonomy of a catalogue imported from job description documents by
# `python -m jdcore import documents`: the base taxonomy, with the departments, grades and
# duty categories the documents named that it did not have. reporting: none, since documents
# rarely describe a whole reporting tree. What a document does not state (a duty's frequency,
# time share and essential flag, the authority scales, the workload measures) is null.

"""


def draft_documents(draft: DocumentDraft, base_documents: dict[str, dict] | None = None
                    ) -> dict[str, dict]:
    """The role documents to write: the base catalogue's (if given) and the drafted ones.
    A reference to a role not among them (a catalogue role when written alone) is dropped."""
    documents = dict(base_documents or {})
    documents.update(draft.roles)
    known = set(documents)
    out = {}
    for rid, doc in documents.items():
        if rid in draft.roles:
            doc = dict(doc)
            if doc.get("reports_to") not in known:
                doc["reports_to"] = None
            doc["interactions"] = [
                i if i["with"].startswith("external:") or i["with"] in known
                else {**i, "with": "external:" + (draft.base_roles.get(i["with"]) or i["with"])
                      .casefold()}
                for i in doc["interactions"]]
            doc["career"] = {"next": [n for n in doc["career"]["next"] if n in known]}
        out[rid] = doc
    return out


def write_draft(draft: DocumentDraft, out: str | Path, *, force: bool = False,
                base_documents: dict[str, dict] | None = None):
    """Write the draft (with the base catalogue's roles, if given) as a catalogue folder and
    load it back; WriteError when nothing can be written."""
    from ...loading import load_catalogue
    from ..writer import WriteError, write_catalogue

    if draft.taxonomy is None or not draft.roles:
        raise WriteError("nothing to write: no role was found in the documents")
    write_catalogue(out, draft.taxonomy, draft_documents(draft, base_documents), force=force,
                    header=TAXONOMY_HEADER)
    return load_catalogue(out)
