from flask import Blueprint

bp = Blueprint("interview", __name__)

from . import autosave, routes  # noqa: E402,F401  (autosave: the htmx autosave's own endpoint)
from . import sync  # noqa: E402,F401  (no answer is ever lost: keys, sync, service worker)
