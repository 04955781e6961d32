"""login tries counted per account, address and pair; what RADERA must find and empty

Audit rows outlive an erased person (marked, unlinked); feedback and hand-off notices to
coaches say whom they are about, so that erasure can empty their text.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 18:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401
from alembic import op

import storage.db  # noqa: F401  (UTCDateTime)

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'login_throttle',
        sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=140), nullable=False),
        sa.Column('tries', sa.Integer(), nullable=False),
        sa.Column('window_start', storage.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('blocked_until', storage.db.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('key'),
    )
    # The failures it replaces only ever mattered for fifteen minutes.
    with op.batch_alter_table('loginfailure', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_loginfailure_username'))
        batch_op.drop_index(batch_op.f('ix_loginfailure_at'))
    op.drop_table('loginfailure')
    with op.batch_alter_table('auditlog', schema=None) as batch_op:
        batch_op.add_column(sa.Column('person_erased', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('about_contact_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_outbox_about_contact_id'), ['about_contact_id'],
                              unique=False)
    with op.batch_alter_table('feedback', schema=None) as batch_op:
        batch_op.add_column(sa.Column('contact_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_feedback_contact_id'), ['contact_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('feedback', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_feedback_contact_id'))
        batch_op.drop_column('contact_id')
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbox_about_contact_id'))
        batch_op.drop_column('about_contact_id')
    with op.batch_alter_table('auditlog', schema=None) as batch_op:
        batch_op.drop_column('person_erased')
    op.create_table(
        'loginfailure',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('username', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('address', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('at', storage.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('loginfailure', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_loginfailure_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_loginfailure_username'), ['username'], unique=False)
    op.drop_table('login_throttle')
