"""Unit tests of small-group suppression over linked numbers (peerinterview.stats.linked):
pure functions, no app. A cell is a name; a line is a set of cells whose sum a reader knows."""
from peerinterview.stats import Cell, Problem, number_summary_or_none, protect
from peerinterview.stats.cells import NumberSummary


def one_line(counts: dict, min_size=5, **extra) -> set:
    """A question's answers: they add up to the number of interviews."""
    return protect(Problem(counts, [tuple(counts)], **extra), min_size)


def test_no_small_cells_hides_nothing():
    assert one_line({"a": 10, "b": 5, "c": 5}) == set()


def test_a_cell_of_exactly_the_minimum_is_shown():
    assert one_line({"a": 5, "b": 5}) == set()


def test_two_small_cells_that_add_up_to_the_minimum_are_hidden_with_the_zeros():
    # 3 + 2 = 5 hidden: each would be known to be 1 to 4 if the zero next to them were
    # shown (a hidden cell then holds at least one person), so the zero is hidden too.
    assert one_line({"a": 35, "b": 3, "c": 2, "d": 0}) == {"b", "c", "d"}


def test_two_small_cells_with_enough_together_hide_nothing_else():
    assert one_line({"a": 6, "b": 3, "c": 4, "d": 0}) == {"b", "c"}


def test_one_small_cell_also_hides_the_next_smallest_cell():
    """7 + 5 + 1 = 13: hiding only the 1 would let anyone work it out as 13 - 7 - 5."""
    assert one_line({"a": 7, "b": 5, "c": 1}) == {"b", "c"}


def test_secondary_hiding_prefers_the_smallest_shown_cell_and_breaks_ties_by_order():
    assert one_line({"a": 9, "b": 6, "c": 6, "d": 2}) == {"b", "d"}


def test_zeros_are_never_small():
    assert one_line({"a": 10, "b": 0, "c": 0}) == set()


def test_a_structural_cell_is_never_hidden_nor_counted_as_hiding_anything():
    # "d" is known to be 0 (nobody can give that answer): hiding it protects nothing.
    hidden = one_line({"a": 30, "b": 3, "c": 2, "d": 0}, structural={"d"})
    assert "d" not in hidden
    assert hidden == {"a", "b", "c"}


def test_a_kept_cell_is_never_hidden():
    assert "b" not in one_line({"a": 10, "b": 6, "c": 1}, keep_shown={"b"})


def test_a_cell_hidden_elsewhere_stays_hidden_and_is_protected():
    assert one_line({"a": 10, "b": 8, "c": 6}, hidden={"b"}) == {"b", "c"}


def test_lines_that_share_cells_are_solved_together():
    """Two questions linked by skip logic: the people not asked q2 ('x') are the people who
    answered 'no' to q1. Hiding 'no' alone is not enough when 'x' is shown."""
    values = {"yes": 20, "no": 3, "dk": 2, "q2_a": 10, "q2_b": 10, "x": 5}
    lines = [("yes", "no", "dk"), ("q2_a", "q2_b", "x"), ("yes", "x"), ("no", "dk", "q2_a", "q2_b")]
    hidden = protect(Problem(values, lines), 5)
    assert {"no", "dk"} <= hidden
    # 'x' (5) shown would give 'no' + 'dk' = 5 with 'yes' shown: something more is hidden.
    assert hidden & {"x", "yes", "q2_a", "q2_b"}


def test_what_else_a_reader_knows_is_used():
    """Bounds a reader knows besides the lines (here: 'y' is 6 or 7) can pin a cell that the
    lines alone leave free (x + y = 10 gives x = 3 or 4): then more is hidden."""
    values = {"x": 3, "y": 7, "z": 10}
    lines = [("x", "y", "z")]
    assert protect(Problem(values, lines), 5) == {"x", "y"}
    bounds = [({"y": 1}, 7), ({"y": -1}, -6)]
    assert protect(Problem(values, lines, at_most=bounds), 5) == {"x", "y", "z"}


def test_the_same_problem_gives_the_same_answer():
    values = {"a": 7, "b": 5, "c": 1}
    first = protect(Problem(values, [("a", "b", "c")]), 5)
    again = protect(Problem(dict(values), [("a", "b", "c")]), 5)
    assert first == again == {"b", "c"}


def test_a_hidden_cell_has_no_count_and_no_percentage():
    cell = Cell("b", None, None)
    assert cell.hidden and Cell("a", 3, 50).hidden is False


def test_a_number_summary_is_shown_only_when_its_count_is():
    summary = NumberSummary(count=6, minimum=1, maximum=9, mean=4.5, median=4)
    assert number_summary_or_none(summary, 5) is summary
    assert number_summary_or_none(summary, 5, given_hidden=True) is None
    assert number_summary_or_none(summary, 10) is None
    assert number_summary_or_none(None, 5) is None
