"""The understanding layer, from a table of realistic replies to every kind of question."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from handlers import lexicon
from handlers.ages import without_id_numbers
from handlers.reply_words import squeeze, words_of
from handlers.understand import NO, UNCLEAR, YES, polarity
from tests.understanding.corpus import CORPUS, NO_REPLIES, UNCLEAR_REPLIES, YES_REPLIES
from tests.understanding.heldout import HELD_OUT
from tests.understanding.heldout2 import HELD_OUT_2
from tests.understanding.heldout3 import HELD_OUT_3
from tests.understanding.questions import certain, interpret


def test_the_corpus_covers_every_kind_of_question_in_both_languages():
    assert len(CORPUS) >= 400
    kinds = {question for question, *_ in CORPUS}
    assert {"consent", "age", "day", "time", "name", "needs", "confirm", "cancel", "erase",
            "handoff", "chances"} <= kinds
    assert {channel for _q, channel, *_ in CORPUS} == {"sms", "telegram"}


@pytest.mark.parametrize(("question", "channel", "text", "reading"), CORPUS,
                         ids=[f"{q}-{c}-{t}" for q, c, t, _ in CORPUS])
def test_a_reply_is_read_as_a_careful_person_would(question, channel, text, reading):
    """A reading ending in "!" is also certain (acted on without a question first)."""
    assert interpret(question, channel, text) == reading.removesuffix("!")
    if reading.endswith("!"):
        assert certain(question, channel, text)


@pytest.mark.parametrize("held_out", [HELD_OUT, HELD_OUT_2, HELD_OUT_3],
                         ids=["first", "second", "third"])
def test_the_held_out_replies_are_read_right_and_none_as_the_opposite(held_out):
    """Replies written before a round of tuning (tests/understanding/heldout*.py)."""
    wrong = [(q, c, t, want, interpret(q, c, t)) for q, c, t, want in held_out
             if interpret(q, c, t) != want]
    opposite = [row for row in wrong if {row[3], row[4]} in ({"yes", "no"}, {"ja", "nej"})]
    assert not opposite
    assert 1 - len(wrong) / len(held_out) >= 0.98, wrong


def _lines(block: str) -> list[str]:
    return [line.strip() for line in block.strip().splitlines() if line.strip()]


@pytest.mark.parametrize(("block", "intent"), [(YES_REPLIES, YES), (NO_REPLIES, NO),
                                               (UNCLEAR_REPLIES, UNCLEAR)])
def test_polarity_alone_reads_the_lists(block, intent):
    assert [t for t in _lines(block) if polarity(t).intent != intent] == []


YES_TEXTS = _lines(YES_REPLIES) + lexicon.YES_WORDS
NO_TEXTS = _lines(NO_REPLIES) + lexicon.NO_WORDS
POLITE = ["tack", "tack så mycket", "snälla", "please", "thanks", "thank you", "hej", "!", ".",
          "🙂", "då", "så", "men", "alltså", "ju"]


@given(st.sampled_from(YES_TEXTS), st.lists(st.sampled_from(POLITE), max_size=3),
       st.booleans())
def test_no_yes_is_ever_read_as_no_whatever_politeness_surrounds_it(text, polite, upper):
    said = " ".join([*polite[:1], text, *polite[1:]])
    said = said.upper() if upper else said
    assert polarity(said).intent != NO


@given(st.sampled_from(NO_TEXTS), st.lists(st.sampled_from(POLITE), max_size=3),
       st.booleans())
def test_no_no_is_ever_read_as_yes_whatever_politeness_surrounds_it(text, polite, upper):
    said = " ".join([*polite[:1], text, *polite[1:]])
    said = said.upper() if upper else said
    assert polarity(said).intent != YES


@given(st.sampled_from(YES_TEXTS), st.integers(min_value=1, max_value=3))
def test_a_yes_with_a_letter_held_down_is_still_not_a_no(text, times):
    longer = "".join(c * times if c.isalpha() else c for c in text)
    assert polarity(longer).intent != NO


@given(st.sampled_from(POLITE))
def test_politeness_alone_never_decides(word):
    assert polarity(word).intent == UNCLEAR


def test_each_lexicon_word_belongs_to_one_list():
    lists = [lexicon.YES_WORDS, lexicon.NO_WORDS, lexicon.NEGATIONS, lexicon.UNSURE_WORDS,
             lexicon.WANT_WORDS, lexicon.FILLERS]
    seen: dict[str, int] = {}
    for index, words in enumerate(lists):
        for word in words:
            key = squeeze(" ".join(words_of(word)))
            assert seen.setdefault(key, index) == index, word


@pytest.mark.parametrize("text", ["nej tak", "nej tac", "nej takk", "inte nu", "inte",
                                  "not now", "inte idag", "I don't", "jag kan inte"])
def test_a_typo_or_a_bare_not_is_a_likely_no_never_a_certain_one(text):
    """Declining consent ends the conversation: only a certain no may do it unasked."""
    reading = polarity(text)
    assert reading.intent == NO and not reading.certain


@pytest.mark.parametrize("text", ["nej", "nej tack", "nä", "vill inte", "jag vill inte",
                                  "no I don't", "no thanks", "inte okej", "absolut inte",
                                  "nej inte nu", "nej jag vill inte", "nää fan",
                                  "inte intresserad", "not interested sorry",
                                  "behövs inte tack", "i'd rather not", "no way",
                                  "no thanks I'm good"])
def test_a_plain_no_is_certain(text):
    reading = polarity(text)
    assert reading.intent == NO and reading.certain


@pytest.mark.parametrize(("text", "intent"), [
    ("Ja absolut, utan er hade jag inte fått jobbet", YES),
    ("Nej tack. Min man bestämmer.", NO),  # a later sentence that says nothing of it
    ("Nej tack, jag klarar mig själv men tack ändå för att ni hörde av er", NO)])
def test_a_long_reply_read_by_its_opening_answer_is_never_certain(text, intent):
    """Acted on where that is safe; an action that cannot be undone is confirmed first."""
    reading = polarity(text)
    assert reading.intent == intent and not reading.certain


NEUTRAL_EMOJI = ["🙂", "😊", "🙏", "❤️", "😅", "🤗", "!!", "...", " :)"]


@st.composite
def typed_badly(draw: st.DrawFn, texts: list[str]) -> str:
    """A reply as typed on a phone: one letter dropped, doubled or swapped in one word
    of four letters or more, perhaps in capitals, with politeness and an emoji."""
    words = draw(st.sampled_from(texts)).split()
    long = [i for i, w in enumerate(words) if len(w) >= 4 and w.isalpha()]
    if long:
        i = draw(st.sampled_from(long))
        w, at = words[i], draw(st.integers(min_value=1, max_value=len(words[i]) - 2))
        words[i] = draw(st.sampled_from([w[:at] + w[at + 1:], w[:at] + w[at] + w[at:],
                                         w[:at] + w[at + 1] + w[at] + w[at + 2:]]))
    said = " ".join([*draw(st.lists(st.sampled_from(POLITE), max_size=1)), *words,
                     *draw(st.lists(st.sampled_from(POLITE), max_size=2))])
    said += draw(st.sampled_from(["", *NEUTRAL_EMOJI]))
    return said.upper() if draw(st.booleans()) else said


@settings(max_examples=400, deadline=None)  # the first reading builds caches
@given(typed_badly(YES_TEXTS))
def test_no_yes_is_ever_read_as_no_with_a_typo_an_emoji_or_capitals(said):
    assert polarity(said).intent != NO
    assert interpret("consent", "sms", said) != "no"
    assert interpret("confirm", "telegram", said) != "no"


@settings(max_examples=400, deadline=None)  # the first reading builds caches
@given(typed_badly(NO_TEXTS))
def test_no_no_is_ever_read_as_yes_with_a_typo_an_emoji_or_capitals(said):
    assert polarity(said).intent != YES
    assert interpret("consent", "sms", said) != "yes"
    assert interpret("confirm", "telegram", said) != "yes"


@pytest.mark.parametrize(("text", "kept"), [
    ("080312-1234", "[personnummer]"), ("20080312-1234", "[personnummer]"),
    ("200803121234", "[personnummer]"), ("0803121235", "[personnummer]"),
    ("mitt nr 080312+1234 tack", "mitt nr [personnummer] tack"),
    ("ring mig 0701234567", "ring mig 0701234567"),  # a phone number: no check digit
    ("0803121234", "0803121234"), ("+46701234567", "+46701234567"),
    ("080312", "080312"), ("2008", "2008"), ("991332-1234", "991332-1234")])
def test_a_full_personnummer_is_never_kept(text, kept):
    assert without_id_numbers(text) == kept
