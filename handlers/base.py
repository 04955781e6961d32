"""What a handler works with: the inbound message, the person's turn, replies and options.

Handlers never know a channel. They read `Inbound` (text, a pressed option, or a kind
such as "photo"), change the person's state and add replies to the `Turn`. The engine
renders the replies for the channel and writes them to the outbox in the same
transaction as the state.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from handlers.gsm7 import pack_lines
from handlers.typed_words import gsm7_form, shown_language
from messages import Texts
from storage.capabilities import Medium
from storage.models import ChannelAddress, Contact, ConversationState, Unit

if TYPE_CHECKING:  # types only: the parts are made of flows, which work on turns
    from handlers.parts import Parts

SMS_SEGMENTS = 2  # a participant text over SMS costs at most this many segments


@dataclass(frozen=True)
class Inbound:
    """One thing a person sent, in channel-neutral form."""

    text: str | None = None
    choice: str | None = None  # the key of a pressed option (button or simulator choice)
    kind: str = "text"  # text, sticker, photo, voice, video, document, location, ...
    start_payload: str | None = None  # deep-link payload of /start, or an SMS source keyword
    sender_id: int | None = None  # the provider's user id (Telegram from.id), to know staff


@dataclass(frozen=True)
class Option:
    key: str
    label: str

    def as_dict(self) -> dict[str, str]:
        return {"key": self.key, "label": self.label}


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    content: bytes


@dataclass
class Reply:
    text: str
    options: list[Option] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    kind: str | None = None  # the catalog key it was said with
    fields: dict[str, str] = field(default_factory=dict)  # the values its text was filled with


@dataclass(frozen=True)
class Policy:
    """The settings handlers need, copied from bot.settings so handlers never import bot/."""

    zone: ZoneInfo = ZoneInfo("Europe/Stockholm")
    reminders: tuple[timedelta, ...] = (timedelta(hours=24), timedelta(hours=2))
    quiet_hours: tuple[str, str] = ("20:00", "08:00")
    survey_delay_days: int = 90
    # The privacy notice people say yes to; a new wording gets a new version.
    notice_version: str = "2026-12"
    retention_months: int = 24  # the notice says how long data is kept
    sms_approval_sek: float = 500.0  # a broadcast estimated above this waits for an admin


@dataclass
class Turn:
    """One handled message (or timed job) for one person, inside one transaction."""

    session: AsyncSession
    contact: Contact
    address: ChannelAddress
    state: ConversationState
    inbound: Inbound
    now: datetime
    medium: Medium
    policy: Policy
    parts: Parts  # the process's flows, hooks and data sections (bot/root.py lists them)
    # A timed job run late (a worker that was down, a clock moved far): the clock's now
    # when it runs, while `now` is the moment it was due and acts at.
    ran_at: datetime | None = None
    replies: list[Reply] = field(default_factory=list)
    erased: bool = False  # set to erase the person after this turn; the engine keeps nothing
    erase_reason: str = "asked"

    async def unit(self) -> Unit | None:
        """The person's jobbtorg, if known."""
        if self.contact.unit_id is None:
            return None
        return await self.session.get(Unit, self.contact.unit_id)

    @property
    def t(self) -> Texts:
        return Texts(self.contact.language)

    @property
    def text(self) -> str:
        return (self.inbound.text or "").strip()

    def typed(self, value: str) -> str:
        """Text the person typed (a first name), as their medium can show it."""
        return gsm7_form(value) if self.medium.gsm7 else value

    def typed_language(self, value: str) -> str:
        """A language the person typed; over SMS its name in their language ("arabiska")."""
        return shown_language(value, self.contact.language) if self.medium.gsm7 else value

    def say(self, key: str, **params: Any) -> None:
        """Add a plain reply from the catalog."""
        self.replies.append(Reply(self.t(key, **params), kind=key, fields=_fields(params)))

    def say_text(self, text: str) -> None:
        self.replies.append(Reply(text))

    def say_lines(self, lines: list[str]) -> None:
        """Lines as one reply; over SMS as several when needed, each within two segments
        (split between lines), so a long list never costs more per message."""
        for text in pack_lines(lines, SMS_SEGMENTS) if self.medium.gsm7 else ["\n".join(lines)]:
            self.say_text(text)

    def ask(self, key: str, options: list[Option], **params: Any) -> None:
        """Ask a question with options; the options are remembered for matching the answer."""
        self.replies.append(Reply(self.t(key, **params), list(options), kind=key,
                                  fields=_fields(params)))
        self.state.options = [o.as_dict() for o in options]
        # A new question: the full list of an earlier paged question no longer applies.
        if "_question" in self.state.data:
            self.forget("_question")

    def attach(self, attachment: Attachment) -> None:
        if not self.replies:
            raise ValueError("attach after a reply")
        self.replies[-1].attachments.append(attachment)

    def offered(self) -> list[Option]:
        return [Option(o["key"], o["label"]) for o in self.state.options]

    def set_step(self, flow: str, step: str) -> None:
        self.state.flow = flow
        self.state.step = step
        self.state.reasks = 0
        if "_confirm" in self.state.data:  # a confirmation belongs to the step that asked it
            self.forget("_confirm")

    @property
    def data(self) -> dict[str, Any]:
        return self.state.data

    def remember(self, **values: Any) -> None:
        """Store values in the conversation's scratch data (reassigned so JSON changes save)."""
        self.state.data = {**self.state.data, **values}

    def forget(self, *keys: str) -> None:
        self.state.data = {k: v for k, v in self.state.data.items() if k not in keys}


def _fields(params: dict[str, Any]) -> dict[str, str]:
    return {name: str(value) for name, value in params.items()}


def options(t: Texts, pairs: list[tuple[str, str]]) -> list[Option]:
    """Options from (key, catalog key) pairs: options(t, [("sv", "language.sv")])."""
    return [Option(key, t(label_key)) for key, label_key in pairs]


def consented(turn: Turn) -> bool:
    return turn.contact.status == "active"


def onboarded(turn: Turn) -> bool:
    """Consent and age given and onboarding left: only then the menu (MENY in the middle
    of onboarding goes on with onboarding, so the age gate cannot be skipped)."""
    return (consented(turn) and turn.contact.age_band is not None
            and turn.state.flow != "onboarding")
