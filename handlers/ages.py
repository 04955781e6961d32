"""Ages as people write them at the age question: "19", "jag är 22", "sjutton", "19 bror",
"15 men fyller 16 i mars", a birth year or date ("född 2008", "12/3/2009", "080312"), read on
the bot's clock. A full personnummer gives only the age band and is never kept
(`without_id_numbers`)."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date

from handlers import lexicon
from handlers.reply_words import squeeze, squeezed, words_of


@functools.lru_cache(maxsize=4096)
def age_of(text: str) -> int | None:
    """The age a reply gives: "19", "jag är 22", "22 år", "i'm 27 years old", "ja e 17",
    "sjutton", "twenty two", "jag är bara 14"; "nästan 16", "fyller 16 snart", "fyller 16
    i mars", "15 snart 16", "15 men fyller 16 i vår", "I'm 15, 16 next month" are 15, and
    "jag fyller 20 snart, är 19 nu" is 19. The age may be one clause of a longer reply
    ("Hej jag är 23 år och bor i Tensta") when no other clause has a number."""
    age = _age_in(ages_in_words(words_of(text)))
    if age is not None:
        return age
    clauses = [ages_in_words(words_of(c)) for c in _CLAUSES.split(text)]
    ages = [_age_in(words) for words in clauses]
    found = [a for a in ages if a is not None]
    numbered = [words for words in clauses if any(w.isdecimal() for w in words)]
    return found[0] if len(found) == len(numbered) == 1 else None  # "23 och min bror är 15": no


def _age_in(words: list[str]) -> int | None:
    """The age in one clause's words (ages in words already digits), or None."""
    numbers = [int(w) for w in words if w.isdecimal()]
    later = bool((_AGE_NOT_YET | _AGE_LATER) & set(words) - _AGE_WORDS)  # "snart", "i mars"
    known = _AGE_WORDS | _AGE_NOT_YET | (_AGE_LATER | _AGE_LATER_ONLY_WITH if later
                                         else frozenset())
    if not 1 <= len(numbers) <= 2 or any(not w.isdecimal() and w not in known for w in words):
        return None
    if len(numbers) == 2:  # "15 men fyller 16 i mars", "fyller 20 snart, är 19 nu": the lower
        return min(numbers) if abs(numbers[1] - numbers[0]) == 1 and later else None
    age = numbers[0] - (1 if later else 0)  # "16 next month", like "nästan 16": 15 now
    return age if age <= 120 else None


_AGE_WORDS = squeezed(lexicon.AGE_WORDS)
_AGE_NOT_YET = squeezed(lexicon.AGE_NOT_YET)
_AGE_LATER = squeezed(lexicon.AGE_LATER)
_AGE_LATER_ONLY_WITH = squeezed(lexicon.AGE_LATER_ONLY_WITH)
# A clause ends at punctuation (not a decimal point) or a joining word ("och", "and").
_JOINS = "|".join(sorted(lexicon.CLAUSE_BREAKS))
_CLAUSES = re.compile(rf"[,;:!?\n]|\.(?!\d)|\b(?:{_JOINS})\b", re.IGNORECASE)
_BORN_WORDS = squeezed(lexicon.BORN_WORDS)


@dataclass(frozen=True)
class Born:
    """A birth year or date a reply gives. `month` and `day` are None for a year alone.
    `id_number`: it was a full personnummer, read for the age and never said back."""

    year: int
    month: int | None = None
    day: int | None = None
    id_number: bool = False


# One birth date or year as typed: "2008"; "12/3/2009", "12.3.09", "12/3-2009" (day
# first, as in Sweden); "2008-03-12"; "080312", "20080312" (personnummer order); and a
# full personnummer, 10 or 12 digits with or without its "-" or "+" (100 years or more).
_BIRTH = re.compile(r"""(?x)
    (?P<year>(?:19|20)\d\d)
  | (?P<d1>\d{1,2})[/.-](?P<m1>\d{1,2})[/.-](?P<y1>(?:19|20)?\d\d)
  | (?P<y2>(?:19|20)\d\d)-(?P<m2>\d{1,2})-(?P<d2>\d{1,2})
  | (?P<c3>19|20)?(?P<y3>\d\d)(?P<m3>\d\d)(?P<d3>\d\d)(?:(?P<sep>[-+])?(?P<last>\d{4}))?
""")


