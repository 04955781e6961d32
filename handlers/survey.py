"""The three-month follow-up survey: recording an avslut, when the survey goes out, its questions.

Timing (all durable job rows, keyed so each fires once):
- `survey.send`: SURVEY_DELAY_DAYS after the avslut date, moved into a weekday 10:00-18:00
  window in local time; postponed an hour (a few times) while the person is in the middle
  of another conversation.
- `survey.reminder`: once, three days after sending, again inside the window.
- `survey.expire`: fourteen days after the planned send; an unanswered survey is then
  recorded as unanswered (expired, or not sent when nobody could be reached). An answer
  that still comes (within LATE_ANSWERS) is kept and marked late, and counts as answered.
The engine never runs a contact job for an erased person or one opted out everywhere.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from rapidfuzz import fuzz
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.base import Option, Policy, Turn
from handlers.choices import fold
from handlers.flow import MORE, Flow, SurveyStep, ask_again, ask_paged, go, pick, reask
from handlers.jobs import Jobs
from handlers.onboarding import YES_NO_ALIASES
from handlers.outcome_parse import (
    CATEGORIES,
    EMPLOYMENTS,
    EXTENTS,
    FULL_TIME_HOURS,
    SCHOOLS,
    Outcome,
    StatusReading,
    extent_of,
    parse_outcome,
    read_status,
)
from messages import LANGUAGES, Texts
from storage.followup import (
    ANSWERED,
    CHANCES,
    EXPIRED,
    LATE_LIMIT_DAYS,
    NOT_SENT,
    OPEN_STATUSES,
    PROGRAMMES,
    SCHEDULED,
    SENT,
    TARGET_GROUPS,
    TOO_OLD,
    UNANSWERED_STATUSES,
    Avslut,
    FollowupError,
    StaffOutcome,
    SurveyRun,
    add_avslut,
    avslut_of,
    set_staff_outcome,
    set_target_groups,
    staff_outcomes_of,
    surveys_of,
    target_groups_of,
)
from storage.jobs import cancel, schedule
from storage.models import AuditLog, Contact
from storage.people import lock_state

SURVEY_OPEN = timedelta(days=14)
jobs = Jobs()  # this feature's timed jobs, listed in bot/root.py
# After the survey closes, an answer that still comes is kept, marked late, this long.
LATE_ANSWERS = timedelta(days=60)
REMINDER_AFTER = timedelta(days=3)
WINDOW = (time(10, 0), time(18, 0))  # local time, Monday to Friday
TYPO_SIMILARITY = 85  # rapidfuzz ratio of a whole answer to a label: "Deltd" is "Deltid"
# A number of hours, perhaps "about" ("typ 30", "ca 40 timmar"): the hours decide, as in
# "40h"; "kanske 40" is no answer.
ABOUT_HOURS = re.compile(r"(?:(?:typ|ca|cirka|ungef[aä]r|runt|about|around|roughly|approx)\.?\s*)?"
                         r"(\d{1,2})\s*(?:h|tim|timmar|timme|hours?)?")
SHORT_FORM = 3  # letters of a label's start that may stand for it: "hel" is "Heltid"
BUSY_RECENTLY = timedelta(minutes=30)  # a person who wrote this recently is mid-conversation
POSTPONE = timedelta(hours=1)
MAX_POSTPONES = 6
DONT_KNOW = "vet-inte"
# The order the kinds of work are offered in (EMPLOYMENTS is the parser's precedence);
# over SMS the first six fit one message, "eget företag" is behind "Fler" (and typed).
EMPLOYMENT_CHOICES = ("tillsvidare", "visstid", "timanstallning", "provanstallning",
                      "med-stod", DONT_KNOW, "eget-foretag")
assert set(EMPLOYMENT_CHOICES) == {*EMPLOYMENTS, DONT_KNOW}
DONT_KNOW_WORDS = ["vet inte", "vet ej", "vet inte riktigt", "vet inte säkert", "ingen aning",
                   "osäker", "osaker", "jag vet inte", "don't know", "dont know", "not sure",
                   "no idea", "i don't know", "idk"]
EMPLOYMENT_ALIASES = {DONT_KNOW: DONT_KNOW_WORDS,
                      "eget-foretag": ["eget företag", "egen firma", "egen företagare",
                                       "egenföretagare", "företagare", "self employed",
                                       "self-employed", "own business", "frilans"]}
# Whole answers that take back the last answer ("nej, fel"): that question is asked again.
CORRECTIONS = frozenset(fold(words) for words in [
    "fel", "nej fel", "det är fel", "det blev fel", "blev fel", "fel svar", "jag svarade fel",
    "svarade fel", "ändra", "ändra svar", "ändra mitt svar", "ångra", "nej vänta", "vänta",
    "hoppsan", "oj fel", "tillbaka", "gå tillbaka", "wrong", "no wrong", "that's wrong",
    "thats wrong", "wrong answer", "oops", "change", "change my answer", "undo", "go back",
    "back", "no wait"])
# Said with a correction, the rest of a short reply adds nothing ("nej, fel, jag menade
# nej", "fel, sorry"): the reply is still only the correction.
CORRECTION_TAILS = ("jag menade", "menade", "jag mente", "i meant", "meant", "förlåt",
                    "forlat", "sorry", "tack", "snälla", "snalla", "please")
# What each step stores: taken back when the person corrects that step's answer.
STEP_FIELDS = {"status": ("category", "extent", "employment", "school", "also_category",
                          "free_text"),
               "seeking": ("category", "extent", "employment", "school", "also_category"),
               "extent": ("extent",), "employment": ("employment",),
               "school": ("school",), "chances": ("better_chances",)}

survey: Flow[SurveyStep] = Flow("survey")


def in_every_language(group: str, keys: tuple[str, ...],
                      more: dict[str, list[str]] | None = None) -> dict[str, list[str]]:
    """Each option's label in Swedish and English, and its other names: "other" is Annat
    whatever language the buttons are in."""
    names = {key: [Texts(language)(f"survey.{group}.{key}") for language in LANGUAGES]
             for key in keys}
    for key, words in (more or {}).items():
        names.setdefault(key, []).extend(words)
    return names


# The main question's options by any name, typed whole ("other", "nåt annat", "Studying").
CATEGORY_ALIASES = in_every_language("category", CATEGORIES, {
    "annat": ["annat", "nåt annat", "något annat", "nat annat", "någonting annat", "annan sak",
              "nåt annat just nu", "other", "others", "something else", "other things",
              "else", "somthing else", "smth else"],
    "praktik": ["work placement", "internship", "placement"],
    "soker-jobb": ["looking for work", "looking for a job", "söker arbete"],
})

CHANCES_ALIASES = {
    "ja": YES_NO_ALIASES["yes"] + ["ja absolut", "definitivt", "yes definitely", "mycket",
                                   "ganska mycket", "rätt mycket", "jättemycket", "a lot",
                                   "quite a lot", "pretty much"],
    "delvis": ["delvis", "lite", "ganska", "lite grann", "partly", "partially", "somewhat",
               "a bit", "a little", "sort of", "kind of",
               # "både och": yes in part, no in part (fourth blind set: asked again)
               "både och", "båda och", "lite både och", "både ja och nej", "ja och nej",
               "ja o nej", "ja å nej", "both", "both yes and no", "yes and no",
               "kind of both"],  # a hedge ("kanske") is asked again
    "nej": YES_NO_ALIASES["no"] + ["inte", "inte alls", "not really", "not at all"],
}
# Whole answers that mean "no comment" (a longer text starting "nej tack, ..." is a comment).
NO_COMMENT = frozenset(fold(word) for word in YES_NO_ALIASES["no"] + [
    "inget", "nothing", "skip", "hoppa over", "nej tack", "inget mer", "no more", "nope"])


# --- timing -----------------------------------------------------------------------------


def next_window(at: datetime, zone: ZoneInfo) -> datetime:
    """`at` if it falls on a weekday 10:00-18:00 local time, else the next such opening."""
    local = at.astimezone(zone)
    start, end = WINDOW
    if local.weekday() < 5 and start <= local.time() < end:
        return at
    day = local.date()
    if local.weekday() >= 5 or local.time() >= end:
        day += timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return datetime.combine(day, start, tzinfo=zone).astimezone(UTC)


def planned_send(ended_on: date, policy: Policy) -> datetime:
    """When the survey of an avslut on `ended_on` is meant to go out."""
    day = ended_on + timedelta(days=policy.survey_delay_days)
    return next_window(datetime.combine(day, WINDOW[0], tzinfo=policy.zone), policy.zone)


# --- recording an avslut ----------------------------------------------------------------


async def record_avslut(session: AsyncSession, contact_id: int, ended_on: date, reason: str,
                        actor: str, now: datetime, policy: Policy, unit_id: int | None = None,
                        replace: bool = False, programme: str | None = None) -> Avslut:
    """Record the end of a person's programme and schedule its follow-up survey.

    Raises FollowupError (with a message fit for staff) for an unknown or erased person,
    a missing or unknown reason, a future date, or the same day twice without `replace`.
    """
    contact = await session.get(Contact, contact_id)
    if contact is None:
        raise FollowupError(f"no person with id {contact_id}")
    if not reason:
        raise FollowupError("an avslut needs a reason (avslutsorsak)")
    today = now.astimezone(policy.zone).date()
    if ended_on > today:
        raise FollowupError(f"the avslut date {ended_on} is in the future (today is {today})")
    if programme and programme not in PROGRAMMES:
        raise FollowupError(f"the programme (insats) must be one of {', '.join(PROGRAMMES)} "
                            f"(got {programme!r})")
    avslut, new = await add_avslut(session, contact, ended_on, reason, actor, now,
                                   unit_id=unit_id, replace=replace)
    avslut.programme = programme or avslut.programme or contact.programme
    session.add(AuditLog(at=now, actor=actor[:80], contact_id=contact_id,
                         action="avslut.record" if new else "avslut.correct",
                         detail=f"{ended_on.isoformat()} {reason}"))
    if new:
        await schedule_survey(session, avslut, now, policy)
    return avslut


async def schedule_survey(session: AsyncSession, avslut: Avslut, now: datetime,
                          policy: Policy) -> SurveyRun:
    """Create the survey run and its send and expiry jobs.

    The survey is due SURVEY_DELAY_DAYS after the avslut. An avslut recorded after that
    day (but at most LATE_LIMIT_DAYS back) gets it at the next sending window, marked
    late; an older one gets none (status too-old, counted apart in the report)."""
    assert avslut.id is not None
    planned = planned_send(avslut.ended_on, policy)
    today = now.astimezone(policy.zone).date()
    run = SurveyRun(avslut_id=avslut.id, contact_id=avslut.contact_id, status=SCHEDULED,
                    due_at=planned)
    if avslut.ended_on < today - timedelta(days=LATE_LIMIT_DAYS):
        run.status, run.closed_at = TOO_OLD, now
    elif planned < now:
        run.due_at, run.late = next_window(now, policy.zone), True
    session.add(run)
    await session.flush()
    if run.status == SCHEDULED:
        payload = {"survey_id": run.id}
        await schedule(session, "survey.send", run.due_at, now, contact_id=avslut.contact_id,
                       payload=payload, key=f"survey:send:{run.id}")
        await schedule(session, "survey.expire", run.due_at + SURVEY_OPEN, now,
                       contact_id=avslut.contact_id, payload=payload,
                       key=f"survey:expire:{run.id}")
    return run


# --- the jobs ---------------------------------------------------------------------------


def busy_elsewhere(turn: Turn) -> bool:
    """Whether the person is in the middle of another conversation right now."""
    idle = (turn.state.flow, turn.state.step) == ("menu", "start") or turn.state.flow == "survey"
    return not idle and turn.state.updated_at > turn.now - BUSY_RECENTLY


async def postpone(turn: Turn, kind: str, payload: dict[str, Any]) -> bool:
    """Try again a little later when the person is busy; False when it should go now."""
    tries = int(payload.get("postponed", 0))
    if not busy_elsewhere(turn) or tries >= MAX_POSTPONES:
        return False
    later = next_window(turn.now + POSTPONE, turn.policy.zone)
    step = kind.split(".")[1]
    await schedule(turn.session, kind, later, turn.now, contact_id=turn.contact.id,
                   payload={**payload, "postponed": tries + 1},
                   key=f"survey:{step}:{payload['survey_id']}:{tries + 1}")
    return True


async def start_questions(turn: Turn, run: SurveyRun, opening_key: str) -> None:
    assert run.sent_at is not None
    # An old paged list must not catch a typed answer; details of an earlier survey go.
    turn.forget("_question", "extent", "employment", "school", "survey_steps", "survey_later")
    turn.remember(survey_id=run.id)
    turn.state.open_until = run.sent_at + SURVEY_OPEN
    turn.say(opening_key)
    await survey.go(turn, "status")


@jobs.contact("survey.send")
async def send_survey(turn: Turn, payload: dict[str, Any]) -> None:
    run = await turn.session.get(SurveyRun, payload["survey_id"])
    if run is None or run.status != SCHEDULED:
        return
    if turn.contact.status != "active":
        run.status, run.closed_at = NOT_SENT, turn.now
        return
    if await postpone(turn, "survey.send", payload):
        return
    run.status, run.sent_at, run.channel = SENT, turn.now, turn.address.channel
    await start_questions(turn, run, "survey.intro")
    await schedule(turn.session, "survey.reminder",
                   next_window(turn.now + REMINDER_AFTER, turn.policy.zone), turn.now,
                   contact_id=turn.contact.id, payload={"survey_id": run.id},
                   key=f"survey:reminder:{run.id}")


@jobs.contact("survey.reminder")
async def remind(turn: Turn, payload: dict[str, Any]) -> None:
    run = await turn.session.get(SurveyRun, payload["survey_id"])
    if run is None or run.status != SENT or run.reminded_at is not None:
        return
    if await postpone(turn, "survey.reminder", payload):
        return
    run.reminded_at = turn.now
    if turn.state.flow == "survey" and turn.data.get("survey_id") == run.id:
        turn.state.open_until = (run.sent_at or turn.now) + SURVEY_OPEN
        turn.say("survey.reminder")
        await ask_again(turn)
    else:
        await start_questions(turn, run, "survey.reminder")


@jobs.system("survey.expire")
async def expire(session: AsyncSession, payload: dict[str, Any], due_at: datetime) -> None:
    """Close a survey nobody answered; its question stays answerable (late) a while."""
    run = await session.get(SurveyRun, payload["survey_id"])
    if run is None:
        return
    if run.status in OPEN_STATUSES:
        run.status = EXPIRED if run.sent_at is not None else NOT_SENT
        run.closed_at = due_at
        await cancel(session, run.contact_id, key_prefix=f"survey:reminder:{run.id}")
    state = await lock_state(session, run.contact_id, due_at)
    if state.data.get("survey_id") == run.id:
        # Still answerable: an answer that comes now is kept, marked late.
        state.open_until = due_at + LATE_ANSWERS if run.sent_at is not None else None


# --- the questions ----------------------------------------------------------------------


def labelled(turn: Turn, group: str, keys: tuple[str, ...]) -> list[Option]:
    return [Option(key, turn.t(f"survey.{group}.{key}")) for key in keys]


async def open_run(turn: Turn) -> SurveyRun | None:
    """The survey this conversation is about, or None (after saying it has closed)."""
    run_id = turn.data.get("survey_id")
    run = await turn.session.get(SurveyRun, run_id) if run_id else None
    late = run is not None and run.status == EXPIRED and run.sent_at is not None
    if run is not None and (late or run.status not in UNANSWERED_STATUSES) and (
            run.completed_at is None):
        return run
    turn.say("survey.closed")
    turn.forget("survey_id")
    turn.state.open_until = None
    await go(turn, "menu")
    return None


def typed_choice(turn: Turn, keys: tuple[str, ...],
                 aliases: dict[str, list[str]] | None = None) -> str | None:
    """The option whose label (or alias) the whole typed answer is, allowing a typo.

    Stricter than `pick`: "jobbar inte" must not be read as the option "Jobbar"."""
    answer = fold(turn.text)
    if not answer:
        return None
    labels = [(fold(option.label), option.key) for option in turn.offered()
              if option.key in keys]
    names = labels + [(fold(name), key) for key, words in (aliases or {}).items() for name in words]
    exact = {key for name, key in names if name == answer}
    if len(exact) == 1:
        return exact.pop()
    near = {key for name, key in names if fuzz.ratio(answer, name) >= TYPO_SIMILARITY}
    if len(near) == 1:
        return near.pop()
    # The start of one label ("hel", "del", "tills"): a short form people type, read only
    # when no other label starts so; one word with no number, at least SHORT_FORM letters.
    if len(answer) >= SHORT_FORM and answer.isalpha():
        started = {key for name, key in labels if name.startswith(answer)}
        return started.pop() if len(started) == 1 else None
    return None


async def read_answer(turn: Turn, keys: tuple[str, ...], from_text: Any = None,
                      aliases: dict[str, list[str]] | None = None) -> str | None:
    """A pressed option or its number; else what the parser reads in free text (via
    `from_text(outcome)`); else an option's label typed (nearly) as it is."""
    if turn.inbound.choice is not None or turn.text.isdigit():
        key = await pick(turn)
        return key if key in keys or key == MORE else None
    if from_text is not None:
        parsed = parse_outcome(turn.text)
        value = from_text(parsed) if parsed is not None else None
        if value in keys:
            return str(value)
    return typed_choice(turn, keys, aliases)


