"""Per-process caches for things that never change once made: the questions of a frozen
questionnaire version, their form classes, a project's decrypted private key, the facts of an
interview that never change, a solved suppression problem. See docs/decisions.md#per-process-caches.

Rules for what goes in:

* Immutable values only: frozen dataclasses, tuples, strings, classes, keys. Never an ORM
  object: a detached object silently goes stale, and a lazy attribute raises in another request.
* Keyed so that a key is never given to something else (ids of frozen versions, UUIDs, digests).

Every cache registers itself here when it is made, so one call empties them all: `clear_all()`
(the tests call it between tests, because emptied tables give ids again on SQLite).

Bounded: when full, a cache starts again empty (the entries are cheap to make again, only not per
request). A plain dict under the GIL; two threads that miss at once both make the entry, which is
harmless.
"""
from collections.abc import Callable, Hashable
from typing import Any

_REGISTRY: list["ProcessCache"] = []


class ProcessCache:
    def __init__(self, name: str, limit: int):
        self.name = name
        self.limit = limit
        self._entries: dict[Hashable, Any] = {}
        _REGISTRY.append(self)

    def get(self, key: Hashable, make: Callable[[], Any]) -> Any:
        """The entry for `key`, made with `make()` the first time. None is not kept."""
        value = self._entries.get(key)
        if value is None:
            value = make()
            if value is not None:
                if len(self._entries) >= self.limit:
                    self._entries.clear()
                self._entries[key] = value
        return value

    def values(self) -> list:
        return list(self._entries.values())

    def clear(self) -> None:
        self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)

    def __repr__(self) -> str:
        return f"<ProcessCache {self.name}: {len(self._entries)} of {self.limit}>"


def registered() -> tuple[ProcessCache, ...]:
    """Every process cache made so far (they are made when their module is imported)."""
    return tuple(_REGISTRY)


def clear_all() -> None:
    """Empty every process cache."""
    for cache in _REGISTRY:
        cache.clear()
