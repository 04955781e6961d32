"""What a question at "Ska jag boka?" asks about the visit: where it is, what to bring,
how long it takes, whether someone may come along. handlers/booking.py answers it
briefly and asks again; nothing is booked or declined.
"""

from __future__ import annotations

import functools

from handlers.reply_words import as_phrases, words_of

# A question at "Ska jag boka?" about the visit, by what it asks (the first that matches
# wins): bringing someone, how long it takes, what to bring, where it is. Phrases are
# matched as whole words in a row.
TOPICS = {
    "company": """folja med|komma sjalv|ga sjalv|ensam|bebis|baby|barn|barnet|barnen|mamma
|pappa|kompis|syster|sambo|someone|somebody|friend|child|kid|kids
|alone|mom|mum|mother|dad|father|sister|brother|partner|on my own|by myself|myself
|come with|come along""",
    "length": """hur lang|hur lange|lang tid|hur mycket tid|minuter|timmar|timme|how long
|minutes|hours|hour""",
    "bring": "ta med|ha med|tar med|bring|take with",
    "where": "var|vart|var ar|var ligger|ligger|adress|address|hitta|where|find it",
}

_VISIT_QUESTIONS = {topic: as_phrases(words.replace("\n", "").split("|"))
                    for topic, words in TOPICS.items()}


@functools.lru_cache(maxsize=4096)
def visit_question(text: str | None) -> str | None:
    """What a question about a visit asks ("var ligger det?" -> "where", "vad ska jag ta
    med?" -> "bring", "hur lång tid tar det?" -> "length", "kan min mamma följa med?" ->
    "company"), or None."""
    said = words_of(text or "")
    for topic, phrases in _VISIT_QUESTIONS.items():
        if any(said[i:i + len(p)] == p for p in phrases for i in range(len(said))):
            return topic
    return None
