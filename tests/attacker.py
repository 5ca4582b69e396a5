"""An attacker with the panel role: every count a panel member can read about one project,
written as linear equations over non-negative whole numbers, solved together.

What the attacker knows:
- every number the pages publish (results and their clearest results at the top, every
  breakdown in both directions, the theme counts per location, the report's locations; the
  slides, summary and PDF repeat these);
- how the numbers hang together: the answers to a question add up to the number of
  interviews, a breakdown's rows and columns add up to the counts on the results page, a
  multiple-choice answer is ticked by at most the people who ticked anything;
- the questionnaire: which combinations cannot happen, and that the people not asked a
  follow-up question are the people whose earlier answer did not lead to it.

What the attacker does: for every hidden number, works out the smallest and the largest value
that fits everything (mixed-integer programming with HiGHS). A hidden number of 1 to
minimum - 1 people is *pinned* when it cannot be 0 and cannot be the minimum or more.

The structural knowledge is worked out here from the questionnaire by brute force, apart from
the app's own code, so that a mistake in the app is not repeated in the test.
"""
from itertools import product

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import lil_matrix

from peerinterview.extensions import db
from peerinterview.pool import disclosure as d
from peerinterview.pool.breakdown import BY_LOCATION, ONE_ANSWER_KINDS, breakdown_questions, build_breakdown
from peerinterview.pool.services import pooled_results
from peerinterview.pool.summary import clearest_results
from peerinterview.report.services import method_summary

SPECIAL_LABELS = {"dont_know": "Weet ik niet", "refuse": "Wil ik niet zeggen"}
GROUP_LABELS = {d.NO_ANSWER: "Geen antwoord gegeven", d.NOT_ASKED: "Kreeg de vraag niet"}


class Attacker:
    def __init__(self, min_size: int):
        self.min_size = min_size
        self.index: dict = {}
        self.truth: list[int] = []
        self.equalities: list[tuple[dict, int]] = []
        self.at_most: list[tuple[dict, int]] = []  # sum(terms) <= bound
        self.seen: dict = {}

    # -- building ---------------------------------------------------------------------------
    def var(self, name, truth: int):
        if name in self.index:
            assert self.truth[self.index[name]] == truth, (name, self.truth[self.index[name]], truth)
        else:
            self.index[name] = len(self.truth)
            self.truth.append(int(truth))
        return name

    def equal(self, terms: dict, value: int):
        self.equalities.append((terms, value))

    def sum_is(self, names, value: int):
        self.equal({name: 1 for name in names}, value)

    def same(self, left, right):
        """sum(left) == sum(right)"""
        self.equal(_difference(left, right), 0)

    def not_more(self, left, right):
        """sum(left) <= sum(right)"""
        self.at_most.append((_difference(left, right), 0))

    def see(self, name, value: int | None):
        """A published number (None: hidden)."""
        if value is None:
            return
        assert self.truth[self.index[name]] == value, (name, self.truth[self.index[name]], value)
        previous = self.seen.setdefault(name, value)
        assert previous == value, (name, previous, value)
        self.equal({name: 1}, value)

    # -- solving ----------------------------------------------------------------------------
    def check_truth_fits(self):
        """The model is right: the true counts satisfy every equation."""
        for terms, value in self.equalities:
            got = sum(c * self.truth[self.index[name]] for name, c in terms.items())
            assert got == value, (terms, got, value)
        for terms, bound in self.at_most:
            got = sum(c * self.truth[self.index[name]] for name, c in terms.items())
            assert got <= bound, (terms, got, bound)

    def _components(self):
        """Known cells substituted; the rest split into groups that share no equation."""
        fixed = {}
        for terms, value in self.equalities:
            if len(terms) == 1:
                (name, coefficient), = terms.items()
                if coefficient == 1:
                    fixed[name] = value
        reduced = []
        for kind, rows in (("eq", self.equalities), ("le", self.at_most)):
            for terms, value in rows:
                rest = {n: c for n, c in terms.items() if n not in fixed and c}
                value = value - sum(c * fixed[n] for n, c in terms.items() if n in fixed)
                if rest:
                    reduced.append((kind, rest, value))
        parent = {}

        def find(x):
            while parent.setdefault(x, x) != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        for _kind, terms, _value in reduced:
            names = list(terms)
            for other in names[1:]:
                parent[find(other)] = find(names[0])
        groups: dict = {}
        for row in reduced:
            groups.setdefault(find(next(iter(row[1]))), []).append(row)
        return fixed, groups, find

    def pinned(self) -> list:
        """Hidden cells of 1 to minimum - 1 people that the attacker pins in that range."""
        fixed, groups, find = self._components()
        candidates = [name for name, i in self.index.items()
                      if name not in self.seen and name not in fixed and 0 < self.truth[i] < self.min_size]
        found = [(name, fixed[name]) for name in self.index
                 if name in fixed and name not in self.seen and 0 < fixed[name] < self.min_size]
        by_group: dict = {}
        for name in candidates:
            by_group.setdefault(find(name), []).append(name)
        for root, names in by_group.items():
            rows = groups.get(root, [])
            columns = sorted({n for _k, terms, _v in rows for n in terms} | set(names), key=repr)
            position = {n: i for i, n in enumerate(columns)}
            matrix = lil_matrix((max(len(rows), 1), len(columns)))
            lower, upper = [], []
            for r, (kind, terms, value) in enumerate(rows):
                for n, c in terms.items():
                    matrix[r, position[n]] += c
                lower.append(value if kind == "eq" else -np.inf)
                upper.append(value)
            if not rows:
                lower, upper = [-np.inf], [np.inf]
            constraints = LinearConstraint(matrix.tocsr(), np.array(lower, float), np.array(upper, float))
            size = len(columns)
            open_names = list(names)

            def cover(solution):
                # A whole-number solution that fits everything: each cell it leaves empty, or
                # gives the minimum or more, is not pinned.
                nonlocal open_names
                open_names = [n for n in open_names
                              if 0 < round(solution[position[n]]) < self.min_size]

            # Push all open cells down together, then up together; most are settled at once.
            for sign in (1, -1):
                if not open_names:
                    break
                objective = np.zeros(size)
                for n in open_names:
                    objective[position[n]] = sign
                solution = _solve(constraints, Bounds(np.zeros(size), np.full(size, np.inf)), objective)
                if solution is not None:
                    cover(solution)
            for name in list(open_names):
                if name not in open_names:
                    continue
                i = position[name]
                lo_bounds, hi_bounds = np.zeros(size), np.full(size, np.inf)
                hi_bounds[i] = 0  # can it be empty?
                solution = _solve(constraints, Bounds(lo_bounds, hi_bounds), np.zeros(size))
                if solution is None:
                    hi_bounds[i], lo_bounds[i] = np.inf, self.min_size  # can it hold the minimum or more?
                    solution = _solve(constraints, Bounds(lo_bounds, hi_bounds), np.zeros(size))
                if solution is None:
                    found.append((name, self.truth[self.index[name]]))
                    open_names.remove(name)
                else:
                    cover(solution)
        return found


