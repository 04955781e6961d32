"""Reading what a reply means: the one place every question's answer goes through.

`read_answer` takes what the person sent and the question it answers (its options and
whether they were shown numbered) and returns a `Reading`: an intent (yes, no, an option,
a number, navigation, ...) and how sure it is. Handlers decide what to do with it; an
unsure reading is never acted on, and an action that cannot be undone asks for a certain
one (see `handlers/flow.py`: `pick`, `confirm_first`).

Everything here is a plain function of the text, cached: lexicons are built once at
import, a reply seen before is not read again.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import OSA

from handlers import lexicon
from handlers.base import Option
from handlers.choices import fold, near_miss

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

# --------------------------------------------------------------------------- text to words

_APOSTROPHES = re.compile(r"['’´`]")
_REPEATS = re.compile(r"(\D)\1+")


def squeeze(word: str) -> str:
    """'jaaa' -> 'ja', 'neeej' -> 'nej', 'okk' -> 'ok': repeated letters typed once."""
    return _REPEATS.sub(r"\1", word)


def _emoji_words(text: str) -> str:
    for mark in lexicon.YES_EMOJI:
        text = text.replace(mark, " jaemoji ")
    for mark in lexicon.NO_EMOJI:
        text = text.replace(mark, " nejemoji ")
    for mark in lexicon.SARCASM_EMOJI:
        text = text.replace(mark, " sarkasm ")
    return text


@functools.lru_cache(maxsize=16384)
def words_of(text: str) -> tuple[str, ...]:
    """The words of a reply, folded and squeezed: "Nää, JAG vill inte!" ->
    ('na', 'jag', 'vil', 'inte'). "don't" is one word, "dont"."""
    return tuple(squeeze(w) for w in fold(_APOSTROPHES.sub("", _emoji_words(text))).split())


def _squeezed(words: Iterable[str]) -> frozenset[str]:
    return frozenset(squeeze(fold(w)) for w in words)


def _phrases(phrases: Sequence[str]) -> tuple[tuple[str, ...], ...]:
    found = {tuple(squeeze(w) for w in fold(p).split()) for p in phrases if p.strip()}
    return tuple(sorted(found, key=len, reverse=True))


_YES = _squeezed(lexicon.YES_WORDS) | {"jaemoji"}
_NO = _squeezed(lexicon.NO_WORDS) | {"nejemoji"}
_NEGATIONS = _squeezed(lexicon.NEGATIONS)
_UNSURE = _squeezed(lexicon.UNSURE_WORDS)
_WANT = _squeezed(lexicon.WANT_WORDS)
_FILLERS = _squeezed(lexicon.FILLERS)
_YES_PARTICLES = _squeezed(lexicon.YES_PARTICLES) | {"jaemoji"}
_NO_PARTICLES = _squeezed(lexicon.NO_PARTICLES) | {"nejemoji"}
_YES_PHRASES = _phrases(lexicon.YES_PHRASES)
_UNSURE_PHRASES = _phrases(lexicon.UNSURE_PHRASES)
_NO_PHRASES = _phrases(lexicon.NO_PHRASES)
_NAVIGATION = {tuple(words_of(w)): where for where, ws in lexicon.NAVIGATION.items()
               for w in ws}
_NAVIGATION_FILLERS = _squeezed(lexicon.NAVIGATION_FILLERS)
_HEDGES = _squeezed(lexicon.HEDGES)

# Words too common to name an option on their own ("inte" of "vill inte").
_SMALL_WORDS = _FILLERS | _NEGATIONS | _UNSURE | _WANT | _YES | _NO

# Marks that stand for a whole phrase once it is found.
_YES_MARK, _NO_MARK, _UNSURE_MARK = "+yes", "-no", "?unsure"


def _by_first_word(*groups: tuple[tuple[tuple[str, ...], ...], str]
                   ) -> dict[str, list[tuple[tuple[str, ...], str]]]:
    index: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for phrases, mark in groups:
        for phrase in phrases:
            index.setdefault(phrase[0], []).append((phrase, mark))
    for entries in index.values():
        entries.sort(key=lambda entry: -len(entry[0]))  # longest first
    return index


_PHRASES = _by_first_word((_UNSURE_PHRASES, _UNSURE_MARK), (_NO_PHRASES, _NO_MARK),
                          (_YES_PHRASES, _YES_MARK))


_Index = dict[str, list[tuple[tuple[str, ...], str]]]


def _mark(words: tuple[str, ...], index: _Index,
          skip: Callable[[tuple[str, ...], int], bool] | None = None) -> tuple[str, ...]:
    """Each phrase of `index` found in `words` (the longest first) replaced by its mark;
    `skip(phrase, i)` says where a phrase found at i is not meant."""
    out: list[str] = []
    i = 0
    while i < len(words):
        hit = next(((p, mark) for p, mark in index.get(words[i], ())
                    if words[i:i + len(p)] == p and not (skip and skip(p, i))), None)
        if hit is not None:
            out.append(hit[1])
            i += len(hit[0])
        else:
            out.append(words[i])
            i += 1
    return tuple(out)


@functools.lru_cache(maxsize=16384)
def _replace_phrases(words: tuple[str, ...]) -> tuple[str, ...]:
    return _mark(words, _PHRASES)


# --------------------------------------------------------------------------- yes and no

_OWN_YES, _OWN_NO = "+own", "-own"
_KNOWN = (_YES | _NO | _NEGATIONS | _UNSURE | _WANT | _FILLERS
          | {_YES_MARK, _NO_MARK, _UNSURE_MARK, _OWN_YES, _OWN_NO})


def _replace_own(words: tuple[str, ...], more_yes: frozenset[str],
                 more_no: frozenset[str]) -> tuple[str, ...]:
    """Phrases first, the question's own longer words among them: at "Vill du avboka?"
    "kan inte komma" is a yes, its "inte" no negation."""
    own = [(tuple(p.split()), _OWN_YES) for p in more_yes if " " in p]
    own += [(tuple(p.split()), _OWN_NO) for p in more_no if " " in p]
    own.sort(key=lambda item: -len(item[0]))
    out: list[str] = []
    i = 0
    while i < len(words):
        hits = [(p, mark) for p, mark in [*own, *_PHRASES.get(words[i], ())]
                if words[i:i + len(p)] == p]  # the longest: "no thanks I'm good" is one
        hit = max(hits, key=lambda h: len(h[0])) if hits else None
        if hit is not None:
            out.append(hit[1])
            i += len(hit[0])
        else:
            out.append(words[i])
            i += 1
    return _conditions(_replace_phrases(tuple(out)))


_CONDITIONS = _squeezed(lexicon.CONDITIONS)
_OM_AFTER = _squeezed(lexicon.OM_AFTER)
_OM_BEFORE = _squeezed(lexicon.OM_BEFORE)


def _conditions(words: tuple[str, ...]) -> tuple[str, ...]:
    """A condition ("if", "om det …") is marked unsure: "ja boka om jag hinner"."""
    out = list(words)
    for i, word in enumerate(words):
        if word in _CONDITIONS or (
                word == "om" and i + 1 < len(words) and words[i + 1] not in _OM_BEFORE
                and not (i and words[i - 1] in _OM_AFTER)):
            out[i] = _UNSURE_MARK
    return tuple(out)

_POLAR_SHORT = sorted(w for w in _YES | _NO | _NEGATIONS | _UNSURE | _WANT if len(w) >= 3)
_LONG_WORDS = sorted(w for w in _YES | _NO | _NEGATIONS if len(w) >= 6)
_SHORT_KNOWN = sorted(w for w in _YES | _NO | _NEGATIONS | _UNSURE | _WANT | _FILLERS
                      if len(w) >= 3)


@functools.lru_cache(maxsize=16384)
def _typo_of(word: str) -> str:
    """A long yes/no word typed one letter wrong ("sjävklart", "godkäner") is that word."""
    if len(word) < 6 or word in _YES or word in _NO or word in _FILLERS:
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


_YES_PHRASE_WORDS = sorted({w for p in _YES_PHRASES for w in p if len(w) >= 4}
                           - _NEGATIONS - _FILLERS)


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
    clauses = [c for c in _CLAUSE_END.split(text) if words_of(c)]
    if len(clauses) < 2 or "?" in text:
        return reading
    if any(words_of(c)[0] in _CONDITIONS | {"om"} for c in clauses[1:]):
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


_ASIDE = _squeezed(lexicon.ASIDE_WORDS)
_DEFERRING = _squeezed(lexicon.DEFERRING)
_SECOND_THOUGHTS = _squeezed(["eller", "or", "vänta", "wait"])


def _by_clauses(clauses: list[str], more_yes: frozenset[str],
                more_no: frozenset[str]) -> Reading | None:
    """The one answer the clauses of a long reply give, or None when they do not agree,
    or when a clause that gives no answer still says something about one."""
    polar = (_YES | _NO | _WANT | _UNSURE | _HEDGES | more_yes | more_no
             | {_YES_MARK, _NO_MARK, _UNSURE_MARK, _OWN_YES, _OWN_NO})
    answers: list[str] = []
    every = True  # every clause gives the answer, the first one with certainty
    for clause in clauses:
        said = [_typo_of(w) for w in _replace_own(words_of(clause), more_yes, more_no)]
        if not answers and _ASIDE & set(said) and not any(
                w in polar or w in lexicon.BUT_WORDS for w in said):
            every = False
            continue  # an aside before the answer: "förlåt, jag såg inte meddelandet"
        reading = _polarity(clause, more_yes, more_no)
        if reading.intent in (YES, NO):
            every = every and (bool(answers) or reading.certain)
            answers.append(reading.intent)
            continue
        if any(w in polar or w in lexicon.BUT_WORDS or w in _NEGATIONS for w in said):
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
    said = _replace_phrases(words_of(after))
    if not said or said[0] not in _YES_PARTICLES | _NO_PARTICLES | {_YES_MARK, _NO_MARK}:
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
    replaced = _replace_own(words, more_yes, more_no)
    if len(words) > 1 and _first_typed(text) in lexicon.LEADING_YES:
        replaced = ("ja", *replaced[1:])  # "aa de hjälpte", "mm det gjorde det"
    marked = [_typo_of(w) for w in replaced]
    corrected = any(a != b for a, b in zip(replaced, marked, strict=True))
    yes = sum(1 for w in marked if w in _YES or w in more_yes or w in (_OWN_YES, _YES_MARK))
    no = sum(1 for w in marked if w in _NO or w in more_no or w in (_OWN_NO, _NO_MARK))
    negated = any(w in _NEGATIONS for w in marked) or _NO_MARK in marked
    want = any(w in _WANT for w in marked)
    unsure = any(w in _UNSURE or w == _UNSURE_MARK for w in marked)
    unknown = [w for w in marked if w not in _KNOWN and w not in more_yes and w not in more_no]
    if unsure:  # a question word inside a reason after a clear answer asks nothing
        return _leading(text, more_yes, more_no)
    if negated:
        # "ja men inte nu": a yes first and a negation after is a mixed answer.
        if marked[0] in _YES_PARTICLES or _YES_MARK in marked or _OWN_YES in marked:
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
    opening = next((w for w in marked if w not in _FILLERS), "")  # "asså ja …", "tack ja"
    leading = opening in (_YES_PARTICLES | {_YES_MARK, _OWN_YES} if answer == YES
                          else _NO_PARTICLES | {_NO_MARK, _OWN_NO})
    bare_negation = answer == NO and not (no or yes or want)
    mistyped = corrected or any(
        _looks_mistyped(w) if w in marked[:2] else _looks_polar_typo(w) for w in unknown)
    if bare_negation or mistyped:
        return Reading(answer, sure=LIKELY)
    return Reading(answer, sure=CERTAIN if not unknown or leading else LIKELY)


# Words that, right after the opening answer, take it back or leave it open ("ja, men…",
# "ja, inte nu", "ja, eller…").
_OPEN_AGAIN = _squeezed([*lexicon.BUT_WORDS, "inte", "int", "ej", "not", "dont", "eller", "or"])
# "aa", "aaa", "mm", "mmm", "mhm" typed alone, any number of a's and m's.
_BARE_YES = re.compile(r"a{2,}|m{2,}|m+h+m+")


def _first_typed(text: str) -> str:
    typed = fold(text).split()
    return typed[0] if typed else ""


# Inside a reason ("that's why I'm writing", "ville se vilken tid det var") a question
# word asks nothing; at the start of what follows the answer it does.
_QUESTION_WORDS = _squeezed("vad varfor hur vem vilka vilken what why how who which".split())
_CLAUSE_END = re.compile(r"[,.;:!]+|\s[-–]\s")


def _leading(text: str, more_yes: frozenset[str], more_no: frozenset[str]) -> Reading:
    """A long reply that opens with a clear answer and gives a reason after it: "Nej tack,
    jag klarar mig själv", "Ja absolut, utan er hade jag inte fått jobbet". Read by its
    opening clause, never with certainty (an action that cannot be undone is confirmed
    first), when nothing after it says otherwise: no word of the other answer, no "but"
    or "not" right after the opening, no negated yes or want ("jag vill inte")."""
    parts = _CLAUSE_END.split(text, maxsplit=1)
    if len(parts) < 2 or not words_of(parts[1]):
        return NOT_UNDERSTOOD
    opening = polarity(parts[0], more_yes, more_no)
    if opening.intent == UNCLEAR or not opening.certain:
        return NOT_UNDERSTOOD
    rest = [_typo_of(w) for w in _replace_own(words_of(parts[1]), more_yes, more_no)]
    yes_words = _YES | _WANT | more_yes | {_YES_MARK, _OWN_YES}
    no_words = _NO | (more_no - _NEGATIONS) | {_NO_MARK, _OWN_NO}
    other = no_words if opening.intent == YES else yes_words
    if rest[0] in _OPEN_AGAIN | _UNSURE or any(
            w in other or (w in _UNSURE and w not in _QUESTION_WORDS) or w == _UNSURE_MARK
            for w in rest):
        return NOT_UNDERSTOOD
    for clause in _CLAUSE_END.split(parts[1]):  # "ja visst, superhjälpsamt... inte"
        said = words_of(clause)
        if said and said[-1] in _NEGATIONS and said[-1] not in ("utan", "without"):
            return NOT_UNDERSTOOD
    if opening.intent == YES:  # "ja, jag kan inte den dagen": the "not" may take it back,
        without = False        # unless it is said of a world without ("utan er hade jag
        for word in rest:      # inte fått jobbet")
            without = without or word in ("utan", "without")
            if word in _NEGATIONS and not without:
                return NOT_UNDERSTOOD
    for i, word in enumerate(rest):  # "ja, jag vill inte": a negated yes
        if word in _NEGATIONS and any(w in yes_words for w in rest[max(0, i - 2):i + 3]):
            return NOT_UNDERSTOOD
    return Reading(opening.intent, sure=LIKELY)


def _but_unsettled(marked: list[str], answer: str, own: frozenset[str]) -> bool:
    """'ja men' / 'yes but I have a question': after a "but", only more of the same
    answer ("ja men visst", "nej men tack, nej") settles it; nothing, or anything else,
    leaves it open."""
    same = (_YES | {_YES_MARK, _OWN_YES}) if answer == YES else (_NO | {_NO_MARK, _OWN_NO})
    for i, word in enumerate(marked[1:], start=1):
        if word in lexicon.BUT_WORDS:
            after = marked[i + 1:]
            return (not any(w in same or w in own for w in after)
                    or any(w not in _KNOWN and w not in own for w in after))
    return False


# --------------------------------------------------------------------------- navigation


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

_REQUEST_FILLERS = _squeezed(lexicon.REQUEST_FILLERS)


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


_GREETING_FILLERS = _squeezed(lexicon.GREETING_FILLERS)
_ENGLISH_GREETINGS = frozenset(tuple(w for w in words_of(g) if w not in _GREETING_FILLERS)
                               for g in lexicon.ENGLISH_GREETINGS)


@functools.lru_cache(maxsize=4096)
def english_greeting(text: str | None) -> bool:
    """Whether a message is only an English greeting: "hi", "Hello!", "good morning"."""
    core = tuple(w for w in words_of(text or "") if w not in _GREETING_FILLERS)
    return core in _ENGLISH_GREETINGS


_ASKING = _squeezed(lexicon.ASKING_WORDS)


@functools.lru_cache(maxsize=4096)
def asks_back(text: str | None) -> bool:
    """Whether a reply asks about the question ("vad sparar ni?", "vem ser det?", "jag
    förstår inte", "what do you save?") rather than answering it."""
    return any(w in _ASKING for w in words_of(text or ""))


@functools.lru_cache(maxsize=4096)
def negated(text: str) -> bool:
    """Whether a reply says "not" ("inte imorgon", "not at ten")."""
    return any(w in _NEGATIONS for w in words_of(text))

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


@functools.lru_cache(maxsize=4096)
def age_of(text: str) -> int | None:
    """The age a reply gives: "19", "jag är 22", "22 år", "i'm 27 years old"."""
    words = words_of(text)
    numbers = [w for w in words if w.isdecimal()]
    if len(numbers) != 1 or any(not w.isdecimal() and w not in _AGE_WORDS for w in words):
        return None
    age = int(numbers[0])
    return age if age <= 120 else None


_AGE_WORDS = _squeezed(lexicon.AGE_WORDS)

# --------------------------------------------------------------------------- options


@functools.lru_cache(maxsize=2048)
def _option_words(label: str) -> tuple[str, ...]:
    """A label's own words, without yes/no and small words: "Ja, ta bort" -> ('ta bort',)."""
    words = [w for w in words_of(label) if w not in _YES | _NO | _FILLERS]
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
            "?" in text or any(mark in text for mark in lexicon.SARCASM_EMOJI)):
        return NOT_UNDERSTOOD  # "ok?", "ja 🙄": a question back or not meant, at yes/no
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
    if _UNSURE_MARK in _replace_phrases(words) or any(w in _UNSURE for w in words):
        return NOT_UNDERSTOOD  # "jag vet inte vad jag ska skriva": not a near miss of anything
    # Near misses never decide yes or no ("tack" is a word of "nej tack"): only polarity does.
    unpolar = tuple(o for o in every if o.key not in polar)
    near = near_miss(fold(text), _candidates(unpolar, frozen))
    if near is not None and near == change_key and negated(text):
        return NOT_UNDERSTOOD  # "ja boka, jag vill inte ändra": no wish for another time
    if near is not None:
        return Reading(OPTION, near, sure=LIKELY, how=NEAR)
    return NOT_UNDERSTOOD


