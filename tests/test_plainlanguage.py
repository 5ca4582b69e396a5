"""The B1 checker (peerinterview.plainlanguage): hard and easy Dutch, every kind of flag, the
tokeniser's corner cases, speed, the `flask b1-check` command and the app's own Dutch catalogue."""
import json
import re
import statistics
import time
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from peerinterview.plainlanguage import KINDS, LABELS, SEVERITIES, check, flesch_douma, label_for, warm_up
from peerinterview.plainlanguage.tokens import normalise, split_sentences, tokenize
from peerinterview.plainlanguage.words import syllables, zipf

ROOT = Path(__file__).resolve().parent.parent

# Sentences in the style of municipal letters ...
OFFICIAL = (
    "Indien u niet in staat bent het formulier tijdig te retourneren, dient u dit middels het "
    "contactformulier kenbaar te maken. Met betrekking tot uw aanvraag delen wij u mede dat deze "
    "thans in behandeling is genomen en dat u derhalve binnen acht weken een beslissing zult "
    "ontvangen. Ten behoeve van de afhandeling verzoeken wij u tevens een kopie van uw "
    "legitimatiebewijs te verstrekken."
)
# ... and the same message in B1.
B1 = (
    "Kunt u het formulier niet op tijd terugsturen? Laat het ons dan weten. Dat kan met het "
    "formulier op onze website. We kijken nu naar uw aanvraag. Binnen acht weken hoort u wat we "
    "besluiten. Wilt u ons ook een kopie van uw paspoort sturen?"
)


def kinds(text, **kwargs):
    return [f.kind for f in check(text, **kwargs).flags]


def flags_of(text, kind):
    return [f for f in check(text).flags if f.kind == kind]


# --- Score and label ---------------------------------------------------------------------------

def test_b1_text_scores_higher_than_officialese():
    hard, easy = check(OFFICIAL), check(B1)
    assert easy.score > hard.score + 20
    assert easy.label == "makkelijk"
    assert hard.label in ("gaat wel", "moeilijk")
    assert LABELS.index(easy.label) < LABELS.index(hard.label)


def test_officialese_letter_gets_every_kind_of_advice_and_b1_text_almost_none():
    hard = set(kinds(OFFICIAL))
    assert {"long_sentence", "long_word", "officialese", "passive"} <= hard
    easy = check(B1).flags
    assert not [f for f in easy if f.kind in ("long_sentence", "officialese", "passive")]
    assert not [f for f in easy if f.severity == "strong"]


def test_score_is_flesch_douma():
    # 4 words, 1 sentence, 4 syllables.
    report = check("Ik ga naar huis.")
    assert (report.words, report.sentences, report.syllables) == (4, 1, 4)
    assert report.score == round(206.835 - 0.93 * 4 - 77 * 1, 1)
    assert flesch_douma(10, 2, 15) == pytest.approx(206.835 - 0.93 * 5 - 77 * 1.5)


@pytest.mark.parametrize("score, label", [
    (100.0, "makkelijk"), (60.0, "makkelijk"), (59.9, "gaat wel"), (45.0, "gaat wel"),
    (44.9, "moeilijk"), (-20.0, "moeilijk"), (None, "makkelijk"),
])
def test_label_thresholds(score, label):
    assert label_for(score) == label


@pytest.mark.parametrize("text", ["", "   ", "\n\n", "...", " ?! - "])
def test_empty_text_is_easy_without_score_or_flags(text):
    report = check(text)
    assert report.score is None
    assert report.label == "makkelijk"
    assert report.flags == []
    assert report.to_dict()["score"] is None


# --- Long sentences ----------------------------------------------------------------------------

def _sentence(n):
    return " ".join(["Wij"] + ["gaan"] * (n - 2) + ["weg."])


@pytest.mark.parametrize("n, severity", [(12, None), (13, "warning"), (15, "warning"), (16, "strong"), (30, "strong")])
def test_long_sentence_thresholds(n, severity):
    found = flags_of(_sentence(n), "long_sentence")
    if severity is None:
        assert found == []
    else:
        [flag] = found
        assert flag.severity == severity
        assert f"Deze zin heeft {n} woorden." in flag.suggestion
        assert flag.text == _sentence(n)


