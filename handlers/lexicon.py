"""The words people use for yes, no, not sure and going back, in Swedish and English.

Written as people really type them: short forms, slang, typos, without å/ä/ö. Entries are
compared after folding (lower case, no accents, no punctuation) and squeezing repeated
letters ("jaaa" -> "ja", "neej" -> "nej"), see handlers/reply_words.py, so each word is
listed once in its plain spelling. A word belongs to one list only; a test checks that.
"""

from __future__ import annotations

# Words that say yes on their own: "ja", "visst", "okej", "sure".
YES_WORDS = """
ja jo japp jap jepp jep jes jajamen jajamensan jaja jada javisst visst absolut
sjalvklart sjalvklar saklart klart garna okej ok okey oki okay okie okidoki oke okei okej k
kk jadu ajo jatack yh jao
yes yeah yea yeh ye yep yup ya yah yas yess yass sure agree agreed accept accepted
absolutely certainly definitely definitivt correct exactly precis korrekt stammer
godkanner godkant godkand godkanns samtycker accepterar bra fint fine alright kor lugnt
toppen perfekt perfect great good super utmarkt najs nice cool coolt kanon jattebra
passar funkar works right
""".split()

# Words that say no on their own: "nej", "nä", "nope".
NO_WORDS = """
nej na nae ne neh nehej nee nope no nah nay nix aldrig never icke nejtack
""".split()

# Words that turn what follows or precedes into a no: "inte okej", "don't agree".
NEGATIONS = """
inte int ej not dont doesnt didnt wont cant cannot isnt arent ingen inget inga
utan without
""".split()

# Words that mean the person is not sure or asks something back.
UNSURE_WORDS = """
kanske maybe perhaps nja osaker unsure hm eh oj va vad varfor hur vem vilka vilken what
why how who which idk dunno possibly mojligen lol lmao sarkasm
""".split()

# Hedges: said of the answer, it is not settled ("lite grann kanske", "ja typ", "maybe a
# little"): asked again, never stored. Only in the clause that gives the answer; after a
# clear answer and a comma a "typ" is about something else ("ja tack, jag har typ tre frågor").
HEDGES = frozenset("""kanske maybe perhaps possibly mojligen typ nja osaker unsure""".split())

# A condition leaves the answer open ("ja boka, om det är på förmiddagen", "yes if it's
# before 12"). "om" is a condition except after a verb it belongs to ("boka om", "ta bort
# allt om mig") or before a pronoun it is about ("om mig").
CONDITIONS = frozenset("""if ifall unless savida forutsatt provided""".split())
OM_AFTER = frozenset("""boka bokar book gor gora andra ta fraga fragor fragar info allt mer
last lasa hort prata tankte tankt tanker""".split())
OM_BEFORE = frozenset("""mig mej dig dej oss er honom henne""".split())

# In a long reply, a clause before the answer may say "not" of something else when it
# apologises or says the message was missed ("förlåt jag såg inte meddelandet, ja det är
# okej"); the answer is then read from its own clause, never with certainty.
ASIDE_WORDS = frozenset("""forlat forlata ursakta sorry apologies sag sett lasa last hann
hunnit missade missat see saw seen read notice noticed check checked""".split())

# A later sentence that hands the decision to someone else leaves the answer open to
# them ("Nej tack. Min man bestämmer.", "I'll ask my wife"): never certain.
DEFERRING = frozenset("""bestammer bestamma bestamt fraga fragar decide decides ask""".split())

# "but": what follows it decides. "ja men visst" is a yes, "ja men" or "yes but I…" is not
# sure (the person had more to say).
BUT_WORDS = frozenset("men but".split())

# Words that want something (a yes unless negated): "jag vill", "I want".
WANT_WORDS = """vill want wanna""".split()

