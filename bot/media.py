"""The channels' names, what each can show, and how a reply is rendered for it. A leaf
below bot.services and the channel modules (bot/channels/ re-exports it)."""

from __future__ import annotations

from handlers.base import Medium, Reply
from messages import Texts

TELEGRAM = "telegram"
SMS = "sms"
SIM_TELEGRAM = "sim-telegram"
SIM_SMS = "sim-sms"

MEDIA: dict[str, Medium] = {
    TELEGRAM: Medium(buttons=True, max_options=16),
    SIM_TELEGRAM: Medium(buttons=True, max_options=16),
    # SMS: six choices (plus "fler") fit a message a person can read on a small screen.
    SMS: Medium(buttons=False, max_options=6, gsm7=True, phone=True),
    SIM_SMS: Medium(buttons=False, max_options=6, gsm7=True, phone=True),
}


def is_unicode(text: str) -> bool:
    """False for a str that holds a lone surrogate (JSON allows "\\ud800"; UTF-8 does not)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def medium_of(channel: str) -> Medium:
    return MEDIA.get(channel, MEDIA[SMS])


def render_text(channel: str, reply: Reply, texts: Texts) -> str:
    """The text as the person will see it. Without buttons, options become a numbered
    list with a hint on how to answer ("Svara 1, 2 eller 3")."""
    if medium_of(channel).buttons or not reply.options:
        return reply.text
    lines = [reply.text, ""]
    lines += [f"{number}. {option.label}" for number, option in enumerate(reply.options, 1)]
    numbers = [str(n) for n in range(1, len(reply.options) + 1)]
    hint = texts("sms.answer_hint", numbers=", ".join(numbers[:-1]), last=numbers[-1]) \
        if len(numbers) > 1 else texts("sms.answer_hint_one")
    lines.append(hint)
    return "\n".join(lines)
