"""Visits in words: dates and times with Babel in the person's language, kind names, needs."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime

from messages import Texts
from storage.bookings import Booking, VisitKind

LOCALES = {"sv": "sv_SE", "en": "en_GB"}
WHEN_PATTERNS = {"sv": "EEEE d MMMM 'kl.' HH.mm", "en": "EEEE d MMMM 'at' HH:mm"}
CLOCK_PATTERNS = {"sv": "HH.mm", "en": "HH:mm"}


def _language(texts: Texts) -> str:
    return texts.language if texts.language in LOCALES else "sv"


def when_words(start: datetime, texts: Texts, zone: ZoneInfo) -> str:
    """'tisdag 1 december kl. 10.00' / 'Tuesday 1 December at 10:00'."""
    language = _language(texts)
    return format_datetime(start.astimezone(zone), WHEN_PATTERNS[language],
                           locale=LOCALES[language], tzinfo=zone)


def day_words(day: date, texts: Texts) -> str:
    """'tisdag 1 december' / 'Tuesday 1 December'."""
    language = _language(texts)
    return format_date(day, "EEEE d MMMM", locale=LOCALES[language])


def clock_words(moment: datetime, texts: Texts, zone: ZoneInfo) -> str:
    """'10.00' / '10:00'."""
    language = _language(texts)
    return format_datetime(moment.astimezone(zone), CLOCK_PATTERNS[language],
                           locale=LOCALES[language], tzinfo=zone)


def kind_label(kind: VisitKind, texts: Texts) -> str:
    """The catalog's name for a seeded kind, else the name staff gave it."""
    key = f"booking.kind.{kind.slug}"
    return texts(key) if texts.has(key) else kind.name


def visit_words(start: datetime, end: datetime, kind: VisitKind, texts: Texts,
                zone: ZoneInfo) -> str:
    """When, as the person reads it: a time, or for a drop-in the window to come in."""
    if kind.drop_in:
        return texts("booking.drop_in_when", day=day_words(start.astimezone(zone).date(), texts),
                     start=clock_words(start, texts, zone), end=clock_words(end, texts, zone))
    return when_words(start, texts, zone)


def booking_words(booking: Booking, kind: VisitKind, texts: Texts, zone: ZoneInfo) -> str:
    """'Första besök, tisdag 1 december kl. 10.00'."""
    return f"{kind_label(kind, texts)}, {visit_words(booking.start, booking.end, kind, texts, zone)}"


def needs_words(interpreter_language: str | None, accessibility: bool, texts: Texts) -> str:
    """The needs as a short phrase, or '' when there are none."""
    parts = []
    if interpreter_language:
        parts.append(texts("booking.needs.interpreter_in", language=interpreter_language))
    if accessibility:
        parts.append(texts("booking.needs.accessibility_short"))
    return ", ".join(parts)
