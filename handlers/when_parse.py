"""Reading typed days and clock times for booking ("på fredag", "1/12", "kl 10.30", "2 pm")."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, time, timedelta

from rapidfuzz import process
from rapidfuzz.distance import OSA

from storage.folding import fold_accents

# A date typed without a year is this year's, or next year's when this year's has passed
# and next year's is at most this many days away ("3 januari" typed in December).
YEAR_WRAP_DAYS = 183

_WEEKDAYS: dict[str, int] = {
    "mandag": 0, "tisdag": 1, "onsdag": 2, "torsdag": 3, "fredag": 4, "lordag": 5, "sondag": 6,
    "mandagen": 0, "tisdagen": 1, "onsdagen": 2, "torsdagen": 3, "fredagen": 4,
    "lordagen": 5, "sondagen": 6,
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
    "sunday": 6,
    "tis": 1, "ons": 2, "tor": 3, "tors": 3, "fre": 4, "lor": 5,
    "mon": 0, "tue": 1, "tues": 1, "wed": 2, "thu": 3, "thur": 3, "thurs": 3,
    "sat": 5, "sun": 6,
}
# Abbreviations that are everyday words: Swedish "man" (one), "son", "fri" (free). Typed
# with its accent, "mån"/"sön" is a day anywhere; otherwise such a word is a day only when
# it is the whole answer (but for "nästa", "på"), and "man"/"son" only in Swedish.
_ACCENTED_WEEKDAYS: dict[str, int] = {"mån": 0, "sön": 6}
_BARE_WEEKDAYS: dict[str, tuple[int, str | None]] = {"man": (0, "sv"), "son": (6, "sv"),
                                                     "fri": (4, None)}

_MONTHS: dict[str, int] = {
    "januari": 1, "january": 1, "jan": 1, "februari": 2, "february": 2, "feb": 2,
    "mars": 3, "march": 3, "mar": 3, "april": 4, "apr": 4, "maj": 5, "may": 5,
    "juni": 6, "june": 6, "jun": 6, "juli": 7, "july": 7, "jul": 7,
    "augusti": 8, "august": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9,
    "oktober": 10, "october": 10, "okt": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}

# Relative days, as whole tokens or token pairs of the folded text.
_RELATIVE: dict[tuple[str, ...], int] = {
    ("idag",): 0, ("i", "dag"): 0, ("today",): 0,
    ("imorgon",): 1, ("i", "morgon"): 1, ("imorn",): 1, ("i", "morn"): 1, ("imorrn",): 1,
    ("imorron",): 1, ("imorrgon",): 1, ("imorgonbitti",): 1, ("tomorrow",): 1,
    ("tmrw",): 1, ("tmr",): 1, ("2moro",): 1, ("2morrow",): 1,
    ("overmorgon",): 2, ("i", "overmorgon"): 2, ("day", "after", "tomorrow"): 2,
}
_YESTERDAY = (("igar",), ("i", "gar"), ("yesterday",))  # read only for past days
_NEXT_WORDS = frozenset({"nasta", "next"})
_NEXT_WEEK = (("nasta", "vecka"), ("next", "week"), ("veckan", "efter"))

# Full words that a typo may stand for (fuzzy matched, one edit; two from nine letters).
_NOT_TYPOS = frozenset({"morgon", "match", "marsch", "matcha", "sundae"})
_FUZZY_TARGETS: list[str] = sorted(
    {w for w in _WEEKDAYS if len(w) >= 6} | {w for w in _MONTHS if len(w) >= 5}
    | {"imorgon", "overmorgon", "tomorrow", "idag", "today"}
)

_ORD = r"(?::?[ae]|st|nd|rd|th)"
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
_ISO = re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")
_NUMERIC = re.compile(r"(?<![\d/.:-])(\d{1,2})/(\d{1,2})(?:/(\d{4}|\d{2}))?(?![\d/])")
_DAY_MONTH = re.compile(
    rf"(?<![\d/.:-])(\d{{1,2}}){_ORD}?\.?\s*(?:of\s+)?({_MONTH_RE})\b\.?"
    r"(?:\s*,?\s*(\d{4})(?!\d))?"
)
_MONTH_DAY = re.compile(
    rf"\b({_MONTH_RE})\b\.?\s*(?:the\s+)?(\d{{1,2}}){_ORD}?(?![\d:./])"
    r"(?:\s*,?\s*(\d{4})(?!\d))?"
)
_DAY_ONLY = re.compile(rf"\b(?:den|the)\s+(\d{{1,2}}){_ORD}?(?![\d:./])|(?<![\d/.:-])"
                       rf"(\d{{1,2}})(?::[ae]|st|nd|rd|th)\b")


def _fold(text: str) -> str:
    """Lower case without accents (lördag -> lordag); digits and : / . - kept."""
    return fold_accents(unicodedata.normalize("NFKC", text).casefold())


def _fix_typos(folded: str) -> str:
    """Words within a typo of a day or month name become that name ("fredga" -> fredag)."""

    def fix(match: re.Match[str]) -> str:
        word = match.group(0)
        if len(word) < 5 or word in _WEEKDAYS or word in _MONTHS or word in _NOT_TYPOS:
            return word
        limit = 2 if len(word) >= 9 else 1
        found = process.extract(word, _FUZZY_TARGETS, scorer=OSA.distance,
                                score_cutoff=limit, limit=None)
        if not found:
            return word
        best = min(score for _, score, _ in found)
        names = [name for name, score, _ in found if score == best]
        return names[0] if len(names) == 1 else word

    return re.sub(r"[a-z]+", fix, folded)


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except (ValueError, OverflowError):
        return None


def _year_of(year: str | None) -> int | None:
    if year is None:
        return None
    return 2000 + int(year) if len(year) == 2 else int(year)


def _dated(today: date, month: int, day: int, year: int | None, past: bool = False
           ) -> date | None:
    """The date meant by day and month (and perhaps a year); None if it is not a date.
    `past`: the last such date up to today (a day something happened)."""
    if year is not None:
        return _safe_date(year, month, day)
    this_year = _safe_date(today.year, month, day)
    if past:
        if this_year is not None and this_year <= today:
            return this_year
        return _safe_date(today.year - 1, month, day)
    if this_year is not None and this_year >= today:
        return this_year
    next_year = _safe_date(today.year + 1, month, day)
    if next_year is not None and (next_year - today).days <= YEAR_WRAP_DAYS:
        return next_year
    return this_year  # in the past: refused by the caller


def _explicit_dates(text: str, today: date, past: bool = False) -> set[date | None]:
    found: set[date | None] = set()
    for m in _ISO.finditer(text):
        found.add(_safe_date(int(m.group(1)), int(m.group(2)), int(m.group(3))))
    for m in _NUMERIC.finditer(text):
        found.add(_dated(today, int(m.group(2)), int(m.group(1)), _year_of(m.group(3)), past))
    for m in _DAY_MONTH.finditer(text):
        found.add(_dated(today, _MONTHS[m.group(2)], int(m.group(1)), _year_of(m.group(3)),
                         past))
    for m in _MONTH_DAY.finditer(text):
        found.add(_dated(today, _MONTHS[m.group(1)], int(m.group(2)), _year_of(m.group(3)),
                         past))
    if not found:
        for m in _DAY_ONLY.finditer(text):
            day = int(m.group(1) or m.group(2))
            this_month = _safe_date(today.year, today.month, day)
            if past:
                earlier = today.replace(day=1) - timedelta(days=1)
                found.add(this_month if this_month is not None and this_month <= today
                          else _safe_date(earlier.year, earlier.month, day))
            elif this_month is not None and this_month >= today:
                found.add(this_month)
            else:
                following = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
                found.add(_safe_date(following.year, following.month, day))
    return found


def _has(tokens: list[str], phrase: tuple[str, ...]) -> int | None:
    """Index of the first occurrence of phrase in tokens, or None."""
    n = len(phrase)
    for i in range(len(tokens) - n + 1):
        if tuple(tokens[i : i + n]) == phrase:
            return i
    return None


def _relative_days(tokens: list[str]) -> set[int]:
    found: set[int] = set()
    covered: set[int] = set()
    for phrase, days in sorted(_RELATIVE.items(), key=lambda item: -len(item[0])):
        i = _has(tokens, phrase)
        if i is not None and not covered & set(range(i, i + len(phrase))):
            found.add(days)
            covered |= set(range(i, i + len(phrase)))
    return found


def _weekday_dates(tokens: list[str], accented: set[int], today: date,
                   lang: str, past: bool = False) -> set[date]:
    next_week = any(_has(tokens, p) is not None for p in _NEXT_WEEK)
    found: set[date] = set()
    fillers = {"pa", "on", "this", "denna", "nasta", "next", "kommande", "coming", "den"}
    content = [t for t in tokens if t not in fillers]
    for i, token in enumerate(tokens):
        weekday = _WEEKDAYS.get(token)
        if weekday is None and token in _BARE_WEEKDAYS:
            bare, needs = _BARE_WEEKDAYS[token]
            if bare in accented or (
                content == [token] and (needs is None or lang.casefold().startswith(needs))
            ):
                weekday = bare
        if weekday is None:
            continue
        ahead = (weekday - today.weekday()) % 7 or 7  # strictly after today
        if past:  # the last such day strictly before today
            ahead = -((today.weekday() - weekday) % 7 or 7)
        elif next_week or (i > 0 and tokens[i - 1] in _NEXT_WORDS):
            # "nästa fredag", "friday next week": that day in next calendar week
            ahead = 7 - today.weekday() + weekday
        found.add(today + timedelta(days=ahead))
    return found


def parse_day(text: str, today: date, lang: str = "sv", past: bool = False) -> date | None:
    """The booking day a typed answer names, relative to `today` (a Europe/Stockholm date).

    Swedish and English are both understood whatever `lang` is:
      - "idag", "imorgon", "i morgon", "imorn", "övermorgon", "today", "tomorrow";
      - a weekday ("fredag", "på fredag", "fre", "friday", "fri") is its next occurrence
        strictly after today: "fredag" typed on a Friday is a week ahead, "idag" is today;
      - "nästa måndag", "next monday", "fredag nästa vecka" is that day in next calendar
        week (Monday to Sunday): typed on a Wednesday, "nästa fredag" is in nine days;
      - "1 december", "1:a dec", "den 1 december 2026", "1st of December", "Dec 1",
        "December 1st", "1/12" (day/month), "1/12/2026", "2026-12-01"; without a year it
        is the next such date, up to half a year ahead; "den 5:e", "the 5th": that day of
        this month, or of next month once it has passed;
      - typos of day and month names ("fredga", "imorgom", "decmber").
    `lang` only decides whether a bare "man" or "son" (mån, sön without accents) is a day:
    in Swedish it is, as the whole answer; "fri" (Swedish for free) is Friday only as the
    whole answer too. None for nonsense, impossible dates (31/2), past dates, and answers
    that name two different days ("fredag 2 december" when 2 December is a Wednesday).

    `past` reads a day something happened instead (staff dating an avslut): a date without
    a year is the last such date up to today, a weekday the last one before today, "igår" /
    "yesterday" is understood, and a day after today is None.
    """
    try:
        return _parse_day(text, today, lang, past)
    except (ValueError, OverflowError):  # dates beyond year 9999
        return None


def _parse_day(text: str, today: date, lang: str, past: bool = False) -> date | None:
    folded = _fix_typos(_fold(text))
    tokens = re.findall(r"[^\W_]+", folded)
    raw = unicodedata.normalize("NFKC", text).casefold()
    accented = {d for w, d in _ACCENTED_WEEKDAYS.items() if re.search(rf"\b{w}\b", raw)}
    explicit = _explicit_dates(folded, today, past)
    relative = {today + timedelta(days=d) for d in _relative_days(tokens)}
    if past and any(_has(tokens, p) is not None for p in _YESTERDAY):
        relative.add(today - timedelta(days=1))
    weekdays = _weekday_dates(tokens, accented, today, lang, past)
    dates = {d for d in explicit if d is not None}
    if None in explicit or len(dates) > 1 or len(relative) > 1:
        return None
    day: date
    if dates or relative:
        (day,) = dates or relative
        if relative and relative != {day}:
            return None
        if any(w.weekday() != day.weekday() for w in weekdays):
            return None
    elif len(weekdays) == 1:
        (day,) = weekdays
    else:
        return None
    if past:
        return day if day <= today else None
    return day if day >= today else None


# Months as staff name a report period: a month's name (with a year or without), the
# ISO month, or the last / this month.
_ISO_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_NAMED_MONTH = re.compile(r"^([a-z]+)\.?(?:\s*,?\s*(\d{4}))?$")
_MONTHS_BACK: dict[str, int] = {
    "forra manaden": 1, "forra manad": 1, "last month": 1, "previous month": 1,
    "denna manad": 0, "den har manaden": 0, "this month": 0, "innevarande manad": 0,
}


def parse_month(text: str, today: date) -> date | None:
    """The first day of the month `text` names, or None: "september", "sep 2025", "Okt.",
    "2026-09", "förra månaden" / "last month", "denna månad" / "this month". A month
    without a year is the last such month up to today's (staff name periods that have
    begun); a typo of a month's name is read as for days ("septmber")."""
    folded = " ".join(_fold(text).split())
    if folded in _MONTHS_BACK:
        back = _MONTHS_BACK[folded]
        return date(today.year - (today.month <= back), (today.month - back - 1) % 12 + 1, 1)
    iso = _ISO_MONTH.match(folded)
    if iso:
        return _safe_date(int(iso.group(1)), int(iso.group(2)), 1)
    named = _NAMED_MONTH.match(_fix_typos(folded))
    if named is None or named.group(1) not in _MONTHS:
        return None
    month = _MONTHS[named.group(1)]
    if named.group(2):
        return _safe_date(int(named.group(2)), month, 1)
    return date(today.year - (month > today.month), month, 1)


