"""What the conversation layer of a process is made of, as `bot/root.py` lists it.

The engine gets one `Parts` when it is built and hands it to every turn, so a step finds
the other flows, the lines of MINA UPPGIFTER and the hooks here, never through a registry
that some import happened to fill.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import TypeVar

from handlers.base import Turn
from handlers.flow import Flow
from handlers.jobs import ContactJob, EnsureJob, Jobs, SystemJob
from handlers.staff import StaffCommands

T = TypeVar("T")

# Run on a person's very first message (outreach-source attribution).
FirstContactHook = Callable[[Turn], Awaitable[None]]
# May take a message before the current flow does (True: handled).
AnswerHook = Callable[[Turn], Awaitable[bool]]
# Lines a feature adds to MINA UPPGIFTER (e.g. the person's bookings).
DataSection = Callable[[Turn], Awaitable[list[str]]]


@dataclass(frozen=True)
class Parts:
    flows: dict[str, Flow] = field(default_factory=dict)
    first_contact_hooks: tuple[FirstContactHook, ...] = ()
    answer_hooks: tuple[AnswerHook, ...] = ()
    data_sections: tuple[DataSection, ...] = ()
    contact_jobs: dict[str, ContactJob] = field(default_factory=dict)
    system_jobs: dict[str, SystemJob] = field(default_factory=dict)
    ensure_jobs: tuple[EnsureJob, ...] = ()
    staff: StaffCommands = field(default_factory=StaffCommands)

    @classmethod
    def of(cls, *, flows: Iterable[Flow], first_contact_hooks: Iterable[FirstContactHook],
           answer_hooks: Iterable[AnswerHook], data_sections: Iterable[DataSection],
           jobs: Iterable[Jobs], ensure_jobs: Iterable[EnsureJob],
           staff_commands: Iterable[StaffCommands]) -> Parts:
        """Merge the features' parts; a name used twice is a mistake in the list."""
        named: dict[str, Flow] = {}
        for flow in flows:
            _add(named, flow.name, flow, "flow")
        contact: dict[str, ContactJob] = {}
        system: dict[str, SystemJob] = {}
        for each in jobs:
            for kind, job in each.contact_jobs.items():
                _add(contact, kind, job, "job kind")
            for kind, system_job in each.system_jobs.items():
                _add(system, kind, system_job, "job kind")
        if both := set(contact) & set(system):
            raise ValueError(f"job kinds both contact and system jobs: {sorted(both)}")
        staff = StaffCommands()
        for commands in staff_commands:
            for name, handler in commands.commands.items():
                _add(staff.commands, name, handler, "staff command")
            for prefix, handler in commands.choices.items():
                _add(staff.choices, prefix, handler, "staff choice")
        return cls(flows=named, first_contact_hooks=tuple(first_contact_hooks),
                   answer_hooks=tuple(answer_hooks), data_sections=tuple(data_sections),
                   contact_jobs=contact, system_jobs=system, ensure_jobs=tuple(ensure_jobs),
                   staff=staff)


def _add(table: dict[str, T], name: str, value: T, what: str) -> None:
    if name in table:
        raise ValueError(f"{what} {name!r} is listed twice")
    table[name] = value
