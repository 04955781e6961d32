"""Participant and staff wording: gettext catalogs per language, merged from every .po file.

Each feature keeps its own catalog file (core.po, booking.po, ...) in
messages/<lang>/LC_MESSAGES/; all files of a language are merged into one lookup.
Message ids are symbolic keys ("onboarding.welcome"); texts use str.format fields.
"""

from __future__ import annotations

import io
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

LANGUAGES = ("sv", "en")
DEFAULT_LANGUAGE = "sv"


def catalog_files(language: str) -> list[Traversable]:
    folder = files("messages") / language / "LC_MESSAGES"
    return sorted((f for f in folder.iterdir() if f.name.endswith(".po")), key=lambda f: f.name)


def read_catalog(language: str) -> Catalog:
    """All .po files of one language as one Babel catalog."""
    merged = Catalog(locale=language)
    for po_file in catalog_files(language):
        with po_file.open("rb") as handle:
            part = read_po(handle, locale=language)
        for message in part:
            if message.id:
                merged[message.id] = message
    return merged


@cache
def translations(language: str) -> Translations:
    if language not in LANGUAGES:
        language = DEFAULT_LANGUAGE
    buffer = io.BytesIO()
    write_mo(buffer, read_catalog(language))
    buffer.seek(0)
    return Translations(buffer)


class Texts:
    """The wording for one language: texts("key", name="Ada") -> the formatted text."""

    def __init__(self, language: str) -> None:
        self.language = language if language in LANGUAGES else DEFAULT_LANGUAGE
        self._translations = translations(self.language)

    def __call__(self, key: str, **params: object) -> str:
        text = self._translations.gettext(key)
        if text == key and self.language != DEFAULT_LANGUAGE:
            text = translations(DEFAULT_LANGUAGE).gettext(key)
        return text.format(**params) if params else text

    def has(self, key: str) -> bool:
        return self._translations.gettext(key) != key