def _difference(left, right) -> dict:
    """The terms of sum(left) - sum(right)."""
    terms = {}
    for name in left:
        terms[name] = terms.get(name, 0) + 1
    for name in right:
        terms[name] = terms.get(name, 0) - 1
    return terms


def _solve(constraints, bounds, objective):
    """A whole-number solution (minimising `objective`), or None when there is none."""
    n = len(objective)
    # Pushing cells up is bounded by the totals; a cap keeps HiGHS from an unbounded ray.
    result = milp(c=objective, constraints=constraints, integrality=np.ones(n), bounds=bounds,
                  options={"time_limit": 120})
    assert result.status in (0, 2), result.message  # 0 optimal, 2 infeasible
    return result.x if result.status == 0 else None


# ---------------------------------------------------------------------------------------------
# The questionnaire, read independently of the app's plan

def _possible_pairs(structure, a_var, b_var):
    """{(a, b)} that some interview could have, by trying every answer to the questions that
    matter (brute force over the ancestors in the skip logic)."""
    questions = structure.questions
    result = set()
    for version in structure.used_versions:
        wanted = [v[1] for v in (a_var, b_var) if v[0] in ("q", "o")]
        relevant, todo = [], list(wanted)
        while todo:
            key = todo.pop()
            if key in relevant:
                continue
            relevant.append(key)
            todo.extend(s for s, _values in questions[key].conditions_in.get(version, ()))
        relevant.sort(key=lambda k: questions[k].position_in.get(version, 10**9))
        domains = []
        for key in relevant:
            info = questions[key]
            if version not in info.choices_in:
                domains.append([(d.NOT_ASKED, frozenset())])
                continue
            specials = sorted(info.specials_in[version])
            rest = specials + [d.NO_ANSWER, d.NOT_ASKED]
            if info.kind == "multi":
                options = sorted(info.choices_in[version])
                ticked = [frozenset(o for o, bit in zip(options, bits) if bit)
                          for bits in product((0, 1), repeat=len(options))]
                domains.append([(d.CHOSE_ANY, t) for t in ticked if t] + [(c, frozenset()) for c in rest])
            elif info.kind in ONE_ANSWER_KINDS:
                domains.append([(c, frozenset()) for c in sorted(info.choices_in[version]) + rest])
            else:
                head = [d.GAVE_NUMBER] if info.kind == "number" else [d.GAVE_TEXT, d.TEXT_WAITING]
                domains.append([(c, frozenset()) for c in head + rest])
        for states in product(*domains):
            state = dict(zip(relevant, states))
            if not all(_consistent(questions, version, key, state) for key in relevant):
                continue
            result.add((_value(a_var, state), _value(b_var, state)))
    return result


