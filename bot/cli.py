"""The `jobbtorg` command's own commands: demo, serve, database, seed data, staff, hand-offs.

`bot/root.py` builds the whole command from these and the feature groups in
bot/commands/. Every command that prints data has --json (a JSON list or object on
stdout, nothing else). The CLI acts as a local operator with full rights.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import typer
from rich.markup import escape
from sqlmodel import select
from typer.core import TyperGroup

from bot.commands import common
from bot.commands.common import (
    console,
    fail,
    output,
    refuse_unmakeable,
    run,
    settings_or_exit,
    sqlite_url,
    with_services,
)
from bot.services import Services


def _db_option() -> Any:
    """A `--db PATH` option as typer builds it, taken from a one-option command."""
    probe = typer.Typer()

    @probe.command()
    def with_db(db: Path | None = typer.Option(
            None, "--db", help="SQLite file (overrides JOBBTORG_DATABASE_URL).")) -> None:
        pass

    return typer.main.get_command(probe).params[0]


def _use_db(callback: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(callback)
    def with_db(*args: Any, db: Path | str | None = None, **kwargs: Any) -> Any:
        common.database_path = None if db is None else Path(db)
        return callback(*args, **kwargs)

    return with_db


class Commands(TyperGroup):
    """The command tree, which gives every command `--db PATH` as `demo` has.

    Done as the tree is built, so commands that register late (a module imported from
    the dashboard first, a new feature module) get it too.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        option = _db_option()
        groups: list[TyperGroup] = [self]
        while groups:
            for command in groups.pop().commands.values():
                if isinstance(command, TyperGroup):
                    groups.append(command)
                elif command.callback and all(p.name != "db" for p in command.params):
                    command.params.append(option)
                    command.callback = _use_db(command.callback)


def command_tree(help_text: str) -> typer.Typer:
    """An empty `jobbtorg` command whose every command gets `--db PATH`."""
    return typer.Typer(help=help_text, no_args_is_help=True, pretty_exceptions_enable=False,
                       cls=Commands)


