"""Counting failed attempts (logins, codes, login cards) with the `limits` library: in memory,
or in Redis when RATELIMIT_STORAGE_URI says so (several workers or hosts then count together).
Only failures count, and the window moves on: never a permanent lock-out.

An attempt is counted *before* the password or code is checked, in one atomic step of the
storage (`hit`: increment and compare). Checking the count first and adding to it after the
password check let parallel guesses all pass the check before any of them was counted
(bench/README.md#figures-behind-the-code). A right password or code then takes its attempt back.

Nothing here runs on other requests: the app has no per-request limits (a check on every request,
as Flask-Limiter's extension makes, costs every autosave time for nothing:
docs/decisions.md#no-flask-limiter-an-own-failure-counter).
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

    def attempt(self, config_name: str, key: str) -> bool:
        """Count one attempt for `key`; False when it is over the limit in config[config_name]
        ("10 per 15 minutes"): then do not check the password or code at all."""
        try:
            return self._window.hit(_limit(config_name), key)
        except Exception:  # storage (Redis) down: let people in, and say so in the log
            current_app.logger.exception("rate limit storage unavailable")
            return True

    def give_back(self, config_name: str, key: str) -> None:
        """The attempt turned out right: it does not count."""
        try:
            limit = _limit(config_name)
            # Not below zero: the window may have ended since (then there is nothing to take back).
            if self._storage.get(limit.key_for(key)) > 0:
                self._storage.incr(limit.key_for(key), limit.get_expiry(), amount=-1)
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


def attempt(config_name: str, key: str) -> bool:
    return failures.attempt(config_name, key)


def give_back(config_name: str, key: str) -> None:
    failures.give_back(config_name, key)


def forget(config_name: str, key: str) -> None:
    failures.forget(config_name, key)
