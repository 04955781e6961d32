"""Matching a typed answer to the options offered: by number, by label, or a near miss."""

from __future__ import annotations

import functools
import re
import unicodedata

from rapidfuzz import fuzz, process

from handlers.base import Inbound, Option
from storage.folding import fold_accents

FUZZY_CUTOFF = 85
_NOISE = re.compile(r"[^\w\s-]", re.UNICODE)


@functools.lru_cache(maxsize=4096)  # the same option labels are compared on every turn
def normalise(text: str) -> str:
    """Lower case, no punctuation or emoji, single spaces: how answers and keywords compare."""
    text = unicodedata.normalize("NFC", text).casefold()
    text = _NOISE.sub(" ", text)
    return " ".join(text.replace("_", " ").split())


@functools.lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """normalise() and drop accents (å -> a), for forgiving comparison of typed names."""
    return fold_accents(normalise(text))


def match_option(
    inbound: Inbound, offered: list[Option], aliases: dict[str, list[str]] | None = None
) -> str | None:
    """The key of the option the person meant, or None when it is not clear.

    `aliases` maps an option key to other words that mean it (e.g. "tensta" for a district).
    """
    keys = {o.key for o in offered}
    if inbound.choice is not None:
        return inbound.choice if inbound.choice in keys else None
    answer = normalise(inbound.text or "")
    if not answer:
        return None
    if answer.isdecimal():
        index = int(answer) - 1
        return offered[index].key if 0 <= index < len(offered) else None
    candidates: dict[str, str] = {}
    for option in offered:
        for name in [option.label, *(aliases or {}).get(option.key, [])]:
            candidates.setdefault(fold(name), option.key)
            # Each longer word of a name also counts: "rinkby" is a near miss of "rinkeby".
            for word in re.split(r"[\s-]+", fold(name)):
                if len(word) >= 4:
                    candidates.setdefault(word, option.key)
    answer = fold(answer)
    if answer in candidates:
        return candidates[answer]
    return near_miss(answer, candidates)


def near_miss(answer: str, candidates: dict[str, str]) -> str | None:
    """The option whose name is at least FUZZY_CUTOFF % like the answer or one of its words.

    Plain similarity (not partial matching), so "hej" never matches a short "j", while
    "rinkby" matches "rinkeby" and "jag bor i tensta" matches "tensta".
    """
    names = [name for name in candidates if len(name) >= 3]
    pieces = {answer, *(word for word in answer.split() if len(word) >= 3)}
    scores: dict[str, float] = {}
    for piece in pieces:
        for name, score, _ in process.extract(piece, names, scorer=fuzz.ratio,
                                              score_cutoff=FUZZY_CUTOFF, limit=None):
            key = candidates[name]
            scores[key] = max(scores.get(key, 0.0), score)
    if not scores:
        return None
    best = max(scores.values())
    winners = [key for key, score in scores.items() if score == best]
    # Two different options scoring alike means the answer is ambiguous: ask again.
    return winners[0] if len(winners) == 1 else None
