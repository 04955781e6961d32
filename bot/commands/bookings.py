"""`jobbtorg bookings|visits|units|enrol`: bookings, visit outcomes, enrolment, hours and kinds.

The CLI acts as a local operator with full rights; every read or change of a person's
data is still audit-logged under the actor "cli".
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import typer

from bot.commands.common import console, fail, output, run, with_services
from bot.commands.options import (
    START_EXAMPLES,
    keys_help,
    kind_named,
    read_day,
    read_key,
    read_start,
    unit_named,
)
from bot.engine import policy_from
from bot.services import Services
from handlers.actions import bookings as actions
from handlers.actions.bookings import Actor, Refused
from handlers.availability import is_public_holiday, swedish_public_holidays
from handlers.gsm7 import is_gsm7, non_gsm7_characters
from handlers.phone import e164
from handlers.unit_words import BRING_LENGTH
from storage.bookings import (
    Booking,
    VisitKind,
    bookings_between,
    close_day,
    closures,
    day_bounds,
    kind_by_slug,
    kinds_of,
    opening_hours,
    reopen_day,
    resize_future_slots,
    set_opening_hours,
)
from storage.followup import PROGRAMMES
from storage.models import Contact, Unit
from storage.places import all_units
from storage.staff import audit

bookings_app = typer.Typer(help="Booked visits.", no_args_is_help=True)
visits_app = typer.Typer(help="Mark visits attended or no-show.", no_args_is_help=True)
units_app = typer.Typer(help="Units: opening hours, closures and visit kinds.",
                        no_args_is_help=True)
kinds_app = typer.Typer(help="Visit kinds of a unit.", no_args_is_help=True)
units_app.add_typer(kinds_app, name="kinds")

ACTOR = "cli"
OPERATOR = Actor(ACTOR)  # the CLI acts as a local operator with full rights
WEEKDAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6,
            "mån": 0, "man": 0, "tis": 1, "ons": 2, "tor": 3, "fre": 4, "lör": 5, "lor": 5,
            "sön": 6, "son": 6}
WEEKDAY_NAMES = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
_WINDOW = re.compile(r"^(\d{1,2}:\d{2})-(\d{1,2}:\d{2})$")
# Visit outcomes: the key, and the Swedish word a coach may type instead.
OUTCOME_NAMES = {"attended": "kom", "no-show": "uteblev"}
_AS_JSON = typer.Option(False, "--json", help="Print JSON.")
UNIT_HELP = "The unit, by slug or name: jarva, Järva."


# ------------------------------------------------------------------------ parsing at the edge


def parse_day_option(text: str, today: date, option: str = "--date") -> date:
    """A day to look at or change: '2026-12-01', '3/12', 'idag', 'imorgon', 'onsdag'."""
    return read_day(text, today, option, past=None)


def parse_hours_spec(spec: str) -> dict[int, list[tuple[time, time]]]:
    """'mon-fri 09:00-16:00', 'tue 09:00-12:00,13:00-16:00', 'sat closed' -> weekday windows."""
    parts = spec.strip().casefold().split()
    if len(parts) != 2:
        raise fail(f"{spec!r}: write DAYS HOURS, e.g. 'mon-fri 09:00-16:00' or 'sat closed'")
    days_text, hours_text = parts
    first, _, last = days_text.partition("-")
    if first not in WEEKDAYS or (last and last not in WEEKDAYS):
        raise fail(f"{spec!r}: days are mon, tue, wed, thu, fri, sat, sun (or a range mon-fri)")
    start, end = WEEKDAYS[first], WEEKDAYS[last or first]
    if end < start:
        raise fail(f"{spec!r}: a day range runs forward, e.g. mon-fri")
    windows: list[tuple[time, time]] = []
    if hours_text not in ("closed", "stängt", "stangt"):
        for piece in hours_text.split(","):
            match = _WINDOW.match(piece)
            try:
                opens, closes = (time.fromisoformat(f"{int(p[:-3]):02d}{p[-3:]}")
                                 for p in match.groups()) if match else (None, None)
            except ValueError:
                opens = closes = None
            if opens is None or closes is None or closes <= opens:
                raise fail(f"{spec!r}: hours are HH:MM-HH:MM, e.g. 09:00-16:00")
            windows.append((opens, closes))
    return {day: windows for day in range(start, end + 1)}


def parse_start(text: str, policy: Any, today: date, day_only: bool = True) -> datetime | date:
    """A local start ('2026-12-03 10:00', '3/12 10:00', 'onsdag 14:00') as a moment, or
    with `day_only` a day alone (a drop-in day)."""
    day, at = read_start(text, today, day_only=day_only)
    if at is None:
        return day
    try:
        return actions.local_start(day, (at.hour, at.minute), policy)
    except Refused as refused:
        raise fail(refused.detail) from None


def phone_or_fail(text: str) -> str:
    number = e164(text)
    if number is None:
        raise fail(f"{text!r} is not a phone number (e.g. 070-123 45 67 or +46701234567)")
    return number


def hours_json(windows: dict[int, list[tuple[time, time]]]) -> dict[str, list[str]]:
    return {WEEKDAY_NAMES[d]: [f"{a:%H:%M}-{b:%H:%M}" for a, b in windows.get(d, [])]
            for d in range(7)}


def kind_row(kind: VisitKind) -> dict[str, Any]:
    return {"slug": kind.slug, "name": kind.name, "duration_minutes": kind.duration_minutes,
            "step_minutes": kind.step_minutes, "seats": kind.seats,
            "min_notice_minutes": kind.min_notice_minutes, "horizon_days": kind.horizon_days,
            "drop_in": kind.drop_in, "active": kind.active,
            "hours": {WEEKDAY_NAMES[int(d)]: ["-".join(w) for w in ws]
                      for d, ws in sorted(kind.hours.items())} or "unit"}


async def unit_or_fail(session: Any, name: str, option: str = "UNIT") -> Unit:
    return await unit_named(session, name, option)


def booking_row(item: Booking, kind: VisitKind, unit: Unit, zone: Any) -> dict[str, Any]:
    needs = ([f"interpreter:{item.interpreter_language}"] if item.interpreter_language else []) \
        + (["accessibility"] if item.accessibility else [])
    return {"id": item.id, "contact_id": item.contact_id, "unit": unit.slug, "kind": kind.slug,
            "start": item.start.astimezone(zone).isoformat(), "seats": item.seats,
            "status": item.status, "code": item.code, "first_name": item.first_name,
            "needs": needs}


def refused(error: Refused) -> typer.Exit:
    return fail(error.detail)


# ------------------------------------------------------------------------ bookings


@bookings_app.command("list")
def bookings_list(
    day: str = typer.Option("", "--date", help="Only this day: 2026-12-01, 3/12, idag, imorgon "
                             "or a weekday."),
    unit: str = typer.Option("", "--unit", help="Only this unit, by slug or name: jarva, Järva."),
    as_json: bool = _AS_JSON,
) -> None:
    """Upcoming booked visits, or every visit of one day (--date)."""

    async def action(services: Services) -> list[dict[str, Any]]:
        zone, now = services.settings.zone, services.clock.now()
        async with services.db.transaction() as session:
            unit_id = (await unit_or_fail(session, unit, "--unit")).id if unit else None
            if day:
                first, last = day_bounds(parse_day_option(day, now.astimezone(zone).date()), zone)
                rows = await bookings_between(session, first, last, unit_id)
            else:
                rows = [r for r in await bookings_between(
                    session, now - timedelta(days=1), now + timedelta(days=3650), unit_id,
                    statuses=("booked",)) if r[0].end > now]
            await audit(session, now, ACTOR, "bookings.listed", detail=f"{len(rows)} rows")
            return [booking_row(b, k, u, zone) for b, k, u in rows]

    output(run(with_services(action)), as_json, "Bookings")


@bookings_app.command("add")
def bookings_add(
    phone: str = typer.Option(..., help="The person's mobile number; the confirmation goes by SMS."),
    kind: str = typer.Option(..., help="Visit kind, by slug or name: forsta-besok, "
                              "Vägledning (units kinds list)."),
    start: str = typer.Option(..., help="Local start: " + START_EXAMPLES + " (a drop-in: the day)."),
    unit: str = typer.Option("", help="Unit, by slug or name; the person's own jobbtorg when left out."),
    first_name: str = typer.Option("", help="First name, so the coach can greet them."),
    interpreter: str = typer.Option("", help="Language an interpreter should speak."),
    accessibility: bool = typer.Option(False, help="Needs help getting in."),
    as_json: bool = _AS_JSON,
) -> None:
    """Book for a walk-in or a caller; they get the confirmation (and, if new, the consent
    question) by SMS."""
    number = phone_or_fail(phone)

    async def action(services: Services) -> dict[str, Any]:
        zone, now = services.settings.zone, services.clock.now()
        policy = policy_from(services.settings)
        moment = parse_start(start, policy, now.astimezone(zone).date())
        async with services.db.transaction() as session:
            unit_id = (await unit_or_fail(session, unit, "--unit")).id if unit else None
            kind_slug = await kind_named(session, kind, unit_id)
            try:
                done = await actions.book_on_behalf(
                    session, policy, OPERATOR, now, channel=services.number_channel, phone=number,
                    kind=kind_slug, start=moment, unit_id=unit_id, first_name=first_name,
                    interpreter=interpreter, accessibility=accessibility)
            except Refused as error:
                raise refused(error) from None
            if done.address.opted_out:
                console.print("[yellow]This number has opted out (STOPP): no SMS is sent.[/yellow]")
            unit_row = await session.get(Unit, done.booking.unit_id)
            assert unit_row is not None
            row = booking_row(done.booking, done.kind, unit_row, zone)
            row.update(new_contact=done.new_contact,
                       person_unit=done.other_unit.slug if done.other_unit else None)
        await services.engine.run_due_jobs()  # queue the confirmation now
        return row

    result = run(with_services(action))
    if as_json:
        output(result, True, "Booking")
    else:
        console.print(f"Booked {result['kind']} at {result['start']}, code {result['code']} "
                      f"(booking {result['id']}, contact {result['contact_id']}).")
        if result["person_unit"]:
            console.print(f"This number belongs to a person at another jobbtorg "
                          f"({result['person_unit']}). The visit is booked here; to enrol them "
                          f"here, move them first: jobbtorg move-person {result['contact_id']} "
                          f"--unit {result['unit']}", soft_wrap=True)


@bookings_app.command("cancel")
def bookings_cancel(
    booking_id: int = typer.Argument(..., help="The booking's id (bookings list)."),
    reason: str = typer.Option("", help="Why, told to the person."),
    as_json: bool = _AS_JSON,
) -> None:
    """Cancel a booked visit: the seat is freed and the person is told in their channel."""

    async def action(services: Services) -> dict[str, Any]:
        zone, now = services.settings.zone, services.clock.now()
        async with services.db.transaction() as session:
            try:
                item = await actions.cancel_visit(session, policy_from(services.settings),
                                                  OPERATOR, now, booking_id, reason)
            except Refused as error:
                raise refused(error) from None
            row = await _row_of(session, item, zone)
        await services.engine.run_due_jobs()  # queue the message to the person now
        return row

    result = run(with_services(action))
    if as_json:
        output(result, True, "Booking")
    else:
        console.print(f"Booking {booking_id} is cancelled; the person is told.")


@bookings_app.command("move")
def bookings_move(
    booking_id: int = typer.Argument(..., help="The booking's id (bookings list)."),
    start: str = typer.Option(..., help="The new local start: " + START_EXAMPLES + "."),
    as_json: bool = _AS_JSON,
) -> None:
    """Move a booked visit to another free time of the same kind; the person is told."""

    async def action(services: Services) -> dict[str, Any]:
        zone, now = services.settings.zone, services.clock.now()
        policy = policy_from(services.settings)
        moment = parse_start(start, policy, now.astimezone(zone).date(), day_only=False)
        assert isinstance(moment, datetime)
        async with services.db.transaction() as session:
            try:
                item = await actions.move_visit(session, policy, OPERATOR, now, booking_id,
                                                moment)
            except Refused as error:
                raise refused(error) from None
            row = await _row_of(session, item, zone)
        await services.engine.run_due_jobs()
        return row

    result = run(with_services(action))
    if as_json:
        output(result, True, "Booking")
    else:
        console.print(f"Booking {booking_id} is moved to {result['start']}; the person is told.")


async def _row_of(session: Any, item: Booking, zone: Any) -> dict[str, Any]:
    kind = await session.get(VisitKind, item.kind_id)
    unit = await session.get(Unit, item.unit_id)
    return booking_row(item, kind, unit, zone)


# ------------------------------------------------------------------------ visits and enrolment


@visits_app.command("mark")
def visits_mark(
    booking_id: int = typer.Argument(..., help="The booking's id (bookings list)."),
    outcome: str = typer.Argument(..., help="attended (kom) or no-show (uteblev)."),
) -> None:
    """Record that a person came, or did not (they are offered a new time the next day)."""
    outcome = read_key(outcome, OUTCOME_NAMES, "OUTCOME")

    async def action(services: Services) -> None:
        now = services.clock.now()
        async with services.db.transaction() as session:
            try:
                await actions.mark_visit(session, policy_from(services.settings), OPERATOR, now,
                                         booking_id, outcome)
            except Refused as error:
                raise refused(error) from None

    run(with_services(action))
    console.print(f"Booking {booking_id}: {outcome}.")


def enrol(contact_id: int = typer.Argument(..., help="The person's contact id."),
          programme: str = typer.Option("", "--insats", help="The programme, by key or "
                                        "name: " + keys_help(PROGRAMMES) + "."),
          as_json: bool = _AS_JSON) -> None:
    """Record that a person is enrolled (inskriven) in the jobbtorg's programme."""
    programme = read_key(programme, PROGRAMMES, "--insats") if programme else ""

    async def action(services: Services) -> dict[str, Any]:
        now = services.clock.now()
        async with services.db.transaction() as session:
            contact = await session.get(Contact, contact_id)
            if contact is None:
                raise fail(f"no person with contact id {contact_id}")
            done = await actions.enrol(session, OPERATOR, now, contact, programme or None)
            assert contact.enrolled_at is not None
            return {"contact_id": contact_id, "already": not done.new,
                    "programme": done.programme,
                    "programme_was": done.programme_was if done.changed else None,
                    "programme_changed": done.changed,
                    "enrolled_at": contact.enrolled_at.astimezone(services.settings.zone)
                    .isoformat()}

    result = run(with_services(action))
    if as_json:
        output(result, True, "Enrolment")
    elif result["programme_changed"]:
        console.print(f"Contact {contact_id} was already enrolled (on "
                      f"{result['enrolled_at'][:10]}); the programme changed from "
                      f"{PROGRAMMES.get(result['programme_was'] or '', 'none')} to "
                      f"{PROGRAMMES[result['programme']]}.", soft_wrap=True)
    elif result["already"]:
        console.print(f"Contact {contact_id} was already enrolled on {result['enrolled_at'][:10]}"
                      + (f" ({PROGRAMMES[result['programme']]})." if result["programme"]
                         else "."))
    else:
        console.print(f"Contact {contact_id} is enrolled.")


