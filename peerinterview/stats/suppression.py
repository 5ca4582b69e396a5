"""Small-group suppression (DESIGN.md §2).

A count from fewer people than the project's minimum is never shown. Because the total of a
question is shown, hiding one cell alone would let anyone work it back out (total minus the
rest); so when exactly one cell is hidden, the next smallest non-zero cell is hidden too
(secondary suppression). A question asked of fewer people than the minimum is hidden whole.
"""
from dataclasses import dataclass


@dataclass(frozen=True)
class Cell:
    key: str
    count: int | None  # None: hidden
    percent: int | None

    @property
    def hidden(self) -> bool:
        return self.count is None


def suppress_small_groups(counts: dict[str, int], total: int, min_size: int) -> tuple[list[Cell], bool]:
    """Cells in the order given, with small counts hidden; and whether the total may be shown."""
    if total < min_size:
        return [Cell(key, None, None) for key in counts], False
    hidden = {key for key, n in counts.items() if 0 < n < min_size}
    if len(hidden) == 1:
        candidates = sorted((n, key) for key, n in counts.items() if n > 0 and key not in hidden)
        if candidates:
            hidden.add(candidates[0][1])
    cells = []
    for key, n in counts.items():
        if key in hidden:
            cells.append(Cell(key, None, None))
        else:
            cells.append(Cell(key, n, round(100 * n / total) if total else 0))
    return cells, True
