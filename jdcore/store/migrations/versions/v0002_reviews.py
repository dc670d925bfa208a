"""Reviews: who approved or rejected a version, when, and why (role_versions.reviewer,
reviewed_at, review_note; empty on the versions stored before).

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("role_versions") as batch:
        batch.add_column(sa.Column("reviewer", sa.String(200), nullable=True))
        batch.add_column(sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("review_note", sa.Text, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("role_versions") as batch:
        batch.drop_column("review_note")
        batch.drop_column("reviewed_at")
        batch.drop_column("reviewer")