def test_long_sentence_advice_is_concrete():
    [flag] = flags_of(_sentence(18), "long_sentence")
    assert flag.suggestion == "Maak er twee zinnen van. Deze zin heeft 18 woorden."


def test_two_short_sentences_are_not_long():
    assert flags_of("Wij gaan morgen naar de markt. Daar kopen we appels en peren voor oma.", "long_sentence") == []


# --- Long words --------------------------------------------------------------------------------

@pytest.mark.parametrize("word, count", [
    ("huis", 1), ("idee", 2), ("oma", 2), ("ideeën", 3), ("anoniem", 3), ("cliënten", 3),
    ("geïnterviewd", 4), ("gebruikersnaam", 4), ("overeenkomst", 4), ("e-mail", 2),
    ("verantwoordelijkheid", 6), ("12", 2),
])
def test_syllables(word, count):
    assert syllables(word) == count


def test_long_word_is_flagged_with_its_syllables():
    [flag] = flags_of("Vul het toestemmingsformulier in.", "long_word")
    assert flag.text == "toestemmingsformulier"
    assert flag.severity == "warning"
    assert "toe-stem-mings-for-mu-lier" in flag.suggestion
    assert "'toestemming' + 'formulier'" in flag.suggestion


def test_long_word_over_five_syllables_is_a_warning():
    [flag] = flags_of("Dat is uw verantwoordelijkheid.", "long_word")
    assert flag.severity == "warning"


@pytest.mark.parametrize("text", [
    "Hier vindt u informatie over de gemeente.",  # common long everyday words
    "De antwoorden zijn opgeslagen.",  # four syllables, but very common
    "Wij organiseren een feest.",  # five syllables, but very common
    "Pak de boodschappenlijstjes.",  # five syllables, everyday words put together
    "We gaan even terugkijken.",  # four syllables, two common words
    "Bel 0612345678 of kom op 12-11-2026.",  # numbers
    "Wij gaan naar Oosterhout-Zuidwijkerbroek.",  # a name: capital in the middle of a sentence
    "Vraag het aan de ervaringsdeskundige.",  # PeerInterview's own word
])
def test_no_long_word(text):
    assert flags_of(text, "long_word") == []


def test_known_words_are_never_long_or_rare():
    text = "Welkom bij de wijkcoöperatie Zonnebloemhof."
    assert "long_word" in kinds("welkom bij de wijkcoöperatie.")
    assert kinds(text, known_words=["wijkcoöperatie"]) == []


# --- Rare words --------------------------------------------------------------------------------

def test_rare_word_is_flagged():
    [flag] = flags_of("Het rapport is geanonimiseerd.", "rare_word")
    assert flag.text == "geanonimiseerd"
    assert "Weinig mensen kennen het woord 'geanonimiseerd'." in flag.suggestion


@pytest.mark.parametrize("text", [
    "Wij gaan morgen naar de markt.",  # common words
    "Ik sprak met Kees Vlasblom.",  # names in the middle of a sentence
    "Doe mee aan het proefinterview.",  # a compound of common words
    "Zet de vinkjes. De interviewer typt.",  # inflected forms of common words
    "Het is 2026. Bel 112.",  # numbers
    "Hé, zo'n fijne dag!",  # short words, apostrophes
])
def test_no_rare_word(text):
    assert flags_of(text, "rare_word") == []


# --- Officialese -------------------------------------------------------------------------------