async def unclear(turn: Turn, hint_key: str = "survey.not_understood", **params: Any) -> bool:
    """Re-ask once; True when it was re-asked (the caller stops), False to move on."""
    if turn.state.reasks < 1:
        await reask(turn, hint_key, **params)
        return True
    return False


async def move_on(turn: Turn, step: SurveyStep) -> None:
    """Go to the next question, remembering the steps answered so "nej, fel" can go back."""
    answered = [*turn.data.get("survey_steps", []), turn.state.step]
    turn.remember(survey_steps=answered[-6:])
    await survey.go(turn, step)


def takes_back(text: str) -> bool:
    """Whether a reply is a correction: one of CORRECTIONS whole ("nej fel"), or a short
    reply that opens with one (after a "nej" or "oj") and goes on only with more of them or
    with "jag menade …" ("nej fel, tillbaka", "nej, fel, jag menade nej"). A comment that
    only mentions the word ("inget fel på er", "fel tid ibland") is no correction."""
    words = fold(text).replace(",", " ").split()
    if " ".join(words) in CORRECTIONS:
        return True
    if not words or len(words) > 8:
        return False
    tails = [fold(tail).split() for tail in CORRECTION_TAILS]
    seen, i = False, 0
    while i < len(words):
        for size in (3, 2, 1):
            part = words[i:i + size]
            if len(part) == size and " ".join(part) in CORRECTIONS:
                seen, i = True, i + size
                break
        else:
            if not seen and words[i] in ("nej", "no", "oj", "oh"):
                i += 1
                continue
            return seen and any(words[i:i + len(tail)] == tail for tail in tails)
    return seen


