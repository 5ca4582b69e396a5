"""A small per-process cache for things that never change once made
(docs/decisions.md#per-process-caches): the questions of
a frozen questionnaire version, their form classes, a project's decrypted private key. Bounded:
when full it starts again empty (the entries are cheap to make again, only not per request).
A plain dict under the GIL; two threads that miss at once both make the entry, which is harmless.
"""
from collections.abc import Callable, Hashable
from typing import Any


class ProcessCache:
    def __init__(self, limit: int):
        self.limit = limit
        self._entries: dict[Hashable, Any] = {}

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

    def clear(self) -> None:
        self._entries.clear()
