"""Spoken answers: encrypted recordings go only into one's own interview, and only after the
person agreed to recordings (set here on the walk's interview, whose open question may be
answered by speaking). The walk posts a form, not JSON: the upload runs and refuses it with 400."""
from peerinterview.extensions import db
from peerinterview.process_cache import clear_all
from peerinterview.models import RECORDING_CONSENT_VERSION, Interview, Question

from .roles import ANNA_ONLY

ACCESS = {
    "interview.upload_recording": {"POST": ANNA_ONLY},
}
ALLOWED_STATUSES_OF = {"interview.upload_recording": {400}}


def url_values(app, world) -> dict:
    with app.app_context():
        db.session.get(Question, world.question_ids[2]).allow_spoken = True
        db.session.get(Interview, world.interview_id).recording_consent_version = RECORDING_CONSENT_VERSION
        db.session.commit()
        clear_all()  # the frozen questions were read before the switch
        db.session.remove()
    return {}