app = typer.Typer()  # demo, serve and the groups below; bot/root.py adds the features'
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
seed_app = typer.Typer(help="Seed data.", no_args_is_help=True)
staff_app = typer.Typer(help="Staff users.", no_args_is_help=True)
handoffs_app = typer.Typer(help="Requests to talk to a person.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(seed_app, name="seed")
app.add_typer(staff_app, name="staff")
app.add_typer(handoffs_app, name="handoffs")

MIN_SECRET_KEY = 32  # characters; a shorter key can be guessed offline from one cookie


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create the database, or bring its schema up to this release keeping every row."""
    from sqlalchemy.exc import DBAPIError

    from storage.migrate import (
        SchemaError,
        current_revision,
        describe,
        first_line,
        head_revision,
        sqlite_file,
        upgrade,
    )

    url = settings_or_exit().database_url
    where = describe(url)
    path = sqlite_file(url)
    refuse_unmakeable(url)

    async def upgrade_it() -> str | None:
        before = None if path is not None and not path.exists() else await current_revision(url)
        await upgrade(url)
        return before

    try:
        before = run(upgrade_it())
    except SchemaError as exc:
        raise fail(str(exc)) from None
    except (DBAPIError, OSError) as exc:
        raise fail(f"Cannot open the database at {where} ({first_line(exc)}).") from None
    head = head_revision()
    done = (f"is up to date (schema {head})" if before == head
            else f"is now at schema {head} (was {before or 'empty'})")
    console.print(f"The database at {escape(where)} {done}.", soft_wrap=True)


@seed_app.command("stockholm")
def seed_stockholm() -> None:
    """Load the five Stockholm jobbtorg and their thirteen districts."""
    from storage.places import seed_stockholm as load

    async def action(services: Services) -> tuple[int, int]:
        async with services.db.transaction() as session:
            return await load(session)

    units, districts = run(with_services(action))
    console.print(f"Seeded {units} new units and {districts} new districts.")


@staff_app.command("add")
def staff_add(
    username: str = typer.Option(..., help="Login name."),
    role: str = typer.Option(..., help="admin, outreach, coach or analyst (or administratör, "
                             "uppsökare, analytiker)."),
    unit: str = typer.Option("", help="The unit, by slug or name: jarva, Järva (required for "
                      "coaches)."),
    telegram_user_id: int | None = typer.Option(None, help="Telegram user id for staff commands."),
) -> None:
    """Create a staff user; the password is read from standard input."""
    from bot.commands.options import read_role, unit_named
    from bot.passwords import hash_password
    from storage.models import StaffUser
    from storage.staff import ROLES, staff_by_username

    role = read_role(role, ROLES)
    if role == "coach" and not unit:
        raise fail("a coach needs --unit (e.g. jarva)")
    password = sys.stdin.readline().rstrip("\n")
    if len(password) < 8:
        raise fail("give a password of at least 8 characters on standard input")

    async def action(services: Services) -> None:
        async with services.db.transaction() as session:
            if await staff_by_username(session, username):
                raise fail(f"a staff user named {username} exists already")
            unit_id = (await unit_named(session, unit)).id if unit else None
            session.add(StaffUser(username=username, password_hash=hash_password(password),
                                  role=role, unit_id=unit_id, telegram_user_id=telegram_user_id,
                                  created_at=services.clock.now()))

    run(with_services(action))
    console.print(f"Added {role} {username}.")


@staff_app.command("unlock")
def staff_unlock(username: str = typer.Argument(..., help="The login name.")) -> None:
    """Let a staff user sign in again at once after failed tries (from any address)."""
    from storage.staff import staff_by_username
    from storage.staff_sessions import unlock_account

    async def action(services: Services) -> int:
        async with services.db.transaction() as session:
            if await staff_by_username(session, username) is None:
                raise fail(f"no staff user named {username}")
            return await unlock_account(session, username)

    cleared = run(with_services(action))
    console.print(f"Unlocked {username} ({cleared} counts of failed tries cleared).")


@handoffs_app.command("list")
def handoffs_list(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Open requests to talk to a person."""
    from storage.models import HandoffRequest, Unit

    async def action(services: Services) -> list[dict[str, Any]]:
        async with services.db.transaction() as session:
            result = await session.execute(
                select(HandoffRequest, Unit.slug)
                .outerjoin(Unit, Unit.id == HandoffRequest.unit_id)  # type: ignore[arg-type]
                .order_by(HandoffRequest.id)  # type: ignore[arg-type]
            )
            return [{"id": h.id, "contact_id": h.contact_id, "unit": slug, "status": h.status,
                     "created_at": h.created_at.astimezone(services.settings.zone).isoformat()}
                    for h, slug in result.all()]

    output(run(with_services(action)), as_json, "Hand-off requests")


@app.command()
def demo(
    port: int = typer.Option(8080, help="Port to listen on."),
    db: Path | None = typer.Option(None, "--db", help="SQLite file (overrides DATABASE_URL)."),
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    empty: bool = typer.Option(False, "--empty", help="Start with no history: no people, "
                                                      "visits or reports (a new database)."),
) -> None:
    """Run everything on SQLite with the simulator, demo staff logins and (unless --empty)
    a year of made-up history, so every role's pages show a service in use."""
    from bot.demo import run_demo
    from storage.migrate import SchemaError

    overrides: dict[str, Any] = {"demo": True}
    if db is not None:
        overrides["database_url"] = sqlite_url(db)
    settings = settings_or_exit(**overrides)
    if not settings.is_sqlite:
        raise fail("the demo runs on SQLite; unset JOBBTORG_DATABASE_URL or pass --db")
    refuse_unmakeable(settings.database_url)
    try:
        # Upgrades its database first.
        run(run_demo(settings, host, port, common.the_process(), history=not empty))
    except SchemaError as exc:
        raise fail(str(exc)) from None


@app.command()
def serve(
    port: int = typer.Option(8080, help="Port to listen on."),
    host: str = typer.Option("0.0.0.0", help="Address to listen on."),
    role: str = typer.Option("all", help="all, web (webhooks, engine, dashboard) or worker "
                                         "(dispatcher and scheduler)."),
    telegram_polling: bool = typer.Option(False, help="Fetch Telegram updates with getUpdates "
                                                      "instead of a webhook (development)."),
) -> None:
    """Run in production: the channels whose credentials are set."""
    from bot.serve import run_serve

    if role not in ("all", "web", "worker"):
        raise fail("--role must be all, web or worker")
    settings = settings_or_exit()
    if len(settings.secret_key) < MIN_SECRET_KEY:
        raise fail(f"JOBBTORG_SECRET_KEY is required by serve: at least {MIN_SECRET_KEY} random "
                   "characters (e.g. `openssl rand -hex 32`); it signs staff sessions")
    try:
        run(run_serve(settings, host, port, role, telegram_polling, common.the_process()))
    except SystemExit as exc:
        raise fail(str(exc.code)) from None

