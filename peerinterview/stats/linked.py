"""Small-group suppression over numbers that are linked to each other.

A reader sees many numbers about the same people: the answers to every question, the same
answers per location or per answer to another question, the people who were not asked a
question because of an earlier answer. Each number is a *cell*. A *line* is a set of cells whose
sum the reader knows: the answers to one question add up to the number of interviews, a shown
row of a breakdown adds up to the group's size, the people asked a follow-up question are the
people who gave the answers that lead to it.

`protect` decides which cells to hide so that a reader who combines every line cannot single out
a group of fewer than `min_size` people:

1. Every cell with 1 to `min_size` - 1 people is hidden (the primary cells).
2. In every line, the hidden cells add up to 0 or to at least `min_size`, and there are at least
   two of them; otherwise the smallest shown cell of the line is hidden as well.
3. If the hidden cells of a line could each be worked down to fewer than `min_size` because
   each holds at least one person (3 + 2 = 5 with two hidden cells: each is 1 to 4), the line's
   zeros are hidden as well (then a hidden cell may be empty), or else one more cell.
4. Combining everything: a reader can solve all lines (and what else is known, `at_most`)
   together in whole numbers. When that pins a primary cell between 1 and `min_size` - 1 (it can
   be neither empty nor big), more cells are hidden in its lines, until nothing is pinned.

A *structural* cell is one that anyone who knows the questionnaire knows to be 0 (a follow-up
question cannot be answered by someone who was not asked it). It is never counted as hiding
anything. The function is deterministic: the same cells and lines give the same answer, whichever
page asks, so the same number is hidden on every page that shows it.
"""
import hashlib
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import lil_matrix

from ..process_cache import ProcessCache

Key = Hashable


@dataclass
class Problem:
    values: Mapping[Key, int]  # every cell, with its true value
    lines: list[tuple[Key, ...]]  # cells whose sum the reader knows
    structural: set[Key] = field(default_factory=set)  # known to be 0
    hidden: set[Key] = field(default_factory=set)  # hidden whatever the counts (e.g. a hidden group)
    keep_shown: set[Key] = field(default_factory=set)  # published anyway (never hidden)
    # What else the reader knows: sum(coefficient * cell) <= bound (e.g. an answer of a
    # multiple-choice question is ticked by no more people than ticked anything).
    at_most: list[tuple[dict[Key, int], int]] = field(default_factory=list)
    # And sums that are not lines because a term is subtracted: sum(coefficient * cell) == value
    # (a breakdown's row adds up to a count on the results page).
    equalities: list[tuple[dict[Key, int], int]] = field(default_factory=list)

    def signature(self, min_size: int) -> tuple:
        """Everything the answer depends on, to keep the answer per process."""
        def ordered(keys):
            return tuple(sorted(keys, key=repr))

        return (min_size, tuple(sorted(self.values.items(), key=repr)), tuple(self.lines),
                ordered(self.structural), ordered(self.hidden), ordered(self.keep_shown),
                tuple((tuple(sorted(terms.items(), key=repr)), bound) for terms, bound in self.at_most),
                tuple((tuple(sorted(terms.items(), key=repr)), value) for terms, value in self.equalities))


_answers = ProcessCache("suppression_answers", limit=256)


def protect(problem: Problem, min_size: int, *, last_resort: set[Key] = frozenset()) -> set[Key]:
    """The cells to hide (never a structural or kept cell). The same problem gives the same
    answer; it is kept per process, so a page shown again costs nothing.

    When hiding cells one by one cannot stop a reader from pinning a small group (the numbers
    that pin it are all fixed elsewhere), every cell of `last_resort` is hidden as well."""
    def solve():
        hidden, pinned = _protect(problem, min_size)
        if pinned and last_resort:
            hidden |= {key for key in last_resort
                       if key not in problem.structural and key not in problem.keep_shown}
        return frozenset(hidden)

    # The key is a digest: the problem itself can hold thousands of cells and lines.
    key = hashlib.sha256(repr((problem.signature(min_size), sorted(last_resort, key=repr))).encode()).digest()
    return set(_answers.get(key, solve))


