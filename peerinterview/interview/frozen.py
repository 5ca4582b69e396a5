"""Immutable copies of the questions of a frozen questionnaire version, for the process caches.

A frozen version never changes (design/services.py refuses every edit), so the autosave and the
sync keep its questions per process (services.frozen_question_at, frozen_questions_by_id) instead
of reading them on every request. They keep these copies, not ORM objects: a detached `Question`
would raise on the first relationship nobody loaded, and could be changed by accident.

A FrozenQuestion answers what the answer forms, the answer encoding, the texts and the save status
templates ask of a `Question` (same attribute and method names); it has no `version`, `number` or
`conditions`: skip logic and numbering need the whole version and run on the real objects.
"""
from dataclasses import dataclass, field
from types import MappingProxyType

from ..models.questionnaires import CHOICE_KINDS


def _read_only(translations) -> MappingProxyType:
    return MappingProxyType({language: MappingProxyType(dict(value)) if isinstance(value, dict) else value
                             for language, value in (translations or {}).items()})


# eq=False: compared and hashed by identity, as ORM objects are (the translations are not hashable).
@dataclass(frozen=True, slots=True, eq=False)
class FrozenChoice:
    id: int
    question_id: int
    position: int
    value: str
    label: str
    translations: MappingProxyType
    picture: str = ""

    @classmethod
    def of(cls, choice) -> "FrozenChoice":
        return cls(id=choice.id, question_id=choice.question_id, position=choice.position, value=choice.value,
                   label=choice.label, translations=_read_only(choice.translations), picture=choice.picture or "")

    def label_in(self, language: str) -> str:
        """The label in `language`, or "" when there is no translation."""
        if language == "nl":
            return self.label
        return self.translations.get(language) or ""


@dataclass(frozen=True, slots=True, eq=False)
class FrozenQuestion:
    id: int
    version_id: int
    key: str
    position: int
    kind: str
    text: str
    help_text: str
    required: bool
    allow_dont_know: bool
    allow_refuse: bool
    follow_up: bool
    section_title: str
    min_value: int | None
    max_value: int | None
    translations: MappingProxyType
    choices: tuple[FrozenChoice, ...]
    word_explanations: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))
    picture: str = ""
    allow_spoken: bool = False

    @classmethod
    def of(cls, question) -> "FrozenQuestion":
        """The copy of a `Question` (its choices must be loaded, or are loaded now)."""
        return cls(
            id=question.id, version_id=question.version_id, key=question.key, position=question.position,
            kind=question.kind, text=question.text, help_text=question.help_text or "",
            required=bool(question.required), allow_dont_know=bool(question.allow_dont_know),
            allow_refuse=bool(question.allow_refuse), follow_up=bool(question.follow_up),
            section_title=question.section_title or "", min_value=question.min_value,
            max_value=question.max_value, translations=_read_only(question.translations),
            choices=tuple(FrozenChoice.of(choice) for choice in sorted(question.choices, key=lambda c: c.position)),
            word_explanations=MappingProxyType({
                language: tuple(MappingProxyType(dict(entry)) for entry in entries)
                for language, entries in (question.word_explanations or {}).items()}),
            picture=question.picture or "",
            allow_spoken=bool(question.kind == "open" and question.allow_spoken),
        )

    @property
    def has_choices(self) -> bool:
        return self.kind in CHOICE_KINDS

    @property
    def is_answered(self) -> bool:
        """False for an information screen: it never gets an answer."""
        return self.kind != "info"

    def _translated(self, language: str, part: str) -> str:
        return (self.translations.get(language) or {}).get(part) or ""

    def text_in(self, language: str) -> str:
        return self.text if language == "nl" else self._translated(language, "text")

    def help_text_in(self, language: str) -> str:
        return self.help_text if language == "nl" else self._translated(language, "help_text")

    def section_title_in(self, language: str) -> str:
        return self.section_title if language == "nl" else self._translated(language, "section_title")

    def choice_label(self, value: str) -> str | None:
        return next((c.label for c in self.choices if c.value == value), None)

    def explanations_in(self, language: str) -> list:
        return list(self.word_explanations.get(language) or ())
