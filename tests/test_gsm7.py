"""Tests for handlers.gsm7: character sets, septets and SMS segment counts."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from handlers.gsm7 import (
    BASIC_CHARACTERS,
    EXTENSION_CHARACTERS,
    is_gsm7,
    non_gsm7_characters,
    septets,
    sms_segments,
)


def test_tables_have_the_standard_sizes() -> None:
    assert len(BASIC_CHARACTERS) == 127  # 128 codes less the escape
    assert len(EXTENSION_CHARACTERS) == 10
    assert not BASIC_CHARACTERS & EXTENSION_CHARACTERS


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", True),
        ("Hej! Välkommen till Jobbtorg Järva.", True),
        ("åäöÅÄÖ", True),
        ("é É ü Ü ñ Ñ à è ù ì ò Ç Ø ø Æ æ ß", True),
        ("¡¿§¤£¥$@_", True),
        ("ΔΦΓΛΩΠΨΣΘΞ", True),
        ("rad ett\nrad två\r", True),
        ("Pris: 10 € {namn} [x] ~ | \\ ^", True),
        ("\f", True),
        ("Tack 😊", False),
        ("“citat”", False),
        ("10–12", False),  # en dash
        ("ç", False),  # only the capital Ç is in the table
        ("á", False),
        ("ê", False),
        ("`", False),
        ("\t", False),
        ("e\u0301", False),  # decomposed é
        ("Привет", False),
        ("مرحبا", False),
        ("\x1b", False),  # the escape itself is not a character
    ],
)
def test_is_gsm7(text: str, expected: bool) -> None:
    assert is_gsm7(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", []),
        ("Hej åäö", []),
        ("Tack 😊😊 och 👍", ["😊", "👍"]),
        ("“Hej” – sa hon’", ["“", "”", "–", "’"]),
        ("café ç", ["ç"]),
        ("ab\u0301c", ["\u0301"]),
        ("x € y", []),
    ],
)
def test_non_gsm7_characters(text: str, expected: list[str]) -> None:
    assert non_gsm7_characters(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", 0),
        ("a", 1),
        ("åäö", 3),
        ("€", 2),
        ("{namn}", 8),
        ("[]^~|\\\f", 14),
        ("a\nb", 3),
    ],
)
def test_septets(text: str, expected: int) -> None:
    assert septets(text) == expected


def test_septets_rejects_other_characters() -> None:
    with pytest.raises(ValueError):
        septets("hej 😊")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", 0),
        ("a", 1),
        # GSM-7: 160 in one, 153 per part.
        ("a" * 160, 1),
        ("a" * 161, 2),
        ("ö" * 160, 1),
        ("ö" * 161, 2),
        ("a" * 306, 2),
        ("a" * 307, 3),
        ("a" * 459, 3),
        ("a" * 460, 4),
        # Extension characters count twice.
        ("€" * 80, 1),
        ("a" * 159 + "€", 2),  # 161 septets
        ("a" * 158 + "€", 1),  # exactly 160
        ("€" * 81, 2),  # 162 septets
        # An escape pair never straddles a part: 152 + 2 does not fit in 153.
        ("a" * 152 + "€" + "a" * 152, 3),  # 306 septets, but the € moves to part two
        ("a" * 151 + "€" + "a" * 153, 2),  # 306 septets, € fits at the end of part one
        ("a" * 153 + "€" + "a" * 151, 2),  # € starts part two
        ("€" * 152, 2),  # 304 septets: 76 pairs per part
        ("€" * 153, 3),  # 306 septets, yet a part holds only 76 whole pairs
        # UCS-2: 70 in one, 67 per part, counted in UTF-16 code units.
        ("ç" * 70, 1),
        ("ç" * 71, 2),
        ("ç" * 134, 2),
        ("ç" * 135, 3),
        ("a" * 69 + "–", 1),
        ("a" * 70 + "–", 2),
        ("a" * 159 + "–", 3),  # one en dash turns a one-part GSM text into three UCS-2 parts
        ("😊" * 35, 1),  # 70 code units
        ("😊" + "a" * 69, 2),  # 71 code units
        ("a" * 68 + "😊", 1),
        # A surrogate pair never straddles a part: 66 + 2 does not fit in 67.
        ("a" * 66 + "😊" + "a" * 66, 3),  # 134 units, but the emoji moves to part two
        ("a" * 65 + "😊" + "a" * 67, 2),  # 134 units, emoji fits at the end of part one
        ("€" * 70 + "😊", 2),  # € is one UCS-2 unit: 72 units
    ],
)
def test_sms_segments(text: str, expected: int) -> None:
    assert sms_segments(text) == expected


@given(st.text())
def test_segments_agree_with_septets_for_gsm_text(text: str) -> None:
    count = sms_segments(text)
    assert count >= 0
    assert (count == 0) == (text == "")
    if is_gsm7(text):
        assert non_gsm7_characters(text) == []
        n = septets(text)
        if n <= 160:
            assert count == (1 if n else 0)
        else:
            assert count >= -(-n // 153)
    else:
        assert non_gsm7_characters(text)


@given(st.text(alphabet=sorted(BASIC_CHARACTERS | EXTENSION_CHARACTERS)))
def test_gsm_alphabet_is_gsm7(text: str) -> None:
    assert is_gsm7(text)
    assert septets(text) == len(text) + sum(c in EXTENSION_CHARACTERS for c in text)
