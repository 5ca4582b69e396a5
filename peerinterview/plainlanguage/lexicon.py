"""Curated word lists of the B1 checker. Small on purpose: frequency comes from wordfreq, syllables
from pyphen; these lists only hold what those packages cannot know.

OFFICIALESE: ambtelijke taal with its plain B1 replacement, in the spirit of the word lists that
Dutch plain-language guides use (Direct Duidelijk, Rijksoverheid schrijfwijzer, Stichting
Makkelijk Lezen: "indien -> als", "middels -> met", ...). Each entry is a regular expression
(matched as whole words, case-insensitive, any whitespace between words) and the replacement(s).
"""
from __future__ import annotations

# (pattern, replacements): a tuple of plain words; None (leave the words out); or, for verbs, a
# dict from each form to the plain word in the same form. Patterns use "\s+" between words;
# inflected forms are spelled out in the pattern.
OFFICIALESE: list[tuple[str, tuple[str, ...] | dict[str, tuple[str, ...]] | None]] = [
    # Phrases first: a longer match wins over a shorter one inside it.
    (r"ten\s+behoeve\s+van", ("voor",)),
    (r"in\s+het\s+kader\s+van", ("bij", "voor")),
    (r"met\s+betrekking\s+tot", ("over",)),
    (r"ten\s+aanzien\s+van", ("over", "voor")),
    (r"ten\s+gevolge\s+van", ("door",)),
    (r"naar\s+aanleiding\s+van", ("na", "door")),
    (r"in\s+verband\s+met", ("door", "over")),
    (r"op\s+grond\s+van", ("volgens",)),
    (r"ter\s+attentie\s+van", ("voor",)),
    (r"zorg\s*dragen\s+voor|draagt\s+zorg\s+voor|zorgdragen", ("zorgen voor",)),
    (r"ter\s+beschikking\s+(?:stellen|gesteld|stelt)", ("geven",)),
    (r"kenbaar\s+(?:maken|gemaakt|maakt)", ("laten weten",)),
    (r"ten\s+einde|teneinde", ("om",)),
    (r"dan\s+wel|danwel|c\.q\.", ("of",)),
    (r"in\s+casu", ("hier",)),
    # Abbreviations: write them out.
    (r"m\.b\.t\.", ("over",)),
    (r"t\.a\.v\.", ("over", "voor")),
    (r"i\.v\.m\.", ("door", "over")),
    (r"n\.a\.v\.", ("na", "door")),
    (r"d\.w\.z\.", ("dus", "dat betekent")),
    (r"o\.a\.", ("onder andere", "bijvoorbeeld")),
    (r"bijv\.|bv\.", ("bijvoorbeeld",)),
    (r"i\.p\.v\.", ("in plaats van",)),
    (r"z\.s\.m\.", ("zo snel mogelijk",)),
    (r"e\.e\.a\.", ("dit", "dat")),
    # Single words.
    (r"indien", ("als",)),
    (r"indienen|ingediend", ("sturen", "inleveren")),
    (r"ingeval", ("als",)),
    (r"mits", ("als",)),
    (r"echter", ("maar",)),
    (r"doch", ("maar",)),
    (r"evenwel", ("maar", "toch")),
    (r"desalniettemin|niettemin", ("toch",)),
    (r"middels", ("met",)),
    (r"alsmede", ("en",)),
    (r"derhalve", ("daarom",)),
    (r"dientengevolge", ("daardoor",)),
    (r"tevens", ("ook",)),
    (r"voorts", ("verder", "ook")),
    (r"thans", ("nu",)),
    (r"reeds", ("al",)),
    (r"alvorens", ("voordat",)),
    (r"nadien", ("daarna",)),
    (r"tezamen", ("samen",)),
    (r"gedurende", ("tijdens",)),
    (r"behoudens", ("behalve",)),
    (r"aangezien", ("omdat",)),
    (r"opdat", ("zodat",)),
    (r"wegens", ("door", "omdat")),
    (r"hetgeen", ("wat",)),
    (r"aldus", ("zo",)),
    (r"zulks", ("dat",)),
    (r"dusdanig|zodanig", ("zo",)),
    (r"inzake|omtrent|aangaande|betreffende", ("over",)),
    (r"conform|ingevolge", ("volgens",)),
    (r"onverwijld|terstond", ("meteen",)),
    (r"uiteraard", ("natuurlijk",)),
    (r"desgewenst", ("als u wilt",)),
    (r"gelieve", ("wilt u",)),
    (r"hiertoe|daartoe", ("daarvoor",)),
    (r"onderhavige?", ("dit", "deze")),
    (r"voornoemde?|bovengenoemde?|bovenvermelde?", ("deze", "die")),
    (r"onderstaande?", ("hieronder",)),
    (r"bovenstaande?", ("hierboven",)),
    (r"navolgende?", ("volgende",)),
    (r"bijgaande?", ("bij deze brief",)),
    (r"hierbij", None),
    (r"woonachtig", ("wonen",)),
    (r"mededelen|medegedeeld|mededeling(?:en)?", ("laten weten", "bericht")),
    (r"aanvang", ("begin",)),
    (r"nadere?", ("meer",)),
    (r"inzage", ("bekijken",)),
    # Verbs: the plain word in the same form ("ontvangt" -> "krijgt").
    (r"verstrek(?:t|ken|te|ten)?", {
        "verstrek": ("geef",), "verstrekt": ("geeft", "gegeven"), "verstrekken": ("geven",),
        "verstrekte": ("gaf",), "verstrekten": ("gaven",),
    }),
    (r"verkrijg(?:t|en|baar)?|verkreeg|verkregen", {
        "verkrijg": ("krijg",), "verkrijgt": ("krijgt",), "verkrijgen": ("krijgen",),
        "verkrijgbaar": ("te koop", "te krijgen"), "verkreeg": ("kreeg",), "verkregen": ("gekregen", "kregen"),
    }),
    (r"ontvang(?:t|en)?|ontving(?:en)?", {
        "ontvang": ("krijg",), "ontvangt": ("krijgt",), "ontvangen": ("krijgen", "gekregen"),
        "ontving": ("kreeg",), "ontvingen": ("kregen",),
    }),
    (r"tracht(?:en|te|ten)?", {
        "tracht": ("probeert", "probeer"), "trachten": ("proberen",), "trachtte": ("probeerde",),
        "trachtten": ("probeerden",),
    }),
    (r"retourne(?:er|ert|ren|erde|erden)|geretourneerd", {
        "retourneer": ("stuur terug",), "retourneert": ("stuurt terug",), "retourneren": ("terugsturen",),
        "retourneerde": ("stuurde terug",), "retourneerden": ("stuurden terug",),
        "geretourneerd": ("teruggestuurd",),
    }),
    (r"verzoek(?:t|en)?|verzocht(?:en)?", {
        "verzoek": ("vraag",), "verzoekt": ("vraagt",), "verzoeken": ("vragen",),
        "verzocht": ("gevraagd", "vroeg"), "verzochten": ("vroegen",),
    }),
    (r"geschied(?:t|de|den|en)?", {
        "geschied": ("gebeurd",), "geschiedt": ("gebeurt",), "geschiedde": ("gebeurde",),
        "geschiedden": ("gebeurden",), "geschieden": ("gebeuren",),
    }),
    (r"bewerkstellig(?:t|en|de|den|d)?", ("zorgen voor", "regelen")),
    (r"aanwend(?:t|en|de|den)?|aangewend", ("gebruiken",)),
    (r"beëindig(?:t|en|de|den|d)?", {
        "beëindig": ("stop",), "beëindigt": ("stopt",), "beëindigen": ("stoppen",),
        "beëindigde": ("stopte",), "beëindigden": ("stopten",), "beëindigd": ("gestopt",),
    }),
]

