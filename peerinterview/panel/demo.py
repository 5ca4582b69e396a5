"""Demo data for Samen bespreken: a few themes with cards sorted into them, a finding, a
recommendation with votes and an approved quote. Called from peerinterview/demo.py."""
from ..models import User
from .rounds import decide, finish, sort_in_round, start_round
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
    create_demo_round(project, staff=staff, panel=panel, themes=themes, cards=cards)


def create_demo_round(project, *, staff: User, panel: User, themes: dict, cards: list) -> None:
    """A finished round "ieder apart" on the answers to one question: the panel member sorts by
    the demo's words, the facilitator differs on some cards; the first card they differ on is
    decided together. So the comparison has agreement and difference to look at."""
    question = cards[0].question if cards else None
    chosen = [c for c in cards if c.question == question][:12]
    if len(chosen) < 2:
        return
    round_ = start_round(project, question, chosen, [panel, staff], by=staff)
    by_words = {card.key: [themes[name] for name, words in DEMO_THEMES
                           if any(word in card.text.lower() for word in words)] for card in chosen}
    for member in round_.members:
        for i, card in enumerate(chosen):
            picks = by_words[card.key]
            if member.user_id == staff.id and i % 3 == 1:
                picks = picks[1:] if picks else [themes["Rust en drukte"]]  # where the two differ
            for theme in picks:
                sort_in_round(round_, member, theme, card, add=True)
        finish(round_, member, by=panel if member.user_id == panel.id else staff)
    differ = next((c for i, c in enumerate(chosen) if i % 3 == 1), None)
    if differ is not None:
        decide(round_, differ, by_words[differ.key] or [themes["Rust en drukte"]], version=0, by=panel)
