"""Classifying a free-text answer to the three-month follow-up question "What do you do now?"."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import OSA

from handlers import occupations
from storage.folding import fold_accents

ARBETE = "arbete"
STUDIER = "studier"
PRAKTIK = "praktik"
SOKER_JOBB = "soker-jobb"
ANNAT = "annat"
# Also the order of precedence when an answer names more than one: "jobbar och pluggar"
# is arbete, "praktik och söker jobb" is praktik.
CATEGORIES: tuple[str, ...] = (ARBETE, STUDIER, PRAKTIK, SOKER_JOBB, ANNAT)
EXTENTS: tuple[str, ...] = ("heltid", "deltid")
# The city's cut-off: this many hours a week or more is heltid ("40h"), fewer is deltid.
FULL_TIME_HOURS = 35
# Days a week count as this many hours each: "5 dagar i veckan" is heltid, 1-4 deltid.
WORKDAY_HOURS = 8
# Also the order of precedence: "vikariat med lönebidrag" is med-stod.
EMPLOYMENTS: tuple[str, ...] = (
    "med-stod", "eget-foretag", "provanstallning", "timanstallning", "visstid", "tillsvidare",
)
SCHOOLS: tuple[str, ...] = ("komvux", "sfi", "folkhogskola", "gymnasium", "hogskola", "annat")


@dataclass(frozen=True)
class Outcome:
    """What a person does now; the details are set only where stated and where they apply
    (extent and employment for arbete, school for studier)."""

    category: str
    extent: str | None = None
    employment: str | None = None
    school: str | None = None


# ---------------------------------------------------------------------------------------
# Vocabulary. Words are lower case without accents (söker -> soker). Tags:
#   arbete studier praktik soker annat    the word says this category
#   noun      a word for a job ("jobb", "work"), the object of söker/inget/har inte
#   seek      söker, letar, looking: with a job word it is soker-jobb
#   want      vill, hoppas, want: with a job word it is soker-jobb, with studies nothing yet
#   lack      inget, no, utan: the next job word means having none (soker-jobb)
#   neg       inte, not: the category words around it do not count
#   have      har, have, fått: "har inte jobb" is lacking a job, not "not working"
#   quit      slutat, quit: the category word after it does not count
#   past pastadv now   past tense markers, and "nu" that ends their reach
#   bound     men, och, but: ends a clause; negation does not reach across it
#   pron      jag, I: not a filler between "inget" and "jobb"
#   ext:* emp:* school:*   details
#   fast      "fast" is tillsvidare only before a job word ("fast jobb")
#   weak      only a detail; it says arbete when nothing else says anything
#   idle      doing nothing now ("sitter hemma"): the survey asks whether they look for work
# A word with no tags is known, which keeps fuzzy matching from bending it into another.
# ---------------------------------------------------------------------------------------

_VOCAB: dict[str, frozenset[str]] = {}


def _add(tags: str, words: str) -> None:
    for word in words.split():
        _VOCAB[word] = _VOCAB.get(word, frozenset()) | frozenset(tags.split())


_add("arbete", "jobbar jobba jobbat knegar kneger knega jobbe arbetar arbeta arbetat working works "
     "employed worker employee hired anstalld anstallda nyanstalld jobbarr")
_add("arbete emp:eget-foretag", "egenforetagare foretagare frilans frilansar freelance "
     "freelancer freelancing egetforetag egenfirma ownbusiness selfemployed driverforetag "
     "egenanstalld")
_add("arbete noun", "jobb jobbet jobben arbete arbetet kneg kneget work job jobs "
     "anstallning anstallningen employment tjanst")
_add("seek", "soker soka soker sokte sokt letar leta letat looking searching seeking search "
     "hunting applying ansoker ansokt sokerr")
# Applied and not yet begun ("har sökt till komvux", "sökt jobb, väntar"): a plan.
_add("seek applied", "sokt ansokt applied")
_add("want", "vill hoppas want wants wanna hope hoping behover need needs planning "
     "trying forsoker onskar")
_add("soker", "arbetslos arbetslosa unemployed jobless arbetssokande jobbsokande jobbsok "
     "jobbsokare stamplar stampla akassa af arbetsformedlingen arbetsformedling "
     "rustaochmatcha outofwork betweenjobs "
     "aktivitetsstod jobseeker jobseeking jobhunting")
_add("studier", "pluggar plugga plugg plugget pluggat studerar studera studier studie "
     "studies study studying student studerande studierna skola skolan school utbildning "
     "utbildningen education kurs kursen kurser course courses elev lasertill laservidare "
     "laserpa laserin laserupp studiemedel csn classes")
_add("studier school:komvux", "komvux vux vuxenutbildning vuxenutbildningen vuxenskola "
     "vuxengymnasium adulteducation")
_add("studier school:sfi", "sfi svenskforinvandrare swedishforimmigrants svenskakurs "
     "svenskkurs swedishcourse swedishclasses learningswedish lasersvenska larmigsvenska "
     "studyingswedish")
_add("studier school:folkhogskola", "folkhogskola folkhogskolan folkis folkhighschool")
_add("studier school:gymnasium", "gymnasiet gymnasium gymnasie gymnasieskola gymnasieskolan "
     "highschool introduktionsprogram introduktionsprogrammet sprakintroduktion sprakintro "
     "gymnasiesarskola")
_add("studier school:hogskola", "hogskola hogskolan hogskolor universitet universitetet "
     "uni univ university college kth su ki sodertorn sodertorns handels handelshogskolan "
     "konstfack karolinska chalmers kandidat kandidatprogram master masters bachelor "
     "bachelors phd doktorand")
_add("studier school:annat", "yrkeshogskola yrkeshogskolan yh yrkesutbildning "
     "yrkesutbildningen larlingsutbildning bootcamp")
_add("praktik", "praktik praktiken praktikant praktiserar praktisera praktikplats arbetstraning "
     "arbetsprovning internship intern interning workplacement placement workexperience prao "
     "praktiktik")
_add("annat", "foraldraledig foraldraledighet mammaledig pappaledig tjanstledig ledig "
     "parentalleave maternityleave paternityleave sickleave sjukskriven sjukskrivning sjuk "
     "sick sjukersattning aktivitetsersattning gravid pregnant hemmamed hemmafru housewife "
     "homemaker stayathome pension pensionar pensionerad retired flyttat flyttade moved "
     "utomlands abroad reser travelling traveling militar lumpen varnplikt militaryservice "
     "rehabilitering rehab forsorjningsstod socialbidrag ekonomisktbistand")
# Resting ("chillar", "tar det lugnt"): doing nothing now, asked "söker du jobb?" like
# "hemma"; with something else said it is that ("sjukskriven och vilar" is annat).
_add("home", "chillar chilla chillat chill chilling chillin vilar vila resting tardetlugnt")
_add("arbete", " ".join(occupations.DRIVING))
# Gig and platform work ("kör foodora", "budar", "I deliver for wolt"); "uber" and "bolt"
# only with driving (occupations.PHRASES).
_add("arbete", " ".join(occupations.GIG_WORK))
_add("soker", "skickarcv skickatcv skickaransokningar")
# Work that ended ("fick sparken", "kontraktet gick ut", "I lost my job"): the job words in
# its clause are not work now; asked "söker du jobb?" unless a search is said.
_add("ended", "sparken uppsagd uppsagt fired laidoff lostjob blevavmed sauppmig slut ended "
     "gickut expired ranout")
_add("contract", "kontrakt kontraktet kontraktent contract")
# "ingenting", "nothing much": doing nothing is not yet annat; a careful coach asks first.
_add("idle", "sitterhemma goringet goringenting doingnothing ingenting nothing")
# "hemma" alone is doing nothing now (asked); "hemma med barnen", "sjuk hemma" are annat.
_add("home", "hemma home athome")
# A driving licence is not studies in the city's indicator ("pluggar till körkort"): asked
# "söker du jobb?" like doing nothing, then söker arbete or annat.
_add("idle licence", "korkort korkortet korkortsteori ovningskor ovningskora ovningskorning "
     "trafikskola trafikskolan korskola korskolan teoriprov uppkorning drivinglicense "
     "driverslicense")
_add("weak ext:heltid", "heltid fulltime fulltid")
_add("weak ext:deltid", "deltid halvtid parttime extra")
# Hours, days or a percentage counted against the cut-off ("40h", "3 dagar i veckan"):
# a number, so "typ 40 timmar" still decides, where "typ heltid" does not (see hedge).
_add("weak counted ext:heltid", "heltidraknat")
_add("weak counted ext:deltid", "deltidraknat")
# Only weekends or a few evenings is deltid ("jobbar helger bara", "några kvällar"),
# never work on its own; with weekdays named too ("vardagar och helger") it decides nothing.
_add("ext:deltid weekend", "helger helgerna weekends nagrakvallar ettparkvallar "
     "someevenings fewevenings")
_add("weekday", "vardagar vardag veckodagar weekdays allaveckansdagar")
_add("", "kvallar kvall nagra par evenings few")
# A hedge on heltid or deltid ("typ heltid", "nästan heltid", "heltid ish") leaves the
# extent open: the survey asks about hours instead of storing a guess.
_add("hedge", "typ kanske ungefar nastan ish cirka ca runt maybe almost roughly "
     "approximately about around sorta kinda")
# "varje dag", "alla vardagar": heltid when said of work, never work on its own ("pluggar
# varje dag", "sitter hemma varje dag").
_add("ext:heltid", "allaveckansdagar")
_add("arbete emp:tillsvidare", "tillsvidare tillsvidareanstalld tillsvidareanstallning "
     "fastanstalld fastanstallning permanent")
_add("fast", "fast")
_add("arbete emp:visstid", "visstid visstidsanstalld visstidsanstallning vikariat vikarie "
     "vikarierar vikariera tidsbegransad projektanstalld projektanstallning temporary temp "
     "fixedterm substitute seasonal summerjob sommarjobb feriejobb sasongsjobb")
_add("arbete emp:provanstallning", "provanstallning provanstalld probation probationary "
     "trialperiod")
_add("arbete emp:timanstallning", "timanstallning timanstalld timanstallda timmis timvikarie "
     "timvikarierar behovsanstalld behovsanstallning hourly zerohours pertimme")
_add("arbete emp:med-stod", "lonebidrag nystartsjobb introduktionsjobb anstallningsstod "
     "lonestod extratjanst stockholmsjobb ungdomsanstallning ungdomsanstalld serviceassistent "
     "subventionerad subventionerat subsidised subsidized wagesubsidy samhall instegsjobb "
     "trygghetsanstallning medstod skyddatarbete lonebidragsanstalld osa osaanstallning "
     "osaanstalld")
_add("neg", "inte ej icke not never aldrig int dont doesnt didnt isnt arent aint wasnt "
     "cant wont nope")
_add("neg have", "havent hasnt")
_add("lack", "inget ingen inga no without")
_add("lack bound", "utan")
_add("have", "har have has got fatt hittat found fick hitta find getting get")
_add("quit", "slutat slutade quit quitted stopped left lamnat avslutat")
_add("past", "hade had was were var used forra")
_add("past pastadv", "tidigare forut innan previously formerly")
# Past forms of work and study: the category words right after them are past too
# ("jobbade som vikarie", "pluggade på komvux"); alone they are not work now (asked).
_add("past pastverb:arbete", "jobbade arbetade knegade worked")
_add("past pastverb:studier", "pluggade studerade studied")
# Perfect forms: "har jobbat i 2 månader" is work now, unless "men nu …" says otherwise.
_add("perfect", "jobbat arbetat pluggat haft")
_add("perfect arbete", "knegat")
_add("perfect studier", "studerat")
_add("now", "nu now numera currently idag today justnu")
# Future and waiting: what the clause names is not what the person does now ("ska börja
# jobba i januari", "väntar på besked från ett jobb", "will start studying").
_add("future", "ska skall kommer borja borjar snart nasta vantar invantar besked will "
     "gonna soon next waiting awaiting starting begin beginning planerar")
_add("bound", "men but och o and samt plus medan while eftersom because | sen sedan then "
     "eller or")
_add("pron", "jag ja i im me my mig du han hon vi de dom am is are e ar")
# Known words that are not what they look like (praktisk is not praktik).
_add("", "jobbade arbetade pluggade studerade worked studied laser praktisk praktiskt studio "
     "words sover later lever leder till vidare pa in upp svenska swedish time leave home "
     "with for of out off call by the a an full part high folk experience adult business "
     "self own eget egen firma foretag driver stay at laid lost between rusta matcha trial "
     "period fixed term zero hours wage subsidy per timme military service parental maternity "
     "paternity ekonomiskt bistand skyddat med stod learning studying larmig lar kassa "
     "nagot nagon nat ett en annat speciellt sarskilt alls direkt just typ mest bara hej "
     "tack vet nej ok okej jobbtorg lager butik kola forskola forskolan maste mellan will "
     "whole rent tror kanske som hos vid summer immigrants invandrare "
     "classes course lessons mycket ocksa aven borjat park parken parker parkerna")

# Occupations people in the target group name ("jag är undersköterska", "I'm a cleaner"):
# work when said of now, with nothing else in the clause ("pluggar till undersköterska" is
# studier, "praktik som städare" praktik); a wish or a plan ("vill bli", "ska bli", "I want
# to be a nurse") is only later (the survey asks whether they look for work).
_add("occ", " ".join(occupations.OCCUPATIONS))
_add("arbete emp:visstid", " ".join(occupations.STAND_IN_OCCUPATIONS))
_add("become", "bli blir become becoming be")
_add("", "son sonen dotter dottern barn barnen bebis bebisen kids")  # "soon" is not "son"
_add("toward", "till to")
# An occupation trained for or held before is not work now ("utbildad undersköterska",
# "undersköterska i grunden", "jobbade som städare").
_add("trained", "utbildad utbildade grunden trained qualified examen examinerad jobbade "
     "arbetade worked")
# "söker nytt jobb": seeking another job while working.
_add("", "nytt nya another new battre better")

# Several words that mean one thing. Longest match wins ("folk high school" before
# "high school").
_PHRASES: dict[tuple[str, ...], str] = {
    tuple(k.split()): v
    for k, v in {
        "eget foretag": "egetforetag", "egen firma": "egenfirma",
        "egen foretagare": "egenforetagare", "own business": "ownbusiness",
        "self employed": "selfemployed", "driver foretag": "driverforetag",
        "driver eget foretag": "driverforetag", "driver eget": "driverforetag",
        "a kassa": "akassa",
        "rusta och matcha": "rustaochmatcha", "fick sparken": "sparken",
        "blev uppsagd": "uppsagd", "laid off": "laidoff",
        "blev av med": "blevavmed", "blivit av med": "blevavmed", "sa upp mig": "sauppmig",
        "sade upp mig": "sauppmig", "sagt upp mig": "sauppmig", "gick ut": "gickut",
        "ran out": "ranout", "was fired": "fired", "got fired": "fired", "out of work": "outofwork",
        "out of a job": "outofwork", "out of job": "outofwork", "between jobs": "betweenjobs",
        "lost my job": "lostjob", "lost job": "lostjob", "lost the job": "lostjob",
        "lost my work": "lostjob", "job seeker": "jobseeker", "job seeking": "jobseeking",
        "job hunting": "jobhunting", "job search": "jobseeking",
        "job searching": "jobseeking", "laser till": "lasertill",
        "laser vidare": "laservidare", "laser pa": "laserpa", "laser in": "laserin",
        "laser upp": "laserupp", "laser svenska": "lasersvenska",
        "lar mig svenska": "larmigsvenska", "svenska for invandrare": "svenskforinvandrare",
        "swedish for immigrants": "swedishforimmigrants", "swedish course": "swedishcourse",
        "swedish classes": "swedishclasses", "swedish lessons": "swedishclasses",
        "learning swedish": "learningswedish", "studying swedish": "studyingswedish",
        "adult education": "adulteducation", "folk high school": "folkhighschool",
        "high school": "highschool", "work placement": "workplacement",
        "work experience": "workexperience", "parental leave": "parentalleave",
        "maternity leave": "maternityleave", "paternity leave": "paternityleave",
        "sick leave": "sickleave", "stay at home": "stayathome",
        "military service": "militaryservice", "ekonomiskt bistand": "ekonomisktbistand",
        "full time": "fulltime", "part time": "parttime", "full tid": "fulltid",
        "hel tid": "heltid", "del tid": "deltid", "halv tid": "halvtid", "fixed term": "fixedterm",
        "trial period": "trialperiod", "zero hours": "zerohours", "per timme": "pertimme",
        "wage subsidy": "wagesubsidy", "med stod": "medstod",
        "skyddat arbete": "skyddatarbete", "summer job": "summerjob", "just nu": "justnu",
        "sitter hemma": "sitterhemma", "sitter bara hemma": "sitterhemma",
        "gor inget": "goringet", "gor ingenting": "goringenting",
        "doing nothing": "doingnothing", "skickar cv": "skickarcv", "skickar ut cv": "skickarcv",
        "skickat cv": "skickatcv", "har skickat cv": "skickatcv",
        "skickar ansokningar": "skickaransokningar",
        "i dag": "idag", "hemma med": "hemmamed",
        "at home": "athome", "chillar hemma": "sitterhemma", "vilar hemma": "sitterhemma",
        "chillar bara hemma": "sitterhemma", "pluggar till korkort": "korkort", "pluggar korkort": "korkort",
        "plugga till korkort": "korkort", "pluggar for korkort": "korkort",
        "laser till korkort": "korkort", "laser korkort": "korkort",
        "studerar till korkort": "korkort", "studerar for korkort": "korkort",
        "tar korkort": "korkort", "pluggar teori": "korkort",
        "driving license": "drivinglicense", "driving licence": "drivinglicense",
        "drivers license": "driverslicense", "driving school": "trafikskola",
        "tar det lugnt": "tardetlugnt", "tar de lugnt": "tardetlugnt",
        "offentligt skyddad anstallning": "osaanstallning",
        "nagra kvallar": "nagrakvallar", "ett par kvallar": "ettparkvallar",
        "par kvallar": "ettparkvallar", "some evenings": "someevenings",
        "a few evenings": "fewevenings", "few evenings": "fewevenings",
        "on weekends": "weekends",
    }.items()
}
_PHRASES.update({tuple(k.split()): v for k, v in occupations.PHRASES.items()})
_MAX_PHRASE = max(len(k) for k in _PHRASES)

# Swedish compounds: a known head with a prefix ("heltidsjobb", "lagerjobb", "fastanställd").
_PREFIXES: dict[str, str] = {
    "heltid": "heltid", "deltid": "deltid", "halvtid": "halvtid", "extra": "extra",
    "sommar": "sommarjobb", "ferie": "feriejobb", "sasong": "sasongsjobb", "vikariat": "vikariat",
    "visstid": "visstid", "projekt": "visstid", "tim": "timanstallning",
    "behov": "timanstallning", "prov": "provanstallning", "fast": "tillsvidare",
    "tillsvidare": "tillsvidare", "nystart": "medstod", "introduktion": "medstod",
    "stockholm": "medstod", "stokholm": "medstod", "ungdom": "medstod",
    "insteg": "medstod", "lonebidrag": "medstod",
    "trygghet": "medstod", "vuxen": "komvux", "komvux": "komvux", "svenska": "sfi",
    "svensk": "sfi", "sfi": "sfi", "gymnasie": "gymnasium", "yrkes": "yrkesutbildning",
    "folkhog": "folkhogskola", "hog": "hogskola", "universitet": "universitet",
    "foraldra": "foraldraledig", "mamma": "mammaledig", "pappa": "pappaledig",
}
# Heads that take any prefix ("lagerjobb" is a job), and heads that need a known one
# ("grupparbete" is school work, not a job).
_HEADS_ANY = ("anstallningen", "anstallning", "utbildningen", "utbildning", "anstalld",
              "praktik", "studier", "jobbar", "jobbet", "kursen", "jobba", "jobb", "kurs")
_HEADS_KNOWN = ("arbetet", "tjansten", "arbete", "skolan", "tjanst", "skola", "ledig", "job")

_FUZZY_WORDS: dict[str, list[str]] = {}


def _skeleton(word: str) -> str:
    """A spelling-insensitive key: komvuks ~ komvux, jobar ~ jobbar, studerrar ~ studerar."""
    word = word.replace("x", "ks").replace("ck", "k").replace("ph", "f").replace("z", "s")
    word = word.replace("c", "k").replace("w", "v")
    return re.sub(r"(.)\1+", r"\1", word)


for _word in _VOCAB:
    if "|" not in _word:
        _FUZZY_WORDS.setdefault(_skeleton(_word), []).append(_word)
_FUZZY_KEYS = [k for k in _FUZZY_WORDS if len(k) >= 5]

_PERCENT = re.compile(r"(\d{1,3})\s*(?:%|procent|percent)")
_HOURS = re.compile(r"\b(\d{1,2})\s*(?:h|t|tim|timmar|timme|hours?|hrs?)\b"
                    r"(?:\s*(?:i|per|a|om|/|in|a)?\s*(?:veckan|vecka|v|week|w|wk)\b)?")
_DAYS = ("mandag|måndag|man|mån|mon|monday", "tisdag|tis|tue|tuesday",
         "onsdag|ons|wed|wednesday", "torsdag|tors|tor|thu|thursday", "fredag|fre|fri|friday",
         "lordag|lördag|lor|lör|sat|saturday", "sondag|söndag|son|sön|sun|sunday")
_DAY_OF = {name: i for i, names in enumerate(_DAYS) for name in names.split("|")}
_DAY = "(" + "|".join(sorted(_DAY_OF, key=len, reverse=True)) + ")"
# "måndag till fredag 8-17": a working week, its hours counted (5 x 9 h is heltid).
_WEEK = re.compile(rf"\b{_DAY}\s*(?:till|to|-|–)\s*{_DAY}\b[\s,]*(?:kl\.?|klockan|från|fran|"
                   r"from|mellan|between)?\s*(\d{1,2})(?:[:.](\d{2}))?\s*(?:-|–|till|to|och|and)"
                   r"\s*(\d{1,2})(?:[:.](\d{2}))?\b")


_NUMBER_WORDS = {"en": 1, "ett": 1, "one": 1, "två": 2, "tva": 2, "two": 2, "tre": 3,
                 "three": 3, "fyra": 4, "four": 4, "fem": 5, "five": 5, "sex": 6, "six": 6,
                 "sju": 7, "seven": 7}
_DAYS_A_WEEK = re.compile(r"\b([1-7]|" + "|".join(_NUMBER_WORDS) + r")\s*(?:dagar|dag|dgr|days?)"
                          r"\s*(?:i|per|a|om|/|in)?\s*(?:veckan|vecka|v|week|w|wk)\b")
# "måndag till fredag" with no hours: the days count (WORKDAY_HOURS each).
_DAY_RANGE = re.compile(rf"\b{_DAY}\s*(?:till|to|-|–)\s*{_DAY}\b")
_EVERY_WEEKDAY = re.compile(r"\b(?:varje|alla)\s+(?:dag|dagar|vardag|vardagar|veckodag|veckodagar)"
                            r"\b|\bevery\s*(?:day|weekday)\b|\b(?:all|on)\s+weekdays\b")


def _days_extent(days: int) -> str:
    return " heltidraknat " if days * WORKDAY_HOURS >= FULL_TIME_HOURS else " deltidraknat "


def _days_a_week(match: re.Match[str]) -> str:
    count = match.group(1)
    return _days_extent(int(count) if count.isdigit() else _NUMBER_WORDS[count])


def _day_range(match: re.Match[str]) -> str:
    first, last = match.groups()
    return _days_extent((_DAY_OF[last] - _DAY_OF[first]) % 7 + 1)


def _week_hours(match: re.Match[str]) -> str:
    first, last, start, start_min, end, end_min = match.groups()
    days = (_DAY_OF[last] - _DAY_OF[first]) % 7 + 1
    daily = int(end) + int(end_min or 0) / 60 - int(start) - int(start_min or 0) / 60
    if not 0 < daily <= 16:
        return match.group(0)
    return " heltidraknat " if days * daily >= FULL_TIME_HOURS else " deltidraknat "


_CONTRACTION = re.compile(r"n['’]t\b")
_PUNCT = re.compile(r"[,.;:!?()\n\r]+")
_NOT_WORD = re.compile(r"[^a-z0-9|]+")


def _fold(text: str) -> str:
    """Lower case, no accents, sentence punctuation as "|", other marks as spaces."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = _WEEK.sub(_week_hours, text)
    text = _DAY_RANGE.sub(_day_range, text)
    text = _DAYS_A_WEEK.sub(_days_a_week, text)
    text = _EVERY_WEEKDAY.sub(" allaveckansdagar ", text)
    text = _PERCENT.sub(lambda m: " heltidraknat " if int(m.group(1)) >= 100
                        else " deltidraknat ", text)
    text = _HOURS.sub(lambda m: " heltidraknat " if int(m.group(1)) >= FULL_TIME_HOURS
                      else " deltidraknat ", text)
    text = _CONTRACTION.sub(" not", text)
    text = text.replace("i'm", "i am").replace("i’m", "i am")
    text = _PUNCT.sub(" | ", text)
    text = text.replace("ø", "o").replace("æ", "ae")
    text = fold_accents(text)
    return " ".join(_NOT_WORD.sub(" ", text).split())


