"""A wish for another time: "kan inte den tiden", "boka om", "har du senare?".

Read at questions that offer another time (the `change_key` of `read_answer` in
handlers/understand.py: "Ska jag boka?" has Ändra) and at the cancel question ("kan jag
flytta den istället?" is offered Boka om). The words are lexicon.CHANGE_PHRASES (a wish
on their own), CHANGE_WHEN (a day or a time of day: a wish only in a reply with no yes)
and NOT_CHANGE (only look like one: "hör av mig senare").
"""

from __future__ import annotations

import functools

from handlers import lexicon
from handlers.reply_words import (
    CLAUSE_END,
    NEGATIONS,
    OWN_YES,
    YES_MARK,
    YES_WORDS,
    as_phrases,
    by_first_word,
    mark_phrases,
    replace_own,
    squeezed,
    words_of,
)

_CHANGE_MARK, _WHEN_MARK, _NOT_CHANGE_MARK = "~change", "~when", "~"
_CHANGE = by_first_word((as_phrases(lexicon.NOT_CHANGE), _NOT_CHANGE_MARK),
                        (as_phrases(lexicon.CHANGE_PHRASES), _CHANGE_MARK),
                        (as_phrases(lexicon.CHANGE_WHEN), _WHEN_MARK))
_REBOOK_IF = squeezed(lexicon.REBOOK_IF)


@functools.lru_cache(maxsize=16384)
def _change_marks(words: tuple[str, ...]) -> tuple[str, ...]:
    def conditional(phrase: tuple[str, ...], i: int) -> bool:  # "boka om jag hinner"
        return phrase == ("boka", "om") and words[i + 2:i + 3] != () and words[i + 2] in _REBOOK_IF
    return mark_phrases(words, _CHANGE, conditional)


@functools.lru_cache(maxsize=16384)
def wants_change(text: str, more_yes: frozenset[str] = frozenset()) -> bool:
    """Whether a reply asks for another time (lexicon.CHANGE_PHRASES, CHANGE_WHEN):
    "kan inte den tiden", "nej tiden passar inte", "boka om", "tidigare tid?", "har du
    senare?", "nej jag har sfi på förmiddagen kan jag komma efter lunch". A "not" just
    before or after the wish takes it back ("jag vill inte ändra", "ändra inte"), and so
    does a yes after it ("jag kan inte den dagen, ja boka" is left open). A time of day
    or a day ("senare", "efter lunch", "fredag") asks for another time only in a reply
    with no yes in it ("ja boka, om det är på förmiddagen" is not). A question mark does
    not make it unsure: a question asking for another time is clear."""
    yes_words = YES_WORDS | more_yes | {YES_MARK, OWN_YES}
    strong, weak = False, False
    said: list[str] = []
    for clause in CLAUSE_END.split(text.replace("?", ",")):
        marked = _change_marks(words_of(clause))
        for i, word in enumerate(marked):
            if word == _CHANGE_MARK:
                near = [*marked[max(0, i - 3):i], *marked[i + 1:i + 2]]
                if not any(w in NEGATIONS for w in near):
                    strong, said = True, []  # what is said after the last wish decides
                    continue
            weak = weak or word == _WHEN_MARK
            said.append(word)
        said.append(",")
    yes_after = any(w in yes_words for w in replace_own(tuple(said), more_yes, frozenset()))
    if strong:
        return not yes_after
    if not weak:
        return False
    every = replace_own(words_of(text), more_yes, frozenset())
    return not any(w in yes_words for w in every)