# ---------------------------------------------------------------------------------------
# Clock times
# ---------------------------------------------------------------------------------------

_HOUR_WORDS: dict[str, int] = {
    "ett": 1, "tva": 2, "tre": 3, "fyra": 4, "fem": 5, "sex": 6, "sju": 7,
    "atta": 8, "nio": 9, "tio": 10, "elva": 11, "tolv": 12,
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}
_HOUR = r"(\d{1,2}|" + "|".join(sorted(_HOUR_WORDS, key=len, reverse=True)) + r")"
_MERIDIEM = r"(?:\s*(am|pm|fm|em)\b)?"
_MARKER = r"(?:kl|klockan|at|@|ca|cirka|runt|around|about|vid)"
# "kl 10", "vid 10.30", "at 3 pm"; hour words only after kl/klockan/at ("kl tio").
_AT_CLOCK = re.compile(
    rf"(?<![a-z])(?:{_MARKER}\.?\s*(\d{{1,2}})|(?:kl|klockan|at)\.?\s*{_HOUR})\b"
    rf"(?:\s*[:.]\s*(\d{{2}})(?!\d))?{_MERIDIEM}"
)
_HH_MM = re.compile(r"(?<![\d.:/-])(\d{1,2})[:.](\d{2})(?![\d.:/])" + _MERIDIEM)
_H_MERIDIEM = re.compile(r"(?<![\d.:/-])(\d{1,2})\s*(am|pm|fm|em)\b")
_BARE = re.compile(rf"^\s*(?:{_MARKER}\.?\s*)?(\d{{1,2}})\s*(?:-?tiden)?\s*$")
_HALF = re.compile(rf"\bhalv\s+{_HOUR}\b{_MERIDIEM}")
_QUARTER = re.compile(rf"\bkvart\s+(over|i)\s+{_HOUR}\b{_MERIDIEM}")
_NOON = re.compile(r"\b(?:noon|midday)\b")
_DATES = (_ISO, _NUMERIC)
_AM_HINTS = frozenset({"morgonen", "formiddag", "formiddagen", "morning"})
_HINT_FILLERS = frozenset({"pa", "in", "the", "i", "at"})
_PM_HINTS = frozenset({"eftermiddag", "eftermiddagen", "kvall", "kvallen", "ikvall",
                       "afternoon", "evening", "tonight"})