def _hedged(text: str) -> bool:
    """Whether the clause that gives the answer hedges it: "lite grann kanske", "ja typ",
    "maybe a little", "ja vet inte riktigt"."""
    parts = _around_but(text)  # "jag vet inte riktigt men ja det är okej": the answer
    answer = parts[1] if parts else text  # follows the but
    said = _replace_phrases(words_of(_CLAUSE_END.split(answer, maxsplit=1)[0]))
    return any(w in _HEDGES or w == _UNSURE_MARK for w in said)


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


@functools.lru_cache(maxsize=2048)
def _candidates(options: tuple[Option, ...], aliases: tuple[tuple[str, tuple[str, ...]], ...]
                ) -> dict[str, str]:
    """Names and their longer words, for near misses ("rinkby" -> "rinkeby")."""
    found: dict[str, str] = {}
    for name, key in _names(options, aliases).items():
        found.setdefault(name, key)
        for word in re.split(r"[\s-]+", name):
            if len(word) >= 4 and squeeze(word) not in _SMALL_WORDS:
                found.setdefault(word, key)
    return found


def _named(text: str, options: Sequence[Option],
           aliases: Mapping[str, Sequence[str]], exclude: set[str | None]) -> set[str]:
    """Options whose own words (label words, aliases) appear in a clause of the reply
    that is not negated: "jag vill ändra tiden" names Ändra; "behöver inte tolk" names
    nothing."""
    clauses = [w for w in (words_of(c) for c in _CLAUSE_END.split(text)) if w]
    found: set[str] = set()
    for clause in clauses:  # "nej den dagen passar inte, ändra": the "not" is of the day
        if any(w in _NEGATIONS for w in clause):
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
    return frozenset(w for w in found if w and w not in _YES | _NO)