# "dient ... te" -> "moet": only when "te" follows later in the same sentence ("dat dient als
# voorbeeld" is fine). Form -> plain form.
DIENEN_TE = {"dien": "moet", "dient": "moet", "dienen": "moeten", "diende": "moest", "dienden": "moesten"}

# Domain words of PeerInterview itself: the words clients learn in training. Not flagged as rare
# or long. Projects add their own words (names of places, the organisation) with known_words=.
DOMAIN_WORDS = frozenset({
    "interview", "interviews", "interviewen", "interviewer", "interviewers", "geïnterviewd",
    "proefinterview", "peerinterview", "vragenlijst", "vragenlijsten", "begeleider", "begeleiders",
    "cliënt", "cliënten", "deelnemer", "deelnemers", "ervaringsdeskundige", "ervaringsdeskundigen",
    "gebruikersnaam", "wachtwoord", "account", "accounts", "panel", "demodata", "dagopvang",
    "onderzoek", "onderzoeken", "startpagina",
})

# Common long everyday words that B1 readers know well (4+ syllables, yet not hard). Inflected
# forms (-e, -en, -s, -er) count too.
COMMON_LONG_WORDS = frozenset({
    "informatie", "belangrijk", "verschillend", "gemakkelijk", "makkelijker", "alstublieft",
    "alsjeblieft", "televisie", "uiteindelijk", "medewerker", "vrijwilliger", "activiteit",
    "activiteiten", "organisatie", "mogelijkheid", "mogelijkheden", "tegelijk", "ongelukkig",
    "onmiddellijk", "vervelend", "waarschijnlijk", "eigenlijk", "natuurlijk", "iedereen",
    "bijvoorbeeld", "verjaardag", "ziekenhuis", "gemeente", "uitnodiging", "vakantie",
})

