"""What a reader of the pooled answers may see: one plan per project for every published count.

Every page that shows counts to the panel (results, breakdowns, slides, report, summary, themes)
takes them from here, so that the same people are split the same way everywhere and a hidden
number is hidden on every page.

The population is every completed interview. Each question splits it in the same way on every
page: its answers, "weet ik niet", "wil ik niet zeggen", no answer, and the people who were not
asked the question (skip logic, or a version of the questionnaire without it). A location is a
split of the same people too.

A reader who knows the questionnaire knows more than the shown numbers:

- the people not asked a follow-up question are exactly the people whose earlier answer did not
  lead to it, so that count is also a sum of answers to the earlier question (a *relation*);
- some combinations cannot happen (someone not asked a question has no answer to it): in a
  breakdown those cells are known to be 0 (*structural* zeros).

Both are given to stats.linked.protect, which hides cells until no group smaller than the
project's minimum can be worked out. The counts per question (the *margins*) are decided first,
for all questions together; a breakdown then hides every group that the margins hide, and is
decided together with every breakdown it is linked to through skip logic (a *block*), so that
both directions of a breakdown, and every page that shows one of its numbers, agree.
"""
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from itertools import product

from sqlalchemy import and_, case, func, literal, select
from sqlalchemy.orm import aliased, selectinload

from ..counting import counts_in_results
from ..extensions import db
from ..models import Answer, Choice, Interview, Location, Question, QuestionnaireVersion
from ..models.interviews import SPECIAL_ANSWERS
from ..open_answer_gate import panel_may_read
from ..stats.linked import Problem, protect

NO_ANSWER = "_no_answer"
NOT_ASKED = "_not_asked"
CHOSE_ANY = "_chose_any"  # multiple choice: ticked one or more answers
GAVE_NUMBER = "_number"
GAVE_TEXT = "_text"  # an open answer the panel may read (open_answer_gate.py)
TEXT_WAITING = "_text_waiting"  # an open answer the panel may not read (yet)
TICKED, NOT_TICKED = "ticked", "not_ticked"
SPECIAL = "special:"
SPECIALS = tuple(SPECIAL + s for s in SPECIAL_ANSWERS)

ONE_ANSWER_KINDS = ("single", "scale3", "scale5", "yesno")
LOCATION = ("location",)
VERSION = ("version",)  # never published; known to the reader only through skip logic


def question_var(key: str) -> tuple:
    return ("q", key)


def option_var(key: str, value: str) -> tuple:
    """Multiple choice, one answer: ticked it, ticked only others, or as the question ("weet ik
    niet", no answer, not asked)."""
    return ("o", key, value)


def _completed(project):
    """The interviews that count (counting.py), of a project or its id."""
    return counts_in_results(project)


# ---------------------------------------------------------------------------------------------
# The questionnaire as a reader knows it

@dataclass
class QuestionInfo:
    key: str
    kind: str
    question: Question  # the newest wording
    values: list[str]  # choice values in order; dropped ones that were given come last
    order: tuple[int, int]
    # Per version that completed interviews used and that has the question:
    choices_in: dict[int, frozenset[str]] = field(default_factory=dict)
    specials_in: dict[int, frozenset[str]] = field(default_factory=dict)
    conditions_in: dict[int, tuple[tuple[str, frozenset[str]], ...]] = field(default_factory=dict)
    position_in: dict[int, int] = field(default_factory=dict)


@dataclass
class Structure:
    questions: dict[str, QuestionInfo]  # in questionnaire order
    used_versions: list[int]  # versions with completed interviews
    interviews_per_version: dict[int, int]
    location_ids: list[str]
    location_names: dict[str, str]

    @property
    def total(self) -> int:
        return sum(self.interviews_per_version.values())

    def categories(self, var: tuple) -> list[str]:
        if var == LOCATION:
            return list(self.location_ids)
        if var == VERSION:
            return [str(v) for v in self.used_versions]
        info = self.questions[var[1]]
        if var[0] == "o":
            # Ticked this answer; ticked others only; then the same people as the question's.
            return [TICKED, NOT_TICKED, *SPECIALS, NO_ANSWER, NOT_ASKED]
        head = {"multi": [CHOSE_ANY], "number": [GAVE_NUMBER], "open": [GAVE_TEXT, TEXT_WAITING]}.get(
            info.kind, info.values)
        return [*head, *SPECIALS, NO_ANSWER, NOT_ASKED]

    def in_all_versions(self, key: str) -> bool:
        return set(self.questions[key].choices_in) == set(self.used_versions)

    @cached_property
    def needs_version(self) -> bool:
        """Questions differ between the versions used: the version explains some "not asked"."""
        return any(not self.in_all_versions(key) for key in self.questions) and len(self.used_versions) > 1


