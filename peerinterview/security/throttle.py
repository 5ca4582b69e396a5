"""Counting failed attempts (logins, codes, login cards) with the `limits` library: in memory,
or in Redis when RATELIMIT_STORAGE_URI says so (several workers or hosts then count together).
Only failures count, and the window moves on: never a permanent lock-out.

Nothing here runs on other requests: the app has no per-request limits (issue 8: a check on every
request, as Flask-Limiter's extension makes, cost 3 % of an autosave's time for nothing).
"""
from flask import current_app
from limits import parse as parse_limit
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter


class FailureCounter:
    """One per process: `failures.init_app(app)` reads RATELIMIT_STORAGE_URI."""

    def __init__(self):
        self._storage = None
        self._window = None

    def init_app(self, app) -> None:
        self._storage = storage_from_string(app.config["RATELIMIT_STORAGE_URI"])
        self._window = FixedWindowRateLimiter(self._storage)
        app.extensions["failure_counter"] = self

    def too_many(self, config_name: str, key: str) -> bool:
        """Whether `key` has used up the limit in config[config_name] ("10 per 15 minutes")."""
        try:
            return not self._window.test(_limit(config_name), key)
        except Exception:  # storage (Redis) down: let people in, and say so in the log
            current_app.logger.exception("rate limit storage unavailable")
            return False

    def count(self, config_name: str, key: str) -> None:
        try:
            self._window.hit(_limit(config_name), key)
        except Exception:
            current_app.logger.exception("rate limit storage unavailable")

    def forget(self, config_name: str, key: str) -> None:
        try:
            self._window.clear(_limit(config_name), key)
        except Exception:
            current_app.logger.exception("rate limit storage unavailable")

    def reset(self) -> None:
        """Forget every count (the tests, between tests)."""
        self._storage.reset()


def _limit(config_name: str):
    return parse_limit(current_app.config[config_name])


failures = FailureCounter()


def too_many(config_name: str, key: str) -> bool:
    return failures.too_many(config_name, key)


def count_failure(config_name: str, key: str) -> None:
    failures.count(config_name, key)


def forget(config_name: str, key: str) -> None:
    failures.forget(config_name, key)