async def corrected(turn: Turn, run: SurveyRun, always: bool = False) -> bool:
    """The person takes back their last answer ("nej, fel", "tillbaka"): what it stored
    is cleared and its question asked again. False when this is no correction.
    `always`: the words were already read as going back (navigation)."""
    if not always and (turn.inbound.choice is not None or not takes_back(turn.text)):
        return False
    steps = list(turn.data.get("survey_steps", []))
    if not steps:
        return False  # nothing answered yet: the answer is read as any other
    step = steps.pop()
    for field in STEP_FIELDS.get(step, ()):
        setattr(run, field, None)
    if step == "status":  # the main question again: the survey is not answered yet
        run.status = EXPIRED if run.answered_late else SENT
        run.answered_at, run.closed_at, run.answered_late = None, None, False
        turn.forget("extent", "employment", "school")
    turn.remember(survey_steps=steps)
    turn.forget(step)  # a detail question taken back may be asked again
    turn.say("survey.corrected")
    await survey.go(turn, step)
    return True


async def take_back(turn: Turn) -> bool:
    """"tillbaka" typed in the survey (read by the router as navigation): the last answer
    is taken back; at the first question it leaves for the menu as anywhere else."""
    run_id = turn.data.get("survey_id")
    run = await turn.session.get(SurveyRun, run_id) if run_id else None
    return run is not None and await corrected(turn, run, always=True)


