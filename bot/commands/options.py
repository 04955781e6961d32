"""Reading what a coach types into any `jobbtorg` option: days, times and keys.

Days and times are read as the participant side reads them (handlers.when_parse),
relative to the bot's clock: "2026-12-03 10:00", "3/12 10:00" (day first: 3 December),
"onsdag 14:00", "imorgon 9.30". A date without a year is the next such date for a
future-facing option (--start) and the last such date for a past-facing one (avslut
--date); a weekday is the next one (the last one for a past-facing option).

Report periods (--from/--to) take those past-facing days and also months: "september",
"sep 2025", "2026-09", "förra månaden" / "last month" (its first day for --from, its last
for --to). A day after today, or --from after --to, is refused in one line.

Keys (units, districts, visit kinds, programmes, reasons, survey categories and details,
statuses, target groups, roles, report splits, languages) match without case or accents,
by key or by their Swedish or English names ("Järva", "Vägledning", "Stockholmsjobb",
"Jobbar", "full time", "Nyanlända", "Newly arrived", "analytiker"). A near miss is refused
with what was probably meant and the valid keys; it is never taken as a guess.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime, time, tzinfo

from rapidfuzz import process
from rapidfuzz.distance import OSA
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.commands.common import fail
from handlers.outcome_parse import CATEGORIES, EMPLOYMENTS, EXTENTS, SCHOOLS, Outcome
from handlers.survey import GROUP_ALIASES, FollowupError, checked_outcome
from handlers.when_parse import parse_clock, parse_day, parse_month
from messages import LANGUAGES, Texts
from storage.bookings import VisitKind
from storage.folding import fold_accents
from storage.followup import ANSWERED, EXPIRED, NOT_SENT, SCHEDULED, SENT, TARGET_GROUPS, TOO_OLD
from storage.models import District, Unit
from storage.places import all_districts, all_units

DAY_EXAMPLES = "2026-12-03, 3/12, onsdag, idag or imorgon"
BOUND_EXAMPLES = "2026-09-01, 1/9, '1 sep', september, 'sep 2025', 2026-09 or 'förra månaden'"
START_EXAMPLES = "'2026-12-03 10:00', '3/12 10:00' or 'onsdag 14:00'"
_SPACES = re.compile(r"[\s_]+")


def _folded(text: str) -> str:
    """'Järva ' -> 'jarva', 'no show' -> 'no-show', 'Ingång 20–29' -> 'ingang-20-29'."""
    return _SPACES.sub("-", fold_accents(text.strip().casefold()).replace("–", "-"))


def read_day(text: str, today: date, option: str, past: bool | None = False) -> date:
    """A day typed for `option`, or a one-line refusal (exit 2). `past` None: either
    way (a day to look at): the next such day, else the last one."""
    day = parse_day(text, today, past=bool(past))
    if day is None and past is None:
        day = parse_day(text, today, past=True)
    if day is None and past and parse_day(text, today) is not None:
        raise fail(f"{option} {text!r} is after today (in the future); give the day it happened")
    if day is None:
        when = "" if past is None else ", today or earlier" if past else ", today or later"
        raise fail(f"{option} must be a date like {DAY_EXAMPLES}{when} (got {text!r})")
    return day


def read_bound(text: str, today: date, option: str, end: bool) -> date:
    """A report period's first (--from) or last (--to) day: a past-facing day, or a month
    (its first day, or with `end` its last). A month that has begun is allowed as --to
    (the period runs to its end: nothing after today is recorded yet)."""
    month = parse_month(text, today)
    if month is None:
        day = parse_day(text, today, past=True)
        if day is not None:
            return day
        if parse_day(text, today) is not None:
            raise fail(f"{option} {text!r} is after today ({today}); a report period ends "
                       "today or earlier")
        raise fail(f"{option} must be a date or a month like {BOUND_EXAMPLES} (got {text!r})")
    if month > today:
        raise fail(f"{option} {text!r} is after today ({today}); give a month that has begun")
    return month.replace(day=calendar.monthrange(month.year, month.month)[1]) if end else month


def read_period(start: str, end: str, today: date) -> tuple[date | None, date | None]:
    """--from and --to as typed (either may be empty), each read by `read_bound`; --from
    after --to is refused, naming both days as read."""
    first = read_bound(start, today, "--from", end=False) if start else None
    last = read_bound(end, today, "--to", end=True) if end else None
    if first is not None and last is not None and first > last:
        raise fail(f"--from ({first}) is after --to ({last})")
    return first, last


def read_start(text: str, today: date, option: str = "--start",
               day_only: bool = False) -> tuple[date, time | None]:
    """A future day and clock time ("3/12 10:00"); with `day_only`, the time may be
    left out (a drop-in day)."""
    cleaned = text.strip().replace("T", " ")
    day = parse_day(cleaned, today)
    at = parse_clock(cleaned)
    if day is None or (at is None and not day_only):
        raise fail(f"{option} must be a day and time from today, like {START_EXAMPLES} "
                   f"(got {text!r})")
    return day, at


def read_moment(text: str, now: datetime, zone: tzinfo, option: str = "--at") -> datetime:
    """A future local moment ('3/12 10:00', 'onsdag 14:00', '2026-12-03 10:00'), or an
    ISO 8601 time with its offset; `now` is the bot's clock."""
    try:
        moment = datetime.fromisoformat(text.strip().replace(" ", "T", 1))
    except ValueError:
        day, at = read_start(text, now.astimezone(zone).date(), option)
        assert at is not None
        moment = datetime.combine(day, at)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    if moment <= now:
        raise fail(f"{option} must be in the future (got {text!r})")
    return moment


