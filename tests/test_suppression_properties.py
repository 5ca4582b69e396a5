"""Property-based tests (hypothesis) of the aggregation and of small-group hiding.

The attacker sees everything published: the shown numbers, the totals, which cells are hidden,
and on the results page that hidden cells are at least 1 (zeros are shown there; in a
breakdown zeros next to hidden cells are hidden too, so there a hidden cell may be 0). For every group a
reader could single out (a hidden cell, a hidden group, any set of hidden cells of one line),
we work out every value that is consistent with what is published; the property is that no
such group is pinned down to one value between 1 and the minimum - 1.
"""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peerinterview.stats import suppress_small_groups
from peerinterview.stats.suppression import suppress_table

# --- one question ----------------------------------------------------------------------------

counts_1d = st.lists(st.integers(min_value=0, max_value=14), min_size=1, max_size=7)
minimums = st.integers(min_value=2, max_value=10)


@given(counts=counts_1d, min_size=minimums)
def test_shown_numbers_are_never_small_and_keep_their_order(counts, min_size):
    keyed = {f"k{i}": n for i, n in enumerate(counts)}
    total = sum(counts)
    cells, total_shown = suppress_small_groups(keyed, total, min_size)
    assert [cell.key for cell in cells] == list(keyed)
    assert total_shown == (total >= min_size)
    for cell in cells:
        if not cell.hidden:
            assert cell.count == keyed[cell.key]
            assert cell.count == 0 or cell.count >= min_size
            assert cell.percent == round(100 * cell.count / total)


@given(counts=counts_1d, min_size=minimums)
def test_no_difference_of_published_numbers_reveals_a_small_group(counts, min_size):
    keyed = {f"k{i}": n for i, n in enumerate(counts)}
    total = sum(counts)
    cells, total_shown = suppress_small_groups(keyed, total, min_size)
    if not total_shown:
        assert all(cell.hidden for cell in cells)
        return
    hidden = [cell.key for cell in cells if cell.hidden]
    if not hidden:
        return
    rest = total - sum(cell.count for cell in cells if not cell.hidden)  # = the hidden cells together
    lower = 0 if len(hidden) == len(cells) else 1  # zeros are only hidden when everything is
    # A set T of hidden cells can be anything from |T|*lower to rest - (others)*lower: exact
    # for "each at least `lower`, all together `rest`".
    for size in range(1, len(hidden) + 1):
        low, high = size * lower, rest - (len(hidden) - size) * lower
        assert low <= high
        if low == high:
            assert low == 0 or low >= min_size, (keyed, min_size, hidden)
    assert rest == 0 or rest >= min_size


@given(counts=counts_1d, min_size=minimums)
def test_hiding_depends_on_the_counts_not_on_their_names(counts, min_size):
    a = suppress_small_groups({f"k{i}": n for i, n in enumerate(counts)}, sum(counts), min_size)
    b = suppress_small_groups({f"x{i}": n for i, n in enumerate(counts)}, sum(counts), min_size)
    assert [c.count for c in a[0]] == [c.count for c in b[0]]


# --- breakdowns (two-way tables) -------------------------------------------------------------

def _published(table, columns, min_size):
    """What the results page and the breakdown page publish together."""
    column_totals = {c: sum(row[c] for row in table.values()) for c in columns}
    overall, _ = suppress_small_groups(column_totals, sum(column_totals.values()), min_size)
    hidden_columns = {cell.key for cell in overall if cell.hidden}
    return overall, suppress_table(table, columns, min_size, hidden_columns)