def load_structure(project) -> Structure:
    versions = db.session.scalars(
        select(QuestionnaireVersion)
        .where(QuestionnaireVersion.frozen_at.is_not(None),
               QuestionnaireVersion.questionnaire.has(project_id=project.id))
        .order_by(QuestionnaireVersion.number)
        .options(selectinload(QuestionnaireVersion.questions).selectinload(Question.choices),
                 selectinload(QuestionnaireVersion.questions).selectinload(Question.conditions))
    ).all()
    per_version = dict(db.session.execute(
        select(Interview.version_id, func.count()).where(_completed(project.id)).group_by(Interview.version_id)
    ).all())
    used = [v.id for v in versions if per_version.get(v.id)]
    questions: dict[str, QuestionInfo] = {}
    for version in versions:
        key_of = {q.id: q.key for q in version.questions}
        for q in version.questions:
            if q.kind == "info":
                continue
            info = questions.get(q.key)
            values = [c.value for c in q.choices]
            if info is None:
                info = questions[q.key] = QuestionInfo(q.key, q.kind, q, values, (0, 0))
            else:
                info.question, info.kind = q, q.kind
                info.values = values + [v for v in info.values if v not in values]
            info.order = (q.position, version.number)
            if version.id in per_version:
                info.choices_in[version.id] = frozenset(values)
                info.specials_in[version.id] = frozenset(
                    SPECIAL + s for s, allowed in (("dont_know", q.allow_dont_know), ("refuse", q.allow_refuse))
                    if allowed)
                info.conditions_in[version.id] = tuple(sorted(
                    (key_of[c.source_question_id], frozenset(str(v) for v in c.values)) for c in q.conditions
                    if c.source_question_id in key_of))
                info.position_in[version.id] = q.position
    # Newest wording last seen decides the order, as on the results page until now.
    ordered = dict(sorted(questions.items(), key=lambda item: (item[1].order[0], item[1].order[1])))
    locations = db.session.scalars(
        select(Location).where(Location.project_id == project.id).order_by(Location.name)).all()
    return Structure(
        questions=ordered, used_versions=used,
        interviews_per_version={v: per_version[v] for v in used},
        location_ids=[str(loc.id) for loc in locations],
        location_names={str(loc.id): loc.name for loc in locations},
    )


# ---------------------------------------------------------------------------------------------
# Which combinations can happen (skip logic and versions)

class Possibilities:
    """Whether a category of one variable, or a pair of categories of two, can occur in any
    interview, given the questionnaire versions used and their skip logic. Exact: it tries the
    answers to every earlier question that matters."""

    def __init__(self, structure: Structure):
        self.structure = structure
        self._cache: dict = {}

    def possible(self, fixed: dict[tuple, str]) -> bool:
        key = tuple(sorted(fixed.items()))
        if key not in self._cache:
            self._cache[key] = any(self._possible_in(version, fixed) for version in self.structure.used_versions)
        return self._cache[key]

    def _possible_in(self, version: int, fixed: dict[tuple, str]) -> bool:
        if VERSION in fixed and fixed[VERSION] != str(version):
            return False
        return _AnswerSearch(self.structure.questions, version, fixed).possible()


class _AnswerSearch:
    """Whether one person, interviewed with `version`, could have given answers that put them in
    every fixed cell: a backtracking search over the questions that matter, in questionnaire order."""

    def __init__(self, questions: dict, version: int, fixed: dict[tuple, str]):
        self.questions = questions
        self.version = version
        self.fixed = fixed
        # The fixed questions and the earlier questions their conditions depend on.
        relevant = set()
        todo = list({var[1] for var in fixed if var[0] in ("q", "o")})
        while todo:
            key = todo.pop()
            if key in relevant:
                continue
            relevant.add(key)
            for source, _values in questions[key].conditions_in.get(version, ()):
                if source in questions:
                    todo.append(source)
        self.relevant = relevant
        self.order = sorted(relevant, key=lambda k: questions[k].position_in.get(version, 10**9))
        # Options of a multiple-choice question that matter: in a condition, or fixed.
        self.relevant_options: dict[str, set[str]] = {}
        for key in relevant:
            for source, values in questions[key].conditions_in.get(version, ()):
                self.relevant_options.setdefault(source, set()).update(values)
        for var in fixed:
            if var[0] == "o":
                self.relevant_options.setdefault(var[1], set()).add(var[2])

    def possible(self) -> bool:
        return self._search(0, {})

    def _search(self, index, state) -> bool:
        if index == len(self.order):
            return True
        key = self.order[index]
        for category, ticked in self._states(key, state):
            state[key] = (category, ticked)
            if self._search(index + 1, state):
                return True
        state.pop(key, None)
        return False

    def _states(self, key, state) -> list[tuple[str, frozenset]]:
        """The (category, ticked options) this person can be in for question `key`, given the
        answers so far and the fixed cells."""
        questions, version, fixed = self.questions, self.version, self.fixed
        info = questions[key]
        present = version in info.choices_in
        conditions = info.conditions_in.get(version, ())
        asked = present and all(_holds(questions.get(source), state.get(source), values)
                                for source, values in conditions)
        fixed_cat = fixed.get(question_var(key))
        option_cats = {var[2]: fixed[var] for var in fixed if var[0] == "o" and var[1] == key}
        if not asked:
            if fixed_cat not in (None, NOT_ASKED) or any(c != NOT_ASKED for c in option_cats.values()):
                return []
            return [(NOT_ASKED, frozenset())]
        if fixed_cat == NOT_ASKED or NOT_ASKED in option_cats.values():
            return []
        answers = list(info.choices_in[version]) if info.kind in ONE_ANSWER_KINDS else (
            [CHOSE_ANY] if info.kind == "multi" else [GAVE_NUMBER] if info.kind == "number"
            else [GAVE_TEXT, TEXT_WAITING])
        candidates = answers + sorted(info.specials_in[version]) + [NO_ANSWER]
        if fixed_cat is not None:
            candidates = [c for c in candidates if c == fixed_cat]
        if info.kind != "multi":
            if fixed_cat is None:
                candidates = self._one_per_behaviour(key, candidates)
            return [(c, frozenset()) for c in candidates]
        return self._multiple_choice_states(key, info, candidates, option_cats)

    def _one_per_behaviour(self, key, candidates: list[str]) -> list[str]:
        """Categories that behave the same in every condition: trying one is enough."""
        seen, kept = set(), []
        for c in candidates:
            signature = tuple(c in values for k in self.relevant for s, values in
                              self.questions[k].conditions_in.get(self.version, ()) if s == key)
            if signature not in seen:
                seen.add(signature)
                kept.append(c)
        return kept

    def _multiple_choice_states(self, key, info, candidates, option_cats) -> list[tuple[str, frozenset]]:
        version = self.version
        result = []
        # An answer's own view: ticked it, ticked others only, or the question's category.
        ticked_fixed = {v: c == TICKED for v, c in option_cats.items() if c in (TICKED, NOT_TICKED)}
        others = {c for c in option_cats.values() if c not in (TICKED, NOT_TICKED)}
        for c in candidates:
            if c != CHOSE_ANY:
                if not ticked_fixed and others <= {c}:
                    result.append((c, frozenset()))
                continue
            if others:
                continue
            options = sorted(self.relevant_options.get(key, set()) & info.choices_in[version])
            others_free = bool(info.choices_in[version] - set(options))
            if any(o not in info.choices_in[version] and t for o, t in ticked_fixed.items()):
                continue
            for bits in product((False, True), repeat=len(options)):
                ticked = frozenset(o for o, b in zip(options, bits) if b)
                if any(ticked_fixed.get(o, b) != b for o, b in zip(options, bits)):
                    continue
                if not ticked and not others_free:
                    continue
                result.append((c, ticked))
        return result


