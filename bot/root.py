"""The composition root: what a jobbtorg process is made of, listed once, and built.

Read this file to know what the program is. Every flow, hook, timed job, staff command,
line of MINA UPPGIFTER, channel, HTTP route, start-up check and command group is listed
here; adding one means adding it to its list (tests/test_root.py fails for a flow, job,
staff command or command group that exists but is not listed). Nothing registers itself
by being imported: the parts get these lists from what the root builds (`Services`, the
engine's `Parts`, the `jobbtorg` command). Nothing imports this module but the entry
points (`jobbtorg`, `python -m bot`), the tests and the benchmarks.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import typer

from bot import cli as core_commands
from bot.channels import ChannelModule, sms, telegram, whatsapp
from bot.clock import Clock
from bot.commands import (
    bookings,
    broadcast,
    common,
    events,
    followup,
    report,
    report_funnel,
    report_outcomes,
    retention,
    sources,
)
from bot.commands import telegram as telegram_commands
from bot.process import Process, StartupCheck
from bot.runtime import build_services as build_process
from bot.services import Services
from bot.settings import Settings
from bot.web import dashboard, metrics
from bot.web.dashboard import (
    admin,
    contacts,
    handoffs,
    home,
    outreach,
    reports,
    units,
    visits,
)
from bot.web.dashboard import (
    broadcasts as broadcast_pages,
)
from bot.web.dashboard import (
    followup as followup_pages,
)
from bot.web.dashboard.core import Dashboard
from handlers import (
    booking,
    broadcasts,
    coach_telegram,
    coach_visit_changes,
    handoff,
    menu,
    mybookings,
    onboarding,
    privacy,
    reminders,
    requests,
    rsvp,
    staff_broadcast,
    survey,
)
from handlers import retention as retention_job
from handlers import (
    sources as outreach_sources,
)
from handlers.parts import Parts

# ---- The conversation (handlers/) ----------------------------------------------------

# Every flow a person can be in; `handlers.flow.FlowName` lists their names for mypy.
FLOWS = (onboarding.onboarding, menu.menu, menu.faq, menu.feedback, booking.booking,
         mybookings.mybookings, handoff.handoff, privacy.language, privacy.mydata,
         privacy.erase, survey.survey)
# Run on a person's very first message, in this order: outreach-source attribution from
# a deep-link payload or an SMS keyword.
FIRST_CONTACT_HOOKS = (outreach_sources.attribute_source,)
# May take a message before the current flow does (after navigation): a request made at
# any step ("ring mig", "jag kan inte komma", "avboka min tid"), a known person's deep
# link, the answer to a question the bot sent on its own (an RSVP).
ANSWER_HOOKS = (requests.take_request, outreach_sources.known_person_link,
                rsvp.take_rsvp_answer)
# Lines the features add to MINA UPPGIFTER, after the person's own details.
DATA_SECTIONS = (mybookings.bookings_section, rsvp.data_lines, survey.my_followup)
# Each feature's timed jobs (declared beside their handlers with `@jobs.contact(kind)`).
JOBS = (booking.jobs, reminders.jobs, rsvp.jobs, survey.jobs, broadcasts.jobs,
        retention_job.jobs)
# Recurring system work whose next run a worker makes sure of as it starts.
ENSURE_JOBS = (retention_job.ensure_retention_job,)
# Telegram commands for linked staff users (/idag, /imorgon, /avboka, /flytta, /utskick).
STAFF_COMMANDS = (coach_telegram.commands, coach_visit_changes.commands,
                  staff_broadcast.commands)

PARTS = Parts.of(flows=FLOWS, first_contact_hooks=FIRST_CONTACT_HOOKS,
                 answer_hooks=ANSWER_HOOKS, data_sections=DATA_SECTIONS, jobs=JOBS,
                 ensure_jobs=ENSURE_JOBS, staff_commands=STAFF_COMMANDS)

# ---- The channels (bot/channels/) ------------------------------------------------------

# Every channel the bot speaks, one module each: what it can do (its capabilities, which
# storage, handlers and the dashboard ask instead of its name), its webhook, sender, pace
# and start-up check. The simulator's looks of them are added in the demo.
CHANNEL_MODULES: tuple[ChannelModule, ...] = (telegram, sms, whatsapp)


# ---- The web process and `serve` ----------------------------------------------------

# The staff dashboard's areas, each with its pages, navigation items and counts.
DASHBOARD = Dashboard.of((home.pages, visits.pages, handoffs.pages, followup_pages.pages,
                          contacts.pages, outreach.pages, broadcast_pages.pages, reports.pages,
                          admin.pages, units.pages))
# What the web process serves besides /healthz (and the demo's /sim/): each channel's
# webhook, the staff dashboard and /metrics.
ROUTE_INSTALLERS = (*(channel.install for channel in CHANNEL_MODULES),
                    dashboard.installer(DASHBOARD), metrics.install)
# Refuse a production set-up that cannot work, before anything starts (besides each
# channel's own `startup_problem`, which `serve` asks of the channels that are on).
STARTUP_CHECKS: tuple[StartupCheck, ...] = ()

PROCESS = Process(parts=PARTS, channels=CHANNEL_MODULES,
                  route_installers=ROUTE_INSTALLERS, startup_checks=STARTUP_CHECKS)


async def build_services(settings: Settings, demo: bool = False,
                         clock: Clock | None = None) -> Services:
    """The root's process, running on `settings`' database."""
    return await build_process(settings, PROCESS, demo, clock)


# ---- The `jobbtorg` command (bot/commands/) ---------------------------------------------

# Each feature's command group, by the name it has on the command line.
CLI_GROUPS = ((bookings.bookings_app, "bookings"), (bookings.visits_app, "visits"),
              (bookings.units_app, "units"), (broadcast.broadcast_app, "broadcast"),
              (events.events_app, "events"), (followup.survey_app, "survey"),
              (followup.outcome_app, "outcome"), (followup.groups_app, "groups"),
              (report.report_app, "report"), (retention.retention_app, "retention"),
              (sources.sources_app, "sources"), (telegram_commands.telegram_app, "telegram"))
# Commands of their own at the top, and the reports (shared helpers live in report.py).
Command = tuple[Callable[..., Any], str]  # a command function and its name
CLI_COMMANDS: tuple[Command, ...] = ((bookings.enrol, "enrol"), (followup.avslut, "avslut"),
                                     (bookings.move_person, "move-person"))
REPORTS: tuple[Command, ...] = ((report_funnel.report_funnel, "funnel"),
                              (report_outcomes.outcomes, "outcomes"))


def build_cli() -> typer.Typer:
    """The whole `jobbtorg` command (built once: the entry point is `cli` below)."""
    common.process = PROCESS  # what the commands build and run
    for command, name in REPORTS:
        report.report_app.command(name)(command)
    cli = core_commands.command_tree("The jobbtorg outreach bot.")
    cli.add_typer(core_commands.app)  # demo, serve, db, seed, staff, handoffs
    for group, name in CLI_GROUPS:
        cli.add_typer(group, name=name)
    for command, name in CLI_COMMANDS:
        cli.command(name)(command)
    return cli


cli = build_cli()
