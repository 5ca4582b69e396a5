"""Unit tests for small-group suppression (peerinterview.stats): pure functions, no app."""
import itertools

import pytest

from peerinterview.stats import Cell, suppress_small_groups


def shown(cells):
    return {cell.key: cell.count for cell in cells if not cell.hidden}


def hidden(cells):
    return {cell.key for cell in cells if cell.hidden}


def test_no_small_cells_shows_everything_with_percentages():
    cells, total_shown = suppress_small_groups({"a": 10, "b": 5, "c": 5}, 20, 5)
    assert total_shown
    assert cells == [Cell("a", 10, 50), Cell("b", 5, 25), Cell("c", 5, 25)]


def test_order_of_the_cells_is_kept():
    cells, _ = suppress_small_groups({"z": 6, "a": 7, "m": 0}, 13, 5)
    assert [cell.key for cell in cells] == ["z", "a", "m"]


def test_a_cell_of_exactly_the_minimum_is_shown():
    cells, total_shown = suppress_small_groups({"a": 5, "b": 5}, 10, 5)
    assert total_shown and hidden(cells) == set()


def test_total_below_the_minimum_hides_everything():
    cells, total_shown = suppress_small_groups({"a": 3, "b": 1, "c": 0}, 4, 5)
    assert not total_shown
    assert [(c.key, c.count, c.percent) for c in cells] == [("a", None, None), ("b", None, None), ("c", None, None)]
    assert all(cell.hidden for cell in cells)


def test_total_of_exactly_the_minimum_is_shown():
    cells, total_shown = suppress_small_groups({"a": 5, "b": 0}, 5, 5)
    assert total_shown
    assert cells == [Cell("a", 5, 100), Cell("b", 0, 0)]


def test_two_small_cells_are_hidden_and_nothing_else():
    cells, total_shown = suppress_small_groups({"a": 6, "b": 3, "c": 3}, 12, 5)
    assert total_shown
    assert hidden(cells) == {"b", "c"}
    assert shown(cells) == {"a": 6}


def test_one_small_cell_also_hides_the_next_smallest_cell():
    cells, _ = suppress_small_groups({"a": 7, "b": 5, "c": 1}, 13, 5)
    assert hidden(cells) == {"c", "b"}
    assert shown(cells) == {"a": 7}


def test_secondary_suppression_never_picks_an_empty_cell():
    # A zero reveals nothing, and hiding it would not protect the small cell.
    cells, _ = suppress_small_groups({"a": 9, "b": 0, "c": 2, "d": 6}, 17, 5)
    assert hidden(cells) == {"c", "d"}
    assert shown(cells) == {"a": 9, "b": 0}


def test_zero_cells_are_never_hidden_as_small():
    cells, _ = suppress_small_groups({"a": 10, "b": 0, "c": 0}, 10, 5)
    assert hidden(cells) == set()
    assert cells[1] == Cell("b", 0, 0)


def test_secondary_suppression_ties_are_broken_by_key():
    cells, _ = suppress_small_groups({"x": 6, "a": 6, "s": 2}, 14, 5)
    assert hidden(cells) == {"s", "a"}


def test_hidden_cells_have_no_percentage():
    cells, _ = suppress_small_groups({"a": 8, "b": 3, "c": 2}, 13, 5)
    assert [cell.percent for cell in cells if cell.hidden] == [None, None]


def test_hidden_cells_that_add_up_to_a_small_group_hide_one_more():
    # 12 - 8 = 4 people chose b or c: a group of 4 would be revealed by the difference.
    cells, _ = suppress_small_groups({"a": 8, "b": 2, "c": 2, "d": 9}, 21, 5)
    assert hidden(cells) == {"a", "b", "c"}
    assert shown(cells) == {"d": 9}


def test_percentages_are_rounded_whole_numbers():
    cells, _ = suppress_small_groups({"a": 7, "b": 6}, 13, 5)
    assert [cell.percent for cell in cells] == [54, 46]


def test_a_zero_total_with_a_zero_minimum_does_not_divide_by_zero():
    cells, total_shown = suppress_small_groups({"a": 0}, 0, 0)
    assert total_shown and cells == [Cell("a", 0, 0)]


@pytest.mark.parametrize("min_size", [5, 10])
def test_no_hidden_count_can_be_worked_out_from_the_total(min_size):
    """For every split of up to 4 cells, either nothing small shows, or at least two non-empty
    cells are hidden, so total minus the shown cells never gives one small count."""
    for counts in itertools.product(range(0, 14), repeat=3):
        values = dict(zip("abc", counts))
        values["no_answer"] = 2
        total = sum(values.values())
        cells, total_shown = suppress_small_groups(values, total, min_size)
        if not total_shown:
            assert all(cell.hidden for cell in cells)
            continue
        for cell in cells:
            if not cell.hidden:
                assert cell.count == 0 or cell.count >= min_size, (values, cell)
        hidden_nonzero = [cell for cell in cells if cell.hidden and values[cell.key] > 0]
        assert len(hidden_nonzero) != 1, values


def test_hidden_cells_say_why():
    from peerinterview.stats.suppression import PROTECTS, SMALL, TOO_FEW_ASKED

    cells, _ = suppress_small_groups({"a": 7, "b": 5, "c": 1}, 13, 5)
    assert {cell.key: cell.hidden_because for cell in cells} == {"a": None, "b": PROTECTS, "c": SMALL}
    cells, shown = suppress_small_groups({"a": 2, "b": 1}, 3, 5)
    assert not shown and {cell.hidden_because for cell in cells} == {TOO_FEW_ASKED}
