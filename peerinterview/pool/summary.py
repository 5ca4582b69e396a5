"""The clearest results: the few questions the panel reads first, above all the others.

The rule, in the words of the page: per question, the answer the most people chose; the
questions where that answer holds the largest share of the people come first. It looks only at
numbers the page shows anyway (the cells of pooled_results, as the plan in disclosure.py
decided them), and it publishes no number of its own: each line repeats one shown cell, with
the same count, base and percentage as the question's own chart. The lines claim nothing about
hidden answers (a hidden count may be larger than every shown one): they only say how many
people chose the answer they name.

Pure functions over services.QuestionResult: no database, no Flask.
"""
from dataclasses import dataclass

from ..stats import Cell
from .disclosure import NO_ANSWER, SPECIAL
from .services import QuestionResult

CLEAREST_COUNT = 5
# Questions with answers to choose from. Open and number questions have no "answer most people
# chose"; a multiple-choice answer counts the people who ticked it (of the people asked).
CLEAREST_KINDS = ("single", "scale3", "scale5", "yesno", "multi")


@dataclass
class ClearResult:
    result: QuestionResult
    cell: Cell  # the shown answer with the most people
    position: int  # the question's place on the results page, from 1

    @property
    def multi(self) -> bool:
        return self.result.question.kind == "multi"


def _is_answer(cell: Cell) -> bool:
    """A real answer, not "weet ik niet", "wil ik niet zeggen" or no answer."""
    return not (cell.key.startswith(SPECIAL) or cell.key == NO_ANSWER)


def clearest_results(results: list[QuestionResult], limit: int = CLEAREST_COUNT) -> list[ClearResult]:
    """At most `limit` questions, the largest share first (then more people, then the
    questionnaire's order). A question counts only when its numbers are shown and at least one
    of its answers was chosen by a shown, non-zero number of people."""
    candidates = []
    for position, result in enumerate(results, start=1):
        if not result.shown or result.question.kind not in CLEAREST_KINDS:
            continue
        shown = [cell for cell in result.cells if _is_answer(cell) and not cell.hidden and cell.count]
        if not shown:
            continue
        top = max(shown, key=lambda cell: cell.count)  # the first of equals, in the answers' order
        candidates.append(ClearResult(result=result, cell=top, position=position))
    candidates.sort(key=lambda clear: (-clear.cell.percent, -clear.cell.count, clear.position))
    return candidates[:limit]