def _consistent(questions, version, key, state) -> bool:
    info = questions[key]
    if version not in info.choices_in:
        return state[key][0] == d.NOT_ASKED
    holds = True
    for source, values in info.conditions_in.get(version, ()):
        category, ticked = state[source]
        if questions[source].kind == "multi":
            holds = holds and category == d.CHOSE_ANY and bool(ticked & values)
        else:
            holds = holds and category in values
    return (state[key][0] == d.NOT_ASKED) == (not holds)


def _value(var, state):
    if var == d.LOCATION:
        return "*"
    category, ticked = state[var[1]]
    if var[0] == "o":
        if category != d.CHOSE_ANY:
            return category
        return d.TICKED if var[2] in ticked else d.NOT_TICKED
    return category


# ---------------------------------------------------------------------------------------------
# Collecting what the panel reads

def panel_knowledge(project) -> Attacker:
    """Everything the panel can read about `project`, from the functions the pages call."""
    plan = d.margin_plan(project)
    plan.project_for_tests = project
    structure = plan.structure
    attacker = Attacker(project.min_group_size)
    total = plan.total
    margin_vars = [var for var in plan.margins if var != d.VERSION]

    def m(var, category):
        return ("m", var, category)

    # Every split of the people, with its true counts (used only to check the model).
    for var in margin_vars:
        cats = structure.categories(var)
        for c in cats:
            attacker.var(m(var, c), plan.margin(var).counts.get(c, 0))
        attacker.sum_is([m(var, c) for c in cats], total)
        possible = _possible_pairs(structure, var, d.LOCATION) if var != d.LOCATION else None
        for c in cats:
            if possible is not None and (c, "*") not in possible:
                attacker.equal({m(var, c): 1}, 0)

    # The results page (also the slides, the report's appendix and the summary).
    results = pooled_results(project, SPECIAL_LABELS, "Geen antwoord gegeven", plan=plan)
    for result in results:
        key = result.question.key
        var = d.question_var(key)
        info = structure.questions[key]
        if not result.shown:
            continue
        attacker.see(m(var, d.NOT_ASKED), result.not_asked)
        for cell in result.cells:
            if info.kind == "multi" and not (cell.key.startswith(d.SPECIAL) or cell.key == d.NO_ANSWER):
                attacker.see(m(d.option_var(key, cell.key), d.TICKED), cell.count)
            else:
                attacker.see(m(var, cell.key), cell.count)
        if info.kind == "open":
            attacker.see(m(var, d.GAVE_TEXT), result.open_count)
        if info.kind == "number" and result.number is not None:
            attacker.see(m(var, d.GAVE_NUMBER), result.number.count)
        if info.kind == "multi":
            options = [m(d.option_var(key, v), d.TICKED) for v in info.values]
            for option in options:
                attacker.not_more([option], [m(var, d.CHOSE_ANY)])
            attacker.not_more([m(var, d.CHOSE_ANY)], options)
            for v in info.values:  # an answer's view: the same people as the question's
                option = d.option_var(key, v)
                attacker.same([m(option, d.TICKED), m(option, d.NOT_TICKED)], [m(var, d.CHOSE_ANY)])
                for c in (*d.SPECIALS, d.NO_ANSWER, d.NOT_ASKED):
                    attacker.same([m(option, c)], [m(var, c)])

    # The clearest results at the top of the results page: each line one cell of a question.
    for clear in clearest_results(results):
        key = clear.result.question.key
        if clear.multi:
            attacker.see(m(d.option_var(key, clear.cell.key), d.TICKED), clear.cell.count)
        else:
            attacker.see(m(d.question_var(key), clear.cell.key), clear.cell.count)

    # The report's method section: interviews per location.
    for name, count in method_summary(project, plan).locations:
        key = next(k for k, v in structure.location_names.items() if v == name)
        attacker.see(m(d.LOCATION, key), count)

    # Skip logic: "not asked" is a sum of answers to the earlier question (one source), or at
    # least each failed condition (several).
    relation_specs = _relations(structure)
    for key, conditions in relation_specs:
        na = m(d.question_var(key), d.NOT_ASKED)
        fails = [_failing(structure, source, values, lambda var, c: m(var, c)) for source, values in conditions]
        if len(conditions) == 1 and fails[0] is not None:
            attacker.same([na], fails[0])
        for fail in fails:
            if fail is not None:
                attacker.not_more(fail, [na])

    # Every breakdown the panel can open, in both directions.
    questions = breakdown_questions(project)
    groupings = [q for q in questions if q.kind in ONE_ANSWER_KINDS]
    tables = {}
    for question in questions:
        for by_question in [None] + [q for q in groupings if q.key != question.key]:
            by_var = d.LOCATION if by_question is None else d.question_var(by_question.key)
            breakdown = build_breakdown(project, question, BY_LOCATION if by_question is None else by_question.key,
                                        by_question, SPECIAL_LABELS, GROUP_LABELS, plan=plan)
            _add_breakdown(attacker, plan, breakdown, by_var, tables, m)
    for key, conditions in relation_specs:
        q_var = d.question_var(key)
        for (a, b) in list(tables):
            other = a if b == q_var else b if a == q_var else None
            if other is None:
                continue
            for source, values in conditions:
                if (other, d.question_var(source)) not in tables and (d.question_var(source), other) not in tables:
                    continue
                for category in structure.categories(other):
                    na = _t(other, category, q_var, d.NOT_ASKED)
                    fail = _failing(structure, source, values,
                                    lambda var, c, other=other, category=category: _t(other, category, var, c))
                    if fail is None:
                        continue
                    if len(conditions) == 1:
                        attacker.same([na], fail)
                    attacker.not_more(fail, [na])

    # Themes: people per location.
    from peerinterview.panel.services import theme_overview
    _add_themes(attacker, plan, theme_overview(project, plan=plan), m)
    attacker.check_truth_fits()
    return attacker


