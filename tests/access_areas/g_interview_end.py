"""The end of an interview: the stop ("Stoppen mag altijd") and the aftercare flag are the
interviewer's own (the walk's POST without a choice is refused with 422, or changes nothing
while the interview is in progress); marking aftercare as dealt with and closing interviews
left open are for project staff (the walk posts no interview: 400, or 422 for the close).
The review before pooling is for project staff (a second interviewer only when the project
allows it, tested in tests/test_review.py)."""
from .roles import ANNA_ONLY, PROJECT_STAFF

ACCESS = {
    "interview.stop": {"GET": ANNA_ONLY, "POST": ANNA_ONLY},
    "interview.follow_up": {"POST": ANNA_ONLY},
    "interview.follow_up_done": {"POST": PROJECT_STAFF},
    "interview.close_left_open": {"POST": PROJECT_STAFF},
    # The review of an interview before pooling: project staff (the walk's interview is still in
    # progress, so it goes back to the answers with 303). Answering "klopt iets niet" and
    # correcting an answer: the interviewer who took it (303 back: nothing to correct now).
    "interview.review": {"POST": PROJECT_STAFF},
    "interview.review_reply": {"POST": ANNA_ONLY},
    "interview.change": {"GET": ANNA_ONLY, "POST": ANNA_ONLY},
}
ALLOWED_STATUSES_OF = {"interview.follow_up_done": {200, 302, 303, 400, 409, 422}}
