"""A jobbtorg's own facts in words: its weekly opening hours, what to bring to a visit."""

from __future__ import annotations

from datetime import time

from babel.dates import get_day_names

from handlers.visit_words import LOCALES
from messages import Texts
from storage.models import Unit

BRING_LENGTH = 160  # a unit's own advice; with the booking's line it stays in two SMS parts

Windows = tuple[tuple[time, time], ...]


def _clock(moment: time, language: str) -> str:
    """Swedish '9' or '9.30' (whole hours as people say them), English '9:00'."""
    if language == "sv":
        return str(moment.hour) if moment.minute == 0 else f"{moment.hour}.{moment.minute:02d}"
    return f"{moment.hour}:{moment.minute:02d}"


def _windows(windows: Windows, texts: Texts) -> str:
    spans = [texts("unit.hours.span", opens=_clock(opens, texts.language),
                   closes=_clock(closes, texts.language)) for opens, closes in windows]
    if len(spans) == 1:
        return spans[0]
    return texts("unit.hours.and", first=", ".join(spans[:-1]), last=spans[-1])


def hours_words(hours: dict[int, list[tuple[time, time]]], texts: Texts) -> str:
    """'Öppet måndag till fredag kl 9-16' / 'Open Monday to Friday 9:00-16:00'; days in a
    row with the same windows are one group ('..., fredag kl 9-12')."""
    days = days_words(hours, texts)
    return texts("unit.hours.open", groups=days) if days else texts("unit.hours.closed")


def days_words(hours: dict[int, list[tuple[time, time]]], texts: Texts) -> str:
    """'måndag till fredag kl 9-16', 'tisdag kl 13-15, torsdag kl 13-15' ('' for no
    hours): the days and times a unit is open or a kind of visit is held."""
    language = texts.language if texts.language in LOCALES else "sv"
    names = get_day_names("wide", locale=LOCALES[language])
    groups: list[tuple[int, int, Windows]] = []  # first day, last day, windows
    for day in range(7):
        windows: Windows = tuple(hours.get(day, []))
        if not windows:
            continue
        if groups and groups[-1][1] == day - 1 and groups[-1][2] == windows:
            groups[-1] = (groups[-1][0], day, windows)
        else:
            groups.append((day, day, windows))
    parts = []
    for first, last, windows in groups:
        days = names[first] if first == last else texts(
            "unit.hours.days", first=names[first], last=names[last])
        parts.append(texts("unit.hours.group", days=days, windows=_windows(windows, texts)))
    return ", ".join(parts)


def bring_words(unit: Unit | None, texts: Texts) -> str:
    """What to bring, in the unit's own words when it has them in this language."""
    own = (unit.bring or {}).get(texts.language, "").strip() if unit is not None else ""
    return own or texts("faq.bring.answer")