def _compound(token: str) -> list[str] | None:
    for head in _HEADS_ANY + _HEADS_KNOWN:
        if token.endswith(head) and len(token) - len(head) >= 2:
            prefix = token[: -len(head)]
            known = _PREFIXES.get(prefix) or (
                _PREFIXES.get(prefix[:-1]) if prefix.endswith("s") else None
            )
            if known is not None:
                return [known, head]
            if head in _HEADS_ANY:
                return [head]
    return None


def _fuzzy(token: str) -> str | None:
    key = _skeleton(token)
    if key in _FUZZY_WORDS:
        return _FUZZY_WORDS[key][0]
    if len(key) < 4:
        return None
    limit = 2 if len(key) >= 9 else 1
    # A four-letter token may only be a longer word with a letter missing ("jobr").
    keys = _FUZZY_KEYS if len(key) >= 5 else [k for k in _FUZZY_KEYS if len(k) == 5]
    found = process.extract(key, keys, scorer=OSA.distance, score_cutoff=limit, limit=None)
    if not found:
        return None
    best = min(score for _, score, _ in found)
    words = {w for k, score, _ in found if score == best for w in _FUZZY_WORDS[k]}
    if len({_VOCAB[w] for w in words}) != 1:
        return None  # heltis is near heltid only; deltd is as near heltid as deltid? ask again
    return sorted(words)[0]


