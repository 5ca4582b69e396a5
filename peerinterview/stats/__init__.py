"""Aggregation helpers and small-group suppression: pure functions, no Flask, no database."""
from .cells import Cell, NumberSummary, number_summary_or_none
from .linked import Problem, protect

__all__ = ["Cell", "NumberSummary", "Problem", "number_summary_or_none", "protect"]