@pytest.mark.parametrize("text, found, plain", [
    ("Indien u vragen heeft, bel ons.", "Indien", "Als"),
    ("Dat is echter niet zo.", "echter", "maar"),
    ("Wij bellen u teneinde een afspraak te maken.", "teneinde", "om"),
    ("Stuur het middels de post.", "middels", "met"),
    ("U krijgt een pas alsmede een brief.", "alsmede", "en"),
    ("U bent derhalve te laat.", "derhalve", "daarom"),
    ("Wij verstrekken een pas.", "verstrekken", "geven"),
    ("Bent u woonachtig in Utrecht?", "woonachtig", "wonen"),
    ("De aanvang is om negen uur.", "aanvang", "begin"),
    ("Dit is ten behoeve van uw aanvraag.", "ten behoeve van", "voor"),
    ("Wij bellen u in het kader van het onderzoek.", "in het kader van", "bij"),
    ("U krijgt een brief met betrekking tot uw huur.", "met betrekking tot", "over"),
    ("U krijgt een brief m.b.t. uw huur.", "m.b.t.", "over"),
    ("INDIEN U VRAGEN HEEFT, BEL ONS.", "INDIEN", "Als"),
])
def test_officialese_with_plain_replacement(text, found, plain):
    [flag] = flags_of(text, "officialese")
    assert flag.text == found
    assert f"'{plain}'" in flag.suggestion
    assert flag.suggestion.startswith("Schrijf ")
    assert f"in plaats van '{found}'" in flag.suggestion


def test_officialese_verbs_get_the_plain_verb_in_the_same_form():
    from peerinterview.plainlanguage.lexicon import OFFICIALESE

    [flag] = flags_of("Welke hulp ontvangt u?", "officialese")
    assert flag.suggestion == "Schrijf 'krijgt' in plaats van 'ontvangt'."
    for pattern, replacements in OFFICIALESE:
        if isinstance(replacements, dict):
            for form, plain in replacements.items():
                assert re.fullmatch(pattern, form), (pattern, form)
                [flag] = flags_of(f"Dat {form} wij.", "officialese")
                assert f"'{plain[0]}'" in flag.suggestion


def test_indien_suggestion_exactly():
    [flag] = flags_of("Bel ons indien u vragen heeft.", "officialese")
    assert flag.suggestion == "Schrijf 'als' in plaats van 'indien'."


def test_dienen_te_only_with_te():
    [flag] = flags_of("U dient het formulier op tijd in te vullen.", "officialese")
    assert flag.text == "dient"
    assert flag.suggestion == "Schrijf 'moet' in plaats van 'dient ... te'."
    assert flags_of("Dit voorbeeld dient als hulp.", "officialese") == []


def test_officialese_phrase_across_a_line_break():
    [flag] = flags_of("Wij schrijven u met\nbetrekking tot uw huur.", "officialese")
    assert flag.text == "met\nbetrekking tot"


@pytest.mark.parametrize("text", [
    "Als u vragen heeft, bel ons.",
    "Bel ons als u wilt. Dan helpen we u.",
    "De indieners komen morgen.",  # 'indien' inside another word
    "Maar dat is niet zo.",
    "We gaan samen naar de markt.",
])
def test_no_officialese(text):
    assert flags_of(text, "officialese") == []


def test_an_officialese_word_is_not_also_long_or_rare():
    assert kinds("Desalniettemin komen wij.") == ["officialese"]


# --- Hard words: uncommon AND formal ----------------------------------------------------------

@pytest.mark.parametrize("text, word", [
    ("Wij constateren een fout.", "constateren"),  # on the list of formal words
    ("Dat is essentieel voor ons.", "essentieel"),
    ("Het besluit is definitief.", "definitief"),
    ("Dat is wenselijk.", "wenselijk"),
])
def test_formal_word_is_a_hard_word_with_its_plain_alternative(text, word):
    [flag] = flags_of(text, "hard_word")
    assert flag.text == word and flag.severity == "warning"
    assert flag.suggestion.startswith(f"'{word}' is een moeilijk woord. Schrijf liever '")


def test_the_plain_alternative_is_found_for_an_inflected_form():
    [flag] = flags_of("De medewerker constateert een fout.", "hard_word")
    assert flag.text == "constateert"
    assert flag.suggestion == "'constateert' is een moeilijk woord. Schrijf liever 'zien' of 'merken'."
    [flag] = flags_of("Wij informeren u.", "hard_word")
    assert flag.suggestion == "'informeren' is een moeilijk woord. Schrijf liever 'vertellen'."


