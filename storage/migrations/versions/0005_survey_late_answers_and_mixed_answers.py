"""Survey: answers after the survey closed (kept, marked late) and the second part of a mixed answer

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 18:15:37.541628
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401  (autogenerate refers to sqlmodel.sql.sqltypes)
from alembic import op

import storage.db  # noqa: F401  (UTCDateTime)


revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Existing rows: no answer was late, and none kept a second part.
    op.add_column('anonymous_outcome', sa.Column(
        'answered_late', sa.Boolean(), server_default=sa.false(), nullable=False))
    op.add_column('survey_run', sa.Column(
        'answered_late', sa.Boolean(), server_default=sa.false(), nullable=False))
    op.add_column('survey_run', sa.Column(
        'also_category', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('survey_run', schema=None) as batch_op:
        batch_op.drop_column('also_category')
        batch_op.drop_column('answered_late')
    with op.batch_alter_table('anonymous_outcome', schema=None) as batch_op:
        batch_op.drop_column('answered_late')