# Words that never decide yes or no: politeness, greetings, pronouns, small words.
FILLERS = """
tack tackar tacksam tusen thanks thank thx tx tnx ty please pls plz snalla snall hej hejsan
hallo hi hello hey jag du ni vi han hon det den de dem detta ar e vara sa da ju val nog
men och and i im me my mig min mitt it its is that thats this so then well oh ah just
bara mycket very much you u we do am are be for till att som ocksa also too verkligen
really totally helt all alla allt everything the a an to of med kan can will ska skulle
would gor gora do does did done lite get fa har have has had nu now igen again ocksa
dar har here there mer more go ga sounds later senare anda anyway sorry forlat tyvarr
spara sparar sparas sparat save saved keep nagot nagonting something anything info
uppgifter data mina dina era our your fan
bre assa alltsa asa wallah vallah liksom ba shuno shunno bror habibi bro nat nant
last laste got
""".split()

# Whole phrases, read before single words. "vet inte" is not a no; "varför inte" is a yes.
YES_PHRASES = """
varfor inte|why not|inga problem|inget problem|no problem|no problems|not a problem
|no worries|det gor inget|det gor ingenting|gor inget|dont mind|do not mind
|har inget emot|inget emot|of course|for sure|go ahead|all right|sounds good
|klart det|na men visst|inte sa farligt|gor det|do it|go for it|haller med|i concur
|sounds great|thats right
""".replace("\n", "").split("|")
NO_PHRASES = """
absolut inte|verkligen inte|inte alls|not at all|no thanks|nej tack|inte direkt|not really
|helst inte|rather not|inte sa garna|hellre inte|nej det ar bra|nej det e bra
|nej det gar bra|nej det behovs inte|no its fine|no im fine|no im good|no its ok|no im ok
|no thanks im good|no thanks im fine|no thanks im ok|inte intresserad|ej intresserad
|not interested|behovs inte|no way|id rather not|i would rather not|nej tack jag klarar mig
""".replace("\n", "").split("|")
UNSURE_PHRASES = """
vet inte|vet ej|vetej|vetinte|inte saker|not sure|dont know|do not know|no idea
|ingen aning|forstar inte|fattar inte|dont understand|do not understand|vad betyder
|what does|hur menar|vad menar|what do you mean|inte sakert|i wonder
|som om|like i have a choice|yeah right|if i|om jag|as if
|forsta inte|forsta ej|forstar ej|forstod inte|forstod ej|forstar inget|forstar ingenting
|fattar ej|fattade inte|begriper inte|dont get it|do not get it|didnt get it|didnt understand
|did not understand|not understand|no understand|dont get
""".replace("\n", "").split("|")

# Strong particles: a sentence that starts with one says yes or no even if the rest of
# it is not understood ("ja verkligen, coachen var jättebra").
YES_PARTICLES = frozenset("""ja jo jao japp jap jepp jep jajamen javisst jada yes yeah yep yup
ok okej okay absolut visst sjalvklart sure""".split())
NO_PARTICLES = frozenset("""nej na nae ne nehej nope no nah aldrig never""".split())

# "aa", "mm" (and "mhm") in front of a sentence say yes like "ja": "aa de hjälpte", "mm det
# gjorde det". Read from the word as typed ("aa" squeezes to "a", an English article).
LEADING_YES = frozenset("aa aaa mm mmm mhm mhmm".split())

# Single letters count only as the whole answer.
YES_LETTERS = frozenset({"j", "y"})
NO_LETTERS = frozenset({"n"})

# Emoji, read before punctuation is dropped. Eye-rolls and smirks say the words around
# them are not meant ("ja visst 🙄"): read as "not sure", never acted on.
YES_EMOJI = "👍👌✅✔☑🆗🙆👏💯"
NO_EMOJI = "👎❌✖🚫⛔🙅"
SARCASM_EMOJI = "🙄😒😏🤨🙃"

# Navigation: what a person can always type, at any step. Compared as the whole answer
# (small words such as "gå", "jag vill", "tack" around it are ignored).
NAVIGATION: dict[str, list[str]] = {
    "back": ["tillbaka", "tilbaka", "tillbacka", "tilbacka", "tillbak", "bakat", "back",
             "go back", "ga tillbaka", "ga bakat", "previous", "foregaende", "forra",
             "forra fragan", "angra", "undo", "tbx", "tbk"],
    "cancel": ["avbryt", "avbryta", "avbrut", "avbrytt", "cancel", "cancle", "cansel",
               "abort", "quit", "glom det", "forget it", "strunta i det"],
    "menu": ["meny", "menyn", "menu", "huvudmeny", "huvudmenyn", "main menu", "till menyn",
             "mein menu", "/menu", "/meny", "/start"],
    "help": ["hjalp", "hjelp", "help", "hjalp mig", "help me", "/help"],
}
NAVIGATION_FILLERS = frozenset("""ga go jag vill want to i till please tack snalla kan
du can you vi we""".split())

