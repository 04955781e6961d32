"""A unit's own words on what to bring; feedback kept up to 4,096 characters (was 1,000)

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 18:02:27.145310
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401  (autogenerate refers to sqlmodel.sql.sqltypes)
from alembic import op

import storage.db  # noqa: F401  (UTCDateTime)


revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # SQLite cannot alter a column's type in place: batch mode copies the table.
    with op.batch_alter_table('feedback', schema=None) as batch_op:
        batch_op.alter_column('text',
               existing_type=sa.VARCHAR(length=1000),
               type_=sqlmodel.sql.sqltypes.AutoString(length=4096),
               existing_nullable=False)
    # Existing units get no words of their own: the catalog's general advice applies.
    op.add_column('unit', sa.Column('bring', sa.JSON(), nullable=False, server_default='{}'))


def downgrade() -> None:
    with op.batch_alter_table('unit', schema=None) as batch_op:
        batch_op.drop_column('bring')

    with op.batch_alter_table('feedback', schema=None) as batch_op:
        batch_op.alter_column('text',
               existing_type=sqlmodel.sql.sqltypes.AutoString(length=4096),
               type_=sa.VARCHAR(length=1000),
               existing_nullable=False)