def _holds(info: QuestionInfo | None, state, values: frozenset[str]) -> bool:
    if info is None or state is None:
        return False
    category, ticked = state
    if info.kind == "multi":
        return category == CHOSE_ANY and bool(ticked & values)
    return category in values


def _possible_fixed(var: tuple, category: str) -> dict:
    """The condition `possible` checks for one cell (a location goes with any answer)."""
    return {} if var == LOCATION else {var: category}


# ---------------------------------------------------------------------------------------------
# Relations: a "not asked" count that is also a sum of answers to an earlier question

@dataclass(frozen=True)
class Relation:
    """The people in `target`'s categories `target_in` are exactly the people in `source`'s
    categories `source_in` (the people asked a follow-up question are those whose earlier answer
    leads to it)."""
    target: tuple  # variable
    target_in: frozenset[str]
    source: tuple  # variable
    source_in: frozenset[str]
    skip_logic: bool = True  # False: two views of the same question (multiple choice)


def relations(structure: Structure, possibilities: "Possibilities | None" = None) -> list[Relation]:
    possibilities = possibilities or Possibilities(structure)
    found = []
    questions = structure.questions
    for key, info in questions.items():
        if not info.choices_in:
            continue
        q = question_var(key)
        not_asked_set = frozenset(c for c in structure.categories(q) if c != NOT_ASKED)
        if not structure.in_all_versions(key):
            if structure.needs_version and not any(info.conditions_in.values()):
                found.append(Relation(q, not_asked_set, VERSION, frozenset(str(v) for v in info.choices_in)))
            continue
        relation = _skip_logic_relation(structure, possibilities, info, q, not_asked_set)
        if relation is not None:
            found.append(relation)
    return found + _multiple_choice_relations(questions)


def _skip_logic_relation(structure: Structure, possibilities: "Possibilities", info: QuestionInfo, q: tuple,
                         not_asked_set: frozenset[str]) -> Relation | None:
    """An earlier question decides alone who is asked this one when each of its answers
    either always or never leads here (worked out from the skip logic, so that several
    conditions on one question, or all answers of a multiple-choice question, count too)."""
    questions = structure.questions
    sources = sorted({source for conditions in info.conditions_in.values() for source, _values in conditions
                      if source in questions and structure.in_all_versions(source)})
    for source in sources:
        for var in table_vars_of(structure, question_var(source)):
            leading, not_leading = set(), set()
            for category in structure.categories(var):
                if possibilities.possible({var: category, q: NOT_ASKED}):
                    not_leading.add(category)
                if any(possibilities.possible({var: category, q: c}) for c in not_asked_set):
                    leading.add(category)
            if leading and not (leading & not_leading):
                return Relation(q, not_asked_set, var, frozenset(leading))
    return None


