from flask import Blueprint

bp = Blueprint("interview", __name__)

from .locale import own_interview_language  # noqa: E402

# Every page about one interview (an interview_id in its URL) speaks that interview's language
# to the interviewer who holds it.
bp.page_language = own_interview_language

from . import routes  # noqa: E402,F401
from . import sync  # noqa: E402,F401  (no answer is ever lost: keys, sync, service worker)