@pytest.mark.parametrize("word", [
    "interpelleren",  # a loan word (interpeller) that few people use
    "rationalisatie",  # -atie, rationalisation
    "ontvankelijkheid",  # an abstract noun on -heid that is uncommon
    "daaromtrent",  # daar + a preposition
    "nopens",  # rare
    "ambtelijk",
])
def test_uncommon_formal_word_is_hard_without_being_on_a_list(word):
    from peerinterview.plainlanguage import lexicon

    assert word not in lexicon.FORMAL_WORDS
    found = [f for f in check(f"Dat is {word}.").flags if f.kind in ("hard_word", "rare_word")]
    assert [f.text for f in found] == [word]
    if found[0].kind == "hard_word":
        assert "Kies een woord dat iedereen kent, of leg het uit." in found[0].suggestion


@pytest.mark.parametrize("word", [
    # Everyday words, also long ones and compounds of everyday words.
    "boete", "treinkaartje", "huisarts", "wasmachine", "boodschappenlijstje", "fietsenstalling",
    "afstandsbediening", "tandenborstel",
    # Everyday words that look like formal ones: a participle, -ing, -heid, a loan word.
    "lachend", "wandelend", "wandeling", "eenzaamheid", "fabriek", "praktisch", "parkeren",
    "restaurant", "kwaliteit", "politie",
])
def test_everyday_words_stay_quiet(word):
    assert [f.kind for f in check(word).flags] == []
    assert [f.kind for f in check(f"Ik zie de {word} van mijn buurman.").flags] == []


@pytest.mark.parametrize("text, word, plain", [
    # Stiff words of a public government writing guide (public_words.py), with a plain word.
    ("U moet het formulier tijdig sturen.", "tijdig", "'op tijd'"),
    ("Het toekennen van de subsidie duurt lang.", "toekennen", "'geven'"),
    ("Wij gaan uw verzoek inwilligen.", "inwilligen", "'goedkeuren'"),
    ("Wij sturen u een rappel.", "rappel", "'herinnering'"),
    ("Dit is de vigerende regel.", "vigerende", "'geldend'"),  # inflected
])
def test_a_stiff_word_of_the_public_guide_list_gets_a_plain_word(text, word, plain):
    from peerinterview.plainlanguage import lexicon

    assert word not in lexicon.FORMAL_WORDS
    [flag] = [f for f in flags_of(text, "hard_word") if f.text == word]
    assert flag.severity == "warning"
    assert flag.suggestion == f"'{word}' is een moeilijk woord. Schrijf liever {plain}."


def test_the_public_guide_list_stays_quiet_on_everyday_words():
    from peerinterview.plainlanguage import lexicon, register
    from peerinterview.plainlanguage.public_words import PUBLIC_WORDS

    # No word is on two lists, and no word on it is an everyday word: those would never be flagged.
    patterns = [re.compile(p, re.IGNORECASE) for p, _ in lexicon.OFFICIALESE]
    assert not [w for w in PUBLIC_WORDS if w in lexicon.FORMAL_WORDS or any(p.fullmatch(w) for p in patterns)]
    assert not [w for w in PUBLIC_WORDS if register.EVERYDAY_ZIPF <= zipf(w)]
    # The plainer sentence stays quiet, and so does an everyday word that looks like a listed one.
    assert kinds("U moet het formulier op tijd sturen.") == []
    assert kinds("Het weer is matig.") == [] and kinds("Ik heb last van mijn rug.") == []


def test_the_plain_words_of_the_public_guide_list_are_plain_themselves():
    from peerinterview.plainlanguage.public_words import PUBLIC_WORDS

    advised = [(word, plain) for word, plains in PUBLIC_WORDS.items() for plain in plains
               if any(f.kind in ("hard_word", "rare_word", "officialese") for f in check(plain).flags)]
    assert advised == []


@pytest.mark.parametrize("word", ["tevredenheid", "voorzichtigheid", "vrolijkheid", "herkenning", "ouderschap",
                                  "dronkenschap"])
def test_an_abstract_noun_of_an_everyday_word_is_no_hard_word(word):
    """Rare as a noun, but made of an everyday word (tevreden, voorzichtig, herkennen, ouder)."""
    assert flags_of(f"Ik merk de {word}.", "hard_word") == []


def test_an_abstract_noun_of_an_uncommon_word_is_still_hard():
    assert [f.text for f in check("Dat gaat over de ontvankelijkheid.").flags
            if f.kind in ("hard_word", "rare_word")] == ["ontvankelijkheid"]


