"""LOG_LEVEL=DEBUG still logs no statement parameters: no message text, no number."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest

from bot.logs import setup_logging
from tests.sim import SimPerson

pytestmark = pytest.mark.storage  # on SQLite and PostgreSQL alike

SECRET = "Kvarnholmsvagen"
NUMBER = "+46701234987"


@pytest.fixture
def debug_log() -> Iterator[io.StringIO]:
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    stream = io.StringIO()
    setup_logging("DEBUG", stream)
    try:
        yield stream
    finally:
        root.handlers[:], root.level = saved[0], saved[1]


async def test_debug_logging_keeps_statement_parameters_out(database_url, debug_log, client):
    person = SimPerson(client, NUMBER, "sms")
    await person.send("hej")
    await person.send(f"jag bor på {SECRET}")
    output = debug_log.getvalue()
    assert SECRET not in output and NUMBER not in output and NUMBER[1:] not in output