# --- Passive voice -------------------------------------------------------------------------------
# Forms of "worden" (always a passive auxiliary before a participle) and of "zijn" (passive only
# with verbs that take "hebben": "is besloten", not "is gegaan").
WORDEN = frozenset({"word", "wordt", "worden", "werd", "werden", "geworden"})
ZIJN = frozenset({"is", "zijn", "was", "waren", "ben", "bent", "geweest"})

# Separable particles in front of "ge": "in-ge-vuld", "vast-ge-zet".
SEPARABLE = (
    "aan", "af", "bij", "door", "in", "mee", "na", "om", "op", "over", "terug", "toe", "uit",
    "vast", "voor", "weg", "samen", "neer", "los", "vrij", "klaar", "thuis", "tegen", "achter",
    "rond", "binnen", "buiten", "open", "dicht", "kapot", "schoon", "stil", "goed", "fout",
    "bekend", "teleur", "vooruit", "langs", "mis", "weer", "terecht", "voort",
)
# Inseparable prefixes of participles without "ge": "be-sproken", "ver-stuurd", "ont-vangen".
INSEPARABLE = ("be", "ver", "ont", "her", "er", "mis", "over", "onder", "door", "vol", "ge")

# Strong participles end in -en; these cores (without ge-/be-/ver- ...) are the common ones.
STRONG_CORES = frozenset({
    "sproken", "schreven", "geven", "nomen", "slagen", "bleven", "bonden", "vonden", "wonnen",
    "zongen", "dronken", "sloten", "boden", "loren", "kozen", "wezen", "dragen", "laden", "laten",
    "vangen", "hangen", "houden", "lopen", "roepen", "vallen", "heten", "lezen", "meten", "geten",
    "trokken", "schoten", "sneden", "volen", "broken", "troffen", "worpen", "borgen", "logen",
    "drogen", "wogen", "zogen", "vlogen", "stegen", "zwegen", "kregen", "schenen", "grepen",
    "bleken", "keken", "leken", "streken", "weken", "reden", "leden", "gleden", "beten", "sleten",
    "dreven", "wreven", "zien", "daan", "bakken", "raden",
    "schoven", "stoken", "sloten", "wogen", "zworen", "zonden", "wonden", "dwongen", "sprongen",
    "hesen", "prezen", "rezen", "zeten", "legen",
})

