"""Imports every table module so SQLModel.metadata (and Alembic) sees all tables."""

from sqlmodel import SQLModel

import storage.models  # noqa: F401
import storage.staff_sessions  # noqa: F401

metadata = SQLModel.metadata

# Feature tables (after `metadata`: their modules import storage.people, which imports this).
import storage.bookings  # noqa: E402, F401
import storage.followup  # noqa: E402, F401
import storage.outreach  # noqa: E402, F401
