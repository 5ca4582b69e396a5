"""Demo data for Samen bespreken: a few themes with cards sorted into them, a finding, a
recommendation with votes and an approved quote. Called from peerinterview/demo.py."""
from ..models import User
from .services import (
    add_card,
    add_recommendation,
    approved_quotes,
    create_theme,
    decide_quote,
    project_cards,
    propose_quote,
    rename_theme,
    save_finding,
    vote,
)

# Theme name and words that put a card in it (a card may land in more than one).
DEMO_THEMES = (
    ("Rust en drukte", ("druk", "rust", "ruzie", "onrustig", "stille")),
    ("Contact met medewerkers", ("medewerkers", "luisteren", "geholpen", "helpen", "klacht")),
    ("Eten en verzorging", ("eten", "koffie", "douchen", "wassen")),
)
# What belongs in each theme and its colour (they go into the REFI-QDA codebook too).
DEMO_THEME_DETAILS = {
    "Rust en drukte": ("Hoe druk of rustig het is. Ook ruzie en een plek om tot rust te komen.", "#56B4E9"),
    "Contact met medewerkers": ("Of medewerkers luisteren en helpen.", "#E69F00"),
    "Eten en verzorging": ("Eten, drinken, wassen en douchen.", "#009E73"),
}
DEMO_FINDING = ("recognise", "Ja. 's Avonds is het vaak te druk. Dat zien we zelf ook.")
DEMO_RECOMMENDATION = "Maak een stille kamer waar mensen tot rust kunnen komen."


def create_demo_panel(project, *, staff: User, panel: User) -> None:
    """Sort the demo cards into themes (as the panel member), then discuss. The caller commits."""
    cards = project_cards(project.id)
    themes = {}
    for name, words in DEMO_THEMES:
        theme = create_theme(project, name, by=panel)
        description, colour = DEMO_THEME_DETAILS[name]
        rename_theme(theme, name, version=theme.version, by=panel, description=description, colour=colour)
        themes[name] = theme
        for card in cards:
            if any(word in card.text.lower() for word in words):
                add_card(theme, card, by=panel)
    calm = themes["Rust en drukte"]
    save_finding(calm, DEMO_FINDING[0], DEMO_FINDING[1], version=0, by=panel)
    recommendation = add_recommendation(calm, DEMO_RECOMMENDATION, by=panel)
    vote(recommendation, 3, by=panel)
    vote(recommendation, 2, by=staff)
    quiet = next((c for c in cards if "stille kamer" in c.text.lower()), None)
    if quiet is not None and not approved_quotes(project.id):
        quote = propose_quote(project, quiet, by=panel)
        decide_quote(quote, approve=True, text=quiet.text, version=quote.version, by=staff)