def _protect(problem: Problem, min_size: int, *, max_rounds: int = 10_000) -> tuple[set[Key], list[Key]]:
    protection = _Protection(problem, min_size)
    for _round in range(max_rounds):
        if protection.hide_within_lines():
            continue
        pinned = pinned_cells(problem, protection.lines, protection.hidden, min_size)
        if not pinned:
            return protection.hidden, []
        if not protection.hide_next_to(pinned):
            return protection.hidden, pinned  # nothing left to hide next to a pinned cell
    return protection.hidden, pinned_cells(problem, protection.lines, protection.hidden, min_size)


class _Protection:
    """The cells hidden so far, and the rules 1 to 4 of the module's docstring that hide more."""

    def __init__(self, problem: Problem, min_size: int):
        self.min_size = min_size
        self.values = values = problem.values
        self.free = {key for key in values if key not in problem.structural and key not in problem.keep_shown}
        self.hidden = {key for key in problem.hidden if key in self.free}
        self.hidden |= {key for key in self.free if 0 < values[key] < min_size}
        lines = [tuple(key for key in line if key not in problem.structural) for line in problem.lines]
        self.lines = [line for line in lines if line]
        self.lines_of: dict[Key, list[int]] = {}
        for index, line in enumerate(self.lines):
            for key in line:
                self.lines_of.setdefault(key, []).append(index)
        # Where else a cell is linked to others: to work a pinned cell loose, hide one of those.
        self.linked: dict[Key, list[tuple]] = {}
        for terms, _value in list(problem.equalities) + list(problem.at_most):
            group = tuple(key for key in terms if key not in problem.structural)
            for key in group:
                self.linked.setdefault(key, []).append(group)

    def untouched_lines(self, key) -> int:
        """Lines of `key` with nothing hidden yet: hiding `key` there calls for one more."""
        return sum(1 for index in self.lines_of.get(key, ())
                   if not any(other in self.hidden and self.values[other] > 0 for other in self.lines[index]))

    def smallest_shown(self, line) -> Key | None:
        # The cell that spreads least (fewest lines left to protect), then the smallest.
        candidates = [(self.untouched_lines(key), self.values[key], position, key)
                      for position, key in enumerate(line)
                      if key in self.free and key not in self.hidden and self.values[key] > 0]
        if candidates:
            return min(candidates, key=lambda c: c[:3])[3]
        return None

    def shown_zeros(self, line) -> list[Key]:
        return [key for key in line if key in self.free and key not in self.hidden and self.values[key] == 0]

    def hide_within_lines(self) -> bool:
        """One pass of rules 2 and 3 over every line; True when it hid a cell."""
        values, min_size = self.values, self.min_size
        changed = False
        for line in self.lines:
            unknown = [key for key in line if key in self.hidden]
            total = sum(values[key] for key in unknown)
            if total == 0:
                continue  # nothing hidden, or only zeros: nobody to single out
            if len(unknown) >= 2 and total >= min_size:
                not_zero = sum(1 for key in unknown if values[key] > 0)
                if total - (not_zero - 1) >= min_size or any(values[key] == 0 for key in unknown):
                    continue
                # Each hidden cell holds at least one person, so the cells could be worked
                # down to fewer than the minimum (3 + 2 = 5: each is 1 to 4). Hiding the
                # line's zeros too means a hidden cell may be empty.
                zeros = self.shown_zeros(line)
                if zeros:
                    self.hidden.update(zeros)
                    changed = True
                    continue
            # The smallest shown cell; with only zeros left, a zero (then the hidden cells
            # may hold anything from 0 up, instead of exactly what the line leaves).
            key = self.smallest_shown(line) or next(iter(self.shown_zeros(line)), None)
            if key is not None:
                self.hidden.add(key)
                changed = True
        return changed

    def hide_next_to(self, pinned: list[Key]) -> bool:
        """Rule 4: hide one more cell linked to the first pinned cell that has one; True when it did."""
        for key in pinned:
            groups = [self.lines[index] for index in self.lines_of.get(key, ())] + self.linked.get(key, [])
            for group in groups:
                extra = self.smallest_shown(group) or next(iter(self.shown_zeros(group)), None)
                if extra is not None:
                    self.hidden.add(extra)
                    return True
        return False