@functools.lru_cache(maxsize=4096)
def born_of(text: str, this_year: int) -> Born | None:
    """The birth year or date a reply gives ("född 2008", "born 2005", "12/3/2009",
    "080312", "080312-1234"), or None. A two-digit year is of this century unless that
    is after `this_year`; a date that is none ("32/13/2009") is None."""
    found: list[re.Match[str]] = []
    for token in filter(None, (t.strip(",.!?:;()") for t in text.split())):
        match = _BIRTH.fullmatch(token)
        if match is not None:
            found.append(match)
        elif any(c.isdigit() for c in token) or any(
                w not in _BORN_WORDS | _AGE_WORDS for w in words_of(token)):
            return None
    if len(found) != 1:
        return None
    m = found[0]
    if m["year"]:
        return Born(int(m["year"]))
    year, month, day = ((m["y1"], m["m1"], m["d1"]) if m["y1"] else
                        (m["y2"], m["m2"], m["d2"]) if m["y2"] else (m["y3"], m["m3"], m["d3"]))
    full = int(m["c3"] + year) if m["c3"] else int(year)
    if full < 100:  # "09" is 2009, "97" 1997; a "+" says 100 years more
        full += 2000 if 2000 + full <= this_year else 1900
        full -= 100 if m["sep"] == "+" else 0
    day_of_month = int(day) - (60 if int(day) > 60 and m["last"] else 0)  # samordningsnummer
    try:
        date(full, int(month), day_of_month)
    except ValueError:
        return None
    return Born(full, int(month), day_of_month, id_number=bool(m["last"]))


# A full personnummer anywhere in a reply: 10 or 12 digits, perhaps with its "-" or "+".
_ID_NUMBER = re.compile(r"(?<![\d+])(?P<century>19|20)?(?P<digits>\d{6}(?P<sep>[-+])?\d{4})(?!\d)")


def without_id_numbers(text: str) -> str:
    """`text` with any full personnummer replaced by "[personnummer]", for what is kept of a
    message: the bot needs only an age band, never the number. With its "-" or "+", or
    its century, a date and four digits are one; ten bare digits only with a right check
    digit (a phone number "0701234567" seldom has one)."""
    def masked(m: re.Match[str]) -> str:
        digits = m["digits"].replace("-", "").replace("+", "")
        month, day = int(digits[2:4]), int(digits[4:6])
        if not (1 <= month <= 12 and (1 <= day <= 31 or 61 <= day <= 91)):
            return m[0]
        if m["sep"] or m["century"] or _luhn_valid(digits):
            return "[personnummer]"
        return m[0]
    return _ID_NUMBER.sub(masked, text)


def _luhn_valid(digits: str) -> bool:
    total = sum(sum(divmod(int(c) * (2 - i % 2), 10)) for i, c in enumerate(digits))
    return total % 10 == 0


def ages_of(text: str, today: date) -> tuple[int, int] | None:
    """The age a reply gives as the youngest and oldest it may be, on the bot's clock
    (`today`): (17, 17) for "17" or a birth date, two ages for a birth year alone ("född
    2010" in 2026: 15 or 16, as the birthday has come or not). None when the reply gives
    no age; ages out of any range are the caller's to judge."""
    age = age_of(text)
    if age is not None:
        return age, age
    born = born_of(text, today.year)
    if born is None:
        return None
    if born.month is None or born.day is None:
        return today.year - born.year - 1, today.year - born.year
    age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    return age, age


_AGE_NUMBERS = {squeeze(word): n for word, n in lexicon.AGE_NUMBERS.items()}
_AGE_TENS = {squeeze(word): n for word, n in lexicon.AGE_TENS.items()}


def ages_in_words(words: tuple[str, ...]) -> list[str]:
    """Ages in words as digits: "sjutton" -> "17", "tjugofem", "twenty two" -> "25", "22"."""
    out: list[str] = []
    for word in (part for w in words for part in w.split("-") if part):  # "twenty-two"
        tens, rest = next(((n, word[len(w):]) for w, n in _AGE_TENS.items()
                           if word.startswith(w)), (None, ""))
        ones = _AGE_NUMBERS.get(rest or word)
        if tens is not None and (not rest or (ones is not None and ones < 10)):
            out.append(str(tens + (ones if rest and ones else 0)))  # "tjugo", "tjugofem"
        elif ones is not None and ones < 10 and out and out[-1] in _TENS_TYPED:
            out[-1] = str(int(out[-1]) + ones)  # "twenty two"
        elif ones is not None and ones >= 10:
            out.append(str(ones))
        else:
            out.append(word)
    return out


_TENS_TYPED = frozenset(str(n) for n in _AGE_TENS.values())