def read_key(text: str, choices: Mapping[str, str], option: str,
             also: Mapping[str, str] | None = None) -> str:
    """The key of `choices` (key -> display name) that `text` names, folded for case and
    accents, by key or display name (or a name in `also`, name -> key); else a refusal
    naming the nearest one."""
    typed = _folded(text)
    names = {_folded(n): k for n, k in (also or {}).items()}
    names |= {_folded(n): k for k, n in choices.items()} | {_folded(k): k for k in choices}
    if typed in names:
        return names[typed]
    limit = 2 if len(typed) >= 6 else 1
    near = process.extractOne(typed, list(names), scorer=OSA.distance, score_cutoff=limit)
    known = ", ".join(choices)
    if near is not None:
        raise fail(f"{option} {text!r}: did you mean {names[near[0]]!r}? (it must be one "
                   f"of {known})")
    raise fail(f"{option} must be one of {known} (got {text!r})")


def read_keys(texts: Iterable[str], choices: Mapping[str, str], option: str,
              also: Mapping[str, str] | None = None) -> list[str]:
    """Each of several typed values by `read_key`, in the order typed, each once."""
    return list(dict.fromkeys(read_key(text, choices, option, also) for text in texts))


def catalog_names(prefixes: Iterable[str], keys: Iterable[str]) -> dict[str, str]:
    """The Swedish and English names the catalogs give keys (name -> key), for typed names:
    under each of `prefixes` ("survey.category" names "arbete" by "Jobbar" and "Working").
    A name with a note in brackets is also known by its parts: "Fast jobb (tillsvidare)"
    by "Fast jobb" and "tillsvidare"."""
    names: dict[str, str] = {}
    keys = tuple(keys)
    for language in LANGUAGES:
        t = Texts(language)
        for prefix in prefixes:
            for key in keys:
                if not t.has(f"{prefix}.{key}"):
                    continue
                name = t(f"{prefix}.{key}")
                names[name] = key
                head, _, note = name.partition("(")
                if note:
                    names.setdefault(head.strip(), key)
                    names.setdefault(note.rstrip(") "), key)
    return names


def _choices(keys: Iterable[str]) -> dict[str, str]:
    return {key: key for key in keys}


# Words staff use that no catalog gives (name -> key); the catalogs' names come too.
CATEGORY_WORDS = {"work": "arbete", "job": "arbete", "jobb": "arbete", "employed": "arbete",
                  "studies": "studier", "study": "studier", "pluggar": "studier",
                  "internship": "praktik", "placement": "praktik",
                  "job seeking": "soker-jobb", "jobseeker": "soker-jobb",
                  "looking for a job": "soker-jobb", "arbetssökande": "soker-jobb",
                  "other": "annat"}
EXTENT_WORDS = {"full-time": "heltid", "fulltime": "heltid", "part-time": "deltid",
                "parttime": "deltid"}
EMPLOYMENT_WORDS = {"fast": "tillsvidare", "temporary": "visstid", "temp": "visstid",
                    "fixed term": "visstid", "vikariat": "visstid", "trial": "provanstallning",
                    "timanställd": "timanstallning", "subsidized": "med-stod",
                    "lönebidrag": "med-stod", "self-employed": "eget-foretag",
                    "egen företagare": "eget-foretag"}
SCHOOL_WORDS = {"universitet": "hogskola", "college": "hogskola", "high school": "gymnasium",
                "other school": "annat"}
STATUS_WORDS = {"schemalagd": SCHEDULED, "planerad": SCHEDULED, "skickad": SENT,
                "besvarad": ANSWERED, "utgången": EXPIRED, "inte skickad": NOT_SENT,
                "ej skickad": NOT_SENT, "för gammal": TOO_OLD}
SURVEY_STATUSES = (SCHEDULED, SENT, ANSWERED, EXPIRED, NOT_SENT, TOO_OLD)
LANGUAGE_NAMES = {"sv": "svenska", "en": "English"}
LANGUAGE_WORDS = {"swedish": "sv", "engelska": "en"}


