"""pyxform's survey tree (xlsform_read.py) as a PeerInterview questionnaire: what fits comes
over, and every part that does not is listed with the reason, in B1.

    XLSForm                                   PeerInterview
    begin group / end group                   section title on the group's first question
    begin repeat                              its questions, asked once (listed)
    note                                      information screen
    select_one / select_multiple (any         single / multi (peerinterview_kind: scale3,
    spelling pyxform knows)                   scale5, yesno)
    or_other                                  the answer "Anders, namelijk" and room for an explanation
    integer / decimal / range                 number, with the range from the constraint
    text; date and time                       open (a date is asked as open text, listed)
    relevant                                  show-if conditions where relevance.py can express them
    calculate, geopoint, media, barcode,      left out, each listed with the reason
    phone number, include, ...

The texts come from one label column (one language of the form), chosen by the designer in the
preview; other columns with a known language become translations."""
import math
import re
from dataclasses import dataclass, field

from flask_babel import gettext as _

from ...vocabulary import ENGLISH_LANGUAGE_NAMES
from .document import (
    BASE_LANGUAGE,
    BOOLEAN_FIELDS,
    FIXED_KINDS,
    FORMAT,
    FORMAT_VERSION,
    KINDS,
    LANGUAGE_PATTERN,
    MAX_QUESTIONS,
    ImportRefused,
    Problem,
    check_questions,
)
from .relevance import Unexpressible, conditions_of

NAMES_TO_CODES = {name.casefold(): code for code, name in ENGLISH_LANGUAGE_NAMES.items()} | {
    "nederlands": "nl", "engels": "en", "dutch": "nl"}
# The label column of texts written without a language (pyxform's name for it).
NO_LANGUAGE = "default"
# The designer's answer "another language" for texts without one: they come over as they are.
OTHER_LANGUAGE = "other"
EXTRA_COLUMNS = {"allow_dont_know": "peerinterview_dont_know", "allow_refuse": "peerinterview_refuse",
                 "follow_up": "peerinterview_follow_up"}
KIND_COLUMN = "peerinterview_kind"
# Types that collect nothing to ask: KoboToolbox adds them to every form. Skipped quietly.
METADATA_TYPES = {"start", "end", "today", "deviceid", "subscriberid", "simserial", "phonenumber", "username",
                  "email", "audit", "start-geopoint", "background-audio", "background-geopoint", "uri:email",
                  "uri:phonenumber", "uri:username", "uri:deviceid", "uri:subscriberid", "uri:simserial"}
KINDS_BY_TYPE = {"select one": "single", "select all that apply": "multi", "integer": "number",
                 "decimal": "number", "range": "number", "text": "open", "note": "info",
                 "date": "open", "time": "open", "dateTime": "open", "datetime": "open"}
OTHER_VALUE = "other"
# select_one_from_file: the answers are in a file that does not come along.
FILE_LIST = re.compile(r"\.(csv|xml|geojson)$", re.IGNORECASE)
TRUE_WORDS = ("yes", "true", "true()", "1", "ja")


def _left_out_reason(type_word: str) -> str:
    reasons = [
        (("calculate",), _("Een berekening. Die doet PeerInterview niet.")),
        (("geopoint", "geotrace", "geoshape", "osm"), _("Een plek op de kaart. Die vragen we niet in een gesprek.")),
        (("image", "audio", "video", "file", "signature", "photo"),
         _("Een foto, geluid of bestand. Dat bewaart PeerInterview niet.")),
        (("barcode",), _("Een streepjescode. Die leest PeerInterview niet.")),
        (("phone number", "phone"), _("Een telefoonnummer. Dat vragen we niet in een gesprek.")),
        (("include",), _("Een verwijzing naar een ander formulier. Dat formulier zit niet in dit bestand.")),
    ]
    for types, reason in reasons:
        if type_word in types:
            return reason
    if "external" in type_word or "from file" in type_word:
        return _("De antwoorden staan in een ander bestand. Dat bestand hebben we niet.")
    return _("Deze soort vraag (%(type)s) heeft PeerInterview niet.", type=type_word[:40])


@dataclass
class Item:
    """One line of the preview: a question (its key and text) and what happened to it."""

    key: str
    text: str
    note: str = ""


