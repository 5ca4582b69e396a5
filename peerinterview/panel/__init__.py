from flask import Blueprint

bp = Blueprint("panel", __name__)

from . import routes  # noqa: F401
