"""What each channel can do, registered by the composition root and asked by everything else.

Storage, handlers, catalogs and the dashboard never compare a channel's name: they ask
`CHANNELS.of(name)` what it can do (buttons or a numbered list, how long a message may
be, what it costs, whether the bot may write first after a day of silence, how its
addresses look). The channel modules in bot/channels/ declare their capabilities and
`bot/runtime.py` registers those `bot/root.py` lists, once, at start; nothing registers
by being imported.
A leaf: it imports nothing of the project.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Medium:
    """What the person's channel can show; handlers adapt lists to it, never to a channel."""

    buttons: bool = True  # options shown as buttons (else as a numbered list)
    max_options: int = 10  # options that fit in one message
    gsm7: bool = False  # texts must stay GSM-7 (SMS): what the person typed is transliterated
    phone: bool = False  # the address is a phone number in E.164 (else a provider's chat id)


@dataclass(frozen=True)
class Capabilities:
    """One channel as the rest of the program sees it."""

    name: str  # as stored on addresses and outbox rows ("sms", "sim-sms")
    # What staff choose and count by; a simulator look has the kind it imitates.
    kind: str
    label: str  # the channel's name as staff read it ("SMS"); a proper name, one for all languages
    medium: Medium
    max_length: int  # characters one message may have
    price_sek: float = 0.0  # what one message costs, or one segment when `segmented`
    segmented: bool = False  # priced per SMS segment (GSM-7 160/153, else UCS-2 70/67)
    # May the bot write first (a reminder, a survey, a broadcast) more than 24 hours after
    # the person last wrote? If not, such messages go as approved templates (`templates`).
    writes_first_freely: bool = True
    templates: frozenset[str] = frozenset()  # message kinds with an approved template
    staff: bool = False  # staff commands and notices to staff come over it
    quiet_hours: bool = False  # bulk messages wait until quiet hours end
    stop_hint: bool = False  # a bulk message ends with how to stop them (STOPP)
    rank: int = 100  # a person with several addresses is reached on the lowest rank first
    look_of: str | None = field(default=None)  # a simulator look: the channel it imitates

    def units(self, segments: int) -> int:
        """What one message of `segments` SMS segments is priced as: segments, or 1."""
        return segments if self.segmented else 1

    def may_send(self, kind: str | None, silent_for_a_day: bool) -> bool:
        """Whether a message of `kind` can go to someone silent for a day or more: free
        text where the channel allows it, else only a kind with an approved template."""
        return self.writes_first_freely or not silent_for_a_day or (
            kind is not None and kind in self.templates)


class UnknownChannel(LookupError):
    """A channel name nobody registered (bot/root.py lists the channels)."""


class ChannelRegistry:
    """The channels of this process, by name, in rank order."""

    def __init__(self) -> None:
        self._by_name: dict[str, Capabilities] = {}

    def fill(self, channels: list[Capabilities]) -> None:
        """Replace every registration (start-up, or a test's own set of channels)."""
        self._by_name = {c.name: c for c in sorted(channels, key=lambda c: c.rank)}

    def of(self, name: str) -> Capabilities:
        try:
            return self._by_name[name]
        except KeyError:
            raise UnknownChannel(f"channel {name!r} is not registered: bot/root.py lists "
                                 "the channels (CHANNEL_MODULES)") from None

    def __contains__(self, name: object) -> bool:
        return name in self._by_name

    def all(self) -> list[Capabilities]:
        return list(self._by_name.values())

    def names(self, kind: str | None = None) -> list[str]:
        """Every channel name, or those of one kind ("sms": "sms", "sim-sms")."""
        return [c.name for c in self._by_name.values() if kind is None or c.kind == kind]

    def kinds(self) -> dict[str, Capabilities]:
        """One channel per kind, the real one before its simulator look, in rank order."""
        found: dict[str, Capabilities] = {}
        for caps in self._by_name.values():
            if caps.kind not in found or found[caps.kind].look_of is not None:
                found[caps.kind] = caps
        return found

    def kind_of(self, name: str) -> Capabilities:
        """The capabilities of the kind `name` belongs to (a simulator look's real channel)."""
        return self.kinds()[self.of(name).kind]

    def for_numbers(self, simulated: bool) -> str:
        """The channel that reaches a bare phone number: the first that may write first
        to a number (SMS), or its simulator look."""
        for caps in self._by_name.values():
            if caps.medium.phone and caps.writes_first_freely and \
                    (caps.look_of is not None) == simulated:
                return caps.name
        raise UnknownChannel("no registered channel can write first to a phone number")

    def staff_channel(self) -> str:
        """The channel staff notices go to (a coach's Telegram chat)."""
        for caps in self._by_name.values():
            if caps.staff and caps.look_of is None:
                return caps.name
        raise UnknownChannel("no registered channel carries staff messages")

    def label(self, name: str) -> str:
        """Staff's name for a channel or a kind; an unknown name is shown as it is."""
        if name in self._by_name:
            return self._by_name[name].label
        return self.kinds()[name].label if name in self.kinds() else name


CHANNELS = ChannelRegistry()
