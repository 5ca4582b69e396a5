"""Small-group suppression for the question kinds whose counts are no partition of the people
asked (DESIGN.md §2): multiple choice (one person may count for several answers) and numbers.

Multiple choice: each answer is a yes/no split of the people asked (chose it, or not). Both
sides must be big enough: a count from fewer people than the minimum is hidden, and so is a
count that leaves fewer than the minimum who did not choose it (shown, it would say how many
people are in that small group). When the people who chose anything at all are a hidden group
themselves, every answer is hidden: their counts would give that group away.

Numbers: the count, smallest, largest, average and middle value of the numbers given are shown
only when at least the minimum number of people gave a number, and that group is not hidden.
"""
from dataclasses import dataclass

from .suppression import PROTECTS, SMALL, TOO_FEW_ASKED, Cell


def suppress_multiple_choice(counts: dict[str, int], total: int, min_size: int,
                             answered_hidden: bool = False) -> list[Cell]:
    """Cells per answer, in the order given; `total` is the number of people asked."""
    cells = []
    for key, n in counts.items():
        if total < min_size:
            cells.append(Cell(key, None, None, TOO_FEW_ASKED))
        elif 0 < n < min_size:
            cells.append(Cell(key, None, None, SMALL))
        elif 0 < total - n < min_size or (answered_hidden and n > 0):
            cells.append(Cell(key, None, None, PROTECTS))
        else:
            cells.append(Cell(key, n, round(100 * n / total) if total else 0))
    return cells


@dataclass(frozen=True)
class NumberSummary:
    count: int  # people who gave a number
    minimum: int
    maximum: int
    mean: float
    median: float | None = None


def number_summary_or_none(summary: NumberSummary | None, min_size: int,
                           given_hidden: bool = False) -> NumberSummary | None:
    """The summary, or None when too few people gave a number (or that group is hidden)."""
    if summary is None or summary.count < min_size or given_hidden:
        return None
    return summary
