"""Aggregation helpers and small-group suppression: pure functions, no Flask, no database."""
from .suppression import Cell, suppress_small_groups

__all__ = ["Cell", "suppress_small_groups"]
