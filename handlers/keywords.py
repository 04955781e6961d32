"""Whole-message keywords (STOPP, START, HJÄLP, MENY, SPRÅK, RADERA, MINA UPPGIFTER)."""

from __future__ import annotations

from handlers.choices import fold

# The keyword a message means, when the whole message is that word (case, spaces and
# punctuation ignored). "jag vill sluta skolan" is not SLUTA.
KEYWORDS: dict[str, str] = {
    "stopp": "stop", "stop": "stop", "sluta": "stop", "avsluta": "stop", "unsubscribe": "stop",
    "start": "start",
    "hjalp": "help", "help": "help",
    "meny": "menu", "menu": "menu", "/start": "menu", "/menu": "menu", "/meny": "menu",
    "sprak": "language", "language": "language", "/language": "language",
    "radera": "erase", "delete": "erase", "radera mig": "erase", "delete me": "erase",
    "ta bort mig": "erase", "ta bort allt om mig": "erase", "radera allt om mig": "erase",
    "radera allt": "erase", "ta bort mina uppgifter": "erase", "radera mina uppgifter": "erase",
    "ta bort allt jag har skrivit": "erase", "delete my data": "erase",
    "delete all my data": "erase", "delete everything": "erase", "erase me": "erase",
    "remove me": "erase", "delete everything about me": "erase",
    "mina uppgifter": "mydata", "my data": "mydata", "/mydata": "mydata",
    "/help": "help", "/stop": "stop",
}


def keyword_of(text: str | None) -> str | None:
    """The keyword the whole message is, or None."""
    if not text:
        return None
    raw = text.strip().casefold()
    if raw in KEYWORDS:  # commands such as /start keep their slash
        return KEYWORDS[raw]
    return KEYWORDS.get(fold(text))