def move_person(contact_id: int = typer.Argument(..., help="The person's contact id."),
                unit: str = typer.Option(..., "--unit", help="The unit, by slug or name: "
                                         "jarva, Järva (units list).")
                ) -> None:
    """Move a person to another jobbtorg, so its coaches see, enrol and end them."""

    async def action(services: Services) -> str:
        async with services.db.transaction() as session:
            target = await unit_or_fail(session, unit, "--unit")
            assert target.id is not None
            try:
                await actions.move_person(session, OPERATOR, services.clock.now(), contact_id,
                                          target.id)
            except Refused as error:
                raise refused(error) from None
            return target.name

    name = run(with_services(action))
    console.print(f"Contact {contact_id} now belongs to {name}.")


# ------------------------------------------------------------------------ units


@units_app.command("list")
def units_list(as_json: bool = _AS_JSON) -> None:
    """The jobbtorg units."""

    async def action(services: Services) -> list[dict[str, Any]]:
        async with services.db.transaction() as session:
            return [{"slug": u.slug, "name": u.name, "address": u.address, "phone": u.phone}
                    for u in await all_units(session)]

    output(run(with_services(action)), as_json, "Units")


@units_app.command("show")
def units_show(slug: str = typer.Argument(..., help=UNIT_HELP),
               as_json: bool = _AS_JSON) -> None:
    """A unit's hours, coming closures (and public holidays) and visit kinds."""

    async def action(services: Services) -> dict[str, Any]:
        today = services.clock.now().astimezone(services.settings.zone).date()
        last = today + timedelta(days=60)
        async with services.db.transaction() as session:
            unit = await unit_or_fail(session, slug)
            assert unit.id is not None
            closed = {c.day: c.reason for c in await closures(session, unit.id, today, last)}
            for year in {today.year, last.year}:
                closed.update({d: name for d, name in swedish_public_holidays(year).items()
                               if today <= d <= last and d not in closed})
            return {"slug": unit.slug, "name": unit.name, "address": unit.address,
                    "phone": unit.phone, "bring": dict(unit.bring or {}),
                    "hours": hours_json(await opening_hours(session, unit.id)),
                    "closed": [{"day": d.isoformat(), "reason": r} for d, r in sorted(closed.items())],
                    "kinds": [kind_row(k) for k in await kinds_of(session, unit.id, False)]}

    output(run(with_services(action)), as_json, f"Unit {slug}")


