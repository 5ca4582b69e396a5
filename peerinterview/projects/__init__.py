from flask import Blueprint

bp = Blueprint("projects", __name__)

from . import member_routes, routes  # noqa: E402,F401