def read_language(text: str, option: str = "--lang") -> str:
    """sv or en, also as svenska, Swedish, English, engelska."""
    return read_key(text, LANGUAGE_NAMES, option, LANGUAGE_WORDS)


def read_split(text: str, splits: Iterable[str], option: str = "--by",
               also: Mapping[str, str] | None = None) -> str:
    """A report split by key or by its column name in either language ("Ålder", "age")."""
    keys = tuple(splits)
    return read_key(text, _choices(keys), option,
                    {**catalog_names(["staff.report.sheet"], keys), **(also or {})})


def read_outcome(category: str, extent: str = "", employment: str = "", school: str = "",
                 category_option: str = "--category") -> Outcome:
    """A survey answer or staff outcome as typed ("Jobbar" --extent "full time"): each part
    read by name, then checked as a whole (extent with arbete, school with studier)."""
    def part(text: str, keys: tuple[str, ...], prefix: str, words: dict[str, str],
             option: str) -> str:
        if not text:
            return ""
        names = {**catalog_names([f"survey.{prefix}", f"staff.report.{prefix}"], keys), **words}
        return read_key(text, _choices(keys), option, names)

    try:
        return checked_outcome(
            part(category, CATEGORIES, "category", CATEGORY_WORDS, category_option),
            part(extent, EXTENTS, "extent", EXTENT_WORDS, "--extent"),
            part(employment, EMPLOYMENTS, "employment", EMPLOYMENT_WORDS, "--employment"),
            part(school, SCHOOLS, "school", SCHOOL_WORDS, "--school"))
    except FollowupError as error:
        raise fail(str(error)) from None


def read_groups(texts: Iterable[str], option: str = "GROUPS") -> list[str]:
    """Target groups by key or name in either language ("KAA", "Nyanlända", "Newly
    arrived") or a name staff use for one ("UVAS", "ekonomiskt bistånd")."""
    names = {**catalog_names(["staff.report.group"], TARGET_GROUPS),
             **{name: key for key, name in TARGET_GROUPS.items()}, **GROUP_ALIASES}
    return read_keys(texts, _choices(TARGET_GROUPS), option, names)


def read_status(text: str, option: str = "--status") -> str:
    """A survey run's status, by key or name ("besvarad", "not sent")."""
    return read_key(text, _choices(SURVEY_STATUSES), option, STATUS_WORDS)


def read_role(text: str, roles: Iterable[str], option: str = "--role") -> str:
    """A staff role by key or its name in either language ("analytiker", "uppsökare")."""
    keys = tuple(roles)
    return read_key(text, _choices(keys), option, catalog_names(["staff.web.role"], keys))


def keys_help(choices: Mapping[str, str]) -> str:
    """'stockholmsjobb (Stockholmsjobb), annan (Annan insats)' for --help texts."""
    return ", ".join(key if key == name else f"{key} ({name})" for key, name in choices.items())



async def unit_named(session: AsyncSession, text: str, option: str = "--unit") -> Unit:
    """A unit by slug or name ("jarva", "Järva", "Jobbtorg Järva"), or by its site or a
    district it serves ("Kista", "Södermalm": each is served by one unit)."""
    units = {u.slug: u for u in await all_units(session)}
    if not units:
        raise fail(f"{option}: no units yet; run `jobbtorg seed stockholm`")
    slug_of = {u.id: slug for slug, u in units.items()}
    served = {name: slug_of[d.unit_id] for d in await all_districts(session)
              if d.unit_id in slug_of for name in (d.name, d.slug)}
    served |= {u.site: slug for slug, u in units.items() if u.site}
    short = served | {u.name.removeprefix("Jobbtorg").strip(): slug for slug, u in units.items()}
    return units[read_key(text, {slug: u.name for slug, u in units.items()}, option, short)]


async def district_named(session: AsyncSession, text: str,
                         option: str = "--district") -> District:
    """A district by slug or name ("spanga-tensta", "Spånga-Tensta", "spanga tensta")."""
    districts = {d.slug: d for d in await all_districts(session)}
    if not districts:
        raise fail(f"{option}: no districts yet; run `jobbtorg seed stockholm`")
    return districts[read_key(text, {slug: d.name for slug, d in districts.items()}, option)]


async def kind_named(session: AsyncSession, text: str, unit_id: int | None = None,
                     option: str = "--kind") -> str:
    """A visit kind's slug by slug or name ("vagledning", "Vägledning"), among one unit's
    kinds or, without a unit, every unit's."""
    query = select(VisitKind).order_by(col(VisitKind.position), col(VisitKind.id))
    if unit_id is not None:
        query = query.where(col(VisitKind.unit_id) == unit_id)
    kinds = {k.slug: k.name for k in (await session.execute(query)).scalars()}
    short = {name.split()[-1].split("-")[-1]: slug for slug, name in kinds.items()}
    return read_key(text, kinds, option, short)
