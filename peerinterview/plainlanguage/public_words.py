"""Stiff words of a public writing guide, each with a plain word (register.py uses them).

Source: the writing guide ("Schrijfwijzer") of the Rijksdienst voor Ondernemend Nederland (RVO), a
government agency, in its design system ROOS: the pages "Woordenlijst begrijpelijke taal" (terms
with a plain alternative, made with RVO's lawyers) and "Woordenlijst ouderwetse woorden"
(old-fashioned words with modern alternatives), https://nl-design-system.github.io/rvo/docs/
schrijfwijzer/woordenlijst-begrijpelijke-taal, kept in the repository github.com/nl-design-system/
rvo (docs/schrijfwijzer/). Licence: that repository's README says "The documentation is licensed
as Creative Commons Zero 1.0 Universal (CC0-1.0)", and its NOTICE.md: "Tenzij anders vermeld is op
de inhoud van deze website de Creative Commons zero verklaring (CC0) van toepassing" (only the
logo, the house style and the fonts are excepted). CC0 waives copyright and database right, so
no attribution is needed; we name the source anyway.

Which words were taken, by these rules and not by looking at the checker's evaluation set:
- single words only: phrases ("ten behoeve van", "zorg dragen") are lexicon.OFFICIALESE's job;
- not the terms the guide marks to keep and explain ("bezwaar", "dwangsom", "gemachtigde");
- not a word already on lexicon.FORMAL_WORDS or lexicon.OFFICIALESE (a test checks this);
- not a word that is also an everyday word in another sense ("daar", "welke", "wijze",
  "bescheiden", "onderhoud", "vertrouwen", "berichten", "voldoen", "golf", "steun", "gronden",
  "uitgeput", "begaan"), nor one that is an everyday word by frequency ("beschikbaar", "dienen",
  "betreft", "mede": Zipf ≥ register.EVERYDAY_ZIPF);
- not a name of a legal thing that has no plainer word ("faillissement", "wijzigingsregeling");
- not a verb whose simple forms are an everyday word ("matigen": "matige" is moderate).
The plain words are the guide's where it gives one word, else our own short ones; a test checks
that the checker gives no advice on them. register.plain_alternative uses a word of this list
only while it is less common than everyday words.
"""
from __future__ import annotations

PUBLIC_WORDS: dict[str, tuple[str, ...]] = {
    # "Woordenlijst begrijpelijke taal": terms of letters and decisions
    "aangelegenheid": ("zaak",), "aankoop": ("koop",), "aanmerking": ("kunnen krijgen",),
    "aannemelijk": ("duidelijk", "goed te geloven"), "aantonen": ("bewijzen", "laten zien"),
    "achten": ("vinden",), "afzonderlijk": ("apart", "los"), "baten": ("opbrengst",),
    "belanghebbende": ("wie ermee te maken heeft",), "beschikking": ("beslissing",),
    "bewijslast": ("bewijs",), "correctie": ("aanpassing",), "correspondentie": ("post", "berichten"),
    "geconsolideerd": ("bijgewerkt",), "herroepen": ("intrekken",), "herziening": ("opnieuw bekijken",),
    "honoreren": ("goedkeuren",), "innen": ("laten betalen",), "instandhouding": ("behoud",),
    "integraal": ("volledig", "helemaal"), "interventie": ("actie",),
    "inwerkingtreding": ("ingaan",), "inwilligen": ("goedkeuren",), "lasten": ("kosten",),
    "marktconform": ("passend bij de markt",), "normering": ("normen", "regels"),
    "onderbouwen": ("uitleggen waarom",), "openbaarmaking": ("openbaar maken",),
    "preciseringsverzoek": ("vraag om uitleg",), "rappel": ("herinnering",),
    "schorsen": ("tijdelijk stoppen",), "subsidiabel": ("met recht op subsidie",), "surseance": ("uitstel",),
    "terugvorderen": ("terugvragen",), "tijdig": ("op tijd",), "toekennen": ("geven",),
    "tranche": ("ronde", "deel"), "transitie": ("overgang",), "uitzonderingsgrond": ("uitzondering",),
    "verruiming": ("uitbreiding",), "verstrijken": ("voorbij zijn",), "voorhanden": ("aanwezig",),
    "voornemen": ("plan",), "zienswijze": ("mening",),
    # "Woordenlijst ouderwetse woorden": old-fashioned words
    "alsdan": ("dan",), "dankzeggen": ("bedanken",), "dienaangaande": ("hierover",), "gaarne": ("graag",),
    "hiermede": ("hiermee",), "hiernavolgende": ("volgende",), "jegens": ("tegenover",),
    "krachtens": ("door", "volgens"), "ondergetekende": ("ik",), "onzerzijds": ("van ons",),
    "pogen": ("proberen",), "respectievelijk": ("of",), "separaat": ("apart",), "ultimo": ("uiterlijk",),
    "uwerzijds": ("van u",), "vernemen": ("horen",), "vigerend": ("geldend",), "voorgaande": ("vorige",),
    "voorshands": ("voorlopig",), "vorenstaande": ("dit", "deze"),
}