survey.take_back = take_back


@survey.asks("status")
async def ask_status(turn: Turn) -> None:
    turn.ask("survey.status", labelled(turn, "category", CATEGORIES))


def mark_answered(turn: Turn, run: SurveyRun) -> None:
    """The main question has an answer; one that comes after the survey closed is late."""
    if run.status == EXPIRED:
        run.answered_late = True
    run.status, run.answered_at = ANSWERED, run.answered_at or turn.now
    run.closed_at = run.closed_at or turn.now


def place(run: SurveyRun, outcome: Outcome, also: str | None = None) -> None:
    run.category, run.extent = outcome.category, outcome.extent
    run.employment, run.school = outcome.employment, outcome.school
    run.also_category = also if also != outcome.category else None


@survey.answers("status")
async def answer_status(turn: Turn) -> None:
    run = await open_run(turn)
    if run is None:
        return
    reading = StatusReading(None)
    if turn.inbound.choice is not None or turn.text.isdigit():
        key = await read_answer(turn, CATEGORIES)
        if key == MORE:
            return
        reading = StatusReading(Outcome(key) if key else None)
    else:
        reading = read_status(turn.text)
        if reading.outcome is None and not reading.not_now:
            key = await read_answer(turn, CATEGORIES, aliases=CATEGORY_ALIASES)
            reading = StatusReading(Outcome(key) if key else None)
    if reading.outcome is None and not reading.not_now and await unclear(turn):
        return
    mark_answered(turn, run)
    await cancel(turn.session, run.contact_id, key_prefix=f"survey:reminder:{run.id}")
    if reading.not_now:  # planned, awaited or denied: what do they do now? keep the words
        run.free_text, run.category = turn.text[:1000] or None, None
        turn.remember(survey_later=reading.later is not None)
        return await move_on(turn, "seeking")
    if reading.outcome is None:  # asked twice: keep the words for a coach to classify
        run.free_text, run.category = turn.text[:1000] or None, None
        turn.say("survey.saved_as_text")
        return await move_on(turn, "chances")
    run.free_text = None
    place(run, reading.outcome, reading.also)
    await next_question(turn, run)


