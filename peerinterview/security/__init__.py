"""Privacy and security: second factor, login cards, access log, erasure, identifying details,
retention."""
from flask import Blueprint

# cli_group=None: `flask --app app purge-expired`, not `flask security purge-expired`.
bp = Blueprint("security", __name__, cli_group=None)

# sessions first: its timeout check runs before the other request hooks of this blueprint.
from . import sessions  # noqa: E402, F401, I001
from . import input_guard  # noqa: E402, F401, I001
from . import data_routes, review_routes, routes  # noqa: E402, F401