def pinned_cells(problem: Problem, lines, hidden: set[Key], min_size: int) -> list[Key]:
    """Primary cells that a reader who solves every line and bound at once, in whole numbers,
    can pin between 1 and `min_size` - 1: the cell can be neither empty nor `min_size` or more.

    Mixed-integer programming (HiGHS through SciPy). One solve pushes all open cells down
    together and one pushes them up; every solution found settles the cells it leaves empty or
    big, so only a few cells need a solve of their own."""
    values = problem.values
    candidates = sorted((key for key in hidden if 0 < values[key] < min_size), key=repr)
    if not candidates:
        return []
    unknown = sorted(hidden, key=repr)
    position = {key: i for i, key in enumerate(unknown)}
    constraints = _reader_constraints(problem, lines, hidden, position)
    size = len(unknown)
    open_keys = list(candidates)

    def settle(solution):
        nonlocal open_keys
        open_keys = [key for key in open_keys if 0 < round(solution[position[key]]) < min_size]

    for sign in (1, -1):
        objective = np.zeros(size)
        for key in open_keys:
            objective[position[key]] = sign
        solution = _solve(constraints, np.zeros(size), np.full(size, np.inf), objective)
        if solution is not None:
            settle(solution)
    pinned = []
    for key in list(open_keys):
        if key not in open_keys:
            continue
        low, high = np.zeros(size), np.full(size, np.inf)
        high[position[key]] = 0  # can it be empty?
        solution = _solve(constraints, low, high, np.zeros(size))
        if solution is None:
            high[position[key]], low[position[key]] = np.inf, min_size  # can it be big?
            solution = _solve(constraints, low, high, np.zeros(size))
        if solution is None:
            pinned.append(key)
            open_keys.remove(key)
        else:
            settle(solution)
    return pinned


def _reader_constraints(problem: Problem, lines, hidden: set[Key], position: dict[Key, int]) -> LinearConstraint:
    """What a reader knows about the hidden cells (variables numbered by `position`): each line's
    hidden sum, and every bound and equality with the shown cells filled in."""
    values = problem.values
    rows, lower, upper = [], [], []
    for line in lines:
        terms = {position[key]: 1 for key in line if key in hidden}
        if terms:
            rows.append(terms)
            total = sum(values[key] for key in line if key in hidden)
            lower.append(total)
            upper.append(total)
    for terms, bound in problem.at_most:
        rest = {position[key]: c for key, c in terms.items() if key in hidden and c}
        if rest:
            known = sum(c * values[key] for key, c in terms.items() if key not in hidden)
            rows.append(rest)
            lower.append(-np.inf)
            upper.append(bound - known)
    for terms, value in problem.equalities:
        rest = {position[key]: c for key, c in terms.items() if key in hidden and c}
        if rest:
            known = sum(c * values[key] for key, c in terms.items() if key not in hidden)
            rows.append(rest)
            lower.append(value - known)
            upper.append(value - known)
    matrix = lil_matrix((max(len(rows), 1), len(position)))
    for r, terms in enumerate(rows):
        for i, c in terms.items():
            matrix[r, i] += c
    if not rows:
        lower, upper = [-np.inf], [np.inf]
    return LinearConstraint(matrix.tocsr(), np.array(lower, float), np.array(upper, float))


def _solve(constraints, low, high, objective):
    """A whole-number solution that minimises `objective`, or None when there is none. A
    solver that runs out of time counts as "none": the cell is then treated as pinned and
    more is hidden, never less."""
    result = milp(c=objective, constraints=constraints, integrality=np.ones(len(objective)),
                  bounds=Bounds(low, high), options={"time_limit": 10})
    return result.x if result.status == 0 and result.x is not None else None