def _hour_of(word: str) -> int:
    return int(word) if word.isdigit() else _HOUR_WORDS[word]


def _clock(hour: int, minute: int, meridiem: str | None, typed: str, hint: str | None
           ) -> time | None:
    """A valid time from the parts, with am/pm and the afternoon reading for 1-7."""
    if not 0 <= minute <= 59:
        return None
    meridiem = meridiem or hint
    if meridiem in ("am", "fm", "pm", "em"):
        if not 1 <= hour <= 12:
            return None
        if meridiem in ("pm", "em"):
            hour = hour % 12 + 12
        else:
            hour = hour % 12
    elif 1 <= hour <= 7 and not typed.startswith("0"):
        hour += 12  # "kl 2" at a job centre is two in the afternoon
    if not 0 <= hour <= 23:
        return None
    return time(hour, minute)


def parse_clock(text: str) -> time | None:
    """The clock time a typed answer names, or None.

    Understands "kl 10", "kl. 10.30", "klockan 9", "10:00", "14.15", "10" (alone),
    "10am", "2 pm", "2.30pm", "10 fm", "2 em", "at 3", "halv tio" (9:30), "kvart över
    tre", "kvart i tre", "kl tio", "noon". Without am/pm an hour from 1 to 7 is read as
    afternoon (13-19), since bookings are in office hours; "07:00" with a leading zero
    stays morning. "på eftermiddagen" / "in the morning" act as pm / am. A bare number
    counts only when it is the whole answer (but for such words: "9 på morgonen");
    d/m and ISO dates are not read as times.
    None for nonsense ("25:00", "kl 99", "10:75", "banana") and for two different times.
    """
    folded = _fold(text).replace("a.m.", "am").replace("p.m.", "pm")
    folded = folded.replace("f.m.", "fm").replace("e.m.", "em")
    for pattern in _DATES:
        folded = pattern.sub(" ", folded)
    words = set(re.findall(r"[a-z]+", folded))
    hint = "am" if words & _AM_HINTS else "pm" if words & _PM_HINTS else None
    if words & _AM_HINTS and words & _PM_HINTS:
        hint = None
    found: list[time | None] = []
    for m in _AT_CLOCK.finditer(folded):
        hour = m.group(1) or m.group(2)
        found.append(_clock(_hour_of(hour), int(m.group(3) or 0), m.group(4), hour, hint))
    if not found:
        for m in _HH_MM.finditer(folded):
            found.append(_clock(int(m.group(1)), int(m.group(2)), m.group(3), m.group(1), hint))
        for m in _H_MERIDIEM.finditer(folded):
            found.append(_clock(int(m.group(1)), 0, m.group(2), m.group(1), hint))
    for m in _HALF.finditer(folded):  # halv tio = 9:30
        hour = _hour_of(m.group(1))
        found.append(_clock(hour - 1 if hour > 1 else 12, 30, m.group(2), "", hint))
    for m in _QUARTER.finditer(folded):
        hour = _hour_of(m.group(2))
        if m.group(1) == "over":
            found.append(_clock(hour, 15, m.group(3), "", hint))
        else:
            found.append(_clock(hour - 1 if hour > 1 else 12, 45, m.group(3), "", hint))
    if _NOON.search(folded):
        found.append(time(12, 0))
    if not found:
        if hint is not None:  # "2 på eftermiddagen", "9 in the morning"
            folded = " ".join(w for w in folded.split()
                              if w not in _AM_HINTS | _PM_HINTS | _HINT_FILLERS)
        bare = _BARE.match(folded)
        if bare is not None:
            found.append(_clock(int(bare.group(1)), 0, None, bare.group(1), hint))
    if len(set(found)) != 1:
        return None
    return found[0]