def _multiple_choice_relations(questions: dict) -> list[Relation]:
    """Each answer of a multiple-choice question splits the same people as the question: who
    ticked it or another answer ticked something; "weet ik niet", no answer and not asked are
    the same people in both."""
    found = []
    for key, info in questions.items():
        if info.kind != "multi":
            continue
        q = question_var(key)
        for value in info.values:
            o = option_var(key, value)
            found.append(Relation(q, frozenset({CHOSE_ANY}), o, frozenset({TICKED, NOT_TICKED}), False))
            for category in (*SPECIALS, NO_ANSWER, NOT_ASKED):
                found.append(Relation(q, frozenset({category}), o, frozenset({category}), False))
    return found


def exact_not_asked(structure: Structure, found: list[Relation]) -> set[str]:
    """Questions whose "not asked" count says nothing more than other counts: nobody is left
    out, or one earlier answer (or the version) decides it. Otherwise, with several conditions,
    it is a count of a combination of answers that no table shows, and it stays hidden."""
    exact = {relation.target[1] for relation in found if relation.skip_logic}
    for key, info in structure.questions.items():
        if structure.in_all_versions(key) and not any(info.conditions_in.values()):
            exact.add(key)
    return exact


def relation_lines(structure: Structure, relation: Relation, cell) -> list[tuple]:
    """The two lines a relation gives, with `cell(var, category)` naming the cells: the people
    in the source's categories and those outside the target's add up to everybody, and the
    other way round."""
    source_categories = structure.categories(relation.source)
    target_categories = structure.categories(relation.target)
    first = [cell(relation.source, c) for c in source_categories if c in relation.source_in]
    first += [cell(relation.target, c) for c in target_categories if c not in relation.target_in]
    second = [cell(relation.source, c) for c in source_categories if c not in relation.source_in]
    second += [cell(relation.target, c) for c in target_categories if c in relation.target_in]
    return [tuple(first), tuple(second)]


def _failing_cells(structure: Structure, source: str, values: frozenset[str], cell) -> list | None:
    """The cells of the people for whom "the answer to `source` is one of `values`" fails, or
    None when no set of cells says that (several answers of a multiple-choice question)."""
    info = structure.questions.get(source)
    if info is None:
        return None
    if info.kind in ONE_ANSWER_KINDS:
        var = question_var(source)
        return [cell(var, c) for c in structure.categories(var) if c not in values]
    if info.kind == "multi" and len(values) == 1:
        (value,) = values
        var = option_var(source, value)
        return [cell(var, c) for c in structure.categories(var) if c != TICKED]
    return None


def known_bounds(structure: Structure, cell) -> list[tuple[dict, int]]:
    """What else a reader knows, as sum(coefficient * cell) <= bound: an answer of a multiple-
    choice question is ticked by no more people than ticked anything, and those ticked at least
    one answer; a question with several conditions is not asked of anyone for whom one of them
    fails, and of no one else."""
    bounds = []
    for key, info in structure.questions.items():
        if info.kind == "multi":
            chose = cell(question_var(key), CHOSE_ANY)
            options = [cell(option_var(key, value), TICKED) for value in info.values]
            bounds.append(({chose: 1, **{option: -1 for option in options}}, 0))
        conditions = set(info.conditions_in.values())
        if len(conditions) != 1 or not structure.in_all_versions(key):
            continue
        (condition,) = conditions
        if len({source for source, _values in condition}) < 2:
            continue  # one source: a relation (two lines) says it exactly
        not_asked = cell(question_var(key), NOT_ASKED)
        fails = [_failing_cells(structure, source, values, cell) for source, values in condition]
        for fail in fails:
            if fail:
                terms = {c: 1 for c in fail}
                terms[not_asked] = terms.get(not_asked, 0) - 1
                bounds.append((terms, 0))
        if all(fails):
            terms = {not_asked: 1}
            for fail in fails:
                for c in fail:
                    terms[c] = terms.get(c, 0) - 1
            bounds.append((terms, 0))
    return bounds


# ---------------------------------------------------------------------------------------------
# The margins: every question's split, hidden together

@dataclass
class Margin:
    var: tuple
    counts: dict[str, int]  # per category, in order
    hidden: set[str]
    structural: set[str]

    def count(self, category: str) -> int | None:
        return None if category in self.hidden else self.counts.get(category, 0)


@dataclass
class MarginPlan:
    structure: Structure
    total: int
    min_size: int
    margins: dict[tuple, Margin]
    relations: list[Relation]
    possibilities: Possibilities
    problem: Problem  # the margins' cells, lines and bounds, keyed (variable, category)
    hidden_cells: frozenset

    def fixed_margins(self) -> Problem:
        """The margins as decided: a breakdown or theme count adds its cells to these, and
        hides more of its own cells, never a count of the results page."""
        problem = self.problem
        hidden = set(self.hidden_cells)
        shown = {cell for cell in problem.values if cell not in hidden and cell not in problem.structural}
        return Problem(dict(problem.values), list(problem.lines), set(problem.structural), hidden, shown,
                       list(problem.at_most))

    @property
    def shown(self) -> bool:
        """Enough interviews to show anything at all."""
        return self.total >= self.min_size

    def margin(self, var: tuple) -> Margin:
        return self.margins[var]


