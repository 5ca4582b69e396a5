"""How much the members of a round agreed: the share of cards they sorted into exactly the
same themes, and Krippendorff's alpha.

Alpha is computed here, not with the `krippendorff` package: that package needs numpy for a
sum over a few hundred values, and the computation is short. It follows Krippendorff (2011),
"Computing Krippendorff's alpha-reliability", with the nominal difference function; the tests
check it against the worked examples in that paper.

A card may go into several themes, so each (card, theme) pair is one unit with a binary value:
1 when the member put the card in that theme, 0 when not. Every theme that could be chosen is
a unit for every card, so choosing no theme for a card counts as agreeing it is in none.
"""
from collections import Counter
from itertools import permutations


def nominal_alpha(units) -> float | None:
    """Krippendorff's alpha for nominal values. `units` is a list of units, each the list of the
    values the coders gave (None where a coder gave none). Units with fewer than two values do not
    count. None when there is no variation at all (alpha is then not defined)."""
    coincidences = Counter()
    for unit in units:
        values = [v for v in unit if v is not None]
        if len(values) < 2:
            continue
        weight = 1 / (len(values) - 1)
        for a, b in permutations(values, 2):
            coincidences[(a, b)] += weight
    totals = Counter()
    for (a, _b), count in coincidences.items():
        totals[a] += count
    n = sum(totals.values())
    expected = sum(totals[a] * totals[b] for a in totals for b in totals if a != b)
    if n <= 1 or expected == 0:
        return None
    observed = sum(count for (a, b), count in coincidences.items() if a != b)
    return 1 - (n - 1) * observed / expected


def binary_units(choices: dict, theme_ids) -> list[list[int]]:
    """The (card, theme) units of a round. `choices` maps each card key to one set of theme ids
    per member (in the same member order for every card)."""
    return [[1 if theme_id in chosen else 0 for chosen in members]
            for members in choices.values() for theme_id in theme_ids]


def agreed_cards(choices: dict) -> int:
    """How many cards every member sorted into exactly the same themes."""
    return sum(1 for members in choices.values() if members and all(m == members[0] for m in members))