@dataclass
class Plan:
    """What an import would do, shown before anything is saved."""

    document: dict
    left_out: list[Item] = field(default_factory=list)
    notes: dict[str, list[str]] = field(default_factory=dict)  # question key → what changed
    columns: list[tuple[str, str | None]] = field(default_factory=list)  # label column, its language
    column: str = ""
    language: str | None = None
    needs_language: bool = False  # texts without a language: the designer says which language

    @property
    def questions(self) -> list[dict]:
        return self.document["questions"]

    @property
    def dutch_to_write(self) -> int:
        """Texts that came over in another language and still need a Dutch text."""
        return 0 if self.language == BASE_LANGUAGE else len(self.questions)


def language_code(text: str) -> str | None:
    """nl of "Dutch (nl)", "dutch", "Nederlands", "NL"; None if not known."""
    text = (text or "").strip()
    match = re.search(r"\(([A-Za-z]{2,3})\)\s*$", text)
    if match:
        return match.group(1).lower()
    if text.casefold() in NAMES_TO_CODES:
        return NAMES_TO_CODES[text.casefold()]
    return text.lower() if text.lower() in ENGLISH_LANGUAGE_NAMES else None


def _texts(value) -> dict[str, str]:
    """{column: text} of a pyxform label or hint (a plain string has no language)."""
    if isinstance(value, str):
        return {NO_LANGUAGE: value.strip()} if value.strip() else {}
    if isinstance(value, dict):
        return {str(k): str(v).strip() for k, v in value.items() if isinstance(v, str | int | float) and str(v).strip()}
    return {}


def label_columns(tree: dict) -> list[tuple[str, str | None]]:
    """Every label column of the form, in the order first seen, with its language if known."""
    seen: dict[str, None] = {}

    def walk(nodes):
        for node in nodes:
            for column in _texts(node.get("label")):
                seen.setdefault(column)
            for choice in node.get("choices") or []:
                for column in _texts(choice.get("label")):
                    seen.setdefault(column)
            walk(node.get("children") or [])
    walk(tree.get("children") or [])
    return [(column, None if column == NO_LANGUAGE else language_code(column)) for column in seen]


def _default_column(tree: dict, columns) -> tuple[str, bool]:
    """The column to take the texts from: the Dutch one, else the form's default_language, else
    the one with the most question texts. True when its language is unknown and the designer
    must say it."""
    dutch = next((column for column, code in columns if code == BASE_LANGUAGE), None)
    if dutch:
        return dutch, False
    names = [column for column, _code in columns]
    default = str(tree.get("default_language") or "")
    if default not in names or default == NO_LANGUAGE:
        counts: dict[str, int] = {}

        def count(nodes):
            for node in nodes:
                for column in _texts(node.get("label")):
                    counts[column] = counts.get(column, 0) + 1
                count(node.get("children") or [])
        count(tree.get("children") or [])
        default = max(names, key=lambda name: counts.get(name, 0)) if names else NO_LANGUAGE
    return default, default == NO_LANGUAGE or language_code(default) is None


def plan_import(tree: dict, column: str | None = None, language: str | None = None) -> Plan:
    """The plan for pyxform's `tree`, with the texts of label column `column` taken as language
    `language` (by default: the Dutch column, or the form's default language)."""
    columns = label_columns(tree)
    default_column, unknown = _default_column(tree, columns)
    if column is None or column not in {c for c, _code in columns}:
        column = default_column
    else:
        unknown = False
    if language is None:
        language = dict(columns).get(column) or BASE_LANGUAGE
    mapper = _Mapper(tree, column, language)
    mapper.walk(tree.get("children") or [], conditions=[])
    plan = Plan(document={}, left_out=mapper.left_out, notes=mapper.notes, columns=columns, column=column,
                language=language, needs_language=unknown)
    plan.document = mapper.finish()
    return plan


def _is_true(value) -> bool:
    return str(value or "").strip().casefold() in TRUE_WORDS


RANGE_PART = re.compile(r"^\.\s*(>=|<=|>|<)\s*(-?\d+(?:\.\d+)?)$")


