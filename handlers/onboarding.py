"""First contact: welcome, language, consent, age, home district, gender, what they want help with."""

from __future__ import annotations

from handlers.ages import age_of, ages_of
from handlers.base import Option, Turn, options
from handlers.flow import (
    AGAIN,
    CONFIRMING,
    MORE,
    Check,
    Flow,
    OnboardingStep,
    ask_paged,
    confirm_first,
    go,
    pick,
    read,
    reask,
)
from handlers.understand import (
    DIGIT,
    PRESSED,
    asks_back,
    english_greeting,
    number_of,
)
from storage.models import Consent
from storage.places import DISTRICT_ALIASES, all_districts, district_by_slug

# "tillbaka" goes to the question before; the age is never skipped (after consent, back
# from the age asks the age again).
onboarding: Flow[OnboardingStep] = Flow("onboarding", back={"consent": "language",
                                      "consent_check": "consent", "district": "age",
                                      "gender": "district", "help": "gender"})

AGE_BANDS = [("under-16", "age.under16"), ("16-19", "age.16_19"), ("20-24", "age.20_24"),
             ("25-29", "age.25_29"), ("30+", "age.30plus")]
GENDERS = [("kvinna", "gender.woman"), ("man", "gender.man"), ("annat", "gender.other"),
           ("ej-angivet", "gender.no_answer")]
HELP_TOPICS = [("jobb", "help.job"), ("cv", "help.cv"), ("studier", "help.studies"),
               ("praktik", "help.praktik"), ("aktivitetsrapport", "help.activity_report"),
               ("annat", "help.other")]
DONT_KNOW = "vet-inte"

# Checks before what ends the conversation: the question again in other words, with
# options that name what happens, so a person says their answer again rather than "Ja"
# to confirm a "Nej" ("Stämmer det?" asked that of learners).
CONSENT_CHECK = Check("onboarding.consent_check", (("yes", "onboarding.consent_check.yes"),
                                                   ("no", "onboarding.consent_check.no")))
_UNDER_16 = (("under-16", "onboarding.under16_check.yes"), (AGAIN, "onboarding.under16_check.no"))
UNDER_16_PICKED = Check("onboarding.under16_sure", _UNDER_16)  # "Under 16" by digit or doubt
UNDER_16_TYPED = Check("onboarding.under16_check", _UNDER_16)  # a typed age: "Du skrev 9."
# A birth year alone at the 16 line ("född 2010" in 2026: 15 or 16): possibly under 16, so
# checked; "Nej, jag är 16 eller äldre" is then 16-19 (asking the age again would loop).
UNDER_16_BORN = Check("onboarding.under16_sure", (_UNDER_16[0],
                                                  ("16-19", "onboarding.under16_check.no")))


@onboarding.asks("start")
async def welcome(turn: Turn) -> None:
    if english_greeting(turn.inbound.text):  # "hi", "good morning": welcome in English
        turn.contact.language = "en"
    turn.say("onboarding.welcome")
    await onboarding.go(turn, "language")


@onboarding.answers("start")
async def first_message(turn: Turn) -> None:
    await welcome(turn)


@onboarding.asks("language")
async def ask_language(turn: Turn) -> None:
    turn.ask("onboarding.language", [Option("sv", "Svenska"), Option("en", "English")])


@onboarding.answers("language")
async def answer_language(turn: Turn) -> None:
    key = await pick(turn, {"sv": ["svensk", "swedish", "sv"], "en": ["engelska", "en", "eng"]})
    if key is None:
        return await reask(turn)
    turn.contact.language = key
    await onboarding.go(turn, "consent")


@onboarding.asks("consent")
async def ask_consent(turn: Turn) -> None:
    """The privacy notice (Policy.notice_version): who keeps what, why, for how long, and
    how to see and erase it; "your number" only where the address is one."""
    turn.ask("onboarding.consent.phone" if turn.medium.phone else "onboarding.consent",
             options(turn.t, [("yes", "common.yes"), ("no", "common.no")]),
             months=turn.policy.retention_months)


