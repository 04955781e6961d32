"""Hand-off threads: when the person last wrote and when a coach last read

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 17:51:54.220304
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401  (autogenerate refers to sqlmodel.sql.sqltypes)
from alembic import op

import storage.db  # noqa: F401  (UTCDateTime)


revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Nullable: existing requests count from created_at and as unread until opened.
    op.add_column('handoffrequest', sa.Column(
        'last_message_at', storage.db.UTCDateTime(timezone=True), nullable=True))
    op.add_column('handoffrequest', sa.Column(
        'read_at', storage.db.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('handoffrequest', schema=None) as batch_op:
        batch_op.drop_column('read_at')
        batch_op.drop_column('last_message_at')
