"""report figures: programme (insats), what an erased person's funnel keeps, uppsökta

Revision ID: 0007
Revises: 0006
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401
from alembic import op

import storage.db

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _text(length: int) -> sa.types.TypeEngine:  # type: ignore[type-arg]
    return sqlmodel.sql.sqltypes.AutoString(length=length)


def upgrade() -> None:
    op.add_column("contact", sa.Column("programme", _text(32), nullable=True))
    op.add_column("avslut", sa.Column("programme", _text(32), nullable=True))
    op.add_column("anonymous_outcome", sa.Column("programme", _text(32), nullable=True))
    op.add_column("erasedcount", sa.Column("district_id", sa.Integer(), nullable=True))
    op.add_column("erasedcount", sa.Column("first_contact_at",
                                           storage.db.UTCDateTime(timezone=True), nullable=True))
    op.add_column("erasedcount", sa.Column("journey", _text(120), nullable=True))
    op.create_table(
        "outreach_met",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("met_on", sa.Date(), nullable=False),
        sa.Column("people", sa.Integer(), nullable=False),
        sa.Column("recorded_by", _text(80), nullable=False),
        sa.Column("recorded_at", storage.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["source_id"], ["outreach_source.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_outreach_met_source_id"), "outreach_met", ["source_id"])
    op.create_index(op.f("ix_outreach_met_met_on"), "outreach_met", ["met_on"])


def downgrade() -> None:
    op.drop_index(op.f("ix_outreach_met_met_on"), table_name="outreach_met")
    op.drop_index(op.f("ix_outreach_met_source_id"), table_name="outreach_met")
    op.drop_table("outreach_met")
    with op.batch_alter_table("erasedcount") as batch:
        batch.drop_column("journey")
        batch.drop_column("first_contact_at")
        batch.drop_column("district_id")
    for table in ("anonymous_outcome", "avslut", "contact"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("programme")
