"""Co-design: proposals with comments and votes, the facilitator's view, duplicate and delete with
undo, and the history page of a question."""
