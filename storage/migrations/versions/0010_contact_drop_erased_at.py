"""Contacts lose erased_at: never set (erasure deletes the row; ErasedCount keeps the moment)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 21:40:38
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.db  # noqa: F401  (UTCDateTime)


revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # SQLite cannot drop a column in place: batch mode copies the table (storage.migrate
    # runs with foreign keys off, so the rows that point at a contact stay).
    with op.batch_alter_table('contact', schema=None) as batch_op:
        batch_op.drop_column('erased_at')


def downgrade() -> None:
    with op.batch_alter_table('contact', schema=None) as batch_op:
        batch_op.add_column(sa.Column('erased_at', storage.db.UTCDateTime(timezone=True), nullable=True))