# "kan inte", "can't" as the whole answer: "I can't come" as much as "I can't [do what you
# ask]" or "I can't use this". At a yes/no question it is neither (asked again in other
# words); with what cannot be done ("kan inte komma") or after a yes ("ja wallah kan
# inte") it is read as before.
CANT_ALONE = """kan inte|kan ej|kan int|kan inte de|kan inte det|jag kan inte|jag kan ej|cant
|cannot|can not|i cant|i cannot|i can not""".replace("\n", "").split("|")

# Requests a person can make at any step, like navigation: to be called, that they
# cannot come to their visit, to cancel it. Compared as the whole answer once the small
# words in REQUEST_FILLERS are left out of both ("kan någon ringa mig" is "ringa mig",
# "tyvärr kan jag inte komma imorgon" is "kan inte komma"). Erasing oneself ("ta bort allt
# om mig") is a keyword: handlers/keywords.py.
REQUESTS: dict[str, list[str]] = {
    "call": ["ring mig", "ringa mig", "ring upp mig", "ringa upp mig", "ring tillbaka",
             "ringa tillbaka", "bli uppringd", "ring mig gärna", "call me", "call me back",
             "phone me", "ring me", "give me a call", "call", "telefon", "ringa"],
    "cant_come": ["kan inte komma", "kan ej komma", "kommer inte", "kommer inte kunna komma",
                  "hinner inte komma", "hinner inte", "kan inte komma dit",
                  "kan inte komma till besöket", "kan inte komma på besöket",
                  "cant come", "cannot come", "can not come", "cant make it",
                  "cannot make it", "wont come", "will not come", "wont make it",
                  "not coming", "am not coming", "cant come to the appointment"],
    "cancel_booking": ["avboka", "avboka min tid", "avboka tiden", "avboka besöket",
                       "avboka bokningen", "avboka min bokning", "radera min tid",
                       "radera tiden", "radera min bokning", "radera bokningen",
                       "ta bort min tid", "ta bort tiden", "ta bort min bokning",
                       "ta bort bokningen", "stryk min tid", "cancel my booking",
                       "cancel my appointment", "cancel my visit", "cancel the booking",
                       "cancel the appointment", "cancel booking", "cancel appointment",
                       "delete my booking", "delete my appointment", "remove my booking"],
}
REQUEST_FILLERS = frozenset("""jag i im vill want wanna to would like skulle vilja kan can
could du ni nagon someone somebody anyone snalla please pls tack thanks sorry tyvarr forlat
men but hej hi hello hey garna idag imorgon imorn morgon today tomorrow tonight ikvall pa on
den heller anda anyway mandag tisdag onsdag torsdag fredag monday tuesday wednesday thursday
friday""".split())

# A first message that is only an English greeting gets the English welcome (the person
# still chooses the language). Not "hey": Swedes write it too.
ENGLISH_GREETINGS = """hi|hello|hiya|howdy|greetings|good morning|good afternoon
|good evening|good day|morning|hey there|hi there|hello there|hi all|hello all
|hi everyone|hello everyone|hello hello""".replace("\n", "").split("|")
GREETING_FILLERS = frozenset("and to you friend friends sir madam".split())

