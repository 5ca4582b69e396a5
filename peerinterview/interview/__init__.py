from flask import Blueprint

bp = Blueprint("interview", __name__)

from . import routes  # noqa: E402,F401
from . import sync  # noqa: E402,F401  (no answer is ever lost: keys, sync, service worker)
