"""The per-process caches (peerinterview/process_cache.py): one registry that empties them all,
and only immutable values in them, never an ORM object."""
import dataclasses
import types

import pytest

from peerinterview.extensions import db
from peerinterview.interview import frozen
from peerinterview.process_cache import ProcessCache, clear_all, registered

from .builders import start_interview_http
from .test_sync import Tablet, answer, now_ms

HTMX = {"HX-Request": "true"}


def orm_objects(value, seen=None) -> list:
    """Every SQLAlchemy model instance reachable from `value` through containers, dataclasses
    and the class attributes of a form class."""
    seen = set() if seen is None else seen
    if id(value) in seen:
        return []
    seen.add(id(value))
    if isinstance(value, db.Model):
        return [value]
    if isinstance(value, (dict, types.MappingProxyType)):
        children = [*value.keys(), *value.values()]
    elif isinstance(value, (list, tuple, set, frozenset)):
        children = list(value)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        children = [getattr(value, f.name) for f in dataclasses.fields(value)]
    elif isinstance(value, type):
        children = [v for k, v in vars(value).items() if not k.startswith("__")]
    else:
        return []
    return [found for child in children for found in orm_objects(child, seen)]


def test_every_cache_is_registered_and_clear_all_empties_them():
    cache = ProcessCache("a test's own", limit=4)
    assert cache in registered()
    assert cache.get("key", lambda: "made") == "made"
    assert cache.get("key", lambda: "made again") == "made"  # kept
    clear_all()
    assert len(cache) == 0
    assert cache.get("key", lambda: "made again") == "made again"


def test_a_full_cache_starts_again_and_none_is_never_kept():
    cache = ProcessCache("a small one", limit=2)
    cache.get(1, lambda: "one")
    cache.get(2, lambda: "two")
    cache.get(3, lambda: "three")
    assert cache.values() == ["three"]
    assert cache.get(4, lambda: None) is None and len(cache) == 1


def test_the_caches_hold_no_orm_object_after_autosaves_and_a_sync(app, world, login_as):
    client, post = login_as("anna")
    interview_id = start_interview_http(client, post, world.project_id, world.location_ids[0])
    for number, data in ((1, {"answer": "2"}), (2, {"answer": "3"}), (3, {"text": "Meer rust."})):
        response = post(f"/interviews/{interview_id}/questions/{number}/answer", data, headers=HTMX)
        assert response.status_code == 200, response.get_data(as_text=True)
    tablet = Tablet(client, world.project_id)
    item = tablet.envelope(interview_id, world.question_ids[0], now_ms(), answer(value="1"))
    assert tablet.sync(interview_id, [item]).status_code == 200

    filled = {cache.name: cache.values() for cache in registered() if len(cache)}
    assert {"interview_facts", "frozen_questions", "frozen_versions"} <= set(filled)
    assert {name: orm_objects(values) for name, values in filled.items() if orm_objects(values)} == {}


def test_a_cached_question_cannot_be_changed(app, world, login_as):
    client, post = login_as("anna")
    interview_id = start_interview_http(client, post, world.project_id, world.location_ids[0])
    assert post(f"/interviews/{interview_id}/questions/1/answer", {"answer": "2"}, headers=HTMX).status_code == 200
    [cache] = [cache for cache in registered() if cache.name == "frozen_questions"]
    [question] = cache.values()
    assert isinstance(question, frozen.FrozenQuestion)
    assert [choice.label for choice in question.choices] == ["Elke dag", "Soms", "Bijna nooit"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        question.text = "Iets anders"
    with pytest.raises(TypeError):
        question.translations["en"] = {"text": "Something else"}
