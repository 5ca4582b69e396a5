from flask import Blueprint

bp = Blueprint("panel", __name__)

from . import round_routes, routes  # noqa: F401
