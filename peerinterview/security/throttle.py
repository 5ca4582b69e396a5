"""Counting failed attempts with Flask-Limiter's storage (memory, or Redis when configured).
Only failures count, and the window moves on: never a permanent lock-out."""
from flask import current_app
from limits import parse as parse_limit

from ..extensions import limiter


def _limit(config_name: str):
    return parse_limit(current_app.config[config_name])


def too_many(config_name: str, key: str) -> bool:
    try:
        return not limiter.limiter.test(_limit(config_name), key)
    except Exception:  # storage (Redis) down: let people in, and say so in the log
        current_app.logger.exception("rate limit storage unavailable")
        return False


def count_failure(config_name: str, key: str) -> None:
    try:
        limiter.limiter.hit(_limit(config_name), key)
    except Exception:
        current_app.logger.exception("rate limit storage unavailable")


def forget(config_name: str, key: str) -> None:
    try:
        limiter.limiter.clear(_limit(config_name), key)
    except Exception:
        current_app.logger.exception("rate limit storage unavailable")
