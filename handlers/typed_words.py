"""Words a person typed (a first name, an interpreter language) as an SMS can show them back.

An SMS with one character outside GSM-7 is sent as UCS-2: 70 characters a part instead
of 160, so a name such as "Nguyễn" would triple a confirmation's price. Over SMS such text
is transliterated with anyascii (ISC licence); a typed language is shown by its name in
the person's language ("العربية" -> "arabiska"). What is stored and what staff see stay as
the person typed it: these functions only shape what is sent back.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from anyascii import anyascii
from babel import Locale, UnknownLocaleError
from rapidfuzz import process
from rapidfuzz.distance import OSA

from handlers.gsm7 import is_gsm7

# Languages people in Stockholm most often need an interpreter for (the city's interpreter
# services' list), recognised by their own name ("العربية", "ትግርኛ") as well. Any language
# is recognised by its Swedish or English name; the names themselves come from CLDR.
AUTONYM_LANGUAGES = (
    "ar", "so", "ti", "am", "fa", "ckb", "ku", "ps", "ur", "tr", "ru", "uk", "pl", "es",
    "fr", "de", "it", "pt", "ro", "bg", "sr", "hr", "bs", "sq", "mk", "el", "hu", "fi",
    "et", "lv", "lt", "zh", "th", "vi", "my", "km", "ne", "hi", "bn", "pa", "ta", "si",
    "mn", "uz", "tk", "hy", "ka", "he", "sw", "om",
)
NAME_LOCALES = ("sv", "en")
# Names people in Stockholm use that CLDR lacks (it says "persiska", "centralkurdiska").
SPOKEN_NAMES = {"farsi": "fa", "sorani": "ckb", "kurmanji": "kmr", "badini": "ku",
                "behdini": "ku"}
_SPACES = re.compile(r"\s+")


def gsm7_form(text: str) -> str:
    """`text` with each character GSM-7 cannot carry transliterated: "Nguyễn" -> "Nguyen".

    Characters GSM-7 has (å ä ö é ü ñ ...) are kept as they are; what has no Latin form
    is left out, so the result is always GSM-7.
    """
    text = unicodedata.normalize("NFC", text)
    if is_gsm7(text):
        return text
    shown = "".join(char if is_gsm7(char) else _latin(char) for char in text)
    return _SPACES.sub(" ", shown).strip()


def _latin(char: str) -> str:
    """One character GSM-7 lacks in Latin letters; an emoji or other symbol is left out
    (anyascii would write it as ":pray:")."""
    if unicodedata.category(char) == "So":
        return ""
    return "".join(c for c in anyascii(char) if is_gsm7(c))


def _fold(name: str) -> str:
    """A name as compared: NFC, case-folded, single spaces; in Latin script without
    accents too, so "Español" and "espanol" match."""
    name = _SPACES.sub(" ", unicodedata.normalize("NFC", name)).strip().casefold()
    return anyascii(name) if all(ord(c) < 0x250 for c in name) else name


def _locale(code: str) -> Locale | None:
    try:
        return Locale.parse(code)
    except (UnknownLocaleError, ValueError):
        return None


@cache
def _language_codes() -> dict[str, str]:
    """Folded language name -> language code: Swedish and English names of every
    language, and the own names of the languages in AUTONYM_LANGUAGES."""
    codes: dict[str, str] = dict(SPOKEN_NAMES)
    for code in AUTONYM_LANGUAGES:
        locale = _locale(code)
        own = locale.languages.get(code) if locale is not None else None
        if own:
            codes.setdefault(_fold(own), code)
    for name_locale in NAME_LOCALES:
        for code, name in Locale.parse(name_locale).languages.items():
            codes.setdefault(_fold(name), code)  # fa_AF: "dari"
    return codes


def language_code(typed: str) -> str | None:
    """The code of the language `typed` names ("Arabiska", "Arabic", "العربية" -> "ar")."""
    return _language_codes().get(_fold(typed))


def language_name(code: str, language: str) -> str | None:
    """The name of language `code` in `language` (Swedish names are lower case)."""
    locale = _locale(language if language in NAME_LOCALES else NAME_LOCALES[0])
    return locale.languages.get(code) if locale is not None else None


def shown_language(typed: str, language: str) -> str:
    """A typed interpreter language for an SMS: its name in the person's `language` when
    it names a language, else the typed text in GSM-7."""
    code = language_code(typed)
    name = language_name(code, language) if code is not None else None
    return gsm7_form(name if name else typed)


# Language names that are also everyday words ("mig", "ewe", "fon"), or too short to trust
# inside a sentence: a whole reply may name them, a word in a sentence may not.
_MIN_NAME_IN_SENTENCE = 4
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)?")


def language_in(text: str) -> str | None:
    """The language a sentence names, as typed ("jag behöver tolk arabiska" -> "arabiska"),
    or None: two words together first ("north sami"), then one word at a time."""
    words = _WORD.findall(text)
    if len(words) == 1:
        return words[0] if language_code(words[0]) else _near_language(words[0])
    for size in (2, 1):
        for i in range(len(words) - size + 1):
            typed = " ".join(words[i:i + size])
            if len(typed) >= _MIN_NAME_IN_SENTENCE and language_code(typed):
                return typed
    return None


_MIN_NEAR_MISS = 5  # "thai" one letter off is "tai", another language: only longer names


@cache
def _common_language_names() -> tuple[str, ...]:
    """Names of the languages most often needed (AUTONYM_LANGUAGES, SPOKEN_NAMES): a typo
    is read only as one of them, never as a rare language ("senar" is not "sena")."""
    common = set(AUTONYM_LANGUAGES) | set(SPOKEN_NAMES.values())
    return tuple(name for name, code in _language_codes().items() if code in common)


def _near_language(word: str) -> str | None:
    """The one common language's name a whole reply misses by a letter ("arabsika",
    "arbiska" -> "arabiska"), or None: a swap of two letters counts as one; a word as near
    to two languages is not guessed."""
    folded = _fold(word)
    if len(folded) < _MIN_NEAR_MISS:
        return None
    near = process.extract(folded, _common_language_names(), scorer=OSA.distance, score_cutoff=1,
                           limit=None)
    codes = {_language_codes()[name] for name, _, _ in near}
    return near[0][0] if len(codes) == 1 else None