# Parts of the day a person may give instead of a clock time, with the clock hours they
# cover [from, to). Longer phrases first: "efter lunch" is not "lunch".
PARTS_OF_DAY: list[tuple[str, str]] = [
    ("efter lunch", "afternoon"), ("efter lunchen", "afternoon"), ("innan lunchen", "morning"),
    ("fore lunchen", "morning"), ("lunchen", "lunch"), ("after lunch", "afternoon"),
    ("efterlunch", "afternoon"),
    ("innan lunch", "morning"), ("fore lunch", "morning"), ("before lunch", "morning"),
    ("eftermiddag", "afternoon"), ("eftermiddagen", "afternoon"), ("afternoon", "afternoon"),
    ("em", "afternoon"), ("pm", "afternoon"),
    ("formiddag", "morning"), ("formiddagen", "morning"), ("morgon", "morning"),
    ("morgonen", "morning"), ("morning", "morning"), ("fm", "morning"), ("tidigt", "morning"),
    ("early", "morning"), ("am", "morning"),
    ("lunch", "lunch"), ("lunchtid", "lunch"), ("lunchtime", "lunch"), ("mitt pa dagen", "lunch"),
    ("sent pa eftermiddagen", "afternoon"), ("late afternoon", "afternoon"),
    ("kvall", "evening"), ("kvallen", "evening"), ("evening", "evening"), ("sent", "evening"),
    ("late", "evening"), ("ikvall", "evening"),
]
PART_HOURS: dict[str, tuple[int, int]] = {"morning": (0, 12), "lunch": (11, 14),
                                          "afternoon": (12, 24), "evening": (16, 24)}

# How people introduce their name: "jag heter Amina", "my name is John".
NAME_LEADS = """jag heter|heter|mitt namn ar|mitt namn|namnet ar|namn|jag ar|ar|my name is
|my names|my name|name is|names|name|i am|im|its|it is|this is|call me|kalla mig|det ar|de ar
""".replace("\n", "").split("|")
NAME_TRAILS = """heter jag|ar mitt namn|is my name|har""".split("|")
NAME_GREETINGS = frozenset("hej hejsan hallo hi hello hey tja tjena ok okej ja yes".split())