def raw_margins(project, structure: Structure) -> dict[tuple, dict[str, int]]:
    """Counts per category of every variable, counted in the database."""
    total = structure.total
    counts: dict[tuple, dict[str, int]] = {}
    asked_rows, not_asked_rows = _answer_rows(project, structure)
    ticked = _multiple_choice_ticks(project.id) if any(
        info.kind == "multi" for info in structure.questions.values()) else {}
    for key, info in structure.questions.items():
        var = question_var(key)
        cats = {c: 0 for c in structure.categories(var)}
        present = sum(structure.interviews_per_version[v] for v in info.choices_in)
        cats[NOT_ASKED] = total - present + not_asked_rows[key]
        for (value, special, has_text), n in asked_rows.get(key, Counter()).items():
            category = _answer_category(info, value, special, has_text)
            if category is None:
                continue
            if category not in cats:  # a value a newer version dropped
                cats = _insert_before_specials(cats, category)
                if category not in info.values:
                    info.values.append(category)
            cats[category] += n
        cats[NO_ANSWER] = max(total - sum(n for c, n in cats.items() if c != NO_ANSWER), 0)
        counts[var] = cats
        if info.kind == "multi":
            for value in info.values:
                n = ticked.get(key, {}).get(value, 0)
                counts[option_var(key, value)] = {TICKED: n, NOT_TICKED: cats[CHOSE_ANY] - n,
                                                  **{c: cats[c] for c in (*SPECIALS, NO_ANSWER, NOT_ASKED)}}
    per_location = dict(db.session.execute(
        select(Interview.location_id, func.count()).where(_completed(project.id)).group_by(Interview.location_id)
    ).all())
    counts[LOCATION] = {loc: per_location.get(int(loc), 0) for loc in structure.location_ids}
    if structure.needs_version:
        counts[VERSION] = {str(v): structure.interviews_per_version[v] for v in structure.used_versions}
    return counts


def _answer_rows(project, structure: Structure) -> tuple[dict[str, Counter], Counter]:
    """Answers of completed interviews counted in the database: per question key, the asked ones
    by (value, special, text state), and the number not asked."""
    asked_rows: dict[str, Counter] = {}
    not_asked_rows: Counter = Counter()
    # An open text counts apart when the panel may not read it yet: the board shows the others.
    text_state = case((Answer.text.is_(None), 0), (panel_may_read(project), 1), else_=2)
    for key, value, special, was_asked, has_text, n in db.session.execute(
        select(Question.key, Answer.value, Answer.special, Answer.asked, text_state, func.count())
        .join(Answer, Answer.question_id == Question.id)
        .join(Interview, Interview.id == Answer.interview_id)
        .where(_completed(project.id))
        .group_by(Question.key, Answer.value, Answer.special, Answer.asked, text_state)
    ).all():
        if key not in structure.questions:
            continue
        if not was_asked:
            not_asked_rows[key] += n
        else:
            asked_rows.setdefault(key, Counter())[(value, special, has_text)] += n
    return asked_rows, not_asked_rows


def _answer_category(info, value, special, has_text) -> str | None:
    """The category an asked answer counts in on the results page; None when it counts in none."""
    if special:
        return SPECIAL + special
    if info.kind == "open":
        return {1: GAVE_TEXT, 2: TEXT_WAITING}.get(has_text)
    if value is None:
        return None
    if info.kind == "multi":
        return CHOSE_ANY
    if info.kind == "number":
        return GAVE_NUMBER
    return value


def _insert_before_specials(cats: dict[str, int], category: str) -> dict[str, int]:
    result = {}
    for c, n in cats.items():
        if c == SPECIALS[0]:
            result[category] = 0
        result[c] = n
    return result


def _multiple_choice_ticks(project_id: int) -> dict[str, dict[str, int]]:
    """{key: {choice value: people who ticked it}}: an answer "1,3" holds "3" when ",1,3,"
    contains ",3,"."""
    wrapped = literal(",") + Answer.value + literal(",")
    counts: dict[str, dict[str, int]] = {}
    for key, value, n in db.session.execute(
        select(Question.key, Choice.value, func.count(Answer.id))
        .join(Answer, Answer.question_id == Question.id)
        .join(Interview, Interview.id == Answer.interview_id)
        .join(Choice, Choice.question_id == Question.id)
        .where(_completed(project_id), Question.kind == "multi", Answer.asked.is_(True),
               Answer.value.is_not(None), wrapped.contains(literal(",") + Choice.value + literal(","), autoescape=False))
        .group_by(Question.key, Choice.value)
    ).all():
        counts.setdefault(key, {})[value] = n
    return counts