# Participles of verbs that take "zijn" (active: "is gegaan", "ben vergeten"). Matched on the end
# of the word, so "aangekomen", "weggegaan" are covered too. Only excluded after forms of "zijn".
ZIJN_VERB_PARTICIPLES = (
    "gegaan", "gekomen", "gebleven", "geworden", "geweest", "gebeurd", "gestorven", "geboren",
    "begonnen", "gestopt", "vertrokken", "verhuisd", "gevallen", "gestegen", "gedaald",
    "gegroeid", "veranderd", "verdwenen", "ontstaan", "overleden", "gelukt", "mislukt", "gelopen",
    "gereden", "gevlogen", "gefietst", "gerend", "gesprongen", "gezwommen", "geslaagd", "gezakt",
    "ontsnapt", "verschenen", "geëindigd", "opgehouden", "vergeten", "toegenomen", "afgenomen",
    "gestart", "geland", "verdwaald", "geschrokken", "gekrompen", "opgestaan", "ingeslapen",
    "gevlucht", "gereisd", "gewandeld", "gezakt", "gestegen", "beland", "gestruikeld",
)

# After a form of "zijn" these describe a state, as an adjective: "de deur is gesloten",
# "een antwoord is verplicht", "deze vraag is bedoeld voor ...".
ZIJN_STATES = frozenset({
    "gesloten", "geopend", "bedoeld", "verplicht", "getrouwd", "gescheiden", "erkend",
    "verzekerd", "gewend", "geschikt", "gewenst", "verbaasd", "bezorgd", "verrast",
})

# Words that look like participles but are adjectives or nouns in everyday use.
NOT_PARTICIPLES = frozenset({
    "bekend", "benieuwd", "bereid", "beroemd", "verliefd",
    "gezond", "geliefd", "gerust", "gehandicapt",
    "gemotiveerd", "geïnteresseerd", "verkeerd", "verward", "bezet", "gelegen", "gewenst",
    "gepast", "verlegen", "verwend", "verkouden", "gemeen", "geheim", "gezellig", "bedroefd",
    "bejaard", "gelovig", "gewoon", "genoeg", "gebouwen", "gesprekken", "gedachten", "gemeenten",
    "gebieden", "gevolgen", "geluiden", "gewoonten", "gerechten", "gedeelten", "gebruiken",
    "geheimen", "gedichten", "getallen", "gezinnen", "geven", "gebeuren", "geloven", "genieten",
    "gelden", "verschillen", "verhalen", "ervaringen", "bedragen", "beroepen", "bezoeken",
    "verleden", "tevreden", "ontevreden", "bedoeld", "bevoegd", "vermoeid", "geduld", "gebied",
    "gezicht", "gewicht", "gericht", "bericht", "gedicht", "verhaal", "verband", "verstand",
    "bestand", "gevaar", "geval", "gevoel", "gedrag", "gezin", "geld", "geleden", "gelukkig",
    "ervaren", "bedreven", "bezeten", "verband", "verstand", "bestand", "verbond", "beleid",
    "geschied", "verschil", "bezit", "gebed", "gebit", "besef", "verzet", "bezwaard",
})

PREPOSITIONS = frozenset({
    "met", "van", "in", "op", "voor", "aan", "bij", "over", "uit", "naar", "door", "om", "tot",
    "zonder", "onder", "tegen", "na", "sinds", "tijdens", "vanwege", "via", "volgens", "achter",
    "naast", "tussen", "boven", "binnen", "buiten", "rond", "langs",
})
SUBJECT_WORDS = frozenset({
    "de", "het", "een", "er", "ze", "we", "wij", "jullie", "u", "je", "jij", "zij", "hij", "ik",
    "die", "dat", "deze", "dit", "alle", "hier", "daar", "nu", "ook", "nog", "al", "dan",
})