def range_of(constraint: str) -> tuple[int | None, int | None]:
    """(lowest, highest) whole number of a constraint like ". >= 0 and . <= 10"; ValueError if
    the constraint says something else."""
    low = high = None
    for part in re.split(r"\s+and\s+", constraint.strip().strip("()").strip()):
        match = RANGE_PART.match(part.strip().strip("()").strip())
        if not match:
            raise ValueError(constraint)
        operator, number = match.group(1), float(match.group(2))
        if operator in (">=", ">"):
            low = math.ceil(number) if operator == ">=" else math.floor(number) + 1
        else:
            high = math.floor(number) if operator == "<=" else math.ceil(number) - 1
    return low, high


def _safe_key(name: str) -> str:
    key = re.sub(r"[^A-Za-z0-9_]", "_", name)[:64]
    return key if re.match(r"[A-Za-z_]", key) else f"q_{key}"[:64]


def _is_pyxform_other(choice: dict) -> bool:
    label = choice.get("label")
    labels = set(label.values()) if isinstance(label, dict) else {label}
    return choice.get("name") == OTHER_VALUE and labels == {"Other"}


def _or_other_lists(nodes: list) -> set[str]:
    """The lists of the form's or_other questions (pyxform adds a text question "<name>_other")."""
    names = {str(node.get("name")) for node in nodes}
    found = {str(node.get("itemset") or node.get("list_name") or "") for node in nodes
             if f"{node.get('name')}_other" in names and (node.get("itemset") or node.get("list_name"))}
    for node in nodes:
        found |= _or_other_lists(node.get("children") or [])
    return found