@onboarding.answers("consent")
async def answer_consent(turn: Turn) -> None:
    """A certain no (or the button) declines; a no typed as a digit or read with doubt
    gets the check (`consent_check`); a question about it is answered, then asked again."""
    if turn.data.get("_confirm") is not None:  # a "Stämmer det?" asked before the check
        key = await pick(turn, CONSENT_ALIASES, risky={"no"}, check=CONSENT_CHECK)
        if key != CONFIRMING:
            await _consented(turn, key)
        return
    reading = read(turn, CONSENT_ALIASES)
    if reading.key == "no" and reading.how != PRESSED and (
            reading.how == DIGIT or not reading.certain):
        return await onboarding.go(turn, "consent_check")
    if reading.key is None and asks_back(turn.text):
        return explain_consent(turn)
    await _consented(turn, reading.key)


def explain_consent(turn: Turn) -> None:
    """What is kept and who sees it, in plain words, ending with the question again."""
    onboarding.enter(turn, "consent")
    turn.ask("onboarding.consent_explained.phone" if turn.medium.phone
             else "onboarding.consent_explained",
             options(turn.t, [("yes", "common.yes"), ("no", "common.no")]))


@onboarding.asks("consent_check")
async def ask_consent_check(turn: Turn) -> None:
    """The consent question again in other words, with options that name what happens,
    so a person repeats their answer rather than confirming it ("Stämmer det?" asked
    learners to say Ja to mean no)."""
    turn.ask(CONSENT_CHECK.question, CONSENT_CHECK.options(turn))


@onboarding.answers("consent_check")
async def answer_consent_check(turn: Turn) -> None:
    """The second no in a row declines, even read with doubt (or a digit: this is the
    check); a yes consents; a question is answered; anything else is asked again."""
    reading = read(turn, CONSENT_ALIASES)
    if reading.key is None and asks_back(turn.text):
        return explain_consent(turn)
    await _consented(turn, reading.key)


async def _consented(turn: Turn, key: str | None) -> None:
    """Act on the answer to the consent question (or its check): None asks again."""
    if key is None:
        return await reask(turn)
    if key == "no":
        turn.say("onboarding.declined")
        turn.erased = True
        turn.erase_reason = "declined"
        return
    turn.contact.consented_at = turn.now
    turn.contact.notice_version = turn.policy.notice_version
    turn.contact.status = "active"
    assert turn.contact.id is not None
    turn.session.add(Consent(contact_id=turn.contact.id, given_at=turn.now,
                             notice_version=turn.policy.notice_version))
    await onboarding.go(turn, "age")


@onboarding.asks("age")
async def ask_age(turn: Turn) -> None:
    turn.ask("onboarding.age", options(turn.t, AGE_BANDS))


@onboarding.answers("age")
async def answer_age(turn: Turn) -> None:
    # An age, or a birth year or date read on the bot's clock ("född 2008", "080312").
    ages = ages_of(turn.text, turn.now.astimezone(turn.policy.zone).date())
    key: str | None
    if turn.data.get("_confirm") is not None and ages is not None and ages[0] >= 16:
        turn.forget("_confirm")  # "19" at "Är du under 16 år?": the age itself, not a slip
        key = band_of(turn, ages)
    else:
        key = await pick(turn, AGE_ALIASES, risky={"under-16"}, check=UNDER_16_PICKED)
        if key is None and ages is not None:
            key = band_of(turn, ages)
    if key == CONFIRMING:
        return
    if key is None and (ages is not None or number_of(turn.text) is not None):
        return await reask(turn, "onboarding.age_range")  # "0", "150", "2030": who it is for
    if key is None:
        return await reask(turn)
    if key == "under-16":
        turn.say("onboarding.under16")
        turn.erased = True
        turn.erase_reason = "under-16"
        return
    turn.contact.age_band = key
    if key == "16-19":
        turn.say("onboarding.kaa")
    await onboarding.go(turn, "district")


def band_of(turn: Turn, ages: tuple[int, int]) -> str | None:
    """The age band of the youngest and oldest age a reply gives (`ages_of`), or None when
    out of range; CONFIRMING when a check was asked. Under 16, or possibly under 16 (a
    birth year alone), gets the under-16 check, never a silent pass; a birth year at
    another band's edge gets "Har du fyllt 20 år?". A typed age is said back in the check
    as the number read ("jag är 15 år": "Du skrev 15."), a birth date never (it may be a
    personnummer)."""
    young, old = ages
    low, high = age_band_of(young), age_band_of(old)
    if low is None or high is None:
        return None
    if low == high == "under-16":
        typed = age_of(turn.text) is not None  # the number read, not the whole reply
        confirm_first(turn, low, UNDER_16_TYPED if typed else UNDER_16_PICKED,
                      **({"answer": str(young)} if typed else {}))
        return CONFIRMING
    if low == high:
        return low
    if low == "under-16":
        confirm_first(turn, low, UNDER_16_BORN)
        return CONFIRMING
    turned = Check("onboarding.age_turned", ((high, "common.yes"), (low, "onboarding.age_turned.no")))
    confirm_first(turn, high, turned, age=old)
    return CONFIRMING


