from flask import Blueprint

bp = Blueprint("design", __name__)

from . import routes  # noqa: E402,F401
from . import transfer_routes  # noqa: E402,F401
from . import codesign  # noqa: E402,F401
from . import preview  # noqa: E402,F401
