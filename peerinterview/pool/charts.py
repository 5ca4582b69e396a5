"""Bar charts for the results, drawn on the server (templates/pool/_chart.html).

Pure functions: they turn the suppressed cells of one question into bars with texts. The
results page shows each bar as a sentence with a small bar under it, and the same numbers in a
table behind "Toon tabel"; the report draws the chart as one SVG image with a title and a
description in words (role="img"), its table next to it. No inline styles (strict CSP): the
template uses classes and SVG presentation attributes only.
"""
from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import ngettext

from ..stats import Cell

WIDTH = 640  # the viewBox; the SVG scales with the page
BAR_MAX = 440  # 100 %
ROW_HEIGHT = 52
LABEL_CHARS = 58  # longer labels are shortened in the picture; the table has them whole
GAP_BEFORE_APART = 20


@dataclass
class Bar:
    key: str
    label: str  # in full (the table and the description use it)
    short_label: str  # in the picture
    count: int | None  # None: hidden
    percent: int | None
    apart: bool  # "weet ik niet", "wil ik niet zeggen", "geen antwoord": drawn apart, in grey
    y: int
    length: int  # in viewBox units

    @property
    def hidden(self) -> bool:
        return self.count is None


@dataclass
class Chart:
    id: str
    title: str
    description: str
    total: int  # what the percentages are of
    not_asked: int | None  # None: hidden (then `total` is everybody)
    multi: bool
    bars: list[Bar] = field(default_factory=list)
    height: int = 0
    separator_y: int | None = None

    @property
    def width(self) -> int:
        return WIDTH

    @property
    def bar_max(self) -> int:
        return BAR_MAX


def shorten(label: str, limit: int = LABEL_CHARS) -> str:
    label = " ".join(label.split())
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def bar_chart(chart_id: str, title: str, cells: list[Cell], labels: dict[str, str], total: int, *,
              apart_keys: set[str], not_asked: int | None = 0, multi: bool = False,
              words: dict[str, str] | None = None) -> Chart:
    """One bar per cell, in the order given; the cells in `apart_keys` come last, apart.

    Cells with count 0 among `apart_keys` are left out (nobody said "weet ik niet")."""
    chart = Chart(id=chart_id, title=title, description="", total=total, not_asked=not_asked, multi=multi)
    main = [cell for cell in cells if cell.key not in apart_keys]
    apart = [cell for cell in cells if cell.key in apart_keys and cell.count != 0]
    y = 0
    for group_index, group in enumerate((main, apart)):
        if group_index == 1 and group:
            chart.separator_y = y + GAP_BEFORE_APART // 2
            y += GAP_BEFORE_APART
        for cell in group:
            length = 0 if cell.hidden else round(BAR_MAX * (cell.percent or 0) / 100)
            chart.bars.append(Bar(key=cell.key, label=labels[cell.key], short_label=shorten(labels[cell.key]),
                                  count=cell.count, percent=cell.percent, apart=group_index == 1,
                                  y=y, length=length))
            y += ROW_HEIGHT
    chart.height = max(y, ROW_HEIGHT)
    chart.description = describe(chart, words)
    return chart


def chart_words() -> dict[str, str]:
    """The words of the charts, translated once per page instead of once per bar."""
    return {
        "multi": _("Mensen konden meer antwoorden kiezen."),
        "hidden": _("%(label)s: niet getoond."),
        "shown": _("%(label)s: %(num)s mensen, %(percent)s%%."),
        "hidden_short": _("niet getoond"),
        "answer": _("Antwoord"),
        "people": _("Mensen"),
        "percent": _("Procent"),
        "asked": _("Kregen de vraag"),
        "everybody": _("Alle mensen"),
        "not_asked": _("Kregen de vraag niet"),
    }


def describe(chart: Chart, words: dict[str, str] | None = None) -> str:
    """The chart in words, for the <desc>: the same numbers as the bars and the table."""
    words = words or chart_words()
    parts = [ngettext("Staafdiagram over %(num)d persoon.", "Staafdiagram over %(num)d mensen.", chart.total)]
    if chart.multi:
        parts.append(words["multi"])
    for bar in chart.bars:
        if bar.hidden:
            parts.append(words["hidden"] % {"label": bar.label})
        else:
            parts.append(words["shown"] % {"label": bar.label, "num": bar.count, "percent": bar.percent})
    if chart.not_asked is None:
        parts.append(words["hidden"] % {"label": words["not_asked"]})
    elif chart.not_asked:
        parts.append(ngettext("%(num)d persoon kreeg de vraag niet.", "%(num)d mensen kregen de vraag niet.",
                              chart.not_asked))
    return " ".join(parts)


def result_chart(result, words: dict[str, str], extra_labels: dict[str, str] | None = None) -> Chart:
    """The bar chart of one question's result (pool.services.QuestionResult)."""
    from .services import NO_ANSWER

    apart = {cell.key for cell in result.cells if cell.key.startswith("special:") or cell.key == NO_ANSWER}
    return bar_chart(f"chart-{result.question.key}", result.question.text, result.cells,
                     {**result.labels, **(extra_labels or {})}, result.base, apart_keys=apart,
                     not_asked=result.not_asked, multi=result.question.kind == "multi", words=words)
