"""The builder: a draft questionnaire's questions, conditions and versions, and the history of
each question."""