def _canonical(token: str) -> list[str]:
    """The vocabulary words a typed token stands for (itself when unknown)."""
    if token in _VOCAB or token.isdigit():
        return [token]
    parts = _compound(token)
    if parts is not None:
        return parts
    near = _fuzzy(token)
    return [near] if near is not None else [token]


def _merge_phrases(words: list[str]) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(words):
        for size in range(min(_MAX_PHRASE, len(words) - i), 1, -1):
            joined = _PHRASES.get(tuple(words[i : i + size]))
            if joined is not None:
                out.append(joined)
                i += size
                break
        else:
            out.append(words[i])
            i += 1
    return out


_AND = frozenset({"och", "o", "and", "eller", "or", "samt", "plus"})
_ARTICLES = frozenset({"a", "an", "en", "ett", "nagon", "nagot"})
_SOUGHT_NOUNS = frozenset({"praktik", "praktiken", "praktikplats", "internship", "placement",
                           "workplacement", "arbetstraning", "utbildning", "utbildningen",
                           "kurs", "kurser", "course", "courses"})
_CATEGORY_TAGS = {ARBETE: ARBETE, STUDIER: STUDIER, PRAKTIK: PRAKTIK, "soker": SOKER_JOBB,
                  ANNAT: ANNAT}
_WORKISH = frozenset({"noun", ARBETE, "weak"})
_OCCUPATION_BLOCKERS = frozenset(_CATEGORY_TAGS) | {"seek", "noun", "idle", "trained"}
# What a clause says about work or studies: set aside when that clause says it ended.
_STATED = frozenset(_CATEGORY_TAGS) | _WORKISH
_ENDABLE = _STATED | {"contract", "pastverb:arbete", "pastverb:studier", "occ"}
# After "men nu", "but now": a new answer ("har jobbat men nu pluggar jag").
_ANSWERS_NOW = _STATED | {"seek", "want", "lack", "idle", "home"}
_CONTRAST = frozenset({"men", "but", "|"})