# Words that go with a typed age: "jag är 22", "22 år", "I'm 27 years old", "ja e 17"
# ("ja" for "jag" in slang), "hej jag är 22", "19 bror", "22 typ", "jag är bara 14", "19 nu".
AGE_WORDS = frozenset("""jag ja ar e ar gammal gamla old years year yrs yo y i im am age
alder min my is hej hejsan hallo hi hello hey tack thanks thx bror bre assa alltsa typ
ungefar cirka ca about around bara endast only just nu now idag today""".split())
# Before or after the age, these say the person is not that old yet: "nästan 16", "fyller
# 16 snart", "almost 16" are 15 now (under 16: the exit, checked first).
AGE_NOT_YET = frozenset("""snart nastan almost fyller turning soon""".split())
# With a not-yet word, or the next age after the age ("15 men fyller 16 i mars", "15 snart
# 16", "I'm 15, 16 next month"), when the next age comes: the age is the one now.
AGE_LATER = frozenset("""men but next nasta manad manader month months vecka week
veckor weeks om in i pa on efter after till to this detta denna januari februari mars april
maj juni juli augusti september oktober november december january february march may june
july august october jan feb mar apr jun jul aug sep sept okt oct nov dec varen sommar
sommaren host hosten vinter vintern spring summer autumn fall winter julen""".split())
# "i vår" (spring) folds to "var", which is also "was" ("jag var 15"): a when only beside
# another not-yet or later word ("15 men fyller 16 i vår").
AGE_LATER_ONLY_WITH = frozenset({"var"})
# Between two clauses of a reply that gives the age in one of them: "Hej jag är 23 år och
# bor i Tensta", "22 år, bor i Husby", "I'm 23 and live in Kista".
CLAUSE_BREAKS = frozenset("""och samt and""".split())
# Words around a birth year or date: "född 2008", "jag är född 2009", "born in 2005",
# "mitt personnummer är 080312-1234". The age is read from the date on the bot's clock.
BORN_WORDS = frozenset("""fodd fodde fodes born was i in on den ar year jag ja e ar am im
min mitt my mina personnummer pnr personal number nummer nr birthday fodelsedag fodelsear
fodelsedatum date of birth dob hej hi hello tack thanks""".split())
# Ages in words: "sjutton", "tjugofem", "twenty two".
AGE_NUMBERS = {
    "ett": 1, "en": 1, "tva": 2, "tre": 3, "fyra": 4, "fem": 5, "sex": 6, "sju": 7,
    "atta": 8, "nio": 9, "tio": 10, "elva": 11, "tolv": 12, "tretton": 13, "fjorton": 14,
    "femton": 15, "sexton": 16, "sjutton": 17, "arton": 18, "aderton": 18, "nitton": 19,
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}
AGE_TENS = {"tjugo": 20, "trettio": 30, "fyrtio": 40, "femtio": 50, "sextio": 60,
            "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60}

# Wanting another time, at a question that has an option for it ("Ska jag boka?": Ändra,
# given to `read_answer` as its `change_key`). Read before yes and no there: "nej tiden
# passar inte" is Ändra, "boka om" never books. CHANGE_PHRASES say it on their own unless
# a "not" takes the wish back ("vill inte ändra"); CHANGE_WHEN ("senare", "efter lunch",
# "fredag") says it only in a reply that says no yes ("ja boka, ses senare" is a yes).
# NOT_CHANGE only look like it ("hör av mig senare", "see you later"). "boka om" before
# a pronoun is "book if" ("ja boka om jag hinner"): REBOOK_IF.
CHANGE_PHRASES = """
annan tid|annan dag|annat datum|annan|en annan|andra tider|andra dagar|nagon annan
|istallet|i stallet|byta|byt|byter|bytt|andra|andrar|flytta|flyttar|boka om|omboka
|ombokning|boka en annan|boka annan|passar inte|passar ej|passar int|passar mig inte
|passar daligt|funkar inte|funkar ej|funkar int|gar inte|gar ej|kan inte den tiden
|kan inte da|kan inte den dagen|kan inte den dan|kan ej den tiden|kan ej da|kan int da
|kan inte pa den tiden|kan inte komma da|kan inte komma den tiden|kan inte komma den dagen
|hinner inte da|hinner inte den tiden|inte den tiden|inte den dagen|inte den dan|inte da
|ej den tiden|inte den|senare tid|tidigare tid|en senare|en tidigare|nagot senare
|nagot tidigare|helst senare|helst tidigare
|another time|another day|another date|other time|other day|other times|other days
|different time|different day|different date|another one|later time|earlier time
|something later|something earlier|anything later|anything earlier|instead|reschedule
|rebook|change|change it|move it|doesnt suit|does not suit|dont suit|doesnt work
|does not work|dont work|wont work|cant make it then|cant make that|cannot make it then
|cant do that time|cant do then|cant then|cant that day|not that time|not that day
|not then|jobbar den dagen|jobbar den dan|jobbar da|jobbar den tiden|work that day
|working that day|working then|work then
""".replace("\n", "").split("|")
CHANGE_WHEN = """
senare|senar|senre|sednare|tidigare|tidigar|tidigre|later|latr|earlier|erlier|kl
|formiddag|formiddagen|eftermiddag|eftermiddagen|efter lunch|fore lunch|innan lunch|fm|em
|morgon|imorgon|imorn|i morgon|kvall|ikvall|nasta vecka|mandag|tisdag|onsdag|torsdag
|fredag|tomorrow|next week|morning|afternoon|evening|monday|tuesday|wednesday|thursday
|friday
""".replace("\n", "").split("|")
NOT_CHANGE = """
ses senare|hors senare|hor av mig senare|hor av mig|aterkommer senare|aterkommer
|svarar senare|ses da|ses pa|varit dar tidigare|varit har tidigare|sa tidigare
|skrev tidigare|see you later|see you then|see you|talk later|speak later
|talk to you later|get back to you|said earlier|been there before
""".replace("\n", "").split("|")
REBOOK_IF = frozenset("jag du det de dom ni vi han hon man inte i".split())

# A question about what is asked ("vad sparar ni?", "vem ser det?", "jag förstår inte",
# "what do you save?"): a reply with one of these words that gives no answer gets an
# explanation (at consent: what is kept, who sees it), then the question again.
ASKING_WORDS = frozenset("""vad varfor hur vem vilka vilken vilket betyder betyda menar
forstar forsta fattar begriper forklara what why how who which mean means meaning
understand explain""".split())
