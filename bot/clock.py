"""The one clock: real time, or the demo clock that the simulator can move forward."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


class Clock:
    """Real time. Code asks the clock for now(); nothing calls datetime.now() itself."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class DemoClock(Clock):
    """Real time plus an offset that only grows. The offset is persisted by the caller
    (storage.settings_store) so CLI commands against the demo database share it."""

    def __init__(self, offset: timedelta = timedelta(0)) -> None:
        self.offset = offset

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def advance(self, seconds: float) -> datetime:
        if seconds < 0:
            raise ValueError("the demo clock only moves forward")
        self.offset += timedelta(seconds=seconds)
        return self.now()


class FixedClock(Clock):
    """A clock that stands still until told; for tests."""

    def __init__(self, at: datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("FixedClock needs an aware datetime")
        self.at = at

    def now(self) -> datetime:
        return self.at

    def advance(self, seconds: float) -> datetime:
        self.at += timedelta(seconds=seconds)
        return self.at


def set_demo_now(clock: DemoClock, at: datetime) -> None:
    """Move the demo clock so now() is `at` (only forward)."""
    offset = at - datetime.now(UTC)
    if offset > clock.offset:
        clock.offset = offset
