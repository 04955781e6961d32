"""The bot's questions as the understanding layer sees them, to read a corpus row the way
the handlers do: navigation first, then the question's options (or its free-text parser).

`interpret(question, channel, text)` gives the reading as a short string, the same
vocabulary as the corpus tables: "yes", "no", an option key, "unclear", "nav:back",
"name:Amina", "time:10:00", "part:afternoon", "date:+14" (days after TODAY).
"""

from __future__ import annotations

from datetime import date
from functools import cache

from handlers.ages import ages_of
from handlers.base import Option
from handlers.booking import (
    CONFIRM_ALIASES,
    HAS_ONE_ALIASES,
    NEEDS,
    NEEDS_ALIASES,
    SKIP_ALIASES,
    need_named,
)
from handlers.menu import MENU, MENU_ALIASES
from handlers.mybookings import CANCEL_ALIASES
from handlers.onboarding import (
    AGE_ALIASES,
    AGE_BANDS,
    CONSENT_ALIASES,
    YES_NO_ALIASES,
    age_band_of,
)
from handlers.outcome_parse import CATEGORIES, EXTENTS, SCHOOLS
from handlers.privacy import ERASE_ALIASES
from handlers.survey import CHANCES_ALIASES, SEEKING_ALIASES
from handlers.understand import (
    NUMBER,
    OPTION,
    name_of,
    navigation,
    negated,
    part_of_day,
    read_answer,
    request_of,
)
from handlers.when_parse import parse_clock, parse_day
from messages import Texts

TODAY = date(2026, 12, 1)  # a Tuesday

# question -> (option pairs (key, catalog key), aliases, yes key, no key)
QUESTIONS: dict[str, tuple[list[tuple[str, str]], dict[str, list[str]], str | None, str | None]] = {
    "consent": ([("yes", "common.yes"), ("no", "common.no")], CONSENT_ALIASES, "yes", "no"),
    "handoff": ([("yes", "common.yes"), ("no", "common.no")], YES_NO_ALIASES, "yes", "no"),
    "confirm": ([("yes", "booking.yes_book"), ("change", "booking.change"),
                 ("no", "booking.cancel_no")], CONFIRM_ALIASES, "yes", "no"),
    "erase": ([("yes", "erase.yes"), ("no", "common.no")], ERASE_ALIASES, "yes", "no"),
    "cancel": ([("yes", "mybookings.cancel_yes"), ("no", "mybookings.cancel_keep")],
               CANCEL_ALIASES, "yes", "no"),
    # "Du har redan en tid för Första besök ... Vill du boka om den?" (Boka om / Behåll)
    "has_one": ([("move", "mybookings.move"), ("keep", "booking.keep_it")], HAS_ONE_ALIASES,
                "move", "keep"),
    "age": (AGE_BANDS, AGE_ALIASES, None, None),
    "needs": (NEEDS, NEEDS_ALIASES, None, "none"),
    "name": ([("skip", "booking.skip")], SKIP_ALIASES, None, None),
    "menu": ([(key, label) for key, label, _flow in MENU], MENU_ALIASES, None, None),
    "chances": ([("ja", "survey.chances.ja"), ("delvis", "survey.chances.delvis"),
                 ("nej", "survey.chances.nej")], CHANCES_ALIASES, "ja", "nej"),
    # survey, after "ska börja jobba i januari" / "jobbar inte": "Söker du jobb just nu?"
    "seeking": ([("soker-jobb", "survey.seeking.yes"), ("annat", "survey.seeking.no")],
                SEEKING_ALIASES, "soker-jobb", "annat"),
    # The survey's option questions as options only (its parser of free text is tested
    # in tests/test_outcome_parse.py): how the layer reads a label, a digit, a near miss.
    "status": ([(k, f"survey.category.{k}") for k in CATEGORIES], {}, None, None),
    "extent": ([(k, f"survey.extent.{k}") for k in EXTENTS], {}, None, None),
    "school": ([(k, f"survey.school.{k}") for k in SCHOOLS], {}, None, None),
}
CHANNELS = {"telegram": False, "sms": True}  # numbered?
# The option for another time, where a question has one ("Ska jag boka?": Ändra).
CHANGE_KEYS = {"confirm": "change", "has_one": "move"}


@cache
def offered(question: str, language: str = "sv") -> tuple[Option, ...]:
    t = Texts(language)
    pairs = QUESTIONS[question][0]
    return tuple(Option(key, t(label)) for key, label in pairs)


def certain(question: str, channel: str, text: str, language: str = "sv") -> bool:
    """Whether the question's options read the reply with certainty (a corpus reading
    ending in "!" asks for that: what cannot be undone is done only on a certain one)."""
    _pairs, aliases, yes_key, no_key = QUESTIONS[question]
    return read_answer(text, None, offered(question, language), aliases=aliases,
                       numbered=CHANNELS[channel], yes_key=yes_key, no_key=no_key).certain


def interpret(question: str, channel: str, text: str, language: str = "sv") -> str:
    numbered = CHANNELS[channel]
    where = navigation(text)
    if question in ("day", "time"):  # a booking being made: only navigation goes first
        if where is not None:
            return f"nav:{where}"
        return _free_text(question, text, numbered)
    request = request_of(text)
    # After navigation, a request ("ring mig", "kan inte komma", "avboka") is taken at any
    # step before the question reads it (handlers/router.py); the visit's own questions
    # (cancel) read "kan inte komma" and "avboka" themselves.
    if where is None and request is not None and (question != "cancel" or request == "call"):
        return f"nav:{request}"
    _pairs, aliases, yes_key, no_key = QUESTIONS[question]
    options = offered(question, language)
    change_key = CHANGE_KEYS.get(question)
    if where is not None:
        reading = read_answer(text, None, options, aliases=aliases, numbered=numbered,
                              yes_key=yes_key, no_key=no_key, change_key=change_key)
        return reading.value or "" if reading.intent == OPTION else f"nav:{where}"
    reading = read_answer(text, None, options, aliases=aliases, numbered=numbered,
                          yes_key=yes_key, no_key=no_key, change_key=change_key)
    if reading.intent == OPTION:
        return reading.value or ""
    if question == "age":  # an age, or a birth year or date, on the clock (TODAY)
        ages = ages_of(text, TODAY)
        bands = {age_band_of(age) for age in ages} if ages is not None else {None}
        if None in bands:
            return "unclear"
        low, high = (age_band_of(age) for age in ages)  # type: ignore[union-attr]
        return str(low) if low == high else f"ask:{low}|{high}"
    if question == "name":
        need = need_named(text, Texts(language))
        if need is not None:
            return need
        name = name_of(text)
        return f"name:{name}" if name else "unclear"
    return "unclear"


def _free_text(question: str, text: str, numbered: bool) -> str:
    if negated(text):  # "kan inte komma imorgon", "inte kl 10": not that day or time
        return "unclear"
    if question == "day":
        reading = read_answer(text, None, (), numbered=numbered)
        typed = f"den {text}" if reading.intent == NUMBER else text
        day = parse_day(typed, TODAY, "sv")
        return f"date:+{(day - TODAY).days}" if day is not None else "unclear"
    clock = parse_clock(text)
    if clock is not None:
        return f"time:{clock.strftime('%H:%M')}"
    part = part_of_day(text)
    return f"part:{part}" if part else "unclear"