@units_app.command("hours")
def units_hours(
    slug: str = typer.Argument(..., help=UNIT_HELP),
    set_: list[str] = typer.Option([], "--set", help="'mon-fri 09:00-16:00', 'tue "
                                   "09:00-12:00,13:00-16:00' or 'sat closed'; repeatable."),
    as_json: bool = _AS_JSON,
) -> None:
    """Show a unit's weekly opening hours, or change them with --set."""
    changes: dict[int, list[tuple[time, time]]] = {}
    for spec in set_:
        changes.update(parse_hours_spec(spec))

    async def action(services: Services) -> dict[str, Any]:
        async with services.db.transaction() as session:
            unit = await unit_or_fail(session, slug)
            assert unit.id is not None
            for weekday, windows in changes.items():
                await set_opening_hours(session, unit.id, weekday, windows)
            return hours_json(await opening_hours(session, unit.id))

    output(run(with_services(action)), as_json, f"Opening hours of {slug}")


@units_app.command("bring")
def units_bring(
    slug: str = typer.Argument(..., help=UNIT_HELP),
    sv: str = typer.Option("", help="What to bring, in Swedish (plain, GSM-7, at most 160 characters)."),
    en: str = typer.Option("", help="The same in English."),
    clear: bool = typer.Option(False, help="Go back to the general advice in every language."),
    as_json: bool = _AS_JSON,
) -> None:
    """Show or set what to bring to a visit at a unit (the FAQ and confirmations say it)."""
    given = {language: text.strip() for language, text in (("sv", sv), ("en", en)) if text.strip()}
    for language, text in given.items():
        if len(text) > BRING_LENGTH:
            raise fail(f"--{language} is {len(text)} characters; at most {BRING_LENGTH} fit an SMS")
        if not is_gsm7(text):
            raise fail(f"--{language} has characters an SMS cannot carry cheaply: "
                       f"{' '.join(non_gsm7_characters(text))}")

    async def action(services: Services) -> dict[str, str]:
        async with services.db.transaction() as session:
            unit = await unit_or_fail(session, slug)
            if clear or given:
                unit.bring = {} if clear else {**(unit.bring or {}), **given}
            return dict(unit.bring or {})

    output(run(with_services(action)), as_json, f"What to bring to {slug}")


