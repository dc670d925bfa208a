"""The first workspace schema: role_versions and taxonomy_versions, insert-only.

Revision ID: 0001
Revises:
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

STATUS_CHECK = "status IN ('draft', 'in review', 'approved', 'retired')"


def upgrade() -> None:
    op.create_table(
        "role_versions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("role_id", sa.String(200), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("document", sa.Text, nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("base_version", sa.Integer, nullable=False),
        sa.UniqueConstraint("role_id", "version", name="uq_role_versions_role_id_version"),
        sa.CheckConstraint("version >= 1", name="ck_role_versions_version"),
        sa.CheckConstraint(STATUS_CHECK, name="ck_role_versions_status"),
    )
    op.create_index("ix_role_versions_status_role_id", "role_versions", ["status", "role_id"])
    op.create_table(
        "taxonomy_versions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("version", sa.Integer, nullable=False, unique=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("document", sa.Text, nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.CheckConstraint("version >= 1", name="ck_taxonomy_versions_version"),
        sa.CheckConstraint(STATUS_CHECK, name="ck_taxonomy_versions_status"),
    )


def downgrade() -> None:
    op.drop_table("taxonomy_versions")
    op.drop_index("ix_role_versions_status_role_id", table_name="role_versions")
    op.drop_table("role_versions")
