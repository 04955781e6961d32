"""How a reply is rendered for the person's channel, by what the channel can show."""

from __future__ import annotations

from handlers.base import Reply
from messages import Texts
from storage.capabilities import CHANNELS


def is_unicode(text: str) -> bool:
    """False for a str that holds a lone surrogate (JSON allows "\\ud800"; UTF-8 does not)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def render_text(channel: str, reply: Reply, texts: Texts) -> str:
    """The text as the person will see it. Without buttons, options become a numbered
    list with a hint on how to answer ("Svara 1, 2 eller 3")."""
    if CHANNELS.of(channel).medium.buttons or not reply.options:
        return reply.text
    lines = [reply.text, ""]
    lines += [f"{number}. {option.label}" for number, option in enumerate(reply.options, 1)]
    numbers = [str(n) for n in range(1, len(reply.options) + 1)]
    hint = texts("sms.answer_hint", numbers=", ".join(numbers[:-1]), last=numbers[-1]) \
        if len(numbers) > 1 else texts("sms.answer_hint_one")
    lines.append(hint)
    return "\n".join(lines)
