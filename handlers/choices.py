"""Matching a typed answer to the options offered: by number, by label, or a near miss."""

from __future__ import annotations

import re
import unicodedata

from rapidfuzz import fuzz, process, utils

from handlers.base import Inbound, Option

FUZZY_CUTOFF = 85
_NOISE = re.compile(r"[^\w\s-]", re.UNICODE)


def normalise(text: str) -> str:
    """Lower case, no punctuation or emoji, single spaces: how answers and keywords compare."""
    text = unicodedata.normalize("NFC", text).casefold()
    text = _NOISE.sub(" ", text)
    return " ".join(text.replace("_", " ").split())


def fold(text: str) -> str:
    """normalise() and drop accents (å -> a), for forgiving comparison of typed names."""
    decomposed = unicodedata.normalize("NFKD", normalise(text))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


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
    if answer.isdigit():
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
    if len(answer) < 3:
        return None
    best = process.extractOne(
        answer, list(candidates), scorer=fuzz.WRatio, processor=utils.default_process,
        score_cutoff=FUZZY_CUTOFF,
    )
    if best is None:
        return None
    # Two different options scoring alike means the answer is ambiguous: ask again.
    ties = process.extract(answer, list(candidates), scorer=fuzz.WRatio,
                           processor=utils.default_process, score_cutoff=best[1] - 0.01)
    if len({candidates[t[0]] for t in ties}) > 1:
        return None
    return candidates[best[0]]
