"""The questionnaire, in four rooms under one blueprint ("design"):

- builder/   the draft's questions, conditions and versions; the per-question history
- codesign/  proposals with comments and votes, the facilitator's view, undo and the history page
- transfer/  export and import (JSON, XLSForm), copies from another project, the starter lists
- preview/   one question or the whole draft on the interviewer's screens, nothing stored

Rooms build on the builder; the builder uses none of the others.
"""
from flask import Blueprint

bp = Blueprint("design", __name__)

from .builder import history  # noqa: E402,F401  (registers the listener that keeps each question's history)
from .builder import routes  # noqa: E402,F401
from .builder import word_routes  # noqa: E402,F401
from .builder import pictures  # noqa: E402,F401
from .codesign import routes as codesign_routes  # noqa: E402,F401
from .preview import routes as preview_routes  # noqa: E402,F401
from .transfer import routes as transfer_routes  # noqa: E402,F401
