"""Opening a workspace database: an SQLAlchemy URL in, an engine out, the schema brought to
the version this code knows (Alembic, run programmatically), and database errors turned into
messages a user can act on.

SQLite (the embedded default, one file) and PostgreSQL (psycopg 3) go through the same
SQLAlchemy Core statements; the only differences handled here are how to connect: SQLite
waits for a lock (busy timeout) and runs in WAL mode, so the app's readers never block a
save; PostgreSQL gives up connecting after a few seconds.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import create_engine, event, inspect
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
SQLITE_BUSY_TIMEOUT_S = 15
CONNECT_TIMEOUT_S = 5


class WorkspaceError(Exception):
    """The workspace cannot do what was asked; the message says why and what to do."""


class SchemaTooNewError(WorkspaceError):
    """The workspace was created or upgraded by a newer version of jdcore."""


def normalise_url(url: str) -> str:
    """The URL with PostgreSQL's driver made psycopg 3 (postgresql:// -> postgresql+psycopg://);
    raise WorkspaceError for a URL SQLAlchemy cannot read."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise WorkspaceError(f"'{url}' is not a database URL; write e.g. "
                             "sqlite:///workspace/catalogue.sqlite or "
                             "postgresql://user@host/dbname") from None
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise WorkspaceError(f"a workspace is an SQLite or a PostgreSQL database, not "
                             f"{parsed.get_backend_name()}; give a sqlite:/// or "
                             "postgresql:// URL")
    return parsed.render_as_string(hide_password=False)


def display_url(url: str) -> str:
    """The URL without its password, to show in the app and in messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def sqlite_path(url: str) -> Path | None:
    """The file of an SQLite URL (None for PostgreSQL or an in-memory database)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def _sqlite_on_connect(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode = WAL")
    except Exception:  # a read-only file cannot switch modes; it can still be read
        pass
    finally:
        cursor.close()


def create_workspace_engine(url: str, create: bool = False,
                            busy_timeout: float = SQLITE_BUSY_TIMEOUT_S) -> Engine:
    """An engine for the workspace at `url` (create an SQLite file's folder when `create`).
    An SQLite writer waits up to `busy_timeout` seconds for another writer's lock."""
    url = normalise_url(url)
    path = sqlite_path(url)
    if path is not None:
        if create:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise WorkspaceError(f"cannot create the folder {path.parent}: "
                                     f"{exc.strerror}") from None
        elif not path.is_file() and "mode=ro" not in url:
            raise WorkspaceError(f"no workspace at {path}; create one with "
                                 "`python -m jdcore workspace init`")
        engine = create_engine(url, connect_args={"timeout": busy_timeout})
        event.listen(engine, "connect", _sqlite_on_connect)
        return engine
    return create_engine(url, connect_args={"connect_timeout": CONNECT_TIMEOUT_S},
                         pool_pre_ping=True)


def alembic_config(connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config(None)).get_current_head()


def schema_revision(engine: Engine) -> str | None:
    """The workspace's schema revision (None for an empty database)."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade_schema(engine: Engine) -> None:
    """Bring the schema to this code's head revision, or raise SchemaTooNewError when the
    database holds a revision this code does not know (a newer jdcore wrote it)."""
    script = ScriptDirectory.from_config(alembic_config(None))
    current = schema_revision(engine)
    if current is not None:
        try:
            known = script.get_revision(current) is not None
        except CommandError:
            known = False
        if not known:
            raise SchemaTooNewError(
                f"this workspace has schema version {current}, newer than this version of "
                f"jdcore knows (up to {script.get_current_head()}); upgrade the app "
                "(git pull && pip install -r requirements.txt) to open it. Nothing was changed.")
    if current == script.get_current_head():
        return
    try:
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), "head")
    except SQLAlchemyError:
        # Another server may have created the schema at the same moment: fine if it is done.
        if schema_revision(engine) != script.get_current_head():
            raise


def has_workspace_tables(engine: Engine) -> bool:
    return inspect(engine).has_table("role_versions")


def database_message(exc: BaseException, url: str) -> str:
    """A one-line explanation of a database error, with what to do about it."""
    text = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0] if str(exc) else ""
    lowered = text.casefold()
    where = display_url(url)
    if "readonly" in lowered or "read-only" in lowered or "read only" in lowered:
        return (f"the workspace {where} is read-only ({text}); nothing was saved. Give the app "
                "write access to the file and its folder, or open a copy")
    if "locked" in lowered or "busy" in lowered:
        return (f"the workspace {where} is busy: another writer held it for more than "
                f"{SQLITE_BUSY_TIMEOUT_S} s ({text}); nothing was saved, try again")
    if "full" in lowered or "no space" in lowered:
        return f"the disk of the workspace {where} is full ({text}); free some space; nothing was saved"
    if "not a database" in lowered or "malformed" in lowered:
        return (f"{where} is not a workspace database ({text}); point JDCORE_WORKSPACE at "
                "another file or create one with `python -m jdcore workspace init`")
    if "unable to open" in lowered:
        return f"cannot open the workspace {where} ({text}); check the path and its permissions"
    if "connect" in lowered or "connection" in lowered or "could not translate" in lowered \
            or "timeout" in lowered:
        return (f"cannot reach the workspace database {where} ({text}); check that the server "
                "runs and the URL, user and password are right")
    return f"the workspace {where} failed: {text}"
