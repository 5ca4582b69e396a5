"""The identifying-details scanner: realistic open answers, with matches and non-matches."""
import itertools
import time

import pytest

from peerinterview.privacy.identifying import (
    KINDS,
    Finding,
    count_by_kind,
    find_identifying,
)


def found(text):
    return [(f.kind, f.text) for f in find_identifying(text)]


def test_finding_offsets_point_into_the_text():
    text = "Mijn begeleider Jan de Vries belt me op 06-12345678."
    findings = find_identifying(text)
    assert findings == [
        Finding(16, 28, "name", "Jan de Vries"),
        Finding(40, 51, "phone", "06-12345678"),
    ]
    for finding in findings:
        assert text[finding.start:finding.end] == finding.text
        assert finding.kind in KINDS


@pytest.mark.parametrize("text, number", [
    ("Je kunt me bellen op 06-12345678 als er iets is.", "06-12345678"),
    ("Mijn nummer is 0612345678.", "0612345678"),
    ("Bel me op 06 1234 5678, liefst na vijf uur.", "06 1234 5678"),
    ("Haar nummer: +31 6 12345678", "+31 6 12345678"),
    ("Whatsapp naar +31612345678 werkt het best.", "+31612345678"),
    ("Het kantoor heeft 020-1234567 als nummer.", "020-1234567"),
    ("Bel (030) 123 45 67 voor een afspraak.", "(030) 123 45 67"),
    ("Mijn vaste nummer is +31 (0)20 123 4567.", "+31 (0)20 123 4567"),
    ("Ze belde vanaf 0031 10 1234567 naar mij.", "0031 10 1234567"),
])
def test_dutch_phone_numbers(text, number):
    assert found(text) == [("phone", number)]


@pytest.mark.parametrize("text", [
    "Ik heb 3 keer gebeld en 2 uur gewacht, in 2019 en 2020.",
    "Het dossiernummer is 0612345678901.",   # longer than a phone number
    "Mijn afspraak was op 01-02-2023 om 10.30 uur.",
    "Ik betaal 120 euro per maand, dat is 1440 per jaar.",
    "Bel 112 als het misgaat.",
])
def test_numbers_that_are_not_phone_numbers(text):
    assert [kind for kind, _ in found(text)] == []


def test_email_addresses():
    text = "Mail naar kees.jansen@hotmail.com of naar info@zorg-thuis.nl, dat mag ook."
    assert found(text) == [("email", "kees.jansen@hotmail.com"), ("email", "info@zorg-thuis.nl")]


def test_an_at_sign_alone_is_no_email_address():
    assert found("Ik was @ thuis, zo zeg je dat toch? Of op twitter @zorg.") == []


@pytest.mark.parametrize("text, address", [
    ("Ik woon aan de Kerkstraat 12 sinds vorig jaar.", "Kerkstraat 12"),
    ("Ons huis is Dorpsweg 3a, vlak bij de kerk.", "Dorpsweg 3a"),
    ("Sinds 2015 woon ik aan de Burgemeester de Vlugtlaan 123 hs.",
     "Burgemeester de Vlugtlaan 123 hs"),
    ("De woning op de Jan van Galenstraat 44 is te klein.", "Jan van Galenstraat 44"),
    ("We wonen op de Van Woustraat 4-2, drie hoog.", "Van Woustraat 4-2"),
    ("Het kantoor zit aan de Oudegracht 158.", "Oudegracht 158"),
    ("Ze woont op het Stationsplein 1.", "Stationsplein 1"),
    ("Mijn moeder woont op de prinsengracht 263 in een klein huis.", "prinsengracht 263"),
])
def test_street_addresses(text, address):
    assert ("address", address) in found(text)


def test_postcode_is_an_address_detail():
    assert found("Mijn postcode is 3511 AB, dat weet ik uit mijn hoofd.") == [("address", "3511 AB")]
    assert found("Stuur het naar 1012ab.") == [("address", "1012ab")]


@pytest.mark.parametrize("text", [
    "Ik reed 3 keer over de snelweg 2 uur lang.",
    "Ik liep 2 keer per dag door het park 1 rondje.",
    "In 2019 en 2020 ging het slecht, in 2021 beter.",
    "Er waren 1500 SS-ers, zei de man op tv.",  # SS is never a postcode
    "Ik moest 4 weken wachten op een plek.",
])
def test_ordinary_sentences_have_no_address(text):
    assert [kind for kind, _ in found(text) if kind == "address"] == []


