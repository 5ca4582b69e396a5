"""The process is part of the result: how many volunteers took part in each phase (counts and
ranges, never names or one person's number) and their own appreciation of taking part."""
from flask import Blueprint

bp = Blueprint("process", __name__)

from . import routes  # noqa: F401
