"""A person's own controls: opt out and in, language, see their data, erase it."""

from __future__ import annotations

from datetime import datetime

from handlers.base import Option, Turn, options
from handlers.flow import Flow, OneStep, ask_again, go, pick, reask
from handlers.onboarding import YES_NO_ALIASES
from storage.jobs import cancel as cancel_jobs
from storage.models import District
from storage.people import inbound_summary, set_opted_out
from storage.queue import cancel_queued

ERASE_ALIASES = {"yes": [*YES_NO_ALIASES["yes"], "ta bort", "radera", "delete", "remove"],
                 "no": [*YES_NO_ALIASES["no"], "behåll", "spara", "keep"]}

language: Flow[OneStep] = Flow("language")
mydata: Flow[OneStep] = Flow("mydata")
erase: Flow[OneStep] = Flow("erase")


async def stop(turn: Turn) -> None:
    """STOPP: nothing more is sent to this address until START."""
    assert turn.address.id is not None
    await set_opted_out(turn.session, turn.address.id, True)
    turn.address.opted_out = True
    await cancel_queued(turn.session, turn.address.id)
    turn.say("keyword.stopped")


async def start_again(turn: Turn) -> None:
    assert turn.address.id is not None
    await set_opted_out(turn.session, turn.address.id, False)
    turn.address.opted_out = False
    turn.say("keyword.started")
    await ask_again(turn)


@language.asks("start")
async def ask_language(turn: Turn) -> None:
    turn.ask("onboarding.language", [Option("sv", "Svenska"), Option("en", "English")])


@language.answers("start")
async def answer_language(turn: Turn) -> None:
    key = await pick(turn, {"sv": ["svensk", "swedish"], "en": ["engelska", "eng"]})
    if key is None:
        return await reask(turn)
    turn.contact.language = key
    back = turn.data.get("_return")
    turn.forget("_return")
    turn.say("language.changed")
    if back:
        turn.set_step(back[0], back[1])
        await ask_again(turn)
    else:
        await go(turn, "menu")


async def change_language(turn: Turn) -> None:
    if turn.state.flow not in ("language",):
        turn.remember(_return=[turn.state.flow, turn.state.step])
    await language.go(turn, "start")


@mydata.asks("start")
async def show_data(turn: Turn) -> None:
    t = turn.t
    lines = [t("mydata.title")]
    lines.append(t("mydata.language", value="Svenska" if turn.contact.language == "sv"
                   else "English"))
    if turn.contact.age_band:
        lines.append(t("mydata.age", value=turn.contact.age_band))
    if turn.contact.district_id:
        district = await turn.session.get(District, turn.contact.district_id)
        if district is not None:
            lines.append(t("mydata.district", value=district.name))
    unit = await turn.unit()
    if unit is not None:
        lines.append(t("mydata.unit", value=unit.name))
    if turn.contact.gender:
        lines.append(t("mydata.gender", value=t(f"gender.{turn.contact.gender}.short")))
    if turn.contact.first_name:
        lines.append(t("mydata.first_name", value=turn.typed(turn.contact.first_name)))
    if turn.contact.help_topic:
        lines.append(t("mydata.help", value=t(f"help.{turn.contact.help_topic}.short")))
    if turn.contact.consented_at:
        lines.append(t("mydata.consent", value=_day(turn, turn.contact.consented_at)))
    count, first, last = await inbound_summary(turn.session, turn.contact.id)  # type: ignore[arg-type]
    if count and first is not None and last is not None:
        lines.append(t("mydata.messages", count=count, first=_day(turn, first), last=_day(turn, last)))
    for section in turn.parts.data_sections:  # the features' lines (bot/root.py)
        lines.extend(await section(turn))
    lines.append(t("mydata.erase_hint"))
    turn.say_lines(lines)
    await go(turn, "menu")


def _day(turn: Turn, moment: datetime) -> str:
    return moment.astimezone(turn.policy.zone).strftime("%Y-%m-%d")


@erase.asks("start")
async def ask_erase(turn: Turn) -> None:
    turn.ask("erase.confirm", options(turn.t, [("yes", "erase.yes"), ("no", "common.no")]))


@erase.answers("start")
async def answer_erase(turn: Turn) -> None:
    key = await pick(turn, ERASE_ALIASES, risky={"yes"}, final=True)
    if key is None:
        return await reask(turn)
    if key == "no":
        turn.say("erase.kept")
        return await go(turn, "menu")
    assert turn.contact.id is not None
    await cancel_jobs(turn.session, turn.contact.id)
    turn.say("erase.done")
    turn.erased = True
    turn.erase_reason = "asked"