@pytest.mark.parametrize("text, name", [
    ("Mijn begeleider Jan de Vries komt elke week.", "Jan de Vries"),
    ("Mijn buurvrouw heet Fatima en ze helpt me.", "Fatima"),
    ("Mevrouw de Boer van de gemeente was aardig.", "de Boer"),
    ("meneer Van Dijk zei dat ik moest wachten", "Van Dijk"),
    ("Ik kreeg veel hulp van Sandra.", "Sandra"),
    ("Ik praat vaak met Yilmaz over de buurt.", "Yilmaz"),
    ("mijn begeleider jan is heel lief", "jan"),          # typed without a capital
    ("Gelukkig is Piet Jansen er altijd voor mij.", "Piet Jansen"),
    ("Mijn woonbegeleidster, Anouk, luistert goed.", "Anouk"),
    ("Dokter: Hendriks had geen tijd.", "Hendriks"),
])
def test_names_of_persons(text, name):
    assert ("name", name) in found(text)


@pytest.mark.parametrize("text", [
    "De begeleiding is goed, ik voel me gehoord.",
    "Mijn begeleider is heel aardig en luistert.",
    "Ben je tevreden? Wil je meer hulp? Ja, best wel.",
    "Ik werk bij Albert Heijn en met Kerst ben ik vrij.",
    "Ik heb een afspraak bij de Voedselbank op Maandag.",
    "Het gaat goed met mij. Ik heb geen klachten over de Wmo.",
    "Ik spreek Nederlands en een beetje Turks.",
])
def test_sentences_without_names(text):
    assert [kind for kind, _ in found(text) if kind == "name"] == []


@pytest.mark.parametrize("text, place", [
    ("Ik woon al tien jaar in Utrecht.", "Utrecht"),
    ("Vroeger woonde ik in Den Haag, nu in een dorp.", "Den Haag"),
    ("Mijn zus woont in 's-Hertogenbosch.", "'s-Hertogenbosch"),
    ("De dagbesteding is in Alphen aan den Rijn.", "Alphen aan den Rijn"),
    ("We gingen naar Amsterdam-Noord met de bus.", "Amsterdam-Noord"),
])
def test_places(text, place):
    assert found(text) == [("place", place)]


def test_places_that_are_ordinary_words_are_left_alone():
    assert found("Best goed eigenlijk. Echt waar, het gaat prima.") == []
    # a lowercase word that happens to be a city elsewhere is not a place
    assert found("Ik ga met de bus naar huis.") == []


def test_a_full_answer_with_everything_in_it():
    text = ("Mijn begeleider Petra belt me op 06-12345678. Ik woon aan de Kerkstraat 12a, "
            "3511 AB Utrecht. Mail: petra@wijkteam.nl")
    assert found(text) == [
        ("name", "Petra"),
        ("phone", "06-12345678"),
        ("address", "Kerkstraat 12a"),
        ("address", "3511 AB"),
        ("place", "Utrecht"),
        ("email", "petra@wijkteam.nl"),
    ]
    assert count_by_kind(find_identifying(text)) == {
        "name": 1, "phone": 1, "email": 1, "address": 2, "place": 1}


def test_findings_never_overlap_and_the_address_wins_over_name_and_place():
    text = "Jan van Galenstraat 44, Den Haag. Ik ken Jan van Dijk uit Den Haag."
    findings = find_identifying(text)
    assert [(f.kind, f.text) for f in findings] == [
        ("address", "Jan van Galenstraat 44"),
        ("place", "Den Haag"),
        ("name", "Jan van Dijk"),
        ("place", "Den Haag"),
    ]
    for earlier, later in itertools.pairwise(findings):
        assert earlier.end <= later.start


def test_empty_and_plain_text():
    assert find_identifying("") == []
    assert find_identifying("Het eten is lekker en het personeel is vriendelijk.") == []


def test_long_and_odd_input_is_handled_quickly():
    pieces = ["a" * 5000, "straat" * 1000, "Aa " * 3000, "0" * 5000, "van " * 3000,
              "\u202e\u0000\x07 ☃ " * 500]
    started = time.perf_counter()
    for piece in pieces:
        find_identifying(piece)
    assert time.perf_counter() - started < 5


def test_segments_rebuild_the_text_with_kinds():
    from peerinterview.privacy.identifying import segments

    text = "Bel Sandra op 06-12345678 vandaag."
    parts = segments(text)
    assert "".join(part for part, _ in parts) == text
    assert parts == [("Bel ", None), ("Sandra", "name"), (" op ", None),
                     ("06-12345678", "phone"), (" vandaag.", None)]
    assert segments("") == []
