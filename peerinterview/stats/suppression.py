"""Small-group suppression (DESIGN.md §2).

A count from fewer people than the project's minimum is never shown. Hiding one cell is not
enough: the total of a question is shown, so anyone could work a hidden cell back out (total
minus the rest). The rule for every line of numbers whose total is known (a question, one
group of a breakdown, one answer over all groups):

  the hidden cells of the line add up to 0, or to at least the minimum; there are at least two
  of them; and they add up to more than the number of hidden cells that cannot be 0.

The first part stops differences of totals revealing a small group; the second stops one
hidden cell being the total minus the rest; the third stops "all hidden cells are 1". When a
line breaks the rule, its smallest shown non-zero cell is hidden too (secondary suppression),
until every line holds.

Every hidden cell is published in the same way ("niet getoond"): if the protecting cells were
marked as "not small", a reader could use that (at least the minimum) to narrow the small
cells down, for example 7 + 5 + 1 = 13 with "1" small and "5" protecting gives 5 and 1 exactly.

A question asked of fewer people than the minimum is hidden whole.
"""
from dataclasses import dataclass, field


SMALL = "small"  # fewer people than the minimum
PROTECTS = "protects"  # not small itself, hidden so that a small cell cannot be worked out
TOO_FEW_ASKED = "too_few_asked"


@dataclass(frozen=True)
class Cell:
    key: str
    count: int | None  # None: hidden
    percent: int | None
    hidden_because: str | None = None

    @property
    def hidden(self) -> bool:
        return self.count is None


def _percent(n: int, total: int) -> int:
    return round(100 * n / total) if total else 0


def _line_is_safe(hidden_sum: int, hidden: int, hidden_not_zero: int, min_size: int) -> bool:
    if hidden == 0 or (hidden_sum == 0 and hidden_not_zero == 0):
        return True
    return hidden >= 2 and hidden_sum >= min_size and hidden_sum > hidden_not_zero


def suppress_small_groups(counts: dict[str, int], total: int, min_size: int) -> tuple[list[Cell], bool]:
    """Cells in the order given, with small counts hidden; and whether the total may be shown.

    `counts` must add up to `total` (every person in exactly one cell)."""
    if total < min_size:
        return [Cell(key, None, None, TOO_FEW_ASKED) for key in counts], False
    small = {key for key, n in counts.items() if 0 < n < min_size}
    hidden = set(small)
    while not _line_is_safe(sum(counts[k] for k in hidden), len(hidden), len(hidden), min_size):
        candidates = sorted((n, key) for key, n in counts.items() if n > 0 and key not in hidden)
        if not candidates:
            # Every non-zero cell is hidden and still too few: hide the zeros as well, so that
            # no cell is known to be at least 1.
            hidden = set(counts)
            break
        hidden.add(candidates[0][1])
    cells = []
    for key, n in counts.items():
        if key in hidden:
            cells.append(Cell(key, None, None, SMALL if key in small else PROTECTS))
        else:
            cells.append(Cell(key, n, _percent(n, total)))
    return cells, True


# --- breakdowns (two-way tables) -------------------------------------------------------------

@dataclass
class SuppressedTable:
    """A breakdown: rows are groups (a location, or an answer to another question), columns
    are the answers to the question, every person in exactly one cell."""

    rows: list[str]
    columns: list[str]
    counts: dict[tuple[str, str], int | None]  # None: hidden
    row_totals: dict[str, int | None]  # None: the whole group is hidden
    total: int
    shown: bool  # False: fewer people than the minimum, nothing is shown
    hidden_rows: set[str] = field(default_factory=set)
    hidden_columns: set[str] = field(default_factory=set)

    def percent(self, row: str, column: str) -> int | None:
        n, row_total = self.counts[(row, column)], self.row_totals[row]
        return None if n is None or row_total is None else _percent(n, row_total)


def suppress_table(table: dict[str, dict[str, int]], columns: list[str], min_size: int,
                   hidden_columns: set[str] | frozenset = frozenset()) -> SuppressedTable:
    """Hide small cells and small groups of a breakdown so that nothing small can be worked out.

    Published with the table: every shown group's total, the grand total, and the overall
    count per answer (the results page). `hidden_columns` are the answers whose overall count
    the results page hides: their column is hidden whole here. Every line (a shown group, an
    answer whose overall count is shown) then follows the rule at the top of this module;
    zeros in such a line are hidden as well, so a hidden cell may be 0."""
    rows = list(table)
    value = {(r, c): table[r].get(c, 0) for r in rows for c in columns}
    row_total = {r: sum(value[(r, c)] for c in columns) for r in rows}
    total = sum(row_total.values())
    if total < min_size:
        return SuppressedTable(rows, columns, {key: None for key in value}, {r: None for r in rows},
                               total, False, set(rows), set(columns))

    # Groups first: a small group is hidden whole, and so many others that it cannot be worked out.
    group_cells, _ = suppress_small_groups(row_total, total, min_size)
    hidden_rows = {cell.key for cell in group_cells if cell.hidden}
    hidden_cols = set(hidden_columns) & set(columns)
    # Cells whose value a reader cannot know; those in a shown group and answer are never 0.
    unknown = {key for key in value if key[0] in hidden_rows or key[1] in hidden_cols}
    not_zero = {key for key, n in value.items() if key not in unknown and 0 < n < min_size}
    unknown |= not_zero

    def lines():
        for r in rows:
            if r not in hidden_rows:
                yield [(r, c) for c in columns]
        for c in columns:
            if c not in hidden_cols:
                yield [(r, c) for r in rows]

    changed = True
    while changed:
        changed = False
        for line in lines():
            hidden = [key for key in line if key in unknown]
            hidden_sum = sum(value[key] for key in hidden)
            if _line_is_safe(hidden_sum, len(hidden), sum(key in not_zero for key in hidden), min_size):
                continue
            candidates = sorted((value[key], key) for key in line if key not in unknown and value[key] > 0)
            if candidates:
                key = candidates[0][1]
                unknown.add(key)
                not_zero.add(key)
                changed = True
            else:
                # Only zeros are left: hide them too, so that no hidden cell is known to be 1 or more.
                zeros = [key for key in line if key not in unknown]
                unknown.update(zeros)
                changed = changed or bool(zeros)
    # Zeros in a line with hidden people are hidden too: else a reader knows that every hidden
    # cell there is at least 1, and a line of hidden ones could be worked out (1 + 1 + 1 = 3).
    # (A group of 0 people, or an answer nobody gave, is shown as 0, and so are its cells.)
    column_total = {c: sum(value[(r, c)] for r in rows) for c in columns}
    for line in list(lines()):
        if sum(value[key] for key in line if key in unknown) > 0:
            unknown.update(key for key in line
                           if value[key] == 0 and row_total[key[0]] > 0 and column_total[key[1]] > 0)
    counts = {key: (None if key in unknown else n) for key, n in value.items()}
    totals = {r: (None if r in hidden_rows else row_total[r]) for r in rows}
    return SuppressedTable(rows, columns, counts, totals, total, True, hidden_rows, hidden_cols)
