"""Aggregation helpers and small-group suppression: pure functions, no Flask, no database."""
from .multiple import NumberSummary, number_summary_or_none, suppress_multiple_choice
from .suppression import Cell, suppress_small_groups

__all__ = ["Cell", "suppress_small_groups", "NumberSummary", "number_summary_or_none", "suppress_multiple_choice"]
