from flask import Blueprint

bp = Blueprint("design", __name__)

from . import routes  # noqa: E402,F401