class _Reader:
    """The tagged words of one answer and the small grammar over them."""

    def __init__(self, words: list[str]) -> None:
        self.words = words
        self.tags = [_VOCAB.get(w, frozenset()) for w in words]
        self.clause: list[int] = []
        clause = 0
        for i, tags in enumerate(self.tags):
            if "bound" in tags and not ("lack" in tags and self._has(i + 1, _WORKISH)):
                clause += 1
            self.clause.append(clause)
        self.consumed: set[int] = set()
        self.later: list[tuple[int, str]] = []  # categories named for the future
        self.idle = False  # "inget just nu", "sitter hemma": nothing now
        self.home = False  # "hemma": nothing now, unless something else is said
        self.ended: list[str] = []  # what ended or was only before ("fick sparken": arbete)

    def _has(self, j: int, wanted: Iterable[str]) -> bool:
        return 0 <= j < len(self.tags) and not self.tags[j].isdisjoint(wanted)

    def _near(self, i: int, back: int, ahead: int, wanted: Iterable[str]) -> list[int]:
        """Indices within reach of i, in i's clause, with one of the wanted tags."""
        wanted = frozenset(wanted)
        return [
            j for j in range(max(0, i - back), min(len(self.words), i + ahead + 1))
            if j != i and self.clause[j] == self.clause[i] and not self.tags[j].isdisjoint(wanted)
        ]

    def _lacking(self, i: int) -> bool:
        """Whether "inget"/"no"/"utan" stands right before word i (one filler allowed)."""
        def lack(j: int) -> bool:  # "utan" lacks only before a job word, read earlier
            return self._has(j, {"lack"}) and "bound" not in self.tags[j]

        filler = i - 1
        return lack(i - 1) or (lack(i - 2) and not self._has(filler, {"pron", "bound"})
                               and not self._has(filler, _CATEGORY_TAGS))

    def negated(self, i: int) -> bool:
        if self._near(i, 3, 2, {"neg"}) or self._near(i, 3, 0, {"quit"}):
            return True
        return self._lacking(i)

    def past(self, i: int) -> bool:
        for j in self._near(i, 3, 0, {"past"}) + self._near(i, 0, 2, {"pastadv"}):
            lo, hi = min(i, j), max(i, j)
            if not any("now" in self.tags[k] for k in range(lo + 1, hi)):
                return True
        return False

    def future(self, i: int) -> bool:
        """Whether word i's clause is about the future or waiting ("ska börja jobba")."""
        return any("future" in self.tags[j] for j in range(len(self.tags))
                   if self.clause[j] == self.clause[i])

    def _target(self, i: int, wanted: frozenset[str], ahead: int = 4) -> int | None:
        for j in self._near(i, 0, ahead, wanted):
            if j > i and j not in self.consumed:
                return j
        return None

    def _all(self, i: int, j: int, wanted: frozenset[str]) -> list[int]:
        """The words like j that follow it straight on, as in "söker heltid jobb"."""
        out: list[int] = []
        k = max(i, j) + 1
        while k < len(self.tags) and self.clause[k] == self.clause[i] and (
                not self.tags[k].isdisjoint(wanted)) and k <= i + 4:
            out.append(k)
            k += 1
        return out

    def _endable(self, j: int) -> bool:
        return not self.tags[j].isdisjoint(_ENDABLE) or any(
            t.startswith("emp:") for t in self.tags[j])

    def _ended_category(self, words: Iterable[int]) -> str:
        """Studier when what ended was studies ("pluggade på komvux men slutade")."""
        for j in sorted(words, reverse=True):
            if self.tags[j] & {STUDIER, "pastverb:studier"}:
                return STUDIER
            if self.tags[j] & {ARBETE, "noun", "contract", "pastverb:arbete"}:
                return ARBETE
        return ARBETE

    def _set_aside_what_is_not_now(self) -> None:
        """Work that ended ("blev av med jobbet", "kontraktet gick ut", "I quit") and work
        held before "men nu …" ("har jobbat men nu pluggar jag") are not what they do now:
        their words are set aside, and what ended is kept for the "söker du jobb?" question."""
        n = len(self.words)
        for i, tags in enumerate(self.tags):
            if "ended" in tags or ("quit" in tags and not self._near(i, 0, 3, _STATED)):
                clause = [j for j in range(n) if self.clause[j] == self.clause[i]]
                words = [j for j in clause if self._endable(j)]
                self.consumed |= set(words)
                self.ended.append(self._ended_category(words or range(i)))
            elif "now" in tags and i > 0 and self._held_before(i) and any(
                    self._has(j, _ANSWERS_NOW) for j in range(i + 1, n)):
                before = {self.clause[j] for j in range(i) if "perfect" in self.tags[j]}
                self.consumed |= {j for j in range(i) if self.clause[j] in before
                                  and self._endable(j)}

    def _held_before(self, i: int) -> bool:
        """Whether the "nu" at i turns from what was before to what is now: after a contrast
        ("har jobbat men nu …", "…, nu …"), or right after work held before in its own
        clause with no contrast ("har jobbat som städare nu söker jobb")."""
        return self.words[i - 1] in _CONTRAST or any(
            "perfect" in self.tags[j] for j in range(i) if self.clause[j] == self.clause[i])

    def signals(self) -> list[tuple[int, str]]:
        """(index, category) for each category the answer states, in order."""
        found: list[tuple[int, str]] = []
        self._set_aside_what_is_not_now()
        seekable = frozenset({"noun", ARBETE, "weak", PRAKTIK, STUDIER})
        for i, tags in enumerate(self.tags):
            if i in self.consumed:
                continue
            if "seek" in tags:
                j = self._target(i, seekable)
                if j is None and self._has(i - 1, {"noun"}) and i - 1 not in self.consumed:
                    j = i - 1  # "job hunting"
                if j is None:  # "söker fortfarande", "still looking": for a job, here
                    if not self.negated(i) and not self.past(i) and not self.future(i):
                        found.append((i, SOKER_JOBB))
                    continue
                self.consumed |= {i, j, *self._all(i, j, seekable), *self._also_sought(j)}
                if "applied" in tags and not self.negated(i) and (
                        self.tags[j].isdisjoint(_WORKISH) or any("future" in t for t in self.tags)):
                    applied_to = _first([c for t, c in _CATEGORY_TAGS.items()
                                         if t in self.tags[j]], CATEGORIES)
                    self.later.append((j, applied_to or ARBETE))  # "har sökt till komvux"
                    continue
                if not self.negated(i) and not self.past(i) and not self.future(i) and (
                        not self.tags[j].isdisjoint(_WORKISH | {PRAKTIK})):
                    found.append((i, SOKER_JOBB))
            elif "want" in tags:
                wanted = frozenset(_CATEGORY_TAGS) | _WORKISH
                j = self._target(i, wanted)
                if j is None:
                    continue
                self.consumed |= {i, j, *self._all(i, j, wanted)}
                if not self.negated(i) and not self.tags[j].isdisjoint(_WORKISH):
                    found.append((i, SOKER_JOBB))
            elif "lack" in tags:
                if "bound" in tags and not self._has(i + 1, _WORKISH):
                    continue  # "jobbar inte utan pluggar": utan is "but rather"
                j = self._target(i, frozenset(_CATEGORY_TAGS) | _WORKISH, ahead=2)
                if j is not None and (j == i + 1 or not self._has(i + 1, {"pron", "bound"})):
                    self.consumed |= {i, j}
                    if not self.tags[j].isdisjoint(_WORKISH):
                        found.append((i, SOKER_JOBB))
                elif self.words[i] in ("inget", "ingen") and (
                    i + 1 == len(self.words) or self._has(i + 1, {"now", "bound"})
                    or self.words[i + 1] in ("speciellt", "sarskilt", "alls", "direkt")
                ):
                    self.idle = True  # "inget just nu": nothing now (asked: söker du jobb?)
        # "har inte (fått) jobb", "I don't have a job": lacking a job, not "not working".
        for j, tags in enumerate(self.tags):
            if j in self.consumed or "noun" not in tags:
                continue
            if self._near(j, 3, 0, {"neg"}) and self._near(j, 4, 0, {"have"}):
                self.consumed.add(j)
                if not self.past(j) and not self.future(j):
                    found.append((j, SOKER_JOBB))
        self._occupations(found)
        for i, tags in enumerate(self.tags):
            if "idle" in tags and not self.negated(i):
                self.idle = True
            if "home" in tags and not self.negated(i):
                self.home = True
            if i in self.consumed or self.negated(i) or self.past(i):
                continue
            for tag, category in _CATEGORY_TAGS.items():
                if tag in tags and not (category == STUDIER and self._licence(i, tags)):
                    (self.later if self.future(i) else found).append((i, category))
        return found

    def _licence(self, i: int, tags: frozenset[str]) -> bool:
        """Studying for a driving licence ("studying for my driving license"), not studies."""
        return not any(t.startswith("school:") for t in tags) and any(
            "licence" in self.tags[j] for j in range(len(self.tags))
            if self.clause[j] == self.clause[i])

    def _occupations(self, found: list[tuple[int, str]]) -> None:
        """"jag är undersköterska", "I'm a cleaner": work, when nothing else in the clause
        says what it is; "vill bli undersköterska" is only later."""
        seeking = any(c == SOKER_JOBB for _, c in found) or any("soker" in t for t in self.tags)
        if seeking and not {"nytt", "nya", "another", "new", "battre", "better"} & set(self.words):
            return  # "undersköterska men arbetslös", "undersköterska, söker jobb": seeking
        for i, tags in enumerate(self.tags):
            if "occ" not in tags or i in self.consumed or self.negated(i) or self.past(i):
                continue
            clause = [j for j in range(len(self.tags)) if self.clause[j] == self.clause[i]]
            if any(not self.tags[j].isdisjoint(_OCCUPATION_BLOCKERS) for j in clause):
                continue  # "praktik som städare", "söker jobb som kock": said already
            if self.future(i) or any(self._has(j, {"want"}) for j in clause):
                self.later.append((i, ARBETE))  # "vill bli undersköterska", "I want to be"
            elif self._near(i, 3, 0, {"toward"}):
                continue  # "utbildar mig till undersköterska", "training to be a nurse"
            elif any(self._has(j, {"become"}) for j in clause):
                self.later.append((i, ARBETE))  # "drömmer om att bli elektriker"
            else:
                found.append((i, ARBETE))

    def _also_sought(self, j: int) -> list[int]:
        """Nouns joined to what is sought: "söker jobb och praktik" seeks both."""
        out: list[int] = []
        k = j + 1
        while k + 1 < len(self.words) and self.words[k] in _AND:
            n = k + 2 if self.words[k + 1] in _ARTICLES else k + 1  # "or an internship"
            if n >= len(self.words) or not (
                    self.words[n] in _SOUGHT_NOUNS or "noun" in self.tags[n]):
                break
            out += list(range(k, n + 1))
            k = n + 1
        return out

    def denied(self) -> list[str]:
        """The categories the answer says the person does not do ("jobbar inte"); not
        "jobbar inte fast", which denies only a kind of work."""
        if any("fast" in tags or any(t[:4] in ("emp:", "ext:") for t in tags)
               for tags in self.tags):
            return []
        return [category for i, tags in enumerate(self.tags) if self.negated(i)
                for tag, category in _CATEGORY_TAGS.items()
                if tag in tags and category in (ARBETE, STUDIER, PRAKTIK)]

    def details(self, prefix: str) -> list[str]:
        """The values of one kind of detail ("ext:", "emp:", "school:") stated and not denied."""
        values: list[str] = []
        for i, tags in enumerate(self.tags):
            if i in self.consumed or self.negated(i) or self.past(i) or self.future(i):
                continue
            if prefix == "emp:" and "fast" in tags and self._target(i, frozenset({ARBETE}), 2):
                values.append("tillsvidare")
            if prefix == "ext:" and not self._extent_stated(i, tags):
                continue
            values += [t[len(prefix):] for t in tags if t.startswith(prefix)]
        return values

    def _extent_stated(self, i: int, tags: frozenset[str]) -> bool:
        """Whether the extent word at i says heltid or deltid: not when hedged ("typ
        heltid", "heltid ish"; a counted number of hours still decides), and weekends not
        when weekdays are named too."""
        if "counted" not in tags and self._near(i, 2, 1, {"hedge"}):
            return False
        return "weekend" not in tags or not any("weekday" in t for t in self.tags)

    def weak(self) -> bool:
        return any(
            "weak" in tags and i not in self.consumed and not self.negated(i)
            and not self.future(i) for i, tags in enumerate(self.tags)
        )


