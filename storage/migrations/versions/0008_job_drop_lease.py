"""Jobs lose lease_until: never used (a job is claimed by a row lock, not a lease)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 19:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.db  # noqa: F401  (UTCDateTime)


revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # SQLite cannot drop a column in place: batch mode copies the table.
    with op.batch_alter_table('job', schema=None) as batch_op:
        batch_op.drop_column('lease_until')


def downgrade() -> None:
    with op.batch_alter_table('job', schema=None) as batch_op:
        batch_op.add_column(sa.Column('lease_until', storage.db.UTCDateTime(timezone=True), nullable=True))