# --------------------------------------------------------------------------- names and times

_NAME_LEADS = _phrases(lexicon.NAME_LEADS)
_NAME_TRAILS = _phrases(lexicon.NAME_TRAILS)
_NAME_GREETINGS = _squeezed(lexicon.NAME_GREETINGS)
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
    raw = [w for w in re.split(r"[\s,.!:;]+", _APOSTROPHES.sub("", _without_emoji(text))) if w]
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

# --------------------------------------------------------------------------- another time

_CHANGE_MARK, _WHEN_MARK, _NOT_CHANGE_MARK = "~change", "~when", "~"
_CHANGE = _by_first_word((_phrases(lexicon.NOT_CHANGE), _NOT_CHANGE_MARK),
                         (_phrases(lexicon.CHANGE_PHRASES), _CHANGE_MARK),
                         (_phrases(lexicon.CHANGE_WHEN), _WHEN_MARK))
_REBOOK_IF = _squeezed(lexicon.REBOOK_IF)


@functools.lru_cache(maxsize=16384)
def _change_marks(words: tuple[str, ...]) -> tuple[str, ...]:
    def conditional(phrase: tuple[str, ...], i: int) -> bool:  # "boka om jag hinner"
        return phrase == ("boka", "om") and words[i + 2:i + 3] != () and words[i + 2] in _REBOOK_IF
    return _mark(words, _CHANGE, conditional)