class _Mapper:
    """Walks the tree once; questions, left-out items and notes are gathered on the way."""

    def __init__(self, tree: dict, column: str, language: str):
        self.lists = tree.get("choices") or {}
        self.title_text = str(tree.get("title") or "")
        self.column, self.language = column, language
        self.questions: list[dict] = []
        self.left_out: list[Item] = []
        self.notes: dict[str, list[str]] = {}
        self.sources: dict[str, dict] = {}  # earlier list questions, by their name in the form
        self.keys: dict[str, str] = {}      # name in the form → key here
        self.title: dict[str, str] | None = None  # a group's title, waiting for its first question
        self.or_other_lists = _or_other_lists(tree.get("children") or [])

    # --- the tree ---

    def walk(self, nodes: list, conditions: list, inherited=()):
        skip = set()
        for index, node in enumerate(nodes):
            type_word = str(node.get("type") or "")
            if node.get("name") in skip or type_word in METADATA_TYPES:
                continue
            if type_word in ("group", "repeat"):
                self._group(node, conditions, list(inherited))
            elif type_word not in KINDS_BY_TYPE or FILE_LIST.search(str(node.get("itemset") or "")):
                self._leave_out(node, _left_out_reason(type_word if type_word not in KINDS_BY_TYPE else "from file"))
            else:
                other = self._or_other(node, nodes[index + 1:])
                if other:
                    skip.add(other)
                self._question(node, conditions, list(inherited), has_other=bool(other))

    def _group(self, node: dict, conditions: list, inherited: list) -> None:
        if (node.get("control") or {}).get("bodyless"):
            return  # the "meta" group pyxform adds to every form: nothing to ask
        own, note = self._conditions(node)
        if note:
            inherited.append(_("De voorwaarde van de groep (%(rule)s) kunnen we niet overnemen. "
                               "De vraag komt altijd.", rule=note))
        if node.get("type") == "repeat":
            inherited.append(_("Deze vraag stond in een herhaling. We vragen hem één keer."))
        titles = _texts(node.get("label"))
        if titles:
            self.title = titles
        self.walk(node.get("children") or [], conditions + own, inherited=inherited)
        if self.title is titles:
            self.title = None  # an empty group: its title belongs to no question

    def _or_other(self, node: dict, rest: list) -> str | None:
        """The name of the text question pyxform made for "or_other", if this is such a list."""
        name = f"{node.get('name')}_other"
        choices = self._choice_nodes(node)
        if KINDS_BY_TYPE.get(node.get("type")) not in ("single", "multi") or not choices:
            return None
        if choices[-1].get("name") != OTHER_VALUE:
            return None
        following = next((n for n in rest if n.get("name") == name and n.get("type") == "text"), None)
        return name if following is not None else None

    def _leave_out(self, node: dict, reason: str) -> None:
        text = _texts(node.get("label"))
        self.left_out.append(Item(str(node.get("name") or ""), self._pick(text), reason))

    def _conditions(self, node: dict) -> tuple[list[dict], str]:
        """(conditions, "") or ([], the rule that cannot come over)."""
        rule = str((node.get("bind") or {}).get("relevant") or "").strip()
        try:
            found = conditions_of(rule, str(node.get("name") or ""), self.sources)
        except Unexpressible:
            return [], rule[:200]
        return [{"question": self.keys[c["question"]], "values": c["values"]} for c in found], ""

    # --- one question ---

    def _kind(self, node: dict) -> str:
        kind = KINDS_BY_TYPE[node["type"]]
        named = str(node.get(KIND_COLUMN) or "").strip()
        allowed = {"single": ("single", *FIXED_KINDS)}.get(kind, (kind,))
        return named if named in KINDS and named in allowed else kind

    def _question(self, node: dict, conditions: list, notes: list, *, has_other: bool) -> None:
        if len(self.questions) >= MAX_QUESTIONS:
            self._leave_out(node, _("Er staan meer dan %(max)s vragen in het formulier. Meer kan niet.",
                                    max=MAX_QUESTIONS))
            return
        name = str(node.get("name") or "")
        kind = self._kind(node)
        spec = self._spec(node, kind, notes)
        if kind in ("single", "multi", *FIXED_KINDS):
            spec["choices"] = self._choices(node, kind, has_other)
            if has_other:
                spec["choices"][-1]["label"] = _("Anders, namelijk")
                spec["follow_up"] = True
                notes.append(_("Het antwoord 'Anders' heeft nu een vak om uit te leggen wat."))
        own, rule = self._conditions(node)
        if rule:
            notes.append(_("De voorwaarde %(rule)s kunnen we niet overnemen. De vraag komt altijd.", rule=rule))
        try:
            check_questions({"questions": [{**spec, "conditions": []}]})
        except ImportRefused as refused:
            self._leave_out(node, " ".join(problem.message for problem in refused.problems[:3]))
            return
        spec["conditions"] = conditions + own
        if self.title:
            self._set_section_title(spec, self.title)
            self.title = None
        self.keys[name] = spec["key"]
        if kind in ("single", "multi", *FIXED_KINDS):
            self.sources[name] = {"values": [c["value"] for c in spec["choices"]], "multi": kind == "multi"}
        if notes:
            self.notes[spec["key"]] = notes
        self.questions.append(spec)

    def _key(self, name: str, notes: list) -> str:
        key = _safe_key(name) if name else f"q{len(self.questions) + 1}"
        taken = set(self.keys.values())
        while key in taken:
            key = f"{key[:60]}_{len(taken)}"
        if key != name:
            notes.append(_("De vraag heeft een nieuwe sleutel: %(key)s.", key=key))
        return key

    def _spec(self, node: dict, kind: str, notes: list) -> dict:
        labels, hints = _texts(node.get("label")), _texts(node.get("hint"))
        bind = node.get("bind") or {}
        text = self._pick(labels)
        if text and not labels.get(self.column):
            notes.append(_("Deze tekst stond niet in de gekozen taal. We namen de tekst die er wel stond."))
        spec = {
            "key": self._key(str(node.get("name") or ""), notes), "kind": kind, "section_title": "",
            "text": text, "help_text": self._pick(hints),
            "required": _is_true(bind.get("required")), "min_value": None, "max_value": None, "choices": [],
            "translations": self._translations({"text": labels, "help_text": hints}),
        }
        for name, column in EXTRA_COLUMNS.items():
            value = node.get(column)
            spec[name] = BOOLEAN_FIELDS[name] if value in (None, "") else _is_true(value)
        if node["type"] in ("date", "time", "dateTime", "datetime"):
            notes.append(_("Dit was een vraag naar een datum of tijd. Nu is het een open vraag."))
        if kind == "number":
            self._number_range(node, spec, notes)
        return spec

    def _number_range(self, node: dict, spec: dict, notes: list) -> None:
        if node["type"] == "decimal":
            notes.append(_("Dit was een kommagetal. PeerInterview vraagt een heel getal."))
        if node["type"] == "range":
            parameters = node.get("parameters") or {}
            constraint = " and ".join(f". {op} {parameters[name]}" for name, op in (("start", ">="), ("end", "<="))
                                      if name in parameters)
        else:
            constraint = str((node.get("bind") or {}).get("constraint") or "").strip()
        if not constraint:
            return
        try:
            spec["min_value"], spec["max_value"] = range_of(constraint)
        except ValueError:
            notes.append(_("De regel %(rule)s kunnen we niet overnemen. Elk getal mag.", rule=constraint[:120]))

    def _translations(self, texts: dict[str, dict[str, str]]) -> dict:
        """{code: {field: text}} of the other label columns with a known language; a form not in
        Dutch also keeps its own texts as their language's translation."""
        translations: dict[str, dict] = {}
        for field_name, by_column in texts.items():
            for column, text in by_column.items():
                code = self.language if column == self.column else language_code(column)
                if code and code != BASE_LANGUAGE and LANGUAGE_PATTERN.fullmatch(code):
                    translations.setdefault(code, {})[field_name] = text
        return translations

    def _pick(self, texts: dict[str, str]) -> str:
        """The text in the chosen column; else the one without a language; else any."""
        return texts.get(self.column) or texts.get(NO_LANGUAGE) or next(iter(texts.values()), "")

    def _choice_nodes(self, node: dict, *, has_other: bool = True) -> list:
        """The answers of a list question. pyxform adds its "Other" to the list of an or_other
        question, also where another question uses the same list: there it is left off."""
        found = node.get("choices") or self.lists.get(node.get("itemset") or node.get("list_name") or "") or []
        choices = [choice for choice in found if isinstance(choice, dict)]
        if not has_other and choices and _is_pyxform_other(choices[-1]):
            list_name = node.get("itemset") or node.get("list_name") or ""
            if list_name in self.or_other_lists:
                return choices[:-1]
        return choices

    def _choices(self, node: dict, kind: str, has_other: bool) -> list[dict]:
        """The answers; those of a scale or yes/no are the app's own, so no text is made up."""
        choices = []
        for choice in self._choice_nodes(node, has_other=has_other):
            labels = _texts(choice.get("label"))
            value = str(choice.get("name") or "")
            label = self._pick(labels) or ("" if kind in FIXED_KINDS else value)
            translations = {code: texts["text"] for code, texts in self._translations({"text": labels}).items()}
            choices.append({"value": value, "label": label, "translations": translations})
        return choices

    def _set_section_title(self, spec: dict, titles: dict[str, str]) -> None:
        spec["section_title"] = self._pick(titles)[:200]
        for code, texts in self._translations({"section_title": titles}).items():
            spec["translations"].setdefault(code, {})["section_title"] = texts["section_title"][:200]

    # --- the whole ---

    def finish(self) -> dict:
        """The checked document; ImportRefused, with the reasons, when nothing can come over."""
        if not self.questions:
            problems = [Problem(item.key, item.note) for item in self.left_out]
            raise ImportRefused([Problem("", _("In dit formulier staat geen vraag die PeerInterview kan "
                                               "gebruiken."))] + problems)
        languages = [BASE_LANGUAGE] + sorted({code for q in self.questions for code in q["translations"]})
        document = {"format": FORMAT, "format_version": FORMAT_VERSION, "title": self.title_text[:200],
                    "languages": languages, "questions": self.questions}
        return check_questions(document)


def language_options(columns) -> list[tuple[str, str]]:
    """The preview's choices "column|language": a column with a known language once; a column
    without one (or with a name we do not know) as Dutch or as another language."""
    from ...vocabulary import LANGUAGE_NAMES

    options = []
    for column, code in columns:
        shown = _("Teksten zonder taal") if column == NO_LANGUAGE else column[:60]
        if code:
            name = str(LANGUAGE_NAMES.get(code) or ENGLISH_LANGUAGE_NAMES.get(code, code))
            options.append((f"{column}|{code}", _("%(column)s: %(language)s", column=shown, language=name)))
        else:
            options.append((f"{column}|{BASE_LANGUAGE}", _("%(column)s: Nederlands", column=shown)))
            options.append((f"{column}|{OTHER_LANGUAGE}", _("%(column)s: een andere taal", column=shown)))
    return options