# Formal words with a plainer alternative (register.py): words that letters, reports and forms use
# and people rarely say. Listed by the infinitive or the base form; simple inflections are found
# too ("constateert" -> "constateren"). Kept apart from the evaluation set in
# bench/b1_checker_set/: none of its words are here (the bench checks it).
FORMAL_WORDS: dict[str, tuple[str, ...]] = {
    "additioneel": ("extra",), "adresseren": ("aanpakken",), "adviseren": ("aanraden",),
    "ambitie": ("wens", "doel"), "analyseren": ("uitzoeken",), "assisteren": ("helpen",),
    "authentiek": ("echt",), "autonoom": ("zelfstandig",), "beargumenteren": ("uitleggen waarom",),
    "beëindiging": ("einde",), "benodigd": ("nodig",), "benutten": ("gebruiken",),
    "beschouwen": ("zien als",), "categorie": ("soort", "groep"), "collectief": ("samen",),
    "competentie": ("wat je kunt",), "concreet": ("precies", "duidelijk"), "consistent": ("steeds hetzelfde",),
    "constateren": ("zien", "merken"), "consulteren": ("vragen", "raadplegen"), "continu": ("steeds",),
    "creëren": ("maken",), "definitief": ("vast", "voor altijd"), "dergelijk": ("zo'n", "zulke"),
    "desbetreffend": ("die", "dat"), "discussiëren": ("praten",), "elementair": ("eenvoudig",),
    "essentieel": ("heel belangrijk",), "eventueel": ("misschien", "als het nodig is"),
    "expliciet": ("duidelijk",), "financieel": ("met geld",), "financiën": ("geld",),
    "formeel": ("officieel",), "frequent": ("vaak",), "functioneren": ("werken",),
    "genoodzaakt": ("moeten",), "hiaat": ("gat",), "impact": ("invloed",), "implicatie": ("gevolg",),
    "impliciet": ("niet letterlijk",), "individueel": ("per persoon", "alleen"), "informeren": ("vertellen",),
    "initiatief": ("plan", "idee"), "instantie": ("organisatie", "dienst"), "intentie": ("bedoeling",),
    "interpreteren": ("uitleggen",), "legitiem": ("terecht",), "marginaal": ("klein",),
    "maximaal": ("hoogstens",), "minimaal": ("minstens",), "motiveren": ("uitleggen waarom",),
    "nagenoeg": ("bijna",), "nuance": ("klein verschil",), "objectief": ("eerlijk",),
    "optimaal": ("zo goed mogelijk",), "potentieel": ("mogelijk",), "prematuur": ("te vroeg",),
    "primair": ("eerst", "vooral"), "proactief": ("zelf iets doen",), "problematiek": ("problemen",),
    "publiceren": ("bekendmaken",), "rapporteren": ("melden",), "recent": ("kort geleden",),
    "reduceren": ("verminderen",), "registreren": ("opschrijven",), "retour": ("terug",),
    "selecteren": ("kiezen",), "sporadisch": ("soms",), "stagneren": ("vastlopen",),
    "substantieel": ("flink",), "suggereren": ("voorstellen",), "traject": ("periode", "weg"),
    "visie": ("mening",), 
    "vrijwel": ("bijna",), "wenselijk": ("goed",), "enigszins": ("een beetje",),
    "allerminst": ("helemaal niet",), "voorheen": ("vroeger",), "weliswaar": ("wel",),
    "doorgaans": ("meestal",), "veelal": ("vaak",), "slechts": ("alleen",), "vooralsnog": ("voorlopig",),
    "eveneens": ("ook",), "ofschoon": ("hoewel",), "desondanks": ("toch",), "bijgevolg": ("daardoor",),
    "woning": ("huis",), "perceel": ("stuk grond",), "tegemoetkoming": ("bijdrage",),
    "dagtekening": ("datum",), "legitimatiebewijs": ("paspoort", "ID-kaart"),
    "ingezetene": ("inwoner",), "bejegening": ("hoe we u behandelen",), "aanmaning": ("herinnering",),
    "vordering": ("schuld",), "uitsluitend": ("alleen",), "ondertekenen": ("tekenen",),
    "ondertekening": ("handtekening",), "verschaffen": ("geven",), "toezenden": ("sturen",), "toegezonden": ("gestuurd",),
    "verlenen": ("geven",), "zorgvuldig": ("goed", "precies"), "constatering": ("wat we zien",),
    "medicatie": ("medicijnen",), "behoefte": ("wat u nodig heeft",), "herleidbaar": ("terug te vinden",),
    "geëffectueerd": ("uitgevoerd",), "effectueren": ("uitvoeren",), "schriftelijk": ("in een brief",),
    "vermelding": ("noemen",), "toegestaan": ("mag",), 
    "annulering": ("afzeggen",), "kosteloos": ("gratis",), 
    "maatschappelijk": ("in de samenleving",), "zelfredzaamheid": ("zelf dingen kunnen doen",),
    "exact": ("precies",), "dienstverlening": ("hulp",),
    "eenmalig": ("één keer",), 
}