@survey.asks("seeking")
async def ask_seeking(turn: Turn) -> None:
    key = "survey.seeking_later" if turn.data.get("survey_later") else "survey.seeking"
    turn.ask(key, [Option("soker-jobb", turn.t("survey.seeking.yes")),
                   Option("annat", turn.t("survey.seeking.no"))])


SEEKING_ALIASES = {"soker-jobb": YES_NO_ALIASES["yes"] + ["söker", "söker jobb", "letar"],
                   "annat": YES_NO_ALIASES["no"] + CATEGORY_ALIASES["annat"]}


@survey.answers("seeking")
async def answer_seeking(turn: Turn) -> None:
    """After "ska börja jobba i januari" or "jobbar inte": are they looking for work now?
    Yes is söker arbete, no is annat, as a careful coach would file it; an answer that
    says what they do now ("pluggar på sfi") is taken as the answer to the main question."""
    run = await open_run(turn)
    if run is None or await corrected(turn, run):
        return
    reading = read_status(turn.text) if turn.inbound.choice is None else StatusReading(None)
    if reading.outcome is not None and reading.outcome.category != "soker-jobb" and (
            not turn.text.isdigit()):
        place(run, reading.outcome, reading.also)
        return await next_question(turn, run)
    key = "soker-jobb" if reading.outcome is not None else await pick(
        turn, SEEKING_ALIASES, yes_key="soker-jobb", no_key="annat")
    key = key if key in ("soker-jobb", "annat") else None
    if key is None and await unclear(turn):
        return
    if key is not None:
        run.category = key
    await next_question(turn, run)