@units_app.command("close")
def units_close(
    slug: str = typer.Argument(..., help=UNIT_HELP),
    day: str = typer.Argument(..., help="The first closed day: 2026-12-24, 24/12 or a weekday."),
    to: str = typer.Option("", help="The last closed day, if more than one."),
    reason: str = typer.Option("", help="Why, for staff (e.g. personaldag)."),
) -> None:
    """Close a unit for a day or a run of days (public holidays are closed anyway)."""

    async def action(services: Services) -> list[int]:
        zone = services.settings.zone
        today = services.clock.now().astimezone(zone).date()
        first = parse_day_option(day, today, "DAY")
        last = parse_day_option(to, today, "--to") if to else first
        if last < first:
            raise fail("--to is before the first day")
        async with services.db.transaction() as session:
            unit = await unit_or_fail(session, slug)
            assert unit.id is not None
            current = first
            while current <= last:
                await close_day(session, unit.id, current, reason[:120])
                current += timedelta(days=1)
            start, _ = day_bounds(first, zone)
            _, end = day_bounds(last, zone)
            return [b.id for b, _k, _u in await bookings_between(session, start, end, unit.id,  # type: ignore[misc]
                                                                 statuses=("booked",))]

    affected = run(with_services(action))
    console.print(f"{slug} is closed {day}{' to ' + to if to else ''}.")
    if affected:
        console.print(f"[yellow]{len(affected)} booked visits fall on those days (ids "
                      f"{', '.join(map(str, affected))}); contact them to move.[/yellow]")


