"""The workspace's tables (SQLAlchemy Core). Rows are only ever inserted: a save is a new
version, nothing stored is updated or deleted.

- role_versions: every version of every role, kept whole as the YAML document a role file
  holds, with its author, time, status and note, and the version the edit started from.
  (role_id, version) is unique, so two saves on top of the same version collide in the
  database: the second is refused, whichever process or server it comes from.
  A version made by a review also names its reviewer: an approval (the approved version,
  whose author is who wrote the change) or a rejection (a draft again, with the reason)
  records who reviewed it, when, and their note (reviewer, reviewed_at, review_note; empty
  on every other version). A version saved as approved straight away was approved by its
  author.
  A pending version (draft or in review) with `retires` asks for the role to be retired:
  approving it stores a retired version (a what-if scenario's retirement, reviewed as any
  change); false on every other version.
- taxonomy_versions: every version of taxonomy.yaml, the same way.

The schema is created and changed by the Alembic migrations in jdcore/store/migrations/,
never by metadata.create_all.
"""

from __future__ import annotations

from sqlalchemy import (Boolean, CheckConstraint, Column, DateTime, Index, Integer, MetaData,
                        String, Table, Text, UniqueConstraint, false)

DRAFT, IN_REVIEW, APPROVED, RETIRED = "draft", "in review", "approved", "retired"
STATUSES = (DRAFT, IN_REVIEW, APPROVED, RETIRED)

metadata = MetaData()

role_versions = Table(
    "role_versions", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("role_id", String(200), nullable=False),
    Column("version", Integer, nullable=False),
    Column("status", String(20), nullable=False),
    Column("document", Text, nullable=False),
    Column("author", String(200), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("note", Text, nullable=False),
    Column("base_version", Integer, nullable=False),
    Column("reviewer", String(200), nullable=True),
    Column("reviewed_at", DateTime(timezone=True), nullable=True),
    Column("review_note", Text, nullable=True),
    Column("retires", Boolean(name="ck_role_versions_retires"), nullable=False,
           server_default=false()),
    UniqueConstraint("role_id", "version", name="uq_role_versions_role_id_version"),
    CheckConstraint("version >= 1", name="ck_role_versions_version"),
    CheckConstraint("status IN ('draft', 'in review', 'approved', 'retired')",
                    name="ck_role_versions_status"),
    Index("ix_role_versions_status_role_id", "status", "role_id"),
)

taxonomy_versions = Table(
    "taxonomy_versions", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("version", Integer, nullable=False, unique=True),
    Column("status", String(20), nullable=False),
    Column("document", Text, nullable=False),
    Column("author", String(200), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("note", Text, nullable=False),
    CheckConstraint("version >= 1", name="ck_taxonomy_versions_version"),
    CheckConstraint("status IN ('draft', 'in review', 'approved', 'retired')",
                    name="ck_taxonomy_versions_status"),
)