async def next_question(turn: Turn, run: SurveyRun) -> None:
    """The first detail still missing for the category, then the chances question."""
    if run.category == "arbete" and run.extent is None and "extent" not in turn.data:
        return await move_on(turn, "extent")
    if run.category == "arbete" and run.employment is None and "employment" not in turn.data:
        return await move_on(turn, "employment")
    if run.category == "studier" and run.school is None and "school" not in turn.data:
        return await move_on(turn, "school")
    await move_on(turn, "chances")


async def not_working_after_all(turn: Turn, run: SurveyRun) -> bool:
    """At a question about their work, "nej jag jobbar inte än": the main answer was
    misread, so it is taken back and they are asked what they do now."""
    reading = read_status(turn.text)
    if turn.inbound.choice is not None or "arbete" not in reading.denied or (
            reading.outcome is not None):
        return False
    for field in STEP_FIELDS["status"]:
        setattr(run, field, None)
    run.free_text = turn.text[:1000]
    steps = list(turn.data.get("survey_steps", []))
    while steps and steps[-1] != "status":  # "fel" at the next question goes to the first
        steps.pop()
    turn.forget("extent", "employment")
    turn.remember(survey_later=reading.later is not None, survey_steps=steps)
    await survey.go(turn, "seeking")
    return True


def hours_answer(turn: Turn) -> str | None:
    """A number of hours at the heltid/deltid question ("40", "typ 30", "ca 38"): the
    city's cut-off. A bare 1 or 2 is the option of that number."""
    found = ABOUT_HOURS.fullmatch(" ".join(turn.text.casefold().split()))  # "75%" is no hours
    if found is None or (turn.text.isdigit() and int(turn.text) <= len(turn.offered())):
        return None
    hours = int(found.group(1))
    if hours > 80:
        return None
    return "heltid" if hours >= FULL_TIME_HOURS else "deltid"


def detail_step(step: SurveyStep, keys: tuple[str, ...], field: str,
                aliases: dict[str, list[str]] | None = None) -> None:
    """Register a detail question (extent, employment, school): asked once, re-asked once
    when unclear, then left open so the survey goes on."""

    @survey.asks(step)
    async def ask_detail(turn: Turn) -> None:
        ask_paged(turn, f"survey.{step}", labelled(turn, step, keys))

    @survey.answers(step)
    async def answer_detail(turn: Turn) -> None:
        run = await open_run(turn)
        if run is None or await corrected(turn, run):
            return
        if step in ("extent", "employment") and await not_working_after_all(turn, run):
            return
        value = None
        if step == "extent" and turn.inbound.choice is None:  # "40", "3 dagar i veckan"
            value = hours_answer(turn) or extent_of(turn.text)
        value = value or await read_answer(turn, keys, lambda parsed: getattr(parsed, field),
                                           aliases)
        if value == MORE:
            return
        # Unclear or hedged ("typ heltid") at heltid/deltid: asked in other words, hours.
        hint = "survey.extent_hours" if step == "extent" else "survey.not_understood"
        if value is None and await unclear(turn, hint, hours=FULL_TIME_HOURS):
            return
        setattr(run, field, value)
        turn.remember(**{step: True})  # asked: do not ask again even if left open
        await next_question(turn, run)