@units_app.command("reopen")
def units_reopen(slug: str = typer.Argument(..., help=UNIT_HELP),
                 day: str = typer.Argument(..., help="The day: 2026-12-24, 24/12 or a weekday.")) -> None:
    """Remove a closure (public holidays stay closed)."""

    async def action(services: Services) -> int:
        today = services.clock.now().astimezone(services.settings.zone).date()
        parsed = parse_day_option(day, today, "DAY")
        if is_public_holiday(parsed):
            console.print(f"[yellow]{parsed} is a public holiday and stays closed.[/yellow]")
        async with services.db.transaction() as session:
            unit = await unit_or_fail(session, slug)
            assert unit.id is not None
            return await reopen_day(session, unit.id, parsed)

    removed = run(with_services(action))
    console.print(f"{slug}: {'reopened' if removed else 'was not closed'} {day}.")


@kinds_app.command("list")
def kinds_list(slug: str = typer.Argument(..., help=UNIT_HELP),
               as_json: bool = _AS_JSON) -> None:
    """A unit's visit kinds and their booking rules."""

    async def action(services: Services) -> list[dict[str, Any]]:
        async with services.db.transaction() as session:
            unit = await unit_or_fail(session, slug)
            assert unit.id is not None
            return [kind_row(k) for k in await kinds_of(session, unit.id, False)]

    output(run(with_services(action)), as_json, f"Visit kinds of {slug}")