def _t(a_var, a_cat, b_var, b_cat):
    if a_var <= b_var:
        return ("t", a_var, b_var, a_cat, b_cat)
    return ("t", b_var, a_var, b_cat, a_cat)


def _relations(structure):
    """(question key, [(source key, values)]) for every question with conditions, the same in
    every version used."""
    found = []
    for key, info in structure.questions.items():
        sets = set(info.conditions_in.values())
        if len(sets) == 1 and structure.in_all_versions(key):
            (conditions,) = sets
            if conditions:
                found.append((key, list(conditions)))
    return found


def _failing(structure, source, values, cell):
    """The cells of the people for whom the condition "source in values" fails, or None when
    that is no set of published cells (several answers of a multiple-choice question)."""
    info = structure.questions[source]
    if info.kind in ONE_ANSWER_KINDS:
        return [cell(d.question_var(source), c) for c in structure.categories(d.question_var(source))
                if c not in values]
    if info.kind == "multi" and len(values) == 1:
        (value,) = values
        option = d.option_var(source, value)
        return [cell(option, c) for c in structure.categories(option) if c != d.TICKED]
    return None


def _add_table(attacker, plan, a_var, b_var, tables, m):
    """The cells of one breakdown as unknowns, with their sums and impossible combinations."""
    if (a_var, b_var) in tables:
        return
    structure = plan.structure
    tables[(a_var, b_var)] = True
    rows, cols = structure.categories(a_var), structure.categories(b_var)
    possible = _possible_pairs(structure, a_var, b_var)
    counts = _true_table(plan, a_var, b_var)
    for r in rows:
        for c in cols:
            name = _t(a_var, r, b_var, c)
            attacker.var(name, counts.get((r, c), 0))
            if (("*" if a_var == d.LOCATION else r), ("*" if b_var == d.LOCATION else c)) not in possible:
                attacker.equal({name: 1}, 0)
    for r in rows:
        attacker.same([_t(a_var, r, b_var, c) for c in cols], [m(a_var, r)])
    for c in cols:
        attacker.same([_t(a_var, r, b_var, c) for r in rows], [m(b_var, c)])