detail_step("extent", EXTENTS, "extent", in_every_language("extent", EXTENTS))
detail_step("employment", EMPLOYMENT_CHOICES, "employment",
            in_every_language("employment", EMPLOYMENT_CHOICES, EMPLOYMENT_ALIASES))
detail_step("school", SCHOOLS, "school", in_every_language("school", SCHOOLS))


@survey.asks("chances")
async def ask_chances(turn: Turn) -> None:
    turn.ask("survey.chances", labelled(turn, "chances", CHANCES))


@survey.answers("chances")
async def answer_chances(turn: Turn) -> None:
    run = await open_run(turn)
    if run is None or await corrected(turn, run):
        return
    # Read as yes/no ("ja tack", "ja verkligen, coachen var jättebra": ja), or an option.
    key = await pick(turn, CHANCES_ALIASES, yes_key="ja", no_key="nej")
    if key == MORE:
        return
    key = key if key in CHANCES else None
    if key is None:  # "jag förstår inte": the question again, first in other words
        if await unclear(turn, "survey.chances_other_words"):
            return
        key = None
    run.better_chances = key
    await move_on(turn, "comment")


@survey.asks("comment")
async def ask_comment(turn: Turn) -> None:
    turn.ask("survey.comment", [Option("skip", turn.t("survey.comment_skip"))])


@survey.answers("comment")
async def answer_comment(turn: Turn) -> None:
    run = await open_run(turn)
    if run is None or await corrected(turn, run):
        return
    skipped = turn.inbound.choice is not None or turn.text.isdigit() or (
        fold(turn.text) in NO_COMMENT)
    if not skipped and turn.text:
        run.comment = turn.text[:1000]
    run.completed_at = turn.now
    turn.state.open_until = None
    turn.forget("survey_id", "extent", "employment", "school", "survey_steps", "survey_later")
    turn.say("survey.thanks")
    await go(turn, "menu")


# --- staff: classify, record outcomes and target groups ----------------------------------

GROUP_ALIASES = {"uvas": "ingang-20-29", "ingang": "ingang-20-29",
                 "kvinnor": "kvinnor-langt-fran-arbetsmarknaden", "nyanlanda": "nyanland",
                 "fnh": "funktionsnedsattning",
                 "ekonomiskt-bistand": "forsorjningsstod", "socialbidrag": "forsorjningsstod"}


def as_key(text: str) -> str:
    """A forgiving key from what staff type: "Söker jobb" -> "soker-jobb"."""
    return "-".join(fold(text).replace("–", "-").split())


def target_group_key(text: str) -> str:
    key = as_key(text)
    key = GROUP_ALIASES.get(key, key)
    if key not in TARGET_GROUPS:
        raise FollowupError(f"unknown target group {text!r}; use one of "
                            + ", ".join(TARGET_GROUPS.values()))
    return key


def checked_outcome(category: str, extent: str | None = None, employment: str | None = None,
                    school: str | None = None) -> Outcome:
    """An outcome from staff input, with clear errors for unknown or misplaced details."""
    def one_of(value: str | None, allowed: tuple[str, ...], name: str) -> str | None:
        if value is None or value == "":
            return None
        key = as_key(value)
        if key not in allowed:
            raise FollowupError(f"{name} must be one of {', '.join(allowed)} (got {value!r})")
        return key

    key = one_of(category, CATEGORIES, "the category")
    if key is None:
        raise FollowupError(f"the category must be one of {', '.join(CATEGORIES)}")
    outcome = Outcome(key, one_of(extent, EXTENTS, "--extent"),
                      one_of(employment, EMPLOYMENTS, "--employment"),
                      one_of(school, SCHOOLS, "--school"))
    if key != "arbete" and (outcome.extent or outcome.employment):
        raise FollowupError("--extent and --employment go with the category arbete only")
    if key != "studier" and outcome.school:
        raise FollowupError("--school goes with the category studier only")
    return outcome


