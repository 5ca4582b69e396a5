from flask import Blueprint

bp = Blueprint("interview", __name__)

from .locale import own_interview_language  # noqa: E402

# Every page about one interview (an interview_id in its URL) speaks that interview's language
# to the interviewer who holds it; the autosave's status too.
bp.page_language = own_interview_language

from . import autosave, routes  # noqa: E402,F401  (autosave: the htmx autosave's own endpoint)
from . import sync  # noqa: E402,F401  (no answer is ever lost: keys, sync, service worker)
from . import spoken  # noqa: E402,F401  (spoken answers: the encrypted upload of a recording)