def _first(values: list[str], order: tuple[str, ...]) -> str | None:
    for value in order:
        if value in values:
            return value
    return None


@dataclass(frozen=True)
class StatusReading:
    """All an answer to "what do you do now?" says: the outcome now (None when unclear),
    a second thing done now ("jobbar och pluggar": studier), what is only planned or
    awaited ("ska börja jobba i januari": arbete), and what is denied ("jobbar inte")."""

    outcome: Outcome | None
    also: str | None = None
    later: str | None = None
    denied: tuple[str, ...] = ()
    idle: bool = False  # "inget just nu, sitter hemma"

    @property
    def not_now(self) -> bool:
        """Nothing done now, or something planned, awaited or denied: ask whether they
        look for work."""
        return self.outcome is None and (self.later is not None or bool(self.denied)
                                         or self.idle)


@functools.lru_cache(maxsize=4096)
def read_status(text: str | None) -> StatusReading:
    """What the person does now, from a free-text answer (see `parse_outcome`), with the
    other parts of a mixed answer kept."""
    if not text:
        return StatusReading(None)
    words: list[str] = []
    for token in _fold(text).split():
        words += _canonical(token)
    reader = _Reader(_merge_phrases(words))
    signals = reader.signals()
    categories = [c for _, c in signals]
    later = _first([c for _, c in reader.later], CATEGORIES)
    category = _first(categories, CATEGORIES)
    ended: list[str] = []
    if category is None and not reader.idle:  # "fick sparken", "jobbade i somras": asked
        ended = reader.ended + [t.split(":")[1] for tags in reader.tags for t in tags
                                if t.startswith("pastverb:")]
    denied = tuple(dict.fromkeys(reader.denied() + ended))
    if category is None and reader.weak() and not (reader.idle or reader.home):
        category = ARBETE  # "heltid", "deltid 50%"
    if category is None and reader.home:
        reader.idle = True  # "hemma", "bara hemma"; "sjuk hemma" is annat
    if category is None or (reader.idle and category == ANNAT):
        return StatusReading(None, later=later, denied=denied, idle=reader.idle)
    # The second part of a mixed answer is said in a clause of its own ("jobbar och
    # pluggar"); in the same clause it is mostly a place ("vikarie på en skola").
    main = {reader.clause[i] for i, c in signals if c == category}
    also = _first([c for i, c in signals if c != category and reader.clause[i] not in main],
                  CATEGORIES)
    if category == ARBETE:
        extents = reader.details("ext:")
        extent = extents[0] if len(set(extents)) == 1 else None
        outcome = Outcome(ARBETE, extent=extent,
                          employment=_first(reader.details("emp:"), EMPLOYMENTS))
    elif category == STUDIER:
        schools = reader.details("school:")
        specific = [s for s in schools if s != "annat"]
        school = _first(specific, SCHOOLS) if specific else ("annat" if schools else None)
        outcome = Outcome(STUDIER, school=school)
    else:
        outcome = Outcome(category)
    return StatusReading(outcome, also=also, later=later, denied=denied)