def _true_table(plan, a_var, b_var) -> dict:
    """The counts of a breakdown before anything is hidden (to check the model only)."""
    def node(var):
        return d.question_var(var[1]) if var[0] == "o" else var

    tables = d.block_tables(plan.project_for_tests, plan, node(a_var), node(b_var))
    return tables[(a_var, b_var)].counts


def _add_breakdown(attacker, plan, breakdown, by_var, tables, m):
    structure = plan.structure
    key = breakdown.question.key
    q_var = d.question_var(key)
    multi = structure.questions[key].kind == "multi"
    pairs = [(by_var, q_var)] + ([(by_var, d.option_var(key, v)) for v in structure.questions[key].values]
                                 if multi else [])
    for a, b in pairs:
        first, second = sorted((a, b))
        _add_table(attacker, plan, first, second, tables, m)
    if multi:
        for row in structure.categories(by_var):
            options = [_t(by_var, row, d.option_var(key, v), d.TICKED) for v in structure.questions[key].values]
            for option in options:
                attacker.not_more([option], [_t(by_var, row, q_var, d.CHOSE_ANY)])
            attacker.not_more([_t(by_var, row, q_var, d.CHOSE_ANY)], options)
            for v in structure.questions[key].values:
                option = d.option_var(key, v)
                attacker.same([_t(by_var, row, option, d.TICKED), _t(by_var, row, option, d.NOT_TICKED)],
                              [_t(by_var, row, q_var, d.CHOSE_ANY)])
                for c in (*d.SPECIALS, d.NO_ANSWER, d.NOT_ASKED):
                    attacker.same([_t(by_var, row, option, c)], [_t(by_var, row, q_var, c)])
    if not breakdown.table.shown:
        return
    for row in breakdown.rows:
        attacker.see(m(by_var, row), breakdown.table.row_totals[row])
        for column in breakdown.columns:
            n = breakdown.table.counts[(row, column)]
            if multi and not breakdown.apart(column):
                attacker.see(_t(by_var, row, d.option_var(key, column), d.TICKED), n)
            else:
                attacker.see(_t(by_var, row, q_var, column), n)
    for column in breakdown.columns:
        if multi and not breakdown.apart(column):
            attacker.see(m(d.option_var(key, column), d.TICKED), breakdown.column_totals[column])
        else:
            attacker.see(m(q_var, column), breakdown.column_totals[column])


def _add_themes(attacker, plan, summaries, m):
    structure = plan.structure
    for summary in summaries:
        theme = ("theme", summary.theme.id)
        per_location = _theme_truth(plan.project_for_tests, summary.theme.id)
        people = sum(per_location.values())
        attacker.var((theme, "in"), people)
        attacker.var((theme, "out"), plan.total - people)
        attacker.sum_is([(theme, "in"), (theme, "out")], plan.total)
        cells_in, cells_out = [], []
        for loc in structure.location_ids:
            n_in = per_location.get(loc, 0)
            attacker.var((theme, loc, "in"), n_in)
            attacker.var((theme, loc, "out"), plan.margin(d.LOCATION).counts[loc] - n_in)
            attacker.same([(theme, loc, "in"), (theme, loc, "out")], [m(d.LOCATION, loc)])
            cells_in.append((theme, loc, "in"))
            cells_out.append((theme, loc, "out"))
            attacker.see((theme, loc, "in"), summary.per_location[loc])
        attacker.same(cells_in, [(theme, "in")])
        attacker.same(cells_out, [(theme, "out")])
        attacker.see((theme, "in"), summary.people)
        # The board shows the cards: a theme holds no more people than cards.
        attacker.at_most.append(({(theme, "in"): 1}, summary.cards))


def _theme_truth(project, theme_id) -> dict[str, int]:
    """People per location with a card in the theme that the panel may read."""
    from sqlalchemy import func, select

    from peerinterview.models import Answer, Interview
    from peerinterview.models.panel import Coding
    from peerinterview.open_answer_gate import panel_may_read

    return {str(loc): n for loc, n in db.session.execute(
        select(Interview.location_id, func.count(func.distinct(Interview.id)))
        .join(Answer, Answer.interview_id == Interview.id).join(Coding, Coding.answer_id == Answer.id)
        .where(Coding.theme_id == theme_id, Interview.status == "completed", panel_may_read(project))
        .group_by(Interview.location_id))}
