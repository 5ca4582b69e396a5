"""Small-group suppression (DESIGN.md §2).

A count from fewer people than the project's minimum is never shown. Because the total of a
question is shown, hiding one cell alone would let anyone work it back out (total minus the
rest); so when exactly one cell is hidden, the next smallest non-zero cell is hidden too
(secondary suppression). A question asked of fewer people than the minimum is hidden whole.
"""
from dataclasses import dataclass


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


def suppress_small_groups(counts: dict[str, int], total: int, min_size: int) -> tuple[list[Cell], bool]:
    """Cells in the order given, with small counts hidden; and whether the total may be shown."""
    if total < min_size:
        return [Cell(key, None, None, TOO_FEW_ASKED) for key in counts], False
    small = {key for key, n in counts.items() if 0 < n < min_size}
    protecting = set()
    if len(small) == 1:
        candidates = sorted((n, key) for key, n in counts.items() if n > 0 and key not in small)
        if candidates:
            protecting.add(candidates[0][1])
    cells = []
    for key, n in counts.items():
        if key in small:
            cells.append(Cell(key, None, None, SMALL))
        elif key in protecting:
            cells.append(Cell(key, None, None, PROTECTS))
        else:
            cells.append(Cell(key, n, round(100 * n / total) if total else 0))
    return cells, True
