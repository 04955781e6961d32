"""The main menu, the common questions, feedback, and asking for a human."""

from __future__ import annotations

from handlers.base import Turn, options
from handlers.flow import FeedbackStep, Flow, FlowName, OneStep, go, pick, reask
from handlers.handoff import asks_for_a_call, request_person, to_thread
from handlers.unit_words import bring_words, hours_words
from storage.bookings import opening_hours
from storage.models import FEEDBACK_TEXT_LENGTH, Feedback

menu: Flow[OneStep] = Flow("menu")
faq: Flow[OneStep] = Flow("faq")
feedback: Flow[FeedbackStep] = Flow("feedback")

# (option key, label key, flow it starts). An entry whose flow the process was not
# built with (bot/root.py) is left out.
MENU: list[tuple[str, str, FlowName]] = [
    ("book", "menu.book", "booking"), ("mybookings", "menu.mybookings", "mybookings"),
    ("faq", "menu.faq", "faq"), ("human", "menu.human", "handoff"),
    ("mydata", "menu.mydata", "mydata")]
MENU_ALIASES = {"book": ["boka", "book", "tid", "boka tid", "appointment"],
                "mybookings": ["mina tider", "my bookings", "avboka", "boka om"],
                "faq": ["fragor", "fråga", "questions", "question", "faq"],
                "human": ["människa", "manniska", "human", "person", "coach", "prata",
                          "ring mig", "ringa mig", "ring upp mig", "call me", "phone me",
                          "call", "ring"],
                "mydata": ["mina uppgifter", "my data", "uppgifter"]}

FAQ = [("what", "faq.what"), ("where", "faq.where"), ("bring", "faq.bring"),
       ("stockholmsjobb", "faq.stockholmsjobb"), ("feriejobb", "faq.feriejobb"),
       ("sfi", "faq.sfi"), ("komvux", "faq.komvux"), ("privacy", "faq.privacy"),
       ("feedback", "faq.feedback"), ("back", "common.back")]
FEEDBACK_CATEGORIES = [("bemotande", "feedback.bemotande"),
                       ("tillganglighet", "feedback.tillganglighet"),
                       ("innehall", "feedback.innehall"), ("ovrigt", "feedback.ovrigt")]
# Feedback is kept whole up to the longest Telegram message; beyond, the person is told.
FEEDBACK_LIMIT = FEEDBACK_TEXT_LENGTH


@menu.asks("start")
async def ask_menu(turn: Turn) -> None:
    entries = [(key, label) for key, label, flow in MENU if flow in turn.parts.flows]
    turn.ask("menu.question", options(turn.t, entries))


@menu.answers("start")
async def answer_menu(turn: Turn) -> None:
    key = await pick(turn, MENU_ALIASES)
    if key is None:
        if await to_thread(turn):
            return None
        return await reask(turn)
    target = next((flow for option, _label, flow in MENU if option == key), None)
    if target is None:
        return await reask(turn)
    if key == "human" and turn.inbound.choice is None and asks_for_a_call(turn.text):
        return await request_person(turn, call=True)  # "ring mig": the request itself
    await go(turn, target)


@faq.asks("start")
async def ask_faq(turn: Turn) -> None:
    turn.ask("faq.question", options(turn.t, FAQ))


@faq.answers("start")
async def answer_faq(turn: Turn) -> None:
    key = await pick(turn)
    if key is None:
        return await reask(turn)
    if key == "back":
        return await go(turn, "menu")
    if key == "feedback":
        return await go(turn, "feedback")
    if key == "where":
        unit = await turn.unit()
        if unit is None:
            turn.say("faq.where_unknown")
        else:
            assert unit.id is not None
            turn.say("faq.where_answer", unit=unit.name, address=unit.address, phone=unit.phone,
                     hours=hours_words(await opening_hours(turn.session, unit.id), turn.t))
    elif key == "bring":
        turn.say_text(bring_words(await turn.unit(), turn.t))
    else:
        turn.say(f"faq.{key}.answer")
    await faq.go(turn, "start")


@feedback.asks("start")
async def ask_feedback_category(turn: Turn) -> None:
    turn.ask("feedback.question", options(turn.t, FEEDBACK_CATEGORIES))


@feedback.answers("start")
async def answer_feedback_category(turn: Turn) -> None:
    key = await pick(turn)
    if key is None:
        return await reask(turn)
    turn.remember(feedback_category=key)
    await feedback.go(turn, "text")


@feedback.asks("text")
async def ask_feedback_text(turn: Turn) -> None:
    turn.say("feedback.write")
    turn.state.options = []


@feedback.answers("text")
async def answer_feedback_text(turn: Turn) -> None:
    if not turn.text:
        return await reask(turn)
    turn.session.add(Feedback(created_at=turn.now, category=turn.data.get("feedback_category",
                              "ovrigt"), text=turn.text[:FEEDBACK_LIMIT], unit_id=turn.contact.unit_id,
                              contact_id=turn.contact.id))
    turn.forget("feedback_category")
    if len(turn.text) > FEEDBACK_LIMIT:
        turn.say("feedback.thanks_cut", kept=FEEDBACK_LIMIT)
    else:
        turn.say("feedback.thanks")
    await go(turn, "menu")