def margin_plan(project, structure: Structure | None = None) -> MarginPlan:
    structure = structure or load_structure(project)
    counts = raw_margins(project, structure)
    possibilities = Possibilities(structure)
    min_size = project.min_group_size
    total = structure.total
    found = relations(structure, possibilities)
    exact = exact_not_asked(structure, found)
    values: dict[tuple, int] = {}
    lines: list[tuple] = []
    structural: set[tuple] = set()
    keep: set[tuple] = set()
    given_hidden: set[tuple] = set()
    for var, cats in counts.items():
        line = []
        for category, n in cats.items():
            cell = (var, category)
            values[cell] = n
            line.append(cell)
            fixed = _possible_fixed(var, category)
            if n == 0 and var != VERSION and fixed and not possibilities.possible(fixed):
                structural.add(cell)
            if var == VERSION:
                given_hidden.add(cell)
            if category == NOT_ASKED and var[0] in ("q", "o") and var[1] not in exact:
                given_hidden.add(cell)
            if var[0] == "q" and category == GAVE_TEXT:
                keep.add(cell)  # the board shows every open answer: their number is no secret
        lines.append(tuple(line))
    for relation in found:
        lines.extend(relation_lines(structure, relation, lambda var, category: (var, category)))
    bounds = [(terms, bound) for terms, bound in known_bounds(structure, lambda var, category: (var, category))
              if all(cell in values for cell in terms)]
    problem = Problem(values, lines, structural, given_hidden, keep, bounds)
    if total < min_size:
        hidden = {cell for cell in values if cell not in structural}
    else:
        hidden = protect(problem, min_size)
    margins = {}
    for var, cats in counts.items():
        margins[var] = Margin(var, dict(cats), {c for c in cats if (var, c) in hidden},
                              {c for c in cats if (var, c) in structural})
    return MarginPlan(structure, total, min_size, margins, found, possibilities, problem, frozenset(hidden))


# ---------------------------------------------------------------------------------------------
# Breakdowns: two variables at a time, decided per block of linked breakdowns

def table_vars_of(structure: Structure, var: tuple) -> list[tuple]:
    """The published variables of a breakdown node: a multiple-choice question is its split
    (ticked something / weet ik niet / … ) and one ticked-or-not variable per answer."""
    if var[0] == "q" and structure.questions[var[1]].kind == "multi":
        return [var] + [option_var(var[1], v) for v in structure.questions[var[1]].values]
    return [var]


def component(structure: Structure, var: tuple) -> tuple:
    """The breakdown nodes linked to `var` through skip logic (itself included), sorted."""
    if var == LOCATION:
        return (LOCATION,)
    eligible = {key for key, info in structure.questions.items() if info.kind in ONE_ANSWER_KINDS + ("multi",)}
    edges: dict[str, set[str]] = {key: set() for key in eligible}
    for key in eligible:
        for conditions in structure.questions[key].conditions_in.values():
            for source, _values in conditions:
                if source in eligible:
                    edges[key].add(source)
                    edges[source].add(key)
    seen, todo = set(), [var[1]]
    while todo:
        key = todo.pop()
        if key in seen or key not in edges:
            continue
        seen.add(key)
        todo.extend(edges[key])
    return tuple(sorted(question_var(key) for key in seen))


@dataclass
class Table:
    """One breakdown: every person of the population in exactly one cell."""
    row_var: tuple
    col_var: tuple
    rows: list[str]
    columns: list[str]
    counts: dict[tuple[str, str], int]
    hidden: set[tuple[str, str]]
    structural: set[tuple[str, str]]

    def value(self, row: str, column: str) -> int | None:
        return None if (row, column) in self.hidden else self.counts.get((row, column), 0)


def block_tables(project, plan: MarginPlan, first: tuple, second: tuple) -> dict[tuple, Table]:
    """Every breakdown between the components of two nodes, decided together.

    Returns {(row variable, column variable): Table} for each published pair, with the
    variables in sorted order (a breakdown of A by B and of B by A read the same table)."""
    structure = plan.structure
    left, right = sorted((component(structure, first), component(structure, second)))
    left_vars = [v for node in left for v in table_vars_of(structure, node)]
    right_vars = [v for node in right for v in table_vars_of(structure, node)]
    pairs = _published_pairs(structure, left_vars, right_vars)
    if not pairs:
        return {}
    keys = sorted({v[1] for node in left + right for v in (node,) if v[0] == "q"})
    with_location = LOCATION in left + right
    joint = _joint_counts(project, structure, keys, with_location)
    # The counts of the results page take part as they are: a reader combines them with the
    # breakdowns. Each row and column of a breakdown adds up to its count there.
    margins = plan.fixed_margins()
    values: dict[tuple, int] = dict(margins.values)
    lines: list[tuple] = list(margins.lines)
    structural: set[tuple] = set(margins.structural)
    given_hidden: set[tuple] = set(margins.hidden)
    keep: set[tuple] = set(margins.keep_shown)
    equalities: list[tuple[dict, int]] = []
    tables: dict[tuple, Table] = {}
    for a, b in pairs:
        rows, cols = structure.categories(a), structure.categories(b)
        counts = _marginalise(joint, keys, a, b, with_location)
        ma, mb = plan.margin(a), plan.margin(b)
        table_structural = set()
        for r in rows:
            for c in cols:
                cell = ("t", a, b, r, c)
                n = counts.get((r, c), 0)
                values[cell] = n
                if n == 0 and not plan.possibilities.possible({**_possible_fixed(a, r), **_possible_fixed(b, c)}):
                    structural.add(cell)
                    table_structural.add((r, c))
                if r in ma.hidden or c in mb.hidden:
                    given_hidden.add(cell)
        for r in rows:
            if r not in ma.hidden:
                lines.append(tuple(("t", a, b, r, c) for c in cols))
            equalities.append(({**{("t", a, b, r, c): 1 for c in cols}, (a, r): -1}, 0))
        for c in cols:
            if c not in mb.hidden:
                lines.append(tuple(("t", a, b, r, c) for r in rows))
            equalities.append(({**{("t", a, b, r, c): 1 for r in rows}, (b, c): -1}, 0))
        tables[(a, b)] = Table(a, b, rows, cols, counts, set(), table_structural)
    lines.extend(_skip_logic_lines(plan, pairs, tables))
    bounds = list(margins.at_most) + _known_table_bounds(structure, pairs, values)
    hidden = _hidden_cells(plan, Problem(values, lines, structural, given_hidden, keep, bounds, equalities))
    for (a, b), table in tables.items():
        table.hidden = {(r, c) for r in table.rows for c in table.columns if ("t", a, b, r, c) in hidden}
    return tables


