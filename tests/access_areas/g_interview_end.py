"""The end of an interview: the stop ("Stoppen mag altijd") and the aftercare flag are the
interviewer's own (the walk's POST without a choice is refused with 422, or changes nothing
while the interview is in progress); marking aftercare as dealt with and closing interviews
left open are for project staff (the walk posts no interview: 400, or 422 for the close)."""
from .roles import ANNA_ONLY, PROJECT_STAFF

ACCESS = {
    "interview.stop": {"GET": ANNA_ONLY, "POST": ANNA_ONLY},
    "interview.follow_up": {"POST": ANNA_ONLY},
    "interview.follow_up_done": {"POST": PROJECT_STAFF},
    "interview.close_left_open": {"POST": PROJECT_STAFF},
}
ALLOWED_STATUSES_OF = {"interview.follow_up_done": {200, 302, 303, 400, 409, 422}}
