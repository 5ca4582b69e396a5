"""Property tests (hypothesis) of small-group suppression on its own: one question, and a
breakdown with the counts of both questions on the results page. A reader who solves all
published numbers together in whole numbers (tests/attacker.py) pins no hidden count of 1 to
minimum - 1 people, and no shown count is small. The whole app is tested the same way in
tests/test_small_groups_attacker.py."""
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peerinterview.stats import Problem, protect

from .attacker import Attacker

minimums = st.integers(min_value=2, max_value=10)


def _check(values, lines, hidden, min_size):
    for key, n in values.items():
        if key not in hidden:
            assert n == 0 or n >= min_size, (key, n)
    attacker = Attacker(min_size)
    for key, n in values.items():
        attacker.var(key, n)
    for line in lines:
        attacker.sum_is(line, sum(values[key] for key in line))
    for key, n in values.items():
        attacker.see(key, None if key in hidden else n)
    assert attacker.pinned() == []


@settings(max_examples=150, deadline=None)
@given(counts=st.lists(st.integers(min_value=0, max_value=14), min_size=1, max_size=7), min_size=minimums)
def test_one_question_reveals_no_small_group(counts, min_size):
    values = {f"k{i}": n for i, n in enumerate(counts)}
    if sum(counts) < min_size:
        return  # too few interviews: the pages show nothing at all
    lines = [tuple(values)]
    hidden = protect(Problem(values, lines), min_size)
    _check(values, lines, hidden, min_size)


tables = st.integers(min_value=2, max_value=4).flatmap(
    lambda rows: st.integers(min_value=2, max_value=4).flatmap(
        lambda cols: st.lists(st.lists(st.integers(min_value=0, max_value=8), min_size=cols, max_size=cols),
                              min_size=rows, max_size=rows)))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(grid=tables, min_size=st.integers(min_value=3, max_value=6))
def test_a_breakdown_with_both_questions_counts_reveals_no_small_group(grid, min_size):
    rows, cols = range(len(grid)), range(len(grid[0]))
    if sum(map(sum, grid)) < min_size:
        return
    values = {("r", r): sum(grid[r]) for r in rows}
    values.update({("c", c): sum(grid[r][c] for r in rows) for c in cols})
    margin_lines = [tuple(("r", r) for r in rows), tuple(("c", c) for c in cols)]
    margins = protect(Problem(dict(values), margin_lines), min_size)
    # The breakdown: the margins as they are, each row and column adding up to its count.
    cells = {("t", r, c): grid[r][c] for r in rows for c in cols}
    all_values = {**values, **cells}
    lines = list(margin_lines)
    lines += [tuple(("t", r, c) for c in cols) for r in rows if ("r", r) not in margins]
    lines += [tuple(("t", r, c) for r in rows) for c in cols if ("c", c) not in margins]
    equalities = [({**{("t", r, c): 1 for c in cols}, ("r", r): -1}, 0) for r in rows]
    equalities += [({**{("t", r, c): 1 for r in rows}, ("c", c): -1}, 0) for c in cols]
    given_hidden = set(margins) | {("t", r, c) for r in rows for c in cols
                                   if ("r", r) in margins or ("c", c) in margins}
    shown_margins = {key for key in values if key not in margins}
    hidden = protect(Problem(all_values, lines, set(), given_hidden, shown_margins, [], equalities), min_size)
    assert hidden & set(values) == margins  # the results page's numbers stay as they were
    attacker = Attacker(min_size)
    for key, n in all_values.items():
        attacker.var(key, n)
    for line in margin_lines:
        attacker.sum_is(line, sum(values[key] for key in line))
    for terms, value in equalities:
        attacker.equal(terms, value)
    for key, n in all_values.items():
        attacker.see(key, None if key in hidden else n)
        if key not in hidden:
            assert n == 0 or n >= min_size
    assert attacker.pinned() == []