def _hidden_cells(plan: MarginPlan, problem: Problem) -> set:
    """With too few interviews every cell is hidden (a structural zero tells nothing); otherwise
    the linked suppression decides, and hides every table cell when nothing less will do."""
    if plan.total < plan.min_size:
        return {cell for cell in problem.values if cell not in problem.structural}
    table_cells = {cell for cell in problem.values if cell[0] == "t"}
    return protect(problem, plan.min_size, last_resort=table_cells)


def _published_pairs(structure: Structure, left_vars: list, right_vars: list) -> list[tuple]:
    """The breakdowns offered between two sets of variables, each pair in sorted order, sorted."""
    pairs = []
    for a in left_vars:
        for b in right_vars:
            if _question_of(a) == _question_of(b) or not _published_pair(structure, a, b):
                continue
            pair = tuple(sorted((a, b)))
            if pair not in pairs:
                pairs.append(pair)
    pairs.sort()
    return pairs


def _skip_logic_lines(plan: MarginPlan, pairs: list[tuple], tables: dict[tuple, Table]) -> list[tuple]:
    """Skip logic across breakdowns: per group of one variable, the people not asked a question
    are the people of that group whose earlier answer did not lead to it."""
    structure = plan.structure
    lines = []
    for relation in plan.relations:
        q = relation.target
        for other in sorted({v for pair in pairs for v in pair}):
            if other in (q, relation.source):
                continue
            pq, ps = tuple(sorted((other, q))), tuple(sorted((other, relation.source)))
            if pq not in tables or ps not in tables:
                continue
            margin = plan.margin(other)
            for category in structure.categories(other):
                if category in margin.hidden:
                    continue
                lines.extend(relation_lines(
                    structure, relation,
                    lambda var, cat, other=other, category=category: _table_cell(other, category, var, cat)))
    return lines


def _known_table_bounds(structure: Structure, pairs: list[tuple], values: dict) -> list[tuple]:
    """Upper bounds a reader knows from the questionnaire, on cells of these breakdowns."""
    bounds = []
    for other in sorted({v for pair in pairs for v in pair}):
        for category in structure.categories(other):
            for terms, bound in known_bounds(
                    structure, lambda var, cat, other=other, category=category: _table_cell(other, category, var, cat)):
                if all(cell in values for cell in terms):
                    bounds.append((terms, bound))
    return bounds


def _table_cell(a_var, a_cat, b_var, b_cat) -> tuple:
    if a_var <= b_var:
        return ("t", a_var, b_var, a_cat, b_cat)
    return ("t", b_var, a_var, b_cat, a_cat)


def _question_of(var: tuple) -> str | None:
    return var[1] if var[0] in ("q", "o") else None


def _published_pair(structure: Structure, a: tuple, b: tuple) -> bool:
    """A breakdown of one by the other is offered: the groups come from the location or a
    one-answer question; the answers from a one-answer or multiple-choice question."""
    def groups(v):
        return v == LOCATION or (v[0] == "q" and structure.questions[v[1]].kind in ONE_ANSWER_KINDS)

    def answers(v):
        return v[0] == "o" or (v[0] == "q" and structure.questions[v[1]].kind in ONE_ANSWER_KINDS + ("multi",))

    return (groups(a) and answers(b)) or (groups(b) and answers(a))


def _joint_counts(project, structure: Structure, keys: list[str], with_location: bool) -> Counter:
    """How many completed interviews have each combination of raw answers to `keys` (and
    location): one GROUP BY with an outer join per question."""
    statement_columns = [Interview.location_id] if with_location else []
    aliases = []
    for key in keys:
        qa, aa = aliased(Question), aliased(Answer)
        aliases.append((key, qa, aa))
        statement_columns += [qa.id, aa.value, aa.special, aa.asked, aa.text.is_not(None)]
    statement = select(*statement_columns, func.count()).select_from(Interview)
    for key, qa, aa in aliases:
        statement = (statement
                     .outerjoin(qa, and_(qa.version_id == Interview.version_id, qa.key == key))
                     .outerjoin(aa, and_(aa.interview_id == Interview.id, aa.question_id == qa.id)))
    statement = statement.where(_completed(project.id)).group_by(*statement_columns)
    joint: Counter = Counter()
    for row in db.session.execute(statement).all():
        *dims, n = row
        pattern = []
        index = 0
        if with_location:
            pattern.append(str(dims[0]))
            index = 1
        for key, _qa, _aa in aliases:
            qid, value, special, was_asked, has_text = dims[index:index + 5]
            index += 5
            pattern.append(_raw_state(structure.questions[key], qid, value, special, was_asked, has_text))
        joint[tuple(pattern)] += n
    return joint