@functools.lru_cache(maxsize=4096)
def extent_of(text: str | None) -> str | None:
    """Heltid or deltid, when an answer at the heltid/deltid question says one and only
    one ("3 dagar i veckan", "varje dag", "75 %"); None otherwise."""
    if not text:
        return None
    words: list[str] = []
    for token in _fold(text).split():
        words += _canonical(token)
    reader = _Reader(_merge_phrases(words))
    reader.signals()
    extents = set(reader.details("ext:"))
    return extents.pop() if len(extents) == 1 else None


def parse_outcome(text: str | None) -> Outcome | None:
    """What the person does now, from a free-text answer; None when it is not clear.

    Swedish or English, any case, with or without åäö, typos and SMS style ("ja jobar",
    "pluggar på komvuks"). Categories: arbete, studier, praktik, soker-jobb, annat; when
    several are named the first in that order wins. "söker jobb", "arbetslös", "har inget
    jobb", "har inte fått jobb", "vill jobba" are soker-jobb. A negated activity ("jobbar
    inte", "not working", "slutat plugga"), a past one ("jobbade förut") or a future or
    awaited one ("ska börja jobba", "väntar på besked från ett jobb") counts for nothing,
    so a bare "jobbar inte" is None. Details are filled only when stated: extent (hours a
    week decide it: FULL_TIME_HOURS) and employment for arbete, school for studier.
    """
    return read_status(text).outcome