@pytest.mark.parametrize("word", [
    "wederzijds", "wederkerig",  # "weder-", the old form of "weer"
    "besluitvorming", "regelgeving", "beeldvorming", "meningsvorming",  # nominal style
    "reinigen", "vestigen", "reinigt",  # a verb on -igen of no everyday word
])
def test_a_form_only_officialese_takes_is_a_hard_word(word):
    """Hard by its form alone, even where its parts are everyday words (besluit + vorming)."""
    from peerinterview.plainlanguage import lexicon

    assert word not in lexicon.FORMAL_WORDS and not register_listed(word)
    assert [f.text for f in flags_of(f"Het gaat om {word}.", "hard_word")] == [word]
    assert flags_of(f"Het gaat om {word}.", "rare_word") == []


@pytest.mark.parametrize("word", [
    "wedstrijd", "weder",  # not the prefix "weder-"
    "voorstelling", "tentoonstelling", "aanstelling", "opstelling", "instelling", "bestelling",  # a particle
    "eindigen", "eindigt", "beschadigen", "verdedigen", "bevestigen", "verontschuldigen",  # an everyday stem, a prefix
])
def test_everyday_words_of_those_forms_stay_quiet(word):
    assert flags_of(f"Ik zie de {word}.", "hard_word") == []


def register_listed(word):
    from peerinterview.plainlanguage.register import in_public_list

    return in_public_list(word)


def test_a_compound_splits_into_everyday_words():
    from peerinterview.plainlanguage.register import everyday_compound

    assert everyday_compound("treinkaartje") and everyday_compound("wasmachine")
    # An adverb of two small words, or a loan word, is no compound of everyday words.
    assert not everyday_compound("welhaast") and not everyday_compound("preventie")
    # A prefix is no word ("ont-beren" is no bear); a preposition in front is fine.
    assert not everyday_compound("ontberen") and everyday_compound("overbuurman")
    # Nor the rest of an ending ("reserve-ren"), nor an uncommon part of three letters.
    assert not everyday_compound("reserveren") and not everyday_compound("ressorteren")
    assert kinds("Dat is welhaast zeker.") == ["rare_word"]


def test_a_hard_word_is_not_also_a_rare_word():
    found = kinds("Dat is interpelleren.")
    assert found.count("hard_word") + found.count("rare_word") == 1


def test_a_text_with_a_hard_word_is_never_makkelijk():
    # Short sentences of short words: Flesch-Douma calls both easy.
    easy, hard = check("Bel ons als u vragen heeft."), check("Bel ons indien u vragen heeft.")
    assert easy.score >= 60 and hard.score >= 60
    assert easy.label == "makkelijk"
    assert hard.label == "gaat wel"
    assert check("Wij constateren een fout.").label == "gaat wel"


# --- Passive voice -----------------------------------------------------------------------------

@pytest.mark.parametrize("text, found", [
    ("Het formulier wordt door de gemeente gegeven.", "wordt door de gemeente gegeven"),
    ("De vragen werden gisteren besproken.", "werden gisteren besproken"),
    ("Er is besloten om te stoppen.", "is besloten"),
    ("Het onderzoek zal worden uitgevoerd.", "worden uitgevoerd"),
    ("Het formulier wordt ingevuld.", "wordt ingevuld"),
    ("Ik weet dat het formulier verstuurd wordt.", "verstuurd wordt"),
    ("De brief is ontvangen.", "is ontvangen"),
])
def test_passive(text, found):
    [flag] = flags_of(text, "passive")
    assert flag.text == found
    assert flag.suggestion.startswith(f"'{found}' zegt niet wie het doet. Schrijf wie het doet.")


@pytest.mark.parametrize("text", [
    "De gemeente geeft het formulier.",  # active
    "Ik ben gisteren naar huis gegaan.",  # a verb with 'zijn': active
    "Hij is het vergeten.",
    "Het interview is gestopt.",
    "Dat is bekend.",  # adjectives
    "Een antwoord is verplicht.",
    "Met zijn gesprekken ging het goed.",  # 'zijn' as possessive
    "Er zijn verschillen tussen de groepen.",  # a plural noun
    "Dit is nog te bespreken.",  # te + infinitive
    "Wat hij vertelt is belangrijk.",  # a present tense, not a participle
    "Het wordt koud.",
])
def test_no_passive(text):
    assert flags_of(text, "passive") == []


