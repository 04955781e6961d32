"""A year of made-up history for `jobbtorg demo`, so every role's pages show a service in use.

It is made through the paths real use takes: people write to the bot through the engine
(onboarding, booking, survey answers, asking for a coach), staff act through the staff
actions in handlers/actions (mark visits, enrol, avslut), and the demo clock moves one
working day at a time; at each step the jobs that fell due run as a worker runs them
(each at its own due time), so reminders, no-show offers and surveys are the jobs they are.
People who write on the same day write at once, so the engine handles their messages
together (group commit) as it would in real use; that and one step a working day keep
the build near 20 seconds of CPU (bench/RESULTS.md). The random generator is seeded, and
each person has their own, so two demos built on the same day look alike.

Names and numbers are fictional: SMS numbers come from the ranges the Swedish regulator
(PTS) keeps for fiction, Telegram people are simulator users named `demo-...`.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import random
import sqlite3
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import func
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from bot.channels.sim import SIM_SMS, SIM_TELEGRAM
from bot.clock import DemoClock, set_demo_now
from bot.process import Process
from bot.runtime import Services, build_services
from bot.settings import Settings
from handlers import broadcasts
from handlers.actions.bookings import (
    Actor,
    Refused,
    book_on_behalf,
    enrol,
    local_start,
    mark_visit,
)
from handlers.actions.broadcasts import approve_broadcast
from handlers.actions.followup import record_avslut
from handlers.actions.outreach import record_met
from handlers.availability import is_public_holiday
from handlers.base import Inbound
from storage.bookings import bookings_between, kind_by_slug
from storage.followup import (
    EXPIRED,
    Avslut,
    SurveyRun,
    set_staff_outcome,
    set_target_groups,
)
from storage.jobs import next_due
from storage.migrate import head_revision
from storage.models import Contact, ConversationState
from storage.outreach import (
    AWAITING_APPROVAL,
    DEMO_EVENT_TITLE,
    INVITED,
    Broadcast,
    Event,
    Rsvp,
)
from storage.places import all_districts, unit_by_slug
from storage.segments import Segment

HISTORY_VERSION = 6  # raise when the history changes, so kept copies are not reused
DAYS = 365
# New people write on the days outreach staff meet them (Tuesdays and Thursdays), a few
# at a time: about 300 in a year.
ARRIVAL_DAYS = (1, 3)
ARRIVALS = (2, 3, 3, 4)
FIRST_NAMES = ["Amina", "Sara", "Fatima", "Hodan", "Leila", "Maria", "Nour", "Sofia", "Yasmin",
               "Elin", "Ayan", "Rahma", "Ali", "Ahmed", "Omar", "Erik", "Mohammed", "Yusuf",
               "Jonas", "Liam", "Hamza", "Adam", "Ibrahim", "Oscar"]
# PTS's numbers for fiction: 070-17 406 05..99, 031-390 06 00..99, 040-628 04 00..99,
# 0980-31 92 00..99.
FICTION_NUMBERS = ([f"+46701740{n:03d}" for n in range(605, 700)]
                   + [f"+4631390{n:04d}" for n in range(600, 700)]
                   + [f"+4640628{n:04d}" for n in range(400, 500)]
                   + [f"+46980319{n:03d}" for n in range(200, 300)])
SOURCE_REFS = [("sfi-tensta", "TENSTA"), ("oppna-forskolan-rinkeby", "RINKEBY"),
               ("husby-bibliotek", "HUSBY"), ("fritidsgarden-skarholmen", "SKARHOLMEN"),
               ("instagram", "INSTA")]
AVSLUT_REASONS = [("arbete", 35), ("studier", 15), ("annan-insats", 15), ("flyttat", 5),
                  ("avbrutit", 15), ("annat", 15)]
SURVEY_STATUS = [("arbete", 38), ("studier", 18), ("praktik", 8), ("soker-jobb", 24), ("annat", 12)]
QUESTIONS = ["Hej, kan någon ringa mig om praktik?", "Jag vill ha hjälp med mitt CV",
             "Kan jag få tolk på arabiska nästa gång?", "Hur söker jag till komvux?"]
# Broadcasts through the year: (day of the year, name, Swedish text, English text, units).
BROADCASTS = [
    (40, "Sommarjobb 2026", "Nu kan du söka sommarjobb hos staden. Skriv MENY för att boka "
     "tid hos en coach.", "You can now apply for summer jobs with the city. Write MENU to book "
     "a time with a coach.", []),
    (95, "CV-verkstad i Järva", "CV-verkstad på Jobbtorg Järva varje tisdag kl 13. Välkommen!",
     "CV workshop at Jobbtorg Järva every Tuesday at 1 pm. Welcome!", ["jarva"]),
    (150, "Öppet hus Sydost", "Öppet hus på Jobbtorg Sydost på torsdag kl 10-14.",
     "Open house at Jobbtorg Sydost on Thursday 10-14.", ["sydost"]),
    (200, "Komvux till hösten", "Vill du plugga i höst? Fråga oss om komvux. Skriv MENY.",
     "Do you want to study this autumn? Ask us about komvux. Write MENU.", []),
    (250, "Lager och logistik", "Vi söker folk till lagerjobb i Kista. Skriv MENY och boka "
     "en tid.", "We are looking for people for warehouse jobs in Kista. Write MENU and book "
     "a time.", ["jarva"]),
    (300, "Vinterns kurser", "Nya kurser i svenska och data startar i januari.",
     "New courses in Swedish and computers start in January.", []),
]
# In the last six weeks every sixth new person asks for a coach (every other of them in
# Järva): a few hand-offs still open (coaches have answered the older ones).
OPEN_HAND_OFFS = timedelta(weeks=6)
ASKS_FOR_A_COACH = 6
INVITE_BEFORE_END = 5  # days: the invitation to the demo's rekryteringsträff
INVITED_UNITS = ["jarva", "vasterort"]  # near Kista: more say yes than it has seats
# One step of the demo clock per working day (through the due time of each job on the
# way), late enough that the day's visits have begun: people write, coaches record the day.
WORKING_DAY_AT = time(16, 30)

GROUPS = ["ingang-20-29", "kvinnor-langt-fran-arbetsmarknaden", "nyanland", "kaa"]


@dataclass
class Person:
    channel: str
    address: str
    woman: bool
    young: bool
    responder: bool = True  # answers the survey when it comes
    rng: random.Random = field(default_factory=random.Random)  # their own: turns interleave
    contact_id: int | None = None
    options: list[str] = field(default_factory=list)  # the keys of the last question's options
    # Asks for a coach: their conversation is read in a hand-off thread, where each reply
    # must be sent before the person's next message (others' replies go once a step).
    in_thread: bool = False
    in_jarva: bool = False  # lives in Järva, where the demo coach works
    unit: int | None = None  # of their district
    surveyed: bool = False


@dataclass
class History:
    """Builds the history into a freshly seeded demo database."""

    services: Services
    rng: random.Random = field(default_factory=lambda: random.Random(2026))
    people: list[Person] = field(default_factory=list)
    numbers: list[str] = field(default_factory=lambda: list(FICTION_NUMBERS))
    outcomes_considered: set[int | None] = field(default_factory=set)
    event_id: int | None = None
    invitation_answered: bool = False
    broadcasts_sent: set[str] = field(default_factory=set)
    message_ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))
    demo_coach_unit: int | None = None  # Jobbtorg Järva, where the demo coach works
    districts: list[tuple[str, str, int | None]] = field(default_factory=list)  # slug, name, unit
    surveyed_in_jarva: int = 0  # people in Järva the survey has come to so far
    askers: int = 0  # people who asked for a coach so far

    @property
    def policy(self):  # type: ignore[no-untyped-def]
        return self.services.engine.policy

    async def say(self, person: Person, text: str | None = None, choice: str | None = None,
                  payload: str | None = None) -> list[str]:
        """Send one message as the person; return the keys of the options they were shown."""
        handled = await self.services.engine.handle(
            person.channel, person.address,
            Inbound(text=text, choice=choice, start_payload=payload),
            provider_id=f"demo-{next(self.message_ids)}")  # kept, as the simulator's are
        person.contact_id = handled.contact_id or person.contact_id
        person.options = [o["key"] for o in handled.replies[-1].options] if handled.replies \
            else []
        if person.in_thread:  # sent now, so the coach's thread shows each reply in its place
            await self.services.dispatcher.drain()
        return person.options

    def weighted(self, pairs: list[tuple[str, int]], rng: random.Random | None = None) -> str:
        return (rng or self.rng).choices([k for k, _ in pairs], [w for _, w in pairs])[0]

    # --- people ------------------------------------------------------------------------

    def new_person(self, index: int) -> Person:
        """Someone who is about to write for the first time, with their own dice."""
        rng = self.rng
        sms = rng.random() < 0.45 and bool(self.numbers)
        person = Person(channel=SIM_SMS if sms else SIM_TELEGRAM,
                        address=self.numbers.pop(0) if sms else f"demo-{index:03d}",
                        woman=rng.random() < 0.62, young=rng.random() < 0.7,
                        responder=rng.random() < 0.65, rng=random.Random(rng.random()))
        self.people.append(person)
        return person

    async def first_conversation(self, person: Person) -> None:
        """Onboarding, then (most) book a first visit or (a few) ask for a coach."""
        rng = person.rng
        books = not person.in_thread and rng.random() < 0.77
        payload, keyword = rng.choice(SOURCE_REFS) if rng.random() < 0.55 else (None, None)
        if person.channel == SIM_SMS:
            await self.say(person, f"Hej {keyword}" if keyword else "Hej")
        else:
            await self.say(person, "/start", payload=payload)
        english = rng.random() < 0.15
        steps = ["en" if english else "sv", "yes"]
        if rng.random() < 0.04 and not person.in_thread:
            steps[1] = "no"  # declines: nothing is kept
        for key in steps:
            await self.say(person, choice=key)
        if steps[1] == "no":
            return
        age = rng.choice(["16-19", "20-24", "25-29"]) if person.young else "30+"
        await self.say(person, choice=age)
        # Their own district, from all thirteen: pressed when it is among the options shown
        # (SMS shows a page of them), else written out, as people do.
        near = [d for d in self.districts if d[2] == self.demo_coach_unit]
        slug, name, person.unit = rng.choice(near if person.in_jarva and near
                                             else self.districts)
        if slug in person.options:
            await self.say(person, choice=slug)
        else:
            await self.say(person, name)
        gender = "kvinna" if person.woman else "man"
        if rng.random() < 0.1:
            gender = "ej-angivet"
        await self.say(person, choice=gender)
        topics = [k for k in person.options if not k.startswith("_")]  # not "more"
        await self.say(person, choice=rng.choice(topics) if topics else "jobb")
        if books:
            await self.book(person)
        elif person.in_thread:
            await self.ask_for_a_coach(person)

    async def ask_for_a_coach(self, person: Person) -> None:
        options = await self.say(person, choice="human")
        if "yes" in options:
            await self.say(person, choice="yes")
        await self.say(person, person.rng.choice(QUESTIONS))

    async def book(self, person: Person) -> None:
        """Book a first visit through the conversation, a few days ahead."""
        rng = person.rng
        options = await self.say(person, choice="book")
        if "forsta-besok" not in options:
            return
        options = await self.say(person, choice="forsta-besok")
        days = [k for k in options if not k.startswith("_")]
        if not days:
            return
        options = await self.say(person, choice=days[min(len(days) - 1, rng.randrange(6))])
        times = [k for k in options if "T" in k]
        if not times:
            return
        options = await self.say(person, choice=rng.choice(times))
        if rng.random() < 0.7:
            options = await self.say(person, rng.choice(FIRST_NAMES))
        else:
            options = await self.say(person, choice="skip")
        if "none" in options:
            options = await self.say(person, choice="none")
        if "yes" in options:
            await self.say(person, choice="yes")

    # --- staff ------------------------------------------------------------------------

    async def staff_day(self, now: datetime) -> None:
        """What coaches record late in a working day: the day's visits, enrolments and
        avslut."""
        rng = self.rng
        day = now.astimezone(self.policy.zone).date()
        first, last = local_start(day, (0, 0), self.policy), local_start(day, (23, 0), self.policy)
        async with self.services.db.transaction() as session:
            for booking, _, _ in await bookings_between(session, first, last):
                if booking.status != "booked" or booking.start > now:
                    continue
                attended = rng.random() < 0.78
                actor = Actor("coach", booking.unit_id)
                await mark_visit(session, self.policy, actor, now, booking.id or 0,
                                 "attended" if attended else "no-show")
                contact = await session.get(Contact, booking.contact_id)
                if attended and contact is not None and rng.random() < 0.75:
                    if (await enrol(session, actor, now, contact)).new:
                        groups = rng.sample(GROUPS, k=rng.choice([0, 1, 1, 2]))
                        await set_target_groups(session, contact.id or 0, groups, "coach", now)
            await self.record_avslut(session, now)
            await self.record_known_outcomes(session, now)

    async def record_known_outcomes(self, session, now: datetime) -> None:  # type: ignore[no-untyped-def]
        """A coach who knows how a non-responder is doing records it (three in five); at
        Jobbtorg Järva those are left to the demo coach (the Uppföljning page)."""
        rows = await session.execute(select(SurveyRun, Avslut).join(
            Avslut, col(Avslut.id) == col(SurveyRun.avslut_id)).where(
            col(SurveyRun.status) == EXPIRED))
        for run, avslut in rows.all():
            if run.id in self.outcomes_considered:
                continue
            self.outcomes_considered.add(run.id)
            if avslut.unit_id != self.demo_coach_unit and self.rng.random() < 0.6:
                category = self.weighted(SURVEY_STATUS)
                await set_staff_outcome(session, avslut, category, None, None, None, "coach", now)

    async def record_avslut(self, session, now: datetime) -> None:  # type: ignore[no-untyped-def]
        rng = self.rng
        window = now - timedelta(days=rng.randint(40, 150))
        ended_before = select(col(Avslut.id)).where(col(Avslut.contact_id) == col(Contact.id))
        rows = await session.execute(select(Contact).where(
            col(Contact.enrolled_at).is_not(None), col(Contact.enrolled_at) <= window,
            ~ended_before.exists()).order_by(col(Contact.id)))
        for contact in rows.scalars():
            if rng.random() > 0.15:
                continue
            ended = (now - timedelta(days=rng.randint(0, 6))).astimezone(self.policy.zone).date()
            try:
                await record_avslut(session, self.policy, Actor("coach", contact.unit_id), now,
                                    contact.id, ended, self.weighted(AVSLUT_REASONS),
                                    unit_id=contact.unit_id)
            except Refused:
                continue

    # --- answers to what the bot asked --------------------------------------------------

    async def answer_open_questions(self) -> None:
        """People answer the survey (most of them) and ignore the rest."""
        async with self.services.db.transaction() as session:
            # The question each is asked now (the survey came by a job, not in a turn).
            asking: dict[int, list[str]] = {
                contact_id: [o["key"] for o in options] for contact_id, options in (
                    await session.execute(select(col(ConversationState.contact_id),
                                                 col(ConversationState.options)).where(
                        col(ConversationState.flow) == "survey"))).all()}
            if not asking:
                return
            # Most who left for work or studies say so (the rest answer as anyone would).
            reasons = dict((await session.execute(
                select(col(Avslut.contact_id), col(Avslut.reason))
                .where(col(Avslut.contact_id).in_(list(asking))))).all())
        for person in self.people:
            if person.contact_id in asking and not person.surveyed:
                person.surveyed = True
                if person.unit is not None and person.unit == self.demo_coach_unit:
                    # In Järva every other does not answer: the demo coach's follow-up list.
                    self.surveyed_in_jarva += 1
                    person.responder = self.surveyed_in_jarva % 2 == 1
        await asyncio.gather(*(
            self.answer_survey(person, asking[person.contact_id], reasons.get(person.contact_id))
            for person in self.people
            if person.contact_id in asking and person.responder))

    async def answer_survey(self, person: Person, options: list[str], ended: str | None) -> None:
        rng = person.rng
        for _ in range(8):
            if not options or "book" in options:
                break
            wanted = ended if ended in ("arbete", "studier") and rng.random() < 0.8 \
                else self.weighted(SURVEY_STATUS, rng)
            ended = None  # only the first question is what they do now
            key = wanted if wanted in options else rng.choice(
                [k for k in options if k not in ("back", "menu")] or options)
            options = await self.say(person, choice=key)

    # --- outreach ----------------------------------------------------------------------

    async def outreach(self, offset: int, now: datetime) -> None:
        """Broadcasts on their days (or the first working day after), and people answering
        an invitation a working day later."""
        if self.event_id is not None and not self.invitation_answered:
            self.invitation_answered = True
            await self.answer_invitation(self.event_id)
        for day, name, sv, en, units in BROADCASTS:
            if day <= offset and name not in self.broadcasts_sent:
                self.broadcasts_sent.add(name)
                await self.broadcast(now, name, {"sv": sv, "en": en}, Segment(units=units))
        if offset >= DAYS - INVITE_BEFORE_END and self.event_id is None:
            async with self.services.db.transaction() as session:
                event = (await session.execute(select(Event).where(
                    col(Event.title) == DEMO_EVENT_TITLE))).scalars().first()
            if event is not None:
                self.event_id = event.id
                await self.broadcast(now, "Inbjudan: rekryteringsträff", {
                    "sv": "Rekryteringsträff om lager och logistik i Kista. Vill du komma?",
                    "en": "Recruitment meeting about warehouse jobs in Kista. Do you want to "
                          "come?"}, Segment(units=INVITED_UNITS), event_id=event.id)

    async def met_at_a_source(self, now: datetime) -> None:
        """Outreach staff note how many they met at a source that day (uppsökta)."""
        payload, _keyword = self.rng.choice(SOURCE_REFS)
        async with self.services.db.transaction() as session:
            await record_met(session, "outreach", now, now.astimezone(self.policy.zone).date(),
                             payload, self.rng.randint(8, 30))

    async def broadcast(self, now: datetime, name: str, texts: dict[str, str],
                        segment: Segment, event_id: int | None = None) -> None:
        async with self.services.db.transaction() as session:
            item = Broadcast(name=name, texts=texts, segment=segment.as_dict(),
                             event_id=event_id, created_by="outreach", created_at=now)
            session.add(item)
            await session.flush()
            status = await broadcasts.start(session, item, now, self.policy)
            if status == AWAITING_APPROVAL and item.id is not None:
                await approve_broadcast(session, self.policy, "admin", now, item.id)

    async def answer_invitation(self, event_id: int) -> None:
        """Most of the invited say yes; when the seats are gone they join the waiting list."""
        async with self.services.db.transaction() as session:
            invited = set((await session.execute(select(Rsvp.contact_id).where(
                col(Rsvp.event_id) == event_id, col(Rsvp.status) == INVITED))).scalars())
        await asyncio.gather(*(self.rsvp(person, event_id) for person in self.people
                               if person.contact_id in invited and person.rng.random() >= 0.3))

    async def rsvp(self, person: Person, event_id: int) -> None:
        options = await self.say(person, choice=f"rsvp:{event_id}:yes")
        wait = f"rsvp:{event_id}:wait"
        if wait in options:
            await self.say(person, choice=wait)

    # --- the year -----------------------------------------------------------------------

    async def run(self) -> None:
        clock = self.services.clock
        assert isinstance(clock, DemoClock)
        end = clock.now()
        zone = self.policy.zone
        today = end.astimezone(zone).date()
        start_day = today - timedelta(days=DAYS)
        # The only time the demo clock goes back: the database holds nobody yet.
        clock.offset = datetime.combine(start_day, time(7), tzinfo=zone) - datetime.now(UTC)
        await self.services.save_clock()
        async with self.services.db.transaction() as session:
            jarva = await unit_by_slug(session, "jarva")
            self.demo_coach_unit = jarva.id if jarva else None
            self.districts = [(d.slug, d.name, d.unit_id) for d in await all_districts(session)]
        index = 0
        for offset in range(DAYS + 1):  # the last is today
            day = start_day + timedelta(days=offset)
            if day == today:
                await self.today_for_the_coach(coach_day(day))
            if day.weekday() >= 5 or is_public_holiday(day):
                continue  # nobody here writes or works then; jobs due meanwhile run next step
            moment = datetime.combine(day, WORKING_DAY_AT, tzinfo=zone)
            if moment >= end:
                break
            await self.step_to(moment)
            await self.staff_day(moment)
            arriving = []
            if day.weekday() in ARRIVAL_DAYS:
                for _ in range(self.rng.choice(ARRIVALS)):
                    index += 1
                    person = self.new_person(index)
                    if today - day <= OPEN_HAND_OFFS and index % ASKS_FOR_A_COACH == 0:
                        self.askers += 1  # every other of them lives in Järva
                        person.in_thread, person.in_jarva = True, self.askers % 2 == 1
                    arriving.append(person)
                await self.met_at_a_source(moment)
            # Everyone writes at once, as people do: the engine handles the messages that
            # arrive together in one transaction (group commit), so this costs far less.
            await asyncio.gather(self.answer_open_questions(),
                                 *(self.first_conversation(person) for person in arriving))
            await self.outreach(offset, moment)
            await self.services.dispatcher.drain()  # the day's replies, sent now
        await self.step_to(end)
        await self.services.dispatcher.drain()

    async def step_to(self, moment: datetime) -> None:
        """Move the demo clock to `moment` through the due time of each job on the way,
        doing there what the worker does: run the jobs then due and send what they queued
        (so a reminder goes out at its own time, not at the next step)."""
        clock, engine = self.services.clock, self.services.engine
        assert isinstance(clock, DemoClock)
        while True:
            async with self.services.db.transaction() as session:
                due = await next_due(session)
            if due is None or due > moment:
                break
            set_demo_now(clock, due)
            await engine.run_due_jobs()
            await self.services.dispatcher.drain()
        set_demo_now(clock, moment)

    async def today_for_the_coach(self, day: date) -> None:
        """A few visits on the coach's day (coach_day) at Jobbtorg Järva, where the demo
        coach works."""
        now = self.services.clock.now()
        async with self.services.db.transaction() as session:
            unit = await unit_by_slug(session, "jarva")
            kind = await kind_by_slug(session, unit.id, "vagledning") if unit and unit.id else None
            if unit is None or kind is None:
                return
            for hour, name in [(10, "Hodan"), (13, "Jonas"), (15, "Leila")]:
                start = local_start(day, (hour, 0), self.policy)
                if start <= now or not self.numbers:
                    continue
                try:
                    await book_on_behalf(session, self.policy, Actor("coach", unit.id), now,
                                         channel=SIM_SMS, phone=self.numbers.pop(0),
                                         kind=kind.id or 0, start=start, unit_id=unit.id,
                                         first_name=name)
                except Refused:
                    continue


def coach_day(today: date) -> date:
    """The day the demo coach's visits are on: today, or after a week-end or a public
    holiday the next working day (a demo started on a Saturday still shows visits)."""
    day = today
    while day.weekday() >= 5 or is_public_holiday(day):
        day += timedelta(days=1)
    return day


async def has_people(services: Services) -> bool:
    async with services.db.transaction() as session:
        return bool((await session.execute(select(func.count()).select_from(Contact))).scalar())


async def build_history(services: Services) -> None:
    """Fill an empty demo database with a year of use; a kept one is left as it is."""
    if await has_people(services):
        return
    await History(services).run()


def cache_file(database_url: str, zone: ZoneInfo) -> Path:
    """Where today's history is kept, per schema: built once a day (the service's day, not
    UTC's: its today holds the coach's visits), copied after that."""
    folder = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "jobbtorg"
    stamp = f"{head_revision(database_url)}-{HISTORY_VERSION}-{datetime.now(zone):%Y%m%d}"
    return folder / f"demo-history-{stamp}.db"


def _copy_sqlite(source: Path, target: Path) -> None:
    """Copy a whole SQLite database with its backup API (safe for a WAL database)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)


async def prepare_history(settings: Settings,
                          seed: Callable[[AsyncSession, datetime], Awaitable[None]],
                          process: Process) -> bool:
    """Give an empty demo database its year of history: a copy of today's when there is
    one, else build it (about half a minute) and keep a copy. Returns whether it did anything."""
    path = Path(settings.database_url.split(":///", 1)[1])
    services = await build_services(settings, process, demo=True)
    try:
        if await has_people(services):
            return False
        cached = cache_file(settings.database_url, ZoneInfo(settings.timezone))
        if not cached.exists():
            async with services.db.transaction() as session:
                await seed(session, services.clock.now())
            await build_history(services)
            await services.save_clock()
    finally:
        await services.close()
    if cached.exists():
        _copy_sqlite(cached, path)
    else:
        partial = cached.with_suffix(".part")
        _copy_sqlite(path, partial)
        partial.replace(cached)
    return True