@functools.lru_cache(maxsize=16384)
def wants_change(text: str, more_yes: frozenset[str] = frozenset()) -> bool:
    """Whether a reply asks for another time (lexicon.CHANGE_PHRASES, CHANGE_WHEN):
    "kan inte den tiden", "nej tiden passar inte", "boka om", "tidigare tid?", "har du
    senare?", "nej jag har sfi på förmiddagen kan jag komma efter lunch". A "not" just
    before or after the wish takes it back ("jag vill inte ändra", "ändra inte"), and so
    does a yes after it ("jag kan inte den dagen, ja boka" is left open). A time of day
    or a day ("senare", "efter lunch", "fredag") asks for another time only in a reply
    with no yes in it ("ja boka, om det är på förmiddagen" is not). A question mark does
    not make it unsure: a question asking for another time is clear."""
    yes_words = _YES | more_yes | {_YES_MARK, _OWN_YES}
    strong, weak = False, False
    said: list[str] = []
    for clause in _CLAUSE_END.split(text.replace("?", ",")):
        marked = _change_marks(words_of(clause))
        for i, word in enumerate(marked):
            if word == _CHANGE_MARK:
                near = [*marked[max(0, i - 3):i], *marked[i + 1:i + 2]]
                if not any(w in _NEGATIONS for w in near):
                    strong, said = True, []  # what is said after the last wish decides
                    continue
            weak = weak or word == _WHEN_MARK
            said.append(word)
        said.append(",")
    yes_after = any(w in yes_words for w in _replace_own(tuple(said), more_yes, frozenset()))
    if strong:
        return not yes_after
    if not weak:
        return False
    every = _replace_own(words_of(text), more_yes, frozenset())
    return not any(w in yes_words for w in every)


@functools.lru_cache(maxsize=4096)
def unsure(text: str) -> bool:
    """Whether a reply says the person is not sure or did not understand ("vet inte",
    "förstår inte", "I don't get it"): never a name or a language to store."""
    return _UNSURE_MARK in _replace_phrases(words_of(text))


_VISIT_QUESTIONS = {topic: _phrases(words.replace("\n", "").split("|"))
                    for topic, words in lexicon.VISIT_QUESTIONS.items()}


@functools.lru_cache(maxsize=4096)
def visit_question(text: str | None) -> str | None:
    """What a question about a visit asks ("var ligger det?" -> "where", "vad ska jag ta
    med?" -> "bring", "hur lång tid tar det?" -> "length", "kan min mamma följa med?" ->
    "company"), or None."""
    said = words_of(text or "")
    for topic, phrases in _VISIT_QUESTIONS.items():
        if any(said[i:i + len(p)] == p for p in phrases for i in range(len(said))):
            return topic
    return None
