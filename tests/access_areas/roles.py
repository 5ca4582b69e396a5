"""The roles of the access walk (see tests/test_access.py for who is who in the world)."""
ANONYMOUS = "anonymous"
ROLES = (ANONYMOUS, "anna", "bram", "petra", "dirk", "staf", "andere-staf")
EVERYONE = frozenset(ROLES)
LOGGED_IN = EVERYONE - {ANONYMOUS}
GLOBAL_STAFF = frozenset({"staf", "andere-staf"})
MEMBERS = frozenset({"anna", "bram", "petra", "dirk", "staf"})
PROJECT_STAFF = frozenset({"staf"})
EDITORS = frozenset({"staf", "dirk"})
INTERVIEWERS = frozenset({"anna", "bram"})
ANNA_ONLY = frozenset({"anna"})
PANEL = frozenset({"petra", "staf"})