async def classify_answer(session: AsyncSession, survey_id: int, outcome: Outcome, actor: str,
                          now: datetime) -> SurveyRun:
    """A coach places an answer the bot kept as free text (or corrects a placed one)."""
    run = await session.get(SurveyRun, survey_id)
    if run is None or run.status != ANSWERED:
        raise FollowupError(f"no answered survey with id {survey_id}")
    run.category, run.extent = outcome.category, outcome.extent
    run.employment, run.school = outcome.employment, outcome.school
    run.classified_by, run.classified_at = actor[:80], now
    session.add(AuditLog(at=now, actor=actor[:80], action="survey.classify",
                         contact_id=run.contact_id, detail=f"survey {survey_id}: {outcome.category}"))
    return run


async def record_staff_outcome(session: AsyncSession, contact_id: int, outcome: Outcome,
                               actor: str, now: datetime, avslut_id: int | None = None) -> StaffOutcome:
    """A coach records what someone does now (kept apart from survey answers), for their
    latest avslut unless another is named."""
    endings = await avslut_of(session, contact_id)
    if not endings:
        raise FollowupError(f"contact {contact_id} has no avslut; record one first")
    avslut = endings[0] if avslut_id is None else next(
        (a for a in endings if a.id == avslut_id), None)
    if avslut is None:
        raise FollowupError(f"contact {contact_id} has no avslut with id {avslut_id}")
    row = await set_staff_outcome(session, avslut, outcome.category, outcome.extent,
                                  outcome.employment, outcome.school, actor[:80], now)
    session.add(AuditLog(at=now, actor=actor[:80], action="outcome.record",
                         contact_id=contact_id, detail=f"avslut {avslut.id}: {outcome.category}"))
    return row


async def record_target_groups(session: AsyncSession, contact_id: int, names: list[str],
                               actor: str, now: datetime) -> list[str]:
    """Staff set a person's target groups (replacing the earlier ones); [] clears them."""
    contact = await session.get(Contact, contact_id)
    if contact is None:
        raise FollowupError(f"no person with id {contact_id}")
    keys = [target_group_key(name) for name in names]
    groups = await set_target_groups(session, contact_id, keys, actor[:80], now)
    session.add(AuditLog(at=now, actor=actor[:80], action="groups.set", contact_id=contact_id,
                         detail=",".join(groups) or "none"))
    return groups


# --- MINA UPPGIFTER ---------------------------------------------------------------------


def describe_outcome(turn: Turn, category: str | None, extent: str | None,
                     employment: str | None, school: str | None) -> str:
    parts = [turn.t(f"survey.category.{category}")] if category else []
    parts += [turn.t(f"survey.extent.{extent}")] if extent else []
    parts += [turn.t(f"survey.employment.{employment}")] if employment else []
    parts += [turn.t(f"survey.school.{school}")] if school else []
    return ", ".join(parts)


async def my_followup(turn: Turn) -> list[str]:
    """Lines for MINA UPPGIFTER: the person's avslut, survey answers, and what staff noted."""
    assert turn.contact.id is not None
    t, lines = turn.t, []
    for avslut in reversed(await avslut_of(turn.session, turn.contact.id)):
        lines.append(t("survey.data.avslut", date=avslut.ended_on.isoformat(),
                       reason=t(f"survey.reason.{avslut.reason}")))
    for run in await surveys_of(turn.session, turn.contact.id):
        if run.category:
            answer = describe_outcome(turn, run.category, run.extent, run.employment,
                                      run.school)
            if run.also_category:  # the other part of a mixed answer
                answer += ", " + t(f"survey.category.{run.also_category}")
            lines.append(t("survey.data.answer", answer=answer))
        elif run.free_text:
            lines.append(t("survey.data.answer", answer=turn.typed(run.free_text)))
        if run.better_chances:
            lines.append(t("survey.data.chances",
                           answer=t(f"survey.chances.{run.better_chances}")))
        if run.comment:
            lines.append(t("survey.data.comment", comment=turn.typed(run.comment)))
    for staff_row in await staff_outcomes_of(turn.session, turn.contact.id):
        lines.append(t("survey.data.staff_outcome", answer=describe_outcome(
            turn, staff_row.category, staff_row.extent, staff_row.employment, staff_row.school)))
    # Which groups is never sent: one can reveal a disability or benefits, and SMS and
    # Telegram are no place for that. The person is told to ask their jobbtorg.
    if await target_groups_of(turn.session, turn.contact.id):
        lines.append(t("survey.data.groups"))
    return lines


__all__ = ["TARGET_GROUPS", "FollowupError", "next_window", "planned_send", "record_avslut"]