def _consistent_tables(rows, columns, overall, result):
    """Every table (non-negative whole numbers) that would publish exactly the same."""
    shown_overall = {cell.key: cell.count for cell in overall if not cell.hidden}
    all_overall_hidden = len(shown_overall) == 0
    hidden_rows = result.hidden_rows
    free = [(r, c) for r in rows for c in columns if result.counts[(r, c)] is None]
    # A hidden cell of a breakdown may be 0: zeros in a line with hidden people are hidden too.
    lower = {key: 0 for key in free}
    row_left = {r: (None if r in hidden_rows else result.row_totals[r]
                    - sum(result.counts[(r, c)] or 0 for c in columns)) for r in rows}
    col_left = {c: (shown_overall[c] - sum(result.counts[(r, c)] or 0 for r in rows)
                    if c in shown_overall else None) for c in columns}
    left = result.total - sum(n for n in result.counts.values() if n is not None)

    def fill(i, values, row_left, col_left, left):
        if i == len(free):
            if left != 0 or any(v not in (None, 0) for v in row_left.values()) \
                    or any(v not in (None, 0) for v in col_left.values()):
                return
            full = {key: values.get(key, result.counts[key]) for key in result.counts}
            if len(hidden_rows) < len(rows) and any(sum(full[(r, c)] for c in columns) < 1 for r in hidden_rows):
                return  # a hidden group in a partly shown list is not empty
            if not all_overall_hidden and any(
                    sum(full[(r, c)] for r in rows) < 1 for c in columns if c not in shown_overall):
                return  # nor is a hidden answer on the results page
            yield dict(values)
            return
        r, c = free[i]
        high = left
        if row_left[r] is not None:
            high = min(high, row_left[r])
        if col_left[c] is not None:
            high = min(high, col_left[c])
        for v in range(lower[(r, c)], high + 1):
            values[(r, c)] = v
            row_left[r] = None if row_left[r] is None else row_left[r] - v
            col_left[c] = None if col_left[c] is None else col_left[c] - v
            yield from fill(i + 1, values, row_left, col_left, left - v)
            row_left[r] = None if row_left[r] is None else row_left[r] + v
            col_left[c] = None if col_left[c] is None else col_left[c] + v
        values.pop((r, c), None)

    yield from fill(0, {}, row_left, col_left, left)


small_tables = st.integers(min_value=2, max_value=3).flatmap(
    lambda n_rows: st.integers(min_value=2, max_value=3).flatmap(
        lambda n_cols: st.lists(
            st.lists(st.integers(min_value=0, max_value=6), min_size=n_cols, max_size=n_cols),
            min_size=n_rows, max_size=n_rows,
        )
    )
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(grid=small_tables, min_size=st.integers(min_value=3, max_value=5))
def test_breakdown_reveals_no_small_group_through_any_total_or_difference(grid, min_size):
    rows = [f"g{i}" for i in range(len(grid))]
    columns = [f"a{j}" for j in range(len(grid[0]))]
    table = {r: dict(zip(columns, values)) for r, values in zip(rows, grid)}
    overall, result = _published(table, columns, min_size)
    if not result.shown:
        assert all(n is None for n in result.counts.values())
        return
    # Shown numbers are the true ones and never small.
    for (r, c), n in result.counts.items():
        if n is not None:
            assert n == table[r][c] and (n == 0 or n >= min_size)
    for r, n in result.row_totals.items():
        if n is not None:
            assert n == sum(table[r].values()) and (n == 0 or n >= min_size)
    free = [key for key, n in result.counts.items() if n is None]
    if not free:
        return
    # Groups a reader could single out: each hidden cell, each hidden group, each hidden
    # answer's total, and the hidden cells of one group or one answer together.
    groups = [[key] for key in free]
    groups += [[(r, c) for c in columns] for r in result.hidden_rows]
    groups += [[(r, c) for r in rows] for c in columns if any(cell.key == c and cell.hidden for cell in overall)]
    groups += [[key for key in free if key[0] == r] for r in rows]
    groups += [[key for key in free if key[1] == c] for c in columns]
    groups = [g for g in groups if g]
    possible = [set() for _ in groups]
    for values in _consistent_tables(rows, columns, overall, result):
        full = {key: values.get(key, result.counts[key]) for key in result.counts}
        for i, group in enumerate(groups):
            possible[i].add(sum(full[key] for key in group))
    for group, values in zip(groups, possible):
        true = sum(table[r][c] for r, c in group)
        assert true in values
        if len(values) == 1:
            assert true == 0 or true >= min_size, (grid, min_size, group, values)
