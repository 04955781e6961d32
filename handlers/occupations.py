"""Words for jobs people name in the three-month survey ("jag är undersköterska", "kör
foodora", "I'm a cleaner"), lower case without accents (städare -> stadare), as
handlers/outcome_parse.py compares them. How a job word counts (work now, only a plan,
a job held before) is decided there; this is only the lists.
"""

from __future__ import annotations

# Occupations people in the target group name, one word each (the phrases below are
# joined into one word first: "personlig assistent" -> "personligassistent").
OCCUPATIONS: tuple[str, ...] = tuple("""
underskoterska underskoterskor usk vardbitrade vardare sjukskoterska personligassistent
assistent stodassistent stodpedagog hemtjanstpersonal omsorgspersonal vardpersonal
skotare sjukvardsbitrade tandskoterska barnskotare forskollarare larare elevassistent
fritidsledare fritidspedagog modersmalslarare stadare lokalvardare hemstadare
fastighetsskotare vaktmastare lagerarbetare lagerpersonal lagerjobbare truckforare
plockare chauffor busschauffor bussforare lastbilschauffor taxichauffor taxiforare
budbilsforare bud budare cykelbud brevbarare postbud kassorska kassor kassabitrade
butiksbitrade butikssaljare saljare butiksmedarbetare servitor servitris kock kallskanka
diskare bagare pizzabagare barista bartender restaurangbitrade koksbitrade receptionist
vakt vaktare ordningsvakt elektriker snickare malare byggarbetare rormokare platslagare
murare svetsare mekaniker bilmekaniker hantverkare montor plattsattare frisor
tradgardsarbetare operator produktionsmedarbetare kundtjanstmedarbetare tolk nurse
nurseassistant careworker carer caregiver cleaner janitor cashier shopassistant
salesperson waiter waitress chef cook dishwasher barista busdriver taxidriver
truckdriver deliverydriver courier electrician carpenter painter plumber builder
constructionworker mechanic welder teacher teachingassistant nanny securityguard guard
warehouseworker hairdresser personalassistant
""".split())

# Stand-ins: work for a fixed time (visstid).
STAND_IN_OCCUPATIONS: tuple[str, ...] = ("lararvikarie", "forskolevikarie", "vardvikarie")

# Driving as work: "kör taxi", "kör buss" (joined from the phrases below).
DRIVING: tuple[str, ...] = ("kortaxi", "korbuss", "korlastbil", "korbud", "korbudbil",
                            "kortruck")

# Gig and platform work: "kör foodora", "budar", "I deliver for wolt".
GIG_WORK: tuple[str, ...] = ("foodora", "wolt", "budar", "budat", "levererar", "leverera",
                             "deliver", "delivers", "delivering")

# Several words that name one job -> the one word above.
PHRASES: dict[str, str] = {
    "personlig assistent": "personligassistent", "nurse assistant": "nurseassistant",
    "assistant nurse": "nurseassistant", "nursing assistant": "nurseassistant",
    "care worker": "careworker", "care assistant": "careworker",
    "shop assistant": "shopassistant", "sales assistant": "shopassistant",
    "bus driver": "busdriver", "taxi driver": "taxidriver", "truck driver": "truckdriver",
    "delivery driver": "deliverydriver", "construction worker": "constructionworker",
    "teaching assistant": "teachingassistant", "security guard": "securityguard",
    "warehouse worker": "warehouseworker", "personal assistant": "personalassistant",
    "kor taxi": "kortaxi", "kor buss": "korbuss", "kor lastbil": "korlastbil",
    "kor bud": "korbud", "kor budbil": "korbudbil", "kor truck": "kortruck",
}
# Driving or cycling for a platform: "kör foodora", "driving for uber", "cyklar på wolt";
# "uber" and "bolt" alone are not work.
PHRASES.update({
    " ".join((verb, *via, platform)): "korbud"
    for verb in ("kor", "driving", "drive", "drives", "driver", "cyklar")
    for via in ((), ("for",), ("at",), ("pa",))
    for platform in ("foodora", "wolt", "uber", "bolt", "ubereats")
})
