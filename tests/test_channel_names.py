"""Storage, handlers, catalogs and the dashboard ask a channel's capabilities, never its name."""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

import pytest

from bot.channels import sim
from bot.root import CHANNEL_MODULES
from bot.runtime import register_channels
from bot.settings import Settings
from storage.capabilities import CHANNELS, Capabilities, ChannelRegistry, Medium, UnknownChannel

ROOT = Path(__file__).resolve().parent.parent
CHANNEL_BLIND = ["storage", "handlers", "bot/web/dashboard", "messages"]
# Known and left: the outreach poster's QR code for texting a source's keyword (SMSTO:).
ALLOWED = {("bot/web/dashboard/outreach.py", "sms")}


def channel_names() -> set[str]:
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    real = [caps for module in CHANNEL_MODULES for caps in module.capabilities(settings)]
    registry = ChannelRegistry()
    registry.fill(real)
    return {caps.name for caps in real} | {caps.name for caps in sim.looks(registry)}


def string_literals(path: Path) -> list[str]:
    """Every string literal in a Python file that is not a docstring or comment."""
    found = []
    tokens = list(tokenize.generate_tokens(io.StringIO(path.read_text()).readline))
    for index, token in enumerate(tokens):
        if token.type != tokenize.STRING:
            continue
        before = next((t for t in reversed(tokens[:index])
                       if t.type not in (tokenize.NL, tokenize.NEWLINE, tokenize.INDENT,
                                         tokenize.DEDENT, tokenize.COMMENT)), None)
        if before is None or before.type == tokenize.OP and before.string == ":":
            continue  # a module or function docstring
        found.append(token.string.strip("\"'"))
    return found


def test_no_channel_name_is_compared_outside_the_channel_modules():
    names = channel_names()
    hits = []
    for folder in CHANNEL_BLIND:
        for path in sorted((ROOT / folder).rglob("*.py")):
            relative = str(path.relative_to(ROOT))
            if "/migrations/" in relative:
                continue
            hits += [(relative, literal) for literal in string_literals(path)
                     if literal in names and (relative, literal) not in ALLOWED]
    for path in sorted((ROOT / "bot/web/templates/staff").glob("*.html")):
        for name in names:
            if re.search(rf"""["']{re.escape(name)}["']""", path.read_text()):
                hits.append((str(path.relative_to(ROOT)), name))
    assert hits == []


def test_catalogs_hold_no_per_channel_entries():
    names = channel_names()
    for path in (ROOT / "messages").rglob("*.po"):
        keys = re.findall(r'^msgid "([^"]+)"', path.read_text(), re.MULTILINE)
        assert [key for key in keys if key.rsplit(".", 1)[-1] in names] == [], path


def test_every_channel_declares_its_capabilities_and_a_look_copies_its_channel():
    register_channels(Settings(_env_file=None, sms_price_sek=0.7), CHANNEL_MODULES)  # type: ignore[call-arg]
    sms = CHANNELS.of("sms")
    look = CHANNELS.of("sim-sms")
    assert (look.medium, look.price_sek, look.kind, look.look_of) == (sms.medium, 0.7, "sms", "sms")
    assert CHANNELS.kind_of("sim-sms") == sms
    assert CHANNELS.for_numbers(simulated=False) == "sms"
    assert CHANNELS.for_numbers(simulated=True) == "sim-sms"
    assert CHANNELS.staff_channel() == "telegram"
    assert [caps.kind for caps in CHANNELS.kinds().values()] == ["telegram", "whatsapp", "sms"]


def test_an_unknown_channel_is_an_error_not_sms():
    with pytest.raises(UnknownChannel, match="CHANNEL_MODULES"):
        CHANNELS.of("fax")


def test_a_channel_that_cannot_write_first_sends_only_templated_kinds_after_a_day():
    caps = Capabilities("x", kind="x", label="X", medium=Medium(), max_length=100,
                        writes_first_freely=False, templates=frozenset({"reminder.day"}))
    assert caps.may_send(None, silent_for_a_day=False)
    assert caps.may_send("reminder.day", silent_for_a_day=True)
    assert not caps.may_send("survey.ask", silent_for_a_day=True)
    assert not caps.may_send(None, silent_for_a_day=True)
