"""Helpers for the hypothesis tests: run async code from a sync @given body, count cases.

Hypothesis drives a plain function per example; `Loop` keeps one event loop (and the app
and database on it) for all of a test's examples, so state carries from case to case
the way it does for a real person.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Coroutine
from contextlib import AbstractAsyncContextManager
from typing import Any, TypeVar

from hypothesis import HealthCheck, settings

T = TypeVar("T")

# Each fuzz test states its number of examples; together they are at least 10,000.
CASES = {
    "conversation": 1500,
    "telegram_parse": 4000,
    "twilio_parse": 2000,
    "telegram_webhook": 800,
    "twilio_webhook": 800,
    "forged": 600,
    "simulator": 500,
}
assert sum(CASES.values()) >= 10_000

# Hypothesis profiles: "dev" (the default) runs few examples so `make test` stays quick;
# "ci" (HYPOTHESIS_PROFILE=ci, set by .ci/run) runs the full counts above.
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "dev")
# FUZZ_SCALE overrides the share of CASES a fuzz test runs (1 = all of them).
SCALE = float(os.environ.get("FUZZ_SCALE") or (1 if PROFILE == "ci" else 0.1))


def load_hypothesis_profile() -> None:
    """Register both profiles and load the chosen one (called once, from conftest.py)."""
    settings.register_profile("ci", max_examples=100)
    settings.register_profile("dev", max_examples=25)
    settings.load_profile(PROFILE)


def cases(name: str) -> int:
    return max(1, round(CASES[name] * SCALE))


def fuzz(name: str) -> settings:
    """Settings for a fuzz test: its number of examples, no deadline, no example database
    (so every run explores afresh), and no complaint about a shared fixture."""
    return settings(max_examples=cases(name), deadline=None, database=None,
                    suppress_health_check=list(HealthCheck))


class Loop:
    """One event loop for a whole hypothesis test."""

    def __init__(self) -> None:
        self.runner = asyncio.Runner()
        self._entered: list[AbstractAsyncContextManager[Any]] = []

    def run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        return self.runner.run(coroutine)

    def enter(self, manager: AbstractAsyncContextManager[T]) -> T:
        self._entered.append(manager)
        return self.run(manager.__aenter__())

    def close(self) -> None:
        for manager in reversed(self._entered):
            self.run(manager.__aexit__(None, None, None))
        self.runner.close()
