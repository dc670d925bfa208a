"""Retirements under review: a pending version may ask for its role to be retired once it is
approved (role_versions.retires; false on every version stored before).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("role_versions") as batch:
        batch.add_column(sa.Column("retires", sa.Boolean(name="ck_role_versions_retires"),
                                   nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("role_versions") as batch:
        batch.drop_column("retires")
