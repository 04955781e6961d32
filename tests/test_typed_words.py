"""What a person typed, as an SMS shows it back: GSM-7, and a language by its name."""

from __future__ import annotations

import pytest

from handlers.gsm7 import is_gsm7, pack_lines, sms_segments
from handlers.typed_words import gsm7_form, language_code, language_in, shown_language


@pytest.mark.parametrize(("typed", "shown"), [
    ("Nguyễn", "Nguyen"),
    ("Åsa-Lööf", "Åsa-Lööf"),  # GSM-7 has å ä ö: kept
    ("José Müller", "José Müller"),
    ("François", "Francois"),  # GSM-7 has Ç but not ç
    ("Jose\u0301", "José"),  # a decomposed accent is composed first
    ("Zoë 😊", "Zoe"),  # GSM-7 has ä but not ë; an emoji is left out
    ("Владимир", "Vladimir"),
    ("محمد", "mhmd"),
    ("Łukasz Wąs", "Lukasz Was"),
    ("中文", "ZhongWen"),
])
def test_a_typed_name_is_transliterated_only_where_gsm7_lacks_a_letter(typed, shown):
    assert gsm7_form(typed) == shown
    assert is_gsm7(gsm7_form(typed))


@pytest.mark.parametrize(("typed", "code"), [
    ("arabiska", "ar"), ("Arabiska", "ar"), ("Arabic", "ar"), ("العربية", "ar"),
    ("ትግርኛ", "ti"), ("tigrinja", "ti"), ("Soomaali", "so"), ("somaliska", "so"),
    ("فارسی", "fa"), ("dari", "fa_AF"), ("Español", "es"), ("espanol", "es"),
    ("  Turkiska ", "tr"), ("Türkçe", "tr"), ("Русский", "ru"), ("kurdiska", "ku"),
    ("xyz", None), ("Nguyễn", None),
])
def test_a_typed_language_is_recognised_by_its_swedish_english_or_own_name(typed, code):
    assert language_code(typed) == code


@pytest.mark.parametrize(("text", "named"), [
    # a whole reply one letter off a common language's name (a swap counts as one)
    ("arabsika", "arabiska"), ("arbiska", "arabiska"), ("somalsika", "somaliska"),
    ("tigrinia", "tigrinja"), ("Kurdsika", "kurdiska"), ("persika", "persiska"),
    ("senar", None), ("boka", None), ("inget", None), ("kanske", None),
    ("jag behöver tolk arabiska", "arabiska"), ("jag vill ha Somaliska tack", "Somaliska"),
    ("farsi", "farsi"), ("sorani", "sorani"), ("العربية", "العربية"),
    ("vad ska jag ta med mig?", None), ("ok ja boka", None), ("boka", None),
    ("jag vet inte vad det heter", None), ("tillbaka", None), ("", None),
])
def test_a_language_is_found_in_a_sentence_and_nothing_else_is_taken_for_one(text, named):
    assert language_in(text) == named


@pytest.mark.parametrize(("typed", "language", "shown"), [
    ("العربية", "sv", "arabiska"), ("العربية", "en", "Arabic"),
    ("arabiska", "en", "Arabic"), ("ትግርኛ", "sv", "tigrinja"),
    ("dari", "sv", "dari"), ("کوردیی باکووری", "sv", "kwrdyy bkwwry"),
])
def test_over_sms_a_language_is_shown_by_its_name_in_the_persons_language(typed, language,
                                                                         shown):
    assert shown_language(typed, language) == shown


def test_lines_are_packed_into_texts_of_at_most_two_segments_each():
    lines = [f"Rad {n}: " + "ord " * 12 for n in range(20)]
    texts = pack_lines(lines)
    assert all(sms_segments(text) <= 2 for text in texts)
    assert "\n".join(texts).split("\n") == lines  # nothing lost, breaks only between lines
    assert len(texts) < len(lines)
    long_line = "ord " * 200
    pieces = pack_lines(["Rubrik", long_line.strip()])
    assert all(sms_segments(text) <= 2 for text in pieces) and len(pieces) >= 3
    assert " ".join(pieces).replace("\n", " ").split() == ["Rubrik", *long_line.split()]