def test_two_passives_in_one_sentence():
    found = [f.text for f in flags_of("Er is besloten dat het project zal worden uitgevoerd.", "passive")]
    assert found == ["is besloten", "worden uitgevoerd"]
    # "Er zijn antwoorden": the nearest auxiliary goes with the participle.
    found = [f.text for f in flags_of("Er zijn antwoorden die nog niet verstuurd zijn.", "passive")]
    assert found == ["verstuurd zijn"]


# --- Tokens: abbreviations, apostrophes, question marks, line breaks ---------------------------

def _sentences(text):
    norm = normalise(text)
    return [norm[s.start:s.end] for s in split_sentences(norm, tokenize(norm))]


def test_abbreviations_do_not_end_a_sentence():
    text = "Neem bijv. een appel, o.a. in de winter, d.w.z. elke dag t/m vrijdag."
    assert _sentences(text) == [text]
    assert _sentences("Mevr. J. de Vries komt morgen. Dhr. A.B. Jansen ook.") == [
        "Mevr. J. de Vries komt morgen.", "Dhr. A.B. Jansen ook."
    ]


def test_enz_ends_a_sentence_only_before_a_capital():
    assert _sentences("Hij kocht appels, peren enz. Daarna ging hij naar huis.") == [
        "Hij kocht appels, peren enz.", "Daarna ging hij naar huis."
    ]
    assert len(_sentences("Appels, peren enz. zijn gezond.")) == 1


def test_question_marks_exclamations_and_line_breaks_end_sentences():
    assert _sentences("Hoe gaat het? Goed! Fijn.") == ["Hoe gaat het?", "Goed!", "Fijn."]
    assert _sentences("Vraag 1\nHoe gaat het met u\n\n- Goed\n- Slecht") == [
        "Vraag 1", "Hoe gaat het met u", "Goed", "Slecht"
    ]


def test_numbers_do_not_end_a_sentence():
    assert _sentences("Het kost 3.50 euro of 10.000 punten, om 12.30 uur.") == [
        "Het kost 3.50 euro of 10.000 punten, om 12.30 uur."
    ]


def test_dutch_apostrophes():
    words = [t.text for t in tokenize(normalise("Wat vind je 's avonds van zo'n auto's? Kies 'ja'."))]
    assert words == ["Wat", "vind", "je", "'s", "avonds", "van", "zo'n", "auto's", "Kies", "ja"]
    # Typographic apostrophes count the same and keep the offsets of the original text.
    text = "Wat doet u ’s avonds in zo’n dorp indien het regent?"
    report = check(text)
    assert report.words == 11
    [flag] = report.flags
    assert text[flag.start:flag.end] == flag.text == "indien"


def test_every_flag_points_at_its_exact_words():
    for text in (OFFICIAL, B1, "Indien’s avonds\n‘ontvangen’ wordt gegeven."):
        for flag in check(text).flags:
            assert text[flag.start:flag.end] == flag.text
            assert flag.kind in KINDS and flag.severity in SEVERITIES
            assert flag.suggestion and flag.suggestion[-1] in ".?"


@pytest.mark.parametrize("text", [
    "🙂🙂", "a" * 500, "1234", "www.example.nl of info@example.nl.", "((()))", "Ja.Nee.Ja.",
    "x\u200bx", "Één ’’ ‘‘ -- …",
])
def test_odd_input_never_breaks_the_checker(text):
    report = check(text)
    assert report.label in LABELS


# --- Speed -------------------------------------------------------------------------------------

def test_a_100_word_text_is_checked_well_under_50_ms():
    warm_up()
    words = (B1 + " " + OFFICIAL).split()[:100]
    text = " ".join(words)
    check(text)  # the first call fills the caches for these words
    timings = []
    for _ in range(7):
        t0 = time.perf_counter()
        check(text)
        timings.append(time.perf_counter() - t0)
    assert statistics.median(timings) < 0.050
    # A new, unknown word (every keystroke makes one) stays fast too.
    t0 = time.perf_counter()
    check(text + " zonnebloemveldjes")
    assert time.perf_counter() - t0 < 0.050