def _raw_state(info: QuestionInfo, qid, value, special, was_asked, has_text):
    """(category, ticked answers) of one interview for one question."""
    if qid is None or was_asked is False:
        return (NOT_ASKED, frozenset())
    if special:
        return (SPECIAL + special, frozenset())
    if info.kind == "multi":
        if value is None:
            return (NO_ANSWER, frozenset())
        return (CHOSE_ANY, frozenset(v for v in value.split(",") if v))
    if value is None:
        return (NO_ANSWER, frozenset())
    return (value, frozenset())


def _category_of(keys: list[str], var: tuple, pattern: tuple, with_location: bool) -> str:
    if var == LOCATION:
        return pattern[0]
    index = keys.index(var[1]) + (1 if with_location else 0)
    category, ticked = pattern[index]
    if var[0] == "o":
        if category != CHOSE_ANY:
            return category
        return TICKED if var[2] in ticked else NOT_TICKED
    return category


def _marginalise(joint: Counter, keys: list[str], a: tuple, b: tuple, with_location: bool) -> dict:
    counts: Counter = Counter()
    for pattern, n in joint.items():
        counts[(_category_of(keys, a, pattern, with_location), _category_of(keys, b, pattern, with_location))] += n
    return dict(counts)


# ---------------------------------------------------------------------------------------------
# Themes: the people whose answers are in a theme, per location

IN_THEME, NOT_IN_THEME = "in", "out"


@dataclass
class ThemeCounts:
    people: int | None  # None: hidden
    per_location: dict[str, int | None]  # location id -> people, None: hidden


def theme_counts(plan: MarginPlan, people: int, per_location: dict[str, int], cards: int, *,
                 by_location: bool = True) -> ThemeCounts:
    """Hide the small groups of one theme's people per location.

    Being in a theme or not splits the same people as the location does: a table of two columns
    whose rows are the locations, hidden where the plan hides a location. Themes overlap and
    are about open answers the panel reads anyway, so each theme is decided on its own.

    `by_location=False`: the people only, decided without the locations. Whoever chooses the
    theme's cards would otherwise see the people hidden for a new card from one location and
    shown for one from another (hidden to protect a location's small group), and so learn
    where that card's writer was."""
    if not by_location:
        return _theme_people(plan, people, cards)
    locations = plan.structure.location_ids
    location_margin = plan.margin(LOCATION)
    margins = plan.fixed_margins()
    values: dict[tuple, int] = dict(margins.values)
    values.update({("m", IN_THEME): people, ("m", NOT_IN_THEME): plan.total - people})
    lines: list[tuple] = list(margins.lines) + [(("m", IN_THEME), ("m", NOT_IN_THEME))]
    given_hidden = set(margins.hidden)
    equalities = []
    for loc in locations:
        n_in = per_location.get(loc, 0)
        values[("t", loc, IN_THEME)] = n_in
        values[("t", loc, NOT_IN_THEME)] = location_margin.counts.get(loc, 0) - n_in
        equalities.append(({("t", loc, IN_THEME): 1, ("t", loc, NOT_IN_THEME): 1, (LOCATION, loc): -1}, 0))
        if loc in location_margin.hidden:
            given_hidden |= {("t", loc, IN_THEME), ("t", loc, NOT_IN_THEME)}
        else:
            lines.append((("t", loc, IN_THEME), ("t", loc, NOT_IN_THEME)))
    # The people in the theme are the people of every location in it; the others likewise.
    lines.append((("m", NOT_IN_THEME),) + tuple(("t", loc, IN_THEME) for loc in locations))
    lines.append((("m", IN_THEME),) + tuple(("t", loc, NOT_IN_THEME) for loc in locations))
    if not plan.shown:
        hidden = set(values)
    else:
        # The board shows the theme's cards: it holds no more people than cards.
        bounds = list(margins.at_most) + [({("m", IN_THEME): 1}, cards)]
        hidden = protect(Problem(values, lines, set(margins.structural), given_hidden, set(margins.keep_shown),
                                 bounds, equalities), plan.min_size)
    return ThemeCounts(
        people=None if ("m", IN_THEME) in hidden else people,
        per_location={loc: None if ("t", loc, IN_THEME) in hidden else values[("t", loc, IN_THEME)]
                      for loc in locations},
    )


def _theme_people(plan: MarginPlan, people: int, cards: int) -> ThemeCounts:
    values = {("m", IN_THEME): people, ("m", NOT_IN_THEME): plan.total - people}
    if not plan.shown:
        hidden = set(values)
    else:
        # The board shows the theme's cards: it holds no more people than cards.
        hidden = protect(Problem(values, [tuple(values)], set(), set(), set(), [({("m", IN_THEME): 1}, cards)]),
                         plan.min_size)
    return ThemeCounts(people=None if ("m", IN_THEME) in hidden else people, per_location={})
