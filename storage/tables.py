"""Imports every table module so SQLModel.metadata (and Alembic) sees all tables."""

from sqlmodel import SQLModel

import storage.bookings  # noqa: F401
import storage.followup  # noqa: F401
import storage.models  # noqa: F401
import storage.outreach  # noqa: F401
import storage.staff_sessions  # noqa: F401

metadata = SQLModel.metadata
