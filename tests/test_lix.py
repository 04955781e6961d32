"""Tests for handlers.lix: LIX values worked out by hand."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from handlers.lix import lix


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # 7 words / 2 sentences + 100 * 1 long (Stockholm) / 7
        ("Jag heter Anna. Jag bor i Stockholm.", 7 / 2 + 100 * 1 / 7),
        # 3 words, 1 sentence, 2 long (Välkommen, Jobbtorg)
        ("Välkommen till Jobbtorg!", 3 + 100 * 2 / 3),
        # placeholders and 10.30 are not words; the dot in 10.30 ends no sentence
        ("Hej {namn}! Din tid är {datum} kl 10.30.", 5 / 2 + 0),
        # colon and line breaks end sentences: Ta med | CV | Personligt brev
        ("Ta med:\nCV\nPersonligt brev", 5 / 3 + 100 * 1 / 5),
        # a hyphenated word is one word; its letters count, the hyphen does not
        ("CV-skrivning hjälper.", 2 / 1 + 100 * 2 / 2),
        # six letters is not long, seven is
        ("Jobbar. Arbetar.", 2 / 2 + 100 * 1 / 2),
        ("Du kan boka en tid hos en coach. Ta med legitimation.", 11 / 2 + 100 * 1 / 11),
        ("Vill du boka? Svara JA eller NEJ!", 7 / 2 + 0),
        # repeated punctuation ends one sentence
        ("Hej!!! Hur mår du???", 4 / 2 + 0),
        # no final punctuation still makes a sentence
        ("Boka en tid", 3 / 1 + 0),
        # a dot inside a web address ends no sentence
        ("Läs mer på www.stockholm.se nu.", 7 / 1 + 100 * 1 / 7),
        # digits-only tokens are ignored, mixed tokens are words
        ("Kom den 3e december 2026 kl 14", 5 / 1 + 100 * 1 / 5),
        # the time 10:30 ends no sentence, a colon before a space does
        ("Tid: kl 10:30 i Kista", 4 / 2 + 0),
        ("Ring 08-508 000 00.", 1 + 0),
        ("{namn}, välkommen! {länk}", 1 / 1 + 100 * 1 / 1),
        ("\n\nEn rad.\n\n\nEn till.\n", 4 / 2 + 0),
    ],
)
def test_known_values(text: str, expected: float) -> None:
    assert lix(text) == pytest.approx(expected)


@pytest.mark.parametrize("text", ["", "   ", "123 456.", "{namn}", "{a} {b}!", "...", "\n\n", "😊"])
def test_no_words_is_zero(text: str) -> None:
    assert lix(text) == 0.0


def test_plain_swedish_scores_lower_than_officialese() -> None:
    plain = "Vill du ha ett jobb? Vi kan hjälpa dig. Boka en tid hos oss."
    hard = (
        "Arbetsmarknadsförvaltningen tillhandahåller individanpassade insatser "
        "för arbetssökande med försörjningsstöd."
    )
    assert lix(plain) < 30 < 60 < lix(hard)


@given(st.text())
def test_never_raises_and_is_bounded(text: str) -> None:
    value = lix(text)
    assert value >= 0.0
    assert value <= len(text) + 100 + 1e-9


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Stockholm inside the sentence is a name: 7 words, no long one
        ("Jag bor i Stockholm. Jag heter Anna.", 7 / 2 + 0),
        # a name that opens a sentence still counts (it cannot be told from a capital)
        ("Skärholmen ligger nära.", 3 / 1 + 100 * 1 / 3),
        # keywords in capitals are names of commands: Skriv MINA UPPGIFTER
        ("Skriv MINA UPPGIFTER.", 3 / 1 + 0),
        # ordinary long words still count
        ("Din tid på Jobbtorg Innerstaden är bokad.", 7 / 1 + 0),
        ("Ta med legitimation till Jobbtorg.", 5 / 1 + 100 * 1 / 5),
    ],
)
def test_with_names_proper_names_are_not_long_words(text: str, expected: float) -> None:
    assert lix(text, names=True) == pytest.approx(expected)
    assert lix(text) >= lix(text, names=True)
