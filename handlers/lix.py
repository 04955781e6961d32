"""Läsbarhetsindex (LIX) of a text, to keep the bot's Swedish plain and short."""

from __future__ import annotations

import re

LONG_WORD = 6  # a long word has more than this many letters

_PLACEHOLDER = re.compile(r"\{[^{}]*\}")
# A sentence ends at . : ! or ? followed by space, a closing quote or bracket, or the end,
# and at every line break. So "10.30", "kl:10" and "www.stockholm.se" end nothing.
_SENTENCE_END = re.compile(r"[.:!?]+(?=[\s\"'”’)\]]|$)|[!?]+|\n")
# A word: letters and digits, joined by inner hyphens or apostrophes (CV-skrivning, it's).
_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")


def _words(sentence: str) -> list[str]:
    """The words of a sentence; digits-only tokens such as 10 or 2026 are not words."""
    return [w for w in _WORD.findall(sentence) if any(c.isalpha() for c in w)]


def _is_name(word: str, position: int) -> bool:
    """A capitalised word that does not open its sentence: in Swedish only proper names
    (Jobbtorg, Skärholmen) and keywords written in capitals (MINA UPPGIFTER) are."""
    return position > 0 and word[:1].isupper()


def lix(text: str, names: bool = False) -> float:
    """LIX = words / sentences + 100 * long words / words; 0.0 for a text with no words.

    A long word has more than six letters (hyphens, apostrophes and digits are not
    letters). Sentences end at . : ! ? and line breaks; only sentences with words count.
    `{placeholders}` and digits-only tokens are ignored. With `names`, proper names (a
    capitalised word inside a sentence) are words but never long ones, as the bot's own
    texts are measured: a place name is no harder to read for being long. Below 30 is
    very easy text, 30-40 easy, 40-50 medium, above 50 hard.
    """
    text = _PLACEHOLDER.sub(" ", text)
    sentences = [_words(s) for s in _SENTENCE_END.split(text)]
    sentences = [s for s in sentences if s]
    words = [w for s in sentences for w in s]
    if not words:
        return 0.0
    long_words = sum(1 for s in sentences for position, w in enumerate(s)
                     if sum(c.isalpha() for c in w) > LONG_WORD
                     and not (names and _is_name(w, position)))
    return len(words) / len(sentences) + 100 * long_words / len(words)
