"""The wording: complete in both languages, fit for SMS, and plain Swedish (LIX)."""

from __future__ import annotations

import re
import string

import pytest

from handlers.gsm7 import is_gsm7, non_gsm7_characters, sms_segments
from handlers.lix import lix
from messages import LANGUAGES, catalog_files, read_catalog

# A filled-in placeholder can be long (an address, a unit name): measure with a
# realistic worst case rather than the bare template.
PLACEHOLDER_SAMPLE = "Skärholmsvägen 9, Skärholmen"
MAX_SMS_CHARS = 306  # two GSM-7 segments


def ids(language: str) -> set[str]:
    return {str(m.id) for m in read_catalog(language) if m.id}


def participant_texts() -> list[tuple[str, str]]:
    """(id, Swedish text) of every text a participant may receive."""
    catalog = read_catalog("sv")
    return [(str(m.id), str(m.string)) for m in catalog
            if m.id and not str(m.id).startswith("staff.")]


def filled(text: str) -> str:
    fields = [name for _, name, _, _ in string.Formatter().parse(text) if name]
    return text.format(**{name: PLACEHOLDER_SAMPLE for name in fields})


def test_both_languages_have_the_same_catalog_files():
    assert [f.name for f in catalog_files("sv")] == [f.name for f in catalog_files("en")]


def test_every_message_id_exists_and_is_translated_in_both_catalogs():
    swedish, english = ids("sv"), ids("en")
    assert swedish == english, {"only sv": swedish - english, "only en": english - swedish}
    for language in LANGUAGES:
        empty = [str(m.id) for m in read_catalog(language) if m.id and not m.string]
        assert not empty, (language, empty)


def test_placeholders_match_between_languages():
    english = {str(m.id): str(m.string) for m in read_catalog("en") if m.id}
    for key, text in participant_texts():
        fields_sv = {n for _, n, _, _ in string.Formatter().parse(text) if n}
        fields_en = {n for _, n, _, _ in string.Formatter().parse(english[key]) if n}
        assert fields_sv == fields_en, key


@pytest.mark.parametrize("language", LANGUAGES)
def test_participant_texts_are_gsm7_and_fit_two_sms_segments(language):
    catalog = read_catalog(language)
    for message in catalog:
        if not message.id or str(message.id).startswith("staff."):
            continue
        text = filled(str(message.string))
        assert is_gsm7(text), (message.id, non_gsm7_characters(text))
        assert len(text) <= MAX_SMS_CHARS and sms_segments(text) <= 2, message.id


def test_swedish_participant_texts_are_plain_lix_at_most_40_and_30_on_average(capsys):
    # Sentences of at least a few words; button labels and single words say little.
    # Proper names (Jobbtorg, MINA UPPGIFTER) are not long words: lix(..., names=True).
    scored = [(key, lix(re.sub(r"\{[^}]*\}", "", text), names=True))
              for key, text in participant_texts() if len(text.split()) >= 6]
    too_hard = [(key, round(score)) for key, score in scored if score > 40]
    mean = sum(score for _, score in scored) / len(scored)
    with capsys.disabled():
        print(f"\nLIX of {len(scored)} Swedish participant texts (mean {mean:.1f}):")
        for key, score in sorted(scored, key=lambda item: -item[1])[:15]:
            print(f"  {score:5.1f}  {key}")
    assert not too_hard, too_hard
    assert mean <= 30, mean
