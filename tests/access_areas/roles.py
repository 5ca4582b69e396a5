"""The roles of the access walk (see tests/test_access.py for who is who in the world)."""
ANONYMOUS = "anonymous"
# "beheerder" is an administrator in no project; "andere-staf" is staff of another project only;
# "gemma" is the municipality's account in staf's project (the role "municipality").
ROLES = (ANONYMOUS, "anna", "bram", "petra", "dirk", "staf", "andere-staf", "beheerder", "gemma")
EVERYONE = frozenset(ROLES)
LOGGED_IN = EVERYONE - {ANONYMOUS}
GLOBAL_STAFF = frozenset({"staf", "andere-staf", "beheerder"})
# Who may manage petra's account (panel member of staf's project only): its staff, an administrator.
PETRA_MANAGERS = frozenset({"staf", "beheerder"})
ADMINS = frozenset({"beheerder"})
MEMBERS = frozenset({"anna", "bram", "petra", "dirk", "staf"})
PROJECT_STAFF = frozenset({"staf"})
EDITORS = frozenset({"staf", "dirk"})
INTERVIEWERS = frozenset({"anna", "bram"})
ANNA_ONLY = frozenset({"anna"})
PANEL = frozenset({"petra", "staf"})
MUNICIPALITY = frozenset({"gemma"})