@kinds_app.command("set")
def kinds_set(
    slug: str = typer.Argument(..., help=UNIT_HELP),
    kind: str = typer.Argument(..., help="The kind's slug; a new slug adds a kind (give --name)."),
    name: str = typer.Option("", help="The name shown to people (for kinds without a catalog text)."),
    seats: int | None = typer.Option(None, min=1, max=500, help="Seats per time."),
    duration: int | None = typer.Option(None, min=5, max=600, help="Minutes a visit lasts."),
    step: int | None = typer.Option(None, min=5, max=600, help="Minutes from one start to the next."),
    notice: int | None = typer.Option(None, min=0, max=20160, help="Minimum notice in minutes."),
    horizon: int | None = typer.Option(None, min=1, max=365, help="Days ahead one can book."),
    hours: list[str] = typer.Option([], help="The kind's own hours, like units hours --set; "
                                    "'unit' to use the unit's hours."),
    drop_in: bool | None = typer.Option(None, "--drop-in/--timed", help="A window, no time to pick."),
    active: bool | None = typer.Option(None, "--enable/--disable", help="Offer it or not."),
    as_json: bool = _AS_JSON,
) -> None:
    """Add a visit kind or change its rules."""
    own_hours: dict[str, list[list[str]]] | None = None
    if hours:
        own_hours = {}
        for spec in hours:
            if spec.strip().casefold() == "unit":
                own_hours = {}
                continue
            for weekday, windows in parse_hours_spec(spec).items():
                own_hours[str(weekday)] = [[f"{a:%H:%M}", f"{b:%H:%M}"] for a, b in windows]

    async def action(services: Services) -> dict[str, Any]:
        now = services.clock.now()
        async with services.db.transaction() as session:
            unit = await unit_or_fail(session, slug)
            assert unit.id is not None
            found = await kind_by_slug(session, unit.id, kind)
            if found is None:
                if not name or not re.fullmatch(r"[a-z0-9-]{2,40}", kind):
                    raise fail("a new kind needs a slug of a-z, 0-9 and - and a --name")
                found = VisitKind(unit_id=unit.id, slug=kind, name=name,
                                  position=len(await kinds_of(session, unit.id, False)))
                session.add(found)
            values = {"name": name or None, "seats": seats, "duration_minutes": duration,
                      "step_minutes": step, "min_notice_minutes": notice,
                      "horizon_days": horizon, "drop_in": drop_in, "active": active,
                      "hours": own_hours}
            for field, value in values.items():
                if value is not None:
                    setattr(found, field, value)
            await session.flush()
            if seats is not None:
                assert found.id is not None
                await resize_future_slots(session, found.id, seats, now.astimezone(UTC))
            return kind_row(found)

    output(run(with_services(action)), as_json, f"Visit kind {kind}")
