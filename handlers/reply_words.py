"""A reply as words: folded, squeezed, its emoji as words, and the yes, no and "not sure"
phrases of handlers/lexicon.py marked. The layer below every reader of replies
(handlers/understand.py for yes/no and options, handlers/another_time.py for a wish for
another time); it decides nothing itself.

Lexicons are built once at import; a text seen before is not split again.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Sequence

from handlers import lexicon
from handlers.choices import fold

APOSTROPHES = re.compile(r"['’´`]")
_REPEATS = re.compile(r"(\D)\1+")


def squeeze(word: str) -> str:
    """'jaaa' -> 'ja', 'neeej' -> 'nej', 'okk' -> 'ok': repeated letters typed once."""
    return _REPEATS.sub(r"\1", word)


def _emoji_words(text: str) -> str:
    for mark in lexicon.YES_EMOJI:
        text = text.replace(mark, " jaemoji ")
    for mark in lexicon.NO_EMOJI:
        text = text.replace(mark, " nejemoji ")
    for mark in lexicon.SARCASM_EMOJI:
        text = text.replace(mark, " sarkasm ")
    return text


@functools.lru_cache(maxsize=16384)
def words_of(text: str) -> tuple[str, ...]:
    """The words of a reply, folded and squeezed: "Nää, JAG vill inte!" ->
    ('na', 'jag', 'vil', 'inte'). "don't" is one word, "dont"."""
    return tuple(squeeze(w) for w in fold(APOSTROPHES.sub("", _emoji_words(text))).split())


def squeezed(words: Iterable[str]) -> frozenset[str]:
    return frozenset(squeeze(fold(w)) for w in words)


def as_phrases(texts: Sequence[str]) -> tuple[tuple[str, ...], ...]:
    found = {tuple(squeeze(w) for w in fold(p).split()) for p in texts if p.strip()}
    return tuple(sorted(found, key=len, reverse=True))


YES_WORDS = squeezed(lexicon.YES_WORDS) | {"jaemoji"}
NO_WORDS = squeezed(lexicon.NO_WORDS) | {"nejemoji"}
NEGATIONS = squeezed(lexicon.NEGATIONS)
UNSURE_WORDS = squeezed(lexicon.UNSURE_WORDS)
WANT_WORDS = squeezed(lexicon.WANT_WORDS)
FILLERS = squeezed(lexicon.FILLERS)
YES_PARTICLES = squeezed(lexicon.YES_PARTICLES) | {"jaemoji"}
NO_PARTICLES = squeezed(lexicon.NO_PARTICLES) | {"nejemoji"}
YES_PHRASES = as_phrases(lexicon.YES_PHRASES)
UNSURE_PHRASES = as_phrases(lexicon.UNSURE_PHRASES)
NO_PHRASES = as_phrases(lexicon.NO_PHRASES)
HEDGES = squeezed(lexicon.HEDGES)

# Marks that stand for a whole phrase once it is found.
YES_MARK, NO_MARK, UNSURE_MARK = "+yes", "-no", "?unsure"


def by_first_word(*groups: tuple[tuple[tuple[str, ...], ...], str]
                  ) -> dict[str, list[tuple[tuple[str, ...], str]]]:
    index: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for phrases, mark in groups:
        for phrase in phrases:
            index.setdefault(phrase[0], []).append((phrase, mark))
    for entries in index.values():
        entries.sort(key=lambda entry: -len(entry[0]))  # longest first
    return index


PHRASES = by_first_word((UNSURE_PHRASES, UNSURE_MARK), (NO_PHRASES, NO_MARK),
                          (YES_PHRASES, YES_MARK))


Index = dict[str, list[tuple[tuple[str, ...], str]]]


def mark_phrases(words: tuple[str, ...], index: Index,
                 skip: Callable[[tuple[str, ...], int], bool] | None = None) -> tuple[str, ...]:
    """Each phrase of `index` found in `words` (the longest first) replaced by its mark;
    `skip(phrase, i)` says where a phrase found at i is not meant."""
    out: list[str] = []
    i = 0
    while i < len(words):
        hit = next(((p, mark) for p, mark in index.get(words[i], ())
                    if words[i:i + len(p)] == p and not (skip and skip(p, i))), None)
        if hit is not None:
            out.append(hit[1])
            i += len(hit[0])
        else:
            out.append(words[i])
            i += 1
    return tuple(out)


@functools.lru_cache(maxsize=16384)
def replace_phrases(words: tuple[str, ...]) -> tuple[str, ...]:
    return mark_phrases(words, PHRASES)



# The question's own words for yes and no, once found: "ta bort" at "Vill du ta bort allt?".
OWN_YES, OWN_NO = "+own", "-own"


def replace_own(words: tuple[str, ...], more_yes: frozenset[str],
                more_no: frozenset[str]) -> tuple[str, ...]:
    """Phrases first, the question's own longer words among them: at "Vill du avboka?"
    "kan inte komma" is a yes, its "inte" no negation."""
    own = [(tuple(p.split()), OWN_YES) for p in more_yes if " " in p]
    own += [(tuple(p.split()), OWN_NO) for p in more_no if " " in p]
    own.sort(key=lambda item: -len(item[0]))
    out: list[str] = []
    i = 0
    while i < len(words):
        hits = [(p, mark) for p, mark in [*own, *PHRASES.get(words[i], ())]
                if words[i:i + len(p)] == p]  # the longest: "no thanks I'm good" is one
        hit = max(hits, key=lambda h: len(h[0])) if hits else None
        if hit is not None:
            out.append(hit[1])
            i += len(hit[0])
        else:
            out.append(words[i])
            i += 1
    return _conditions(replace_phrases(tuple(out)))


CONDITIONS = squeezed(lexicon.CONDITIONS)
_OM_AFTER = squeezed(lexicon.OM_AFTER)
_OM_BEFORE = squeezed(lexicon.OM_BEFORE)


def _conditions(words: tuple[str, ...]) -> tuple[str, ...]:
    """A condition ("if", "om det …") is marked unsure: "ja boka om jag hinner"."""
    out = list(words)
    for i, word in enumerate(words):
        if word in CONDITIONS or (
                word == "om" and i + 1 < len(words) and words[i + 1] not in _OM_BEFORE
                and not (i and words[i - 1] in _OM_AFTER)):
            out[i] = UNSURE_MARK
    return tuple(out)


# Where a clause ends: a comma, a full stop, a dash between spaces.
CLAUSE_END = re.compile(r"[,.;:!]+|\s[-–]\s")
