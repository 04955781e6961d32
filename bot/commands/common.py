"""What every `jobbtorg` command shares: errors, settings (with the --db file), running an
action against the configured database, and printing rows as a table or JSON. Commands
import this, never bot.cli or bot.root (which import them)."""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Awaitable, Callable, Coroutine
from pathlib import Path
from typing import Any, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from bot.process import Process
from bot.runtime import build_services
from bot.services import Services
from bot.settings import Settings, SettingsError, load_settings

# The SQLite file given with --db on any command (set by bot.cli); it wins over
# JOBBTORG_DATABASE_URL.
database_path: Path | None = None
# What the commands build and run: set by bot/root.py as it builds the command.
process: Process | None = None

console = Console(stderr=True)
T = TypeVar("T")


def fail(message: str, code: int = 2) -> typer.Exit:
    console.print(f"[red]{escape(message)}[/red]", soft_wrap=True)  # one line, unwrapped
    return typer.Exit(code)


def sqlite_url(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path}"


def settings_or_exit(**overrides: Any) -> Settings:
    if database_path is not None:
        overrides.setdefault("database_url", sqlite_url(database_path))
    try:
        return load_settings(**overrides)
    except SettingsError as exc:
        raise fail(str(exc)) from None


async def ready_database(settings: Settings) -> None:
    """Refuse a database that is missing, behind or ahead of this release, in one line."""
    from storage.migrate import schema_problem

    if problem := await schema_problem(settings.database_url):
        raise fail(problem)


def the_process() -> Process:
    if process is None:
        raise RuntimeError("the jobbtorg command is built by bot.root (bot.root.cli)")
    return process


def run(coroutine: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(coroutine)


async def with_services(action: Callable[[Services], Awaitable[T]], **overrides: Any) -> T:
    """Run an operator action against the configured database, if it is at this release."""
    settings = settings_or_exit(**overrides)
    await ready_database(settings)
    services = await build_services(settings, the_process())
    try:
        return await action(services)
    finally:
        await services.close()


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, default=str) + "\n")


def print_table(rows: list[dict[str, Any]], title: str) -> None:
    table = Table(title=title)
    if not rows:
        console.print(f"{title}: none")
        return
    for column in rows[0]:
        table.add_column(column)
    for row in rows:
        table.add_row(*("" if v is None else str(v) for v in row.values()))
    Console().print(table)


def shown(value: Any) -> str:
    """One value as a person reads it: nested fields as 'key value, ...', lists by commas."""
    if value is None:
        return ""
    if isinstance(value, dict):
        return ", ".join(f"{k} {shown(v)}".strip() for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(shown(v) for v in value)
    return str(value)


def print_record(row: dict[str, Any], title: str) -> None:
    """One object as a two-column table (field, value); JSON only with --json."""
    table = Table(title=title, show_header=False)
    table.add_column("field", style="bold")
    table.add_column("value")
    for key, value in row.items():
        table.add_row(key, escape(shown(value)))
    Console().print(table)


def wide_console(*tables: Any) -> Console:
    """The console to print report tables on: into a pipe or a file, as wide as the widest
    table (or COLUMNS, if wider), so no figure is ever cut or wrapped."""
    out = Console()
    if out.is_terminal:
        return out
    from rich.measure import Measurement

    measure = Console(width=100_000)
    width = max([Measurement.get(measure, measure.options, t).maximum for t in tables] + [0])
    return Console(width=max(width, out.width))


def output(rows: list[dict[str, Any]] | dict[str, Any], as_json: bool, title: str) -> None:
    if as_json:
        print_json(rows)
    elif isinstance(rows, dict):
        print_record(rows, title)
    else:
        print_table(rows, title)


def refuse_unmakeable(url: str) -> None:
    """A SQLite file can be made only in a folder that exists, and not where a folder is."""
    from storage.migrate import sqlite_file

    path = sqlite_file(url)
    if path is not None and not path.parent.is_dir():
        raise fail(f"No folder {path.parent}: create it, or pass --db PATH in a folder that "
                   "exists.")
    if path is not None and path.is_dir():
        raise fail(f"{path} is a folder, not a database: pass --db PATH to the database file.")