def age_band_of(age: int) -> str | None:
    """'17' typed instead of a band (where the bands were numbered, 1-5 picked one)."""
    if age < 6 or age > 120:
        return None
    if age < 16:
        return "under-16"
    for upper, band in ((19, "16-19"), (24, "20-24"), (29, "25-29")):
        if age <= upper:
            return band
    return "30+"


@onboarding.asks("district")
async def ask_district(turn: Turn) -> None:
    districts = await all_districts(turn.session)
    choices = [Option(d.slug, d.name) for d in districts]
    choices.append(Option(DONT_KNOW, turn.t("common.dont_know")))
    ask_paged(turn, "onboarding.district", choices)


@onboarding.answers("district")
async def answer_district(turn: Turn) -> None:
    key = await pick(turn, {**DISTRICT_ALIASES, DONT_KNOW: ["vet ej", "vet inte", "don't know",
                                                           "dont know", "not sure"]})
    if key == MORE:
        return
    if key is None:
        return await reask(turn, "onboarding.district_unknown")
    if key == DONT_KNOW:
        turn.say("onboarding.district_dont_know")
    else:
        district = await district_by_slug(turn.session, key)
        if district is None:
            return await reask(turn)
        turn.contact.district_id = district.id
        turn.contact.unit_id = district.unit_id
        unit = await turn.unit()
        if unit is not None:
            turn.say("onboarding.your_jobbtorg", unit=unit.name, address=unit.address)
    await onboarding.go(turn, "gender")


@onboarding.asks("gender")
async def ask_gender(turn: Turn) -> None:
    turn.ask("onboarding.gender", options(turn.t, GENDERS))


@onboarding.answers("gender")
async def answer_gender(turn: Turn) -> None:
    key = await pick(turn, GENDER_ALIASES)
    if key is None:
        return await reask(turn)
    turn.contact.gender = key
    await onboarding.go(turn, "help")


@onboarding.asks("help")
async def ask_help(turn: Turn) -> None:
    turn.ask("onboarding.help", options(turn.t, HELP_TOPICS))


@onboarding.answers("help")
async def answer_help(turn: Turn) -> None:
    key = await pick(turn, HELP_ALIASES)
    if key is None:
        return await reask(turn)
    turn.contact.help_topic = key
    turn.say("onboarding.done")
    await go(turn, "menu")


# Yes and no are read by handlers/understand.py from its lexicons; these are whole answers
# that are certain at any yes/no question.
YES_NO_ALIASES = {"yes": ["ja", "ja tack", "japp", "jo", "ok", "okej", "yes", "yes please", "y",
                          "j", "absolut"],
                  "no": ["nej", "nej tack", "no", "no thanks", "n", "nope"]}
AGE_ALIASES = {"under-16": ["under 16", "yngre än 16", "under sexton"],
               "30+": ["over 30", "över 30", "äldre"]}
GENDER_ALIASES = {"kvinna": ["kvinna", "tjej", "woman", "female", "k", "f"],
                  "man": ["man", "kille", "male", "m"],
                  "ej-angivet": ["vill inte", "pass", "skip", "no answer"]}
HELP_ALIASES = {"jobb": ["jobb", "arbete", "job", "work"], "cv": ["cv", "personligt brev"],
                "studier": ["studera", "plugga", "skola", "study", "studies"],
                "aktivitetsrapport": ["aktivitetsrapport", "rapport", "af"]}
# The consent question's own words for no: "spara inte", "don't save", "vill inte att ni
# sparar" say no to it as plainly as "nej".
CONSENT_ALIASES = {"yes": YES_NO_ALIASES["yes"],
                   "no": [*YES_NO_ALIASES["no"], "spara inte", "spara inget", "spara ingenting",
                          "spara inte något", "vill inte att ni sparar", "vill inte ni sparar",
                          "don't save", "do not save", "don't keep", "do not keep",
                          "dont save", "dont keep"]}
