"""What a page shows of one count, and the summary of a number question: plain values, no
Flask, no database. Which counts are hidden is decided in linked.py."""
from dataclasses import dataclass


@dataclass(frozen=True)
class Cell:
    key: str
    count: int | None  # None: hidden ("niet getoond"), whatever the reason
    percent: int | None

    @property
    def hidden(self) -> bool:
        return self.count is None


@dataclass(frozen=True)
class NumberSummary:
    count: int  # people who gave a number
    minimum: int
    maximum: int
    mean: float
    median: float | None = None


def number_summary_or_none(summary: NumberSummary | None, min_size: int,
                           given_hidden: bool = False) -> NumberSummary | None:
    """The summary, or None when the number of people who gave a number is hidden (or small)."""
    if summary is None or summary.count < min_size or given_hidden:
        return None
    return summary