# --- The command line --------------------------------------------------------------------------

def _cli(app, text, *args):
    result = app.test_cli_runner().invoke(args=["b1-check", *args], input=text)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_cli_prints_json_in_the_agreed_shape(app):
    data = _cli(app, OFFICIAL)
    assert {"score", "label", "flags"} <= data.keys()
    assert isinstance(data["score"], float)
    assert data["label"] in LABELS
    assert data["flags"]
    for flag in data["flags"]:
        assert {"kind", "text", "suggestion"} <= flag.keys()
        assert flag["kind"] in KINDS
        assert isinstance(flag["text"], str) and flag["text"] in OFFICIAL
        assert isinstance(flag["suggestion"], str) and flag["suggestion"]
    assert {"kind": "officialese", "text": "Indien", "suggestion": "Schrijf 'Als' in plaats van 'Indien'."} in [
        {k: f[k] for k in ("kind", "text", "suggestion")} for f in data["flags"]
    ]


def test_cli_keeps_dutch_letters_and_handles_empty_input(app):
    data = _cli(app, "Het ideeën-formulier is geanonimiseerd.")
    assert any(f["text"] == "geanonimiseerd" for f in data["flags"])
    empty = _cli(app, "")
    assert (empty["score"], empty["label"], empty["flags"]) == (None, "makkelijk", [])


def test_cli_help_is_dutch(app):
    result = app.test_cli_runner().invoke(args=["b1-check", "--help"])
    assert result.exit_code == 0
    assert "Controleer een Nederlandse tekst op taalniveau B1" in result.output


# --- The app's own Dutch texts -----------------------------------------------------------------

_PLACEHOLDER = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]|%%")

# Flags in the app's own texts that are wrong (a false positive), with the reason. Empty now.
CATALOGUE_ALLOWED: dict[tuple[str, str], str] = {}


def _catalogue_texts():
    with open(ROOT / "translations" / "messages.pot", "rb") as f:
        catalog = read_po(f)
    for message in catalog:
        if not message.id:
            continue
        for text in message.id if isinstance(message.id, tuple) else (message.id,):
            # A placeholder stands for a number or a name: check it as a number.
            yield text, _PLACEHOLDER.sub("3", text)


def test_ui_texts_have_no_very_long_sentences_and_no_officialese():
    problems = []
    for original, text in _catalogue_texts():
        for flag in check(text).flags:
            # A formal word with a plain alternative is as wrong in the app as officialese.
            formal = flag.kind == "hard_word" and dict(flag.params).get("plain")
            bad = flag.kind == "officialese" or formal or (flag.kind == "long_sentence" and flag.severity == "strong")
            if bad and (flag.kind, flag.text) not in CATALOGUE_ALLOWED:
                problems.append(f"{flag.kind}: {flag.text!r} in {original!r}\n    {flag.suggestion}")
    assert not problems, "Make these UI texts plainer (B1: short sentences, everyday words):\n" + "\n".join(problems)


def test_catalogue_is_not_empty():
    assert sum(1 for _ in _catalogue_texts()) > 100


def test_the_checker_is_pure_python_without_flask():
    import ast

    for path in (ROOT / "peerinterview" / "plainlanguage").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                modules = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
                assert not any(m.split(".")[0].startswith("flask") for m in modules), path.name


def test_a_word_longer_than_any_compound_is_not_split(monkeypatch):
    """Splitting looks up every part, so its time grows with the square of the word's length: a
    pasted word of 20,000 letters kept the server busy for minutes. It is a long word, not split."""
    from peerinterview.plainlanguage import words

    looked_up = []
    monkeypatch.setattr(words, "zipf", lambda word: looked_up.append(word) or 0.0)
    words.compound_parts.cache_clear()
    assert words.compound_parts("ab" * 10_000, 3.0) is None
    assert looked_up == []
    monkeypatch.undo()
    words.compound_parts.cache_clear()
    assert words.compound_parts("treinkaartje", 3.0) == ("trein", "kaartje")
    assert "long_word" in {flag.kind for flag in check("Een " + "ab" * 10_000 + " hier.").flags}
