"""Reading what a reply means: the one place every question's answer goes through.

`read_answer` takes what the person sent and the question it answers (its options and
whether they were shown numbered) and returns a `Reading`: an intent (yes, no, an option,
a number, navigation, ...) and how sure it is. Handlers decide what to do with it; an
unsure reading is never acted on, and an action that cannot be undone asks for a certain
one (see `handlers/flow.py`: `pick`, `confirm_first`).

Everything here is a plain function of the text, cached: lexicons are built once at
import, a reply seen before is not read again. A reply is split into words and its
phrases marked in handlers/reply_words.py; a wish for another time is read in
handlers/another_time.py, a question about a visit in handlers/visit_questions.py.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import OSA

from handlers import lexicon
from handlers.ages import ages_in_words
from handlers.another_time import wants_change
from handlers.base import Option
from handlers.choices import fold, near_miss
from handlers.reply_words import (
    APOSTROPHES,
    CLAUSE_END,
    CONDITIONS,
    FILLERS,
    HEDGES,
    NEGATIONS,
    NO_MARK,
    NO_PARTICLES,
    NO_WORDS,
    OWN_NO,
    OWN_YES,
    UNSURE_MARK,
    UNSURE_WORDS,
    WANT_WORDS,
    YES_MARK,
    YES_PARTICLES,
    YES_PHRASES,
    YES_WORDS,
    as_phrases,
    replace_own,
    replace_phrases,
    squeeze,
    squeezed,
    words_of,
)

# Intents
YES, NO, OPTION, NUMBER, NAV, NAME, UNCLEAR = (
    "yes", "no", "option", "number", "nav", "name", "unclear")
# How sure a reading is. CERTAIN may be acted on whatever it does; LIKELY may be acted on
# unless the action cannot be undone (then the person is asked once to confirm).
CERTAIN, LIKELY, UNSURE = "certain", "likely", "unsure"
# How the answer was given.
PRESSED, DIGIT, WORDS, NEAR = "pressed", "digit", "words", "near"


@dataclass(frozen=True)
class Reading:
    intent: str
    value: str | None = None
    sure: str = CERTAIN
    how: str = WORDS

    @property
    def certain(self) -> bool:
        return self.sure == CERTAIN

    @property
    def key(self) -> str | None:
        """The option key, when this reading picks an option."""
        return self.value if self.intent == OPTION else None


NOT_UNDERSTOOD = Reading(UNCLEAR, sure=UNSURE)

# Words too common to name an option on their own ("inte" of "vill inte").
_SMALL_WORDS = FILLERS | NEGATIONS | UNSURE_WORDS | WANT_WORDS | YES_WORDS | NO_WORDS


# --------------------------------------------------------------------------- yes and no

_KNOWN = (YES_WORDS | NO_WORDS | NEGATIONS | UNSURE_WORDS | WANT_WORDS | FILLERS
          | {YES_MARK, NO_MARK, UNSURE_MARK, OWN_YES, OWN_NO})

_POLAR_SHORT = sorted(w for w in YES_WORDS | NO_WORDS | NEGATIONS | UNSURE_WORDS | WANT_WORDS
                      if len(w) >= 3)
_LONG_WORDS = sorted(w for w in YES_WORDS | NO_WORDS | NEGATIONS if len(w) >= 6)
_SHORT_KNOWN = sorted(w for w in YES_WORDS | NO_WORDS | NEGATIONS | UNSURE_WORDS | WANT_WORDS
                      | FILLERS if len(w) >= 3)


@functools.lru_cache(maxsize=16384)
def _typo_of(word: str) -> str:
    """A long yes/no word typed one letter wrong ("sjävklart", "godkäner") is that word."""
    if len(word) < 6 or word in YES_WORDS or word in NO_WORDS or word in FILLERS:
        return word
    found = process.extractOne(word, _LONG_WORDS, scorer=OSA.distance, score_cutoff=1)
    return found[0] if found is not None else word


def _one_letter_from(word: str, known: list[str], exact: bool = True) -> bool:
    """Whether a word of three letters or more is at most one letter from one of `known`
    (`exact=False`: exactly one, the word itself not counted)."""
    if len(word) < 3:
        return False
    found = process.extractOne(word, known, scorer=OSA.distance, score_cutoff=1)
    return found is not None and (exact or found[1] == 1)


_YES_PHRASE_WORDS = sorted({w for p in YES_PHRASES for w in p if len(w) >= 4}
                           - NEGATIONS - FILLERS)


@functools.lru_cache(maxsize=16384)
def _near_inte(word: str) -> bool:
    """An unknown word one letter from "inte" ("ite", "itne", "intr")."""
    return 3 <= len(word) <= 5 and OSA.distance(word, "inte") <= 1


@functools.lru_cache(maxsize=16384)
def _near_yes_phrase(word: str) -> bool:
    """An unknown word one letter from a word of a yes phrase ("poblem": "inga problem")."""
    return _one_letter_from(word, _YES_PHRASE_WORDS, exact=False)


@functools.lru_cache(maxsize=16384)
def _looks_mistyped(word: str) -> bool:
    """An unknown word one letter from a known one ("tak" for "tack", "tac"): the reply
    was likely mistyped, so it is read, but never with certainty."""
    return _one_letter_from(word, _SHORT_KNOWN)


@functools.lru_cache(maxsize=16384)
def _looks_polar_typo(word: str) -> bool:
    """An unknown word after the opening answer, one letter from a word that says yes, no
    or not sure: the reply may say otherwise. One letter from a small word ("barn":
    "bara", "man": "min") it is only a word of the reason ("ja mitt barn är sjukt")."""
    return _one_letter_from(word, _POLAR_SHORT)


@functools.lru_cache(maxsize=16384)
def polarity(text: str, more_yes: frozenset[str] = frozenset(),
             more_no: frozenset[str] = frozenset()) -> Reading:
    """Whether a reply says yes or no: Reading(YES|NO|UNCLEAR); see `_polarity`.

    A long reply is also read clause by clause: a clear answer in one clause, with
    nothing in the others that says yes, no, not sure or "if" ("hej förlåt jag såg inte
    meddelandet, ja det är okej för mig", "tack för hjälpen, ja boka gärna"), is that
    answer, never certain unless the whole reply says it plainly. A clause that plainly
    says the opposite of the whole reply's reading leaves it open ("hej, jag kan inte
    den dagen, ja boka").

    Every clause saying the same answer is certain ("Nej tack. Min man vill inte."); a
    later sentence that says nothing of it leaves it likely ("Nej tack. Min man
    bestämmer."). Unsure before a "but" and a plain answer after it is read by what
    follows the but, never certain ("jag vet inte riktigt vad allt betyder men ja det är
    okej").
    """
    reading = _polarity(text, more_yes, more_no)
    if reading.intent == UNCLEAR and "?" not in text:
        after_but = _answer_after_but(text, more_yes, more_no)
        if after_but is not None:
            return after_but
    clauses = [c for c in CLAUSE_END.split(text) if words_of(c)]
    if len(clauses) < 2 or "?" in text:
        return reading
    if any(words_of(c)[0] in CONDITIONS | {"om"} for c in clauses[1:]):
        return NOT_UNDERSTOOD  # "ja boka, om det är på förmiddagen"
    if any(words_of(c)[0] in _SECOND_THOUGHTS for c in clauses[1:]):
        return NOT_UNDERSTOOD  # "Ja, avboka. Eller vänta", "Nej. Förlåt, eller jo"
    by_clause = _by_clauses(clauses, more_yes, more_no)
    if by_clause is not None:
        if reading.intent != by_clause.intent or by_clause.certain:
            return by_clause
        sentences = [s for s in _SENTENCE_END.split(text) if words_of(s)]
        if len(sentences) > 1 and reading.intent == by_clause.intent and reading.certain \
                and not _DEFERRING & set(words_of(text)):
            return reading  # "Ja. Mitt barn är sjukt idag", "Nej, jag vill inte. Förlåt."
        return by_clause if len(sentences) > 1 else reading
    if reading.intent in (YES, NO):
        opposite = NO if reading.intent == YES else YES
        if any(_polarity(c, more_yes, more_no) == Reading(opposite) for c in clauses):
            return NOT_UNDERSTOOD
    return reading


_ASIDE = squeezed(lexicon.ASIDE_WORDS)
_DEFERRING = squeezed(lexicon.DEFERRING)
_SECOND_THOUGHTS = squeezed(["eller", "or", "vänta", "wait"])


def _by_clauses(clauses: list[str], more_yes: frozenset[str],
                more_no: frozenset[str]) -> Reading | None:
    """The one answer the clauses of a long reply give, or None when they do not agree,
    or when a clause that gives no answer still says something about one."""
    polar = (YES_WORDS | NO_WORDS | WANT_WORDS | UNSURE_WORDS | HEDGES | more_yes | more_no
             | {YES_MARK, NO_MARK, UNSURE_MARK, OWN_YES, OWN_NO})
    answers: list[str] = []
    every = True  # every clause gives the answer, the first one with certainty
    for clause in clauses:
        said = [_typo_of(w) for w in replace_own(words_of(clause), more_yes, more_no)]
        if not answers and _ASIDE & set(said) and not any(
                w in polar or w in lexicon.BUT_WORDS for w in said):
            every = False
            continue  # an aside before the answer: "förlåt, jag såg inte meddelandet"
        reading = _polarity(clause, more_yes, more_no)
        if reading.intent in (YES, NO):
            every = every and (bool(answers) or reading.certain)
            answers.append(reading.intent)
            continue
        if any(w in polar or w in lexicon.BUT_WORDS or w in NEGATIONS for w in said):
            return None
        every = False
    if not answers or len(set(answers)) > 1:
        return None
    return Reading(answers[0], sure=CERTAIN if every else LIKELY)


_SENTENCE_END = re.compile(r"[.!]+")
_BUT = re.compile(r"\b(?:men|but)\b", re.IGNORECASE)


def _answer_after_but(text: str, more_yes: frozenset[str],
                      more_no: frozenset[str]) -> Reading | None:
    """'jag vet inte riktigt men ja det är okej': not sure, then a "but" and a plain
    answer that opens with "ja"/"nej" (or a phrase: "no thanks"). Read by what follows the
    last "but", never certain; None when what comes before it says the opposite ("ja men
    nej") or what follows is not plain ("men ja kanske")."""
    parts = _around_but(text)
    if parts is None:
        return None
    reading = _polarity(parts[1], more_yes, more_no)
    if reading.intent not in (YES, NO) or not reading.certain:
        return None
    before = polarity(parts[0], more_yes, more_no)
    if before.intent in (YES, NO) and before.intent != reading.intent:
        return None
    return Reading(reading.intent, sure=LIKELY)


def _around_but(text: str) -> tuple[str, str] | None:
    """What comes before and after the last "but" of a reply, when what follows it opens
    with a plain yes or no."""
    found = list(_BUT.finditer(text))
    if not found or not words_of(text[:found[-1].start()]):
        return None
    after = text[found[-1].end():]
    said = replace_phrases(words_of(after))
    if not said or said[0] not in YES_PARTICLES | NO_PARTICLES | {YES_MARK, NO_MARK}:
        return None
    return text[:found[-1].start()], after


@functools.lru_cache(maxsize=16384)
def _polarity(text: str, more_yes: frozenset[str] = frozenset(),
              more_no: frozenset[str] = frozenset()) -> Reading:
    """Whether a reply says yes or no: Reading(YES|NO|UNCLEAR).

    `more_yes` / `more_no`: the question's own words for yes and no ("boka", "ta bort",
    "behåll"), folded and squeezed, one or more words each. Politeness never decides:
    "ja tack" is yes and "nej tack" is no. Negation turns a yes word into a no ("inte
    okej", "vill inte", "don't agree"); "vet inte" is not sure, "varför inte" is yes. A
    yes and a no together, or a question back, is unclear.

    Never certain (LIKELY): a reply with a typo ("nej tak", "sjävklart"), and a bare
    negation that negates no yes, no want and says no "nej" ("inte nu", "not now"):
    it may mean "not yet" as much as "no".
    """
    words = words_of(text)
    if not words or "?" in text:  # "ok?", "ja?": a question back
        return NOT_UNDERSTOOD
    if len(words) == 1 and words[0] in lexicon.YES_LETTERS | lexicon.NO_LETTERS:
        return Reading(YES if words[0] in lexicon.YES_LETTERS else NO)
    if len(words) == 1 and _BARE_YES.fullmatch(_first_typed(text)):
        return Reading(YES)  # "aa", "mm", "mhm" alone: a plain yes ("hmm" is not)
    replaced = replace_own(words, more_yes, more_no)
    if len(words) > 1 and _first_typed(text) in lexicon.LEADING_YES:
        replaced = ("ja", *replaced[1:])  # "aa de hjälpte", "mm det gjorde det"
    marked = [_typo_of(w) for w in replaced]
    corrected = any(a != b for a, b in zip(replaced, marked, strict=True))
    yes = sum(1 for w in marked if w in YES_WORDS or w in more_yes or w in (OWN_YES, YES_MARK))
    no = sum(1 for w in marked if w in NO_WORDS or w in more_no or w in (OWN_NO, NO_MARK))
    negated = any(w in NEGATIONS for w in marked) or NO_MARK in marked
    want = any(w in WANT_WORDS for w in marked)
    unsure = any(w in UNSURE_WORDS or w == UNSURE_MARK for w in marked)
    unknown = [w for w in marked if w not in _KNOWN and w not in more_yes and w not in more_no]
    if unsure:  # a question word inside a reason after a clear answer asks nothing
        return _leading(text, more_yes, more_no)
    if negated:
        # "ja men inte nu": a yes first and a negation after is a mixed answer.
        if marked[0] in YES_PARTICLES or YES_MARK in marked or OWN_YES in marked:
            return _leading(text, more_yes, more_no)
        answer = NO
    elif yes and no:
        return _leading(text, more_yes, more_no)
    elif yes or (want and not no and not unknown):  # "jag vill byta tid" is no yes
        answer = YES
    elif no:
        answer = NO
    else:
        return _leading(text, more_yes, more_no)
    if answer == YES and any(_near_inte(w) for w in unknown):
        return NOT_UNDERSTOOD  # "ite okej": "inte okej" mistyped, never a yes
    if answer == NO and any(_near_yes_phrase(w) for w in unknown):
        return NOT_UNDERSTOOD  # "inga poblem": "inga problem" mistyped, never a no
    if _but_unsettled(marked, answer, more_yes if answer == YES else more_no):
        return _leading(text, more_yes, more_no)
    opening = next((w for w in marked if w not in FILLERS), "")  # "asså ja …", "tack ja"
    leading = opening in (YES_PARTICLES | {YES_MARK, OWN_YES} if answer == YES
                          else NO_PARTICLES | {NO_MARK, OWN_NO})
    bare_negation = answer == NO and not (no or yes or want)
    mistyped = corrected or any(
        _looks_mistyped(w) if w in marked[:2] else _looks_polar_typo(w) for w in unknown)
    if bare_negation or mistyped:
        return Reading(answer, sure=LIKELY)
    return Reading(answer, sure=CERTAIN if not unknown or leading else LIKELY)


# Words that, right after the opening answer, take it back or leave it open ("ja, men…",
# "ja, inte nu", "ja, eller…").
_OPEN_AGAIN = squeezed([*lexicon.BUT_WORDS, "inte", "int", "ej", "not", "dont", "eller", "or"])
# "aa", "aaa", "mm", "mmm", "mhm" typed alone, any number of a's and m's.
_BARE_YES = re.compile(r"a{2,}|m{2,}|m+h+m+")


def _first_typed(text: str) -> str:
    typed = fold(text).split()
    return typed[0] if typed else ""


# Inside a reason ("that's why I'm writing", "ville se vilken tid det var") a question
# word asks nothing; at the start of what follows the answer it does.
_QUESTION_WORDS = squeezed("vad varfor hur vem vilka vilken what why how who which".split())


def _leading(text: str, more_yes: frozenset[str], more_no: frozenset[str]) -> Reading:
    """A long reply that opens with a clear answer and gives a reason after it: "Nej tack,
    jag klarar mig själv", "Ja absolut, utan er hade jag inte fått jobbet". Read by its
    opening clause, never with certainty (an action that cannot be undone is confirmed
    first), when nothing after it says otherwise: no word of the other answer, no "but"
    or "not" right after the opening, no negated yes or want ("jag vill inte")."""
    parts = CLAUSE_END.split(text, maxsplit=1)
    if len(parts) < 2 or not words_of(parts[1]):
        return NOT_UNDERSTOOD
    opening = polarity(parts[0], more_yes, more_no)
    if opening.intent == UNCLEAR or not opening.certain:
        return NOT_UNDERSTOOD
    rest = [_typo_of(w) for w in replace_own(words_of(parts[1]), more_yes, more_no)]
    yes_words = YES_WORDS | WANT_WORDS | more_yes | {YES_MARK, OWN_YES}
    no_words = NO_WORDS | (more_no - NEGATIONS) | {NO_MARK, OWN_NO}
    other = no_words if opening.intent == YES else yes_words
    if rest[0] in _OPEN_AGAIN | UNSURE_WORDS or any(
            w in other or (w in UNSURE_WORDS and w not in _QUESTION_WORDS) or w == UNSURE_MARK
            for w in rest):
        return NOT_UNDERSTOOD
    for clause in CLAUSE_END.split(parts[1]):  # "ja visst, superhjälpsamt... inte"
        said = words_of(clause)
        if said and said[-1] in NEGATIONS and said[-1] not in ("utan", "without"):
            return NOT_UNDERSTOOD
    if opening.intent == YES:  # "ja, jag kan inte den dagen": the "not" may take it back,
        without = False        # unless it is said of a world without ("utan er hade jag
        for word in rest:      # inte fått jobbet")
            without = without or word in ("utan", "without")
            if word in NEGATIONS and not without:
                return NOT_UNDERSTOOD
    for i, word in enumerate(rest):  # "ja, jag vill inte": a negated yes
        if word in NEGATIONS and any(w in yes_words for w in rest[max(0, i - 2):i + 3]):
            return NOT_UNDERSTOOD
    return Reading(opening.intent, sure=LIKELY)


def _but_unsettled(marked: list[str], answer: str, own: frozenset[str]) -> bool:
    """'ja men' / 'yes but I have a question': after a "but", only more of the same
    answer ("ja men visst", "nej men tack, nej") settles it; nothing, or anything else,
    leaves it open."""
    same = (YES_WORDS | {YES_MARK, OWN_YES}) if answer == YES else (NO_WORDS | {NO_MARK, OWN_NO})
    for i, word in enumerate(marked[1:], start=1):
        if word in lexicon.BUT_WORDS:
            after = marked[i + 1:]
            return (not any(w in same or w in own for w in after)
                    or any(w not in _KNOWN and w not in own for w in after))
    return False


# --------------------------------------------------------------------------- navigation

_NAVIGATION = {tuple(words_of(w)): where for where, ws in lexicon.NAVIGATION.items()
               for w in ws}
_NAVIGATION_FILLERS = squeezed(lexicon.NAVIGATION_FILLERS)


@functools.lru_cache(maxsize=16384)
def navigation(text: str | None) -> str | None:
    """'tillbaka' -> 'back', 'avbryt' -> 'cancel', 'meny' -> 'menu', 'hjälp' -> 'help',
    when that is the whole answer (small words such as "gå", "jag vill" aside)."""
    if not text:
        return None
    raw = text.strip().casefold()
    if raw in _NAVIGATION_RAW:  # commands keep their slash
        return _NAVIGATION_RAW[raw]
    words = words_of(text)
    if words in _NAVIGATION:
        return _NAVIGATION[words]
    core = tuple(w for w in words if w not in _NAVIGATION_FILLERS)
    return _NAVIGATION.get(core) if core else None


_NAVIGATION_RAW = {w: where for where, ws in lexicon.NAVIGATION.items() for w in ws
                   if w.startswith("/")}

_REQUEST_FILLERS = squeezed(lexicon.REQUEST_FILLERS)


def _request_core(words: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(w for w in words if w not in _REQUEST_FILLERS)


_REQUESTS = {_request_core(words_of(p)): request for request, ps in lexicon.REQUESTS.items()
             for p in ps}


@functools.lru_cache(maxsize=16384)
def request_of(text: str | None) -> str | None:
    """'ring mig' -> 'call', 'jag kan inte komma' -> 'cant_come', 'avboka min tid' ->
    'cancel_booking', when that is the whole answer (small words aside)."""
    if not text:
        return None
    core = _request_core(words_of(text))
    return _REQUESTS.get(core) if core else None


_GREETING_FILLERS = squeezed(lexicon.GREETING_FILLERS)
_ENGLISH_GREETINGS = frozenset(tuple(w for w in words_of(g) if w not in _GREETING_FILLERS)
                               for g in lexicon.ENGLISH_GREETINGS)


@functools.lru_cache(maxsize=4096)
def english_greeting(text: str | None) -> bool:
    """Whether a message is only an English greeting: "hi", "Hello!", "good morning"."""
    core = tuple(w for w in words_of(text or "") if w not in _GREETING_FILLERS)
    return core in _ENGLISH_GREETINGS


_ASKING = squeezed(lexicon.ASKING_WORDS)


@functools.lru_cache(maxsize=4096)
def asks_back(text: str | None) -> bool:
    """Whether a reply asks about the question ("vad sparar ni?", "vem ser det?", "jag
    förstår inte", "what do you save?") rather than answering it."""
    return any(w in _ASKING for w in words_of(text or ""))


_CANT_ALONE = frozenset(as_phrases(lexicon.CANT_ALONE))


@functools.lru_cache(maxsize=4096)
def cant_alone(text: str | None) -> bool:
    """Whether a reply is only "kan inte" / "can't" (lexicon.CANT_ALONE): it says what
    cannot be done no more than whether the answer is yes or no."""
    return words_of(text or "") in _CANT_ALONE


@functools.lru_cache(maxsize=4096)
def negated(text: str) -> bool:
    """Whether a reply says "not" ("inte imorgon", "not at ten")."""
    return any(w in NEGATIONS for w in words_of(text))

# --------------------------------------------------------------------------- numbers


_NUMBER_LEADS = frozenset({"nr", "nummer", "number", "no", "alt", "alternativ", "option",
                           "svar", "val", "siffra"})


@functools.lru_cache(maxsize=4096)
def number_of(text: str) -> int | None:
    """A bare number, perhaps with a lead word: "2", "2.", "nr 2", "alternativ 2"."""
    words = fold(text).split()
    if len(words) == 2 and words[0] in _NUMBER_LEADS:
        words = words[1:]
    if len(words) == 1 and words[0].isdecimal() and len(words[0]) <= 4:
        return int(words[0])
    return None


# --------------------------------------------------------------------------- options


@functools.lru_cache(maxsize=2048)
def _option_words(label: str) -> tuple[str, ...]:
    """A label's own words, without yes/no and small words: "Ja, ta bort" -> ('ta bort',)."""
    words = [w for w in words_of(label) if w not in YES_WORDS | NO_WORDS | FILLERS]
    return (" ".join(words),) if words else ()


def _contains(words: tuple[str, ...], phrase: str) -> bool:
    return f" {phrase} " in " " + " ".join(words) + " "


def read_answer(text: str | None, choice: str | None, offered: Sequence[Option], *,
                aliases: Mapping[str, Sequence[str]] | None = None, numbered: bool = False,
                everything: Sequence[Option] = (), yes_key: str | None = "yes",
                no_key: str | None = "no", change_key: str | None = None) -> Reading:
    """What a reply to a question with options means.

    - a pressed option (button, or the simulator's choice) is certain;
    - a bare number picks an option only where the options were shown numbered
      (`numbered`); elsewhere it is a NUMBER for the caller (a date, an age, a time);
    - the option's label or one of its `aliases` typed out is certain;
    - at a yes/no question (options `yes_key` and `no_key`), what the reply says:
      "ja tack" -> yes, "vill inte" -> no, with the labels' own words ("Ja, boka":
      "boka" is a yes, "boka inte" a no);
    - a near miss of a label ("rinkby") is likely;
    - at a question with an option for another time (`change_key`, "Ändra"), a wish for
      one ("kan inte den tiden", "boka om", "har du senare?") is that option, before yes
      and no: see `wants_change`;
    - anything else is unclear.
    `everything`: all options of a paged list (a name from another page counts).
    """
    if choice is not None:
        keys = {o.key for o in offered} | {o.key for o in everything}
        return Reading(OPTION, choice, how=PRESSED) if choice in keys else NOT_UNDERSTOOD
    if not text or not text.strip():
        return NOT_UNDERSTOOD
    return _read_typed(text, tuple(offered), _frozen(aliases), numbered, tuple(everything),
                       yes_key, no_key, change_key)


@functools.lru_cache(maxsize=16384)
def _read_typed(text: str, offered: tuple[Option, ...],
                frozen: tuple[tuple[str, tuple[str, ...]], ...], numbered: bool,
                everything: tuple[Option, ...], yes_key: str | None, no_key: str | None,
                change_key: str | None = None) -> Reading:
    aliases = dict(frozen)
    number = number_of(text)
    if number is not None:
        if numbered and 1 <= number <= len(offered):
            return Reading(OPTION, offered[number - 1].key, how=DIGIT)
        return Reading(NUMBER, str(number), sure=LIKELY)
    every = list(offered) + [o for o in everything if o not in offered]
    if change_key is not None and change_key in {o.key for o in every}:
        yes_option = next((o for o in every if o.key == yes_key), None)
        if wants_change(text, _own_words(yes_option, aliases.get(yes_key or "", ()))):
            return Reading(OPTION, change_key, sure=LIKELY)  # never books: harmless
    if {yes_key, no_key} & {o.key for o in every} and (
            "?" in text or any(mark in text for mark in lexicon.SARCASM_EMOJI)
            or cant_alone(text)):
        return NOT_UNDERSTOOD  # "ok?", "ja 🙄", "kan inte": a question back, not meant, or
        # neither yes nor no, at yes/no
    exact = _exact(fold(text), _names(tuple(every), frozen))
    if exact is not None:
        return Reading(OPTION, exact)
    if _hedged(text):
        return NOT_UNDERSTOOD  # "lite grann kanske", "ja typ": not settled, asked again
    words = words_of(text)
    polar = {yes_key, no_key} & {o.key for o in every}
    if polar:
        reading = _read_polar(text, words, every, aliases, yes_key, no_key)
        if reading is not None:
            return reading
    named = _named(text, every, aliases, exclude=polar)
    if len(named) == 1:
        return Reading(OPTION, named.pop(), sure=CERTAIN if len(words) <= 3 else LIKELY)
    if named:
        return NOT_UNDERSTOOD
    if UNSURE_MARK in replace_phrases(words) or any(w in UNSURE_WORDS for w in words):
        return NOT_UNDERSTOOD  # "jag vet inte vad jag ska skriva": not a near miss of anything
    # Near misses never decide yes or no ("tack" is a word of "nej tack"): only polarity does.
    unpolar = tuple(o for o in every if o.key not in polar)
    near = near_miss(fold(text), _candidates(unpolar, frozen, _DIGITS.findall(text)))
    if near is not None and negated(text):
        return NOT_UNDERSTOOD  # "ja boka, jag vill inte ändra", "inte under 16": not that
    if near is not None:
        return Reading(OPTION, near, sure=LIKELY, how=NEAR)
    return NOT_UNDERSTOOD


def _hedged(text: str) -> bool:
    """Whether the clause that gives the answer hedges it: "lite grann kanske", "ja typ",
    "maybe a little", "ja vet inte riktigt"."""
    parts = _around_but(text)  # "jag vet inte riktigt men ja det är okej": the answer
    answer = parts[1] if parts else text  # follows the but
    said = replace_phrases(words_of(CLAUSE_END.split(answer, maxsplit=1)[0]))
    return any(w in HEDGES or w == UNSURE_MARK for w in said)


def _frozen(aliases: Mapping[str, Sequence[str]] | None
            ) -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple((k, tuple(v)) for k, v in (aliases or {}).items())


@functools.lru_cache(maxsize=2048)
def _names(options: tuple[Option, ...], aliases: tuple[tuple[str, tuple[str, ...]], ...]
           ) -> dict[str, str]:
    """Whole names (label, alias) of each option, folded -> option key."""
    keys = {o.key for o in options}
    names: dict[str, str] = {}
    for option in options:
        names.setdefault(fold(option.label), option.key)
    for key, words in aliases:
        if key in keys:
            for word in words:
                names.setdefault(fold(word), key)
    return names


def _exact(answer: str, names: dict[str, str]) -> str | None:
    if answer in names:
        return names[answer]
    squeezed = " ".join(squeeze(w) for w in answer.split())
    return names.get(squeezed)


_DIGITS = re.compile(r"\d+")


def _candidates(options: tuple[Option, ...], aliases: tuple[tuple[str, tuple[str, ...]], ...],
                digits: list[str]) -> dict[str, str]:
    """Names and their longer words, for near misses ("rinkby" -> "rinkeby"). A word that
    is a number ("sexton" of "under sexton") names no option on its own, and a reply with
    digits nears only names with the same digits ("över 16" is not "över 30")."""
    return {name: key for name, key in _near_names(options, aliases).items()
            if _DIGITS.findall(name) == digits or not (digits or _DIGITS.findall(name))}


@functools.lru_cache(maxsize=2048)
def _near_names(options: tuple[Option, ...], aliases: tuple[tuple[str, tuple[str, ...]], ...]
                ) -> dict[str, str]:
    found: dict[str, str] = {}
    for name, key in _names(options, aliases).items():
        found.setdefault(name, key)
        for word in re.split(r"[\s-]+", name):
            if len(word) >= 4 and squeeze(word) not in _SMALL_WORDS and not any(
                    w.isdecimal() for w in ages_in_words((squeeze(word),))):
                found.setdefault(word, key)
    return found


def _named(text: str, options: Sequence[Option],
           aliases: Mapping[str, Sequence[str]], exclude: set[str | None]) -> set[str]:
    """Options whose own words (label words, aliases) appear in a clause of the reply
    that is not negated: "jag vill ändra tiden" names Ändra; "behöver inte tolk" names
    nothing."""
    clauses = [w for w in (words_of(c) for c in CLAUSE_END.split(text)) if w]
    found: set[str] = set()
    for clause in clauses:  # "nej den dagen passar inte, ändra": the "not" is of the day
        if any(w in NEGATIONS for w in clause):
            continue
        for option in options:
            if option.key in exclude:
                continue
            phrases = [*_option_words(option.label),
                       *(" ".join(words_of(a)) for a in aliases.get(option.key, ()))]
            if any(p and (len(p) >= 3 or p.isdecimal()) and _contains(clause, p)
                   for p in phrases):
                found.add(option.key)
    return found


def _read_polar(text: str, words: tuple[str, ...], options: Sequence[Option],
                aliases: Mapping[str, Sequence[str]], yes_key: str | None,
                no_key: str | None) -> Reading | None:
    by_key = {o.key: o for o in options}
    more_yes = _own_words(by_key.get(yes_key or ""), aliases.get(yes_key or "", ()))
    more_no = _own_words(by_key.get(no_key or ""), aliases.get(no_key or "", ()))
    reading = polarity(text, more_yes, more_no)
    if reading.intent == UNCLEAR:
        return None
    other = _named(text, options, aliases, exclude={yes_key, no_key})
    if other:
        # "nej, ändra tiden": another option named outright is what the person wants.
        return Reading(OPTION, other.pop(), sure=LIKELY) if len(other) == 1 else NOT_UNDERSTOOD
    key = yes_key if reading.intent == YES else no_key
    if key not in by_key:
        return NOT_UNDERSTOOD
    return Reading(OPTION, key, sure=reading.sure)


def _own_words(option: Option | None, aliases: Sequence[str]) -> frozenset[str]:
    found = set(_option_words(option.label)) if option is not None else set()
    found |= {" ".join(words_of(a)) for a in aliases}
    return frozenset(w for w in found if w and w not in YES_WORDS | NO_WORDS)


# --------------------------------------------------------------------------- names and times

_NAME_LEADS = as_phrases(lexicon.NAME_LEADS)
_NAME_TRAILS = as_phrases(lexicon.NAME_TRAILS)
_NAME_GREETINGS = squeezed(lexicon.NAME_GREETINGS)
_NAME_WORD = re.compile(r"^[^\W\d_]+(?:[-'][^\W\d_]+)*$")


def _without_emoji(text: str) -> str:
    """Emoji and other symbols (with their skin tones, joiners and variation selectors)
    dropped: "Amina 😊" -> "Amina ", "Amina❤️" -> "Amina "."""
    kept = []
    for char in unicodedata.normalize("NFC", text):
        category = unicodedata.category(char)
        if category in ("So", "Sk", "Cs", "Co"):
            kept.append(" ")
        elif category not in ("Cf", "Me") and not 0xFE00 <= ord(char) <= 0xFE0F:
            kept.append(char)
    return "".join(kept)


@functools.lru_cache(maxsize=4096)
def name_of(text: str) -> str | None:
    """The first name in a reply: "Amina", "jag heter Amina", "my name is John",
    "Amina heter jag", "Amina 😊" (emoji dropped). None when it is not a name (a
    sentence, a number, a command)."""
    raw = [w for w in re.split(r"[\s,.!:;]+", APOSTROPHES.sub("", _without_emoji(text))) if w]
    folded = [squeeze(fold(w)) for w in raw]
    while folded and folded[0] in _NAME_GREETINGS:
        raw, folded = raw[1:], folded[1:]
    for lead in _NAME_LEADS:
        if tuple(folded[:len(lead)]) == lead and len(folded) > len(lead):
            raw, folded = raw[len(lead):], folded[len(lead):]
            break
    for trail in _NAME_TRAILS:
        if tuple(folded[-len(trail):]) == trail and len(folded) > len(trail):
            raw, folded = raw[:-len(trail)], folded[:-len(trail)]
            break
    if folded and folded[-1] in ("tack", "thanks"):
        raw = raw[:-1]
    if not 1 <= len(raw) <= 2 or not all(_NAME_WORD.match(w) for w in raw):
        return None
    name = " ".join(raw)
    if (len(name) > 40 or navigation(name) or request_of(name)
            or polarity(name).intent != UNCLEAR or unsure(name)):
        return None
    return " ".join(w[:1].upper() + w[1:] for w in raw)


_PARTS = [(tuple(words_of(p)), part) for p, part in
          sorted(lexicon.PARTS_OF_DAY, key=lambda item: -len(item[0]))]


@functools.lru_cache(maxsize=4096)
def part_of_day(text: str) -> str | None:
    """'efter lunch' -> 'afternoon', 'på förmiddagen' -> 'morning'; None if none or two."""
    words = words_of(text)
    found: set[str] = set()
    covered: set[int] = set()
    for phrase, part in _PARTS:
        for i in range(len(words) - len(phrase) + 1):
            span = set(range(i, i + len(phrase)))
            if words[i:i + len(phrase)] == phrase and not span & covered:
                found.add(part)
                covered |= span
    return found.pop() if len(found) == 1 else None


def hours_of(part: str) -> tuple[int, int]:
    """The clock hours [from, to) a part of the day covers."""
    return lexicon.PART_HOURS[part]


def plain(text: str) -> str:
    """NFC, single spaces: the form a free-text answer is stored in."""
    return " ".join(unicodedata.normalize("NFC", text).split())

@functools.lru_cache(maxsize=4096)
def unsure(text: str) -> bool:
    """Whether a reply says the person is not sure or did not understand ("vet inte",
    "förstår inte", "I don't get it"): never a name or a language to store."""
    return UNSURE_MARK in replace_phrases(words_of(text))
