"""Privacy and security: second factor, login cards, access log, erasure, identifying details,
retention."""
from flask import Blueprint

# cli_group=None: `flask --app app purge-expired`, not `flask security purge-expired`.
bp = Blueprint("security", __name__, cli_group=None)

from . import sessions  # noqa: E402, F401, I001  (the reverse proxy, the login stamp)
from . import data_routes, review_routes, routes  # noqa: E402, F401
