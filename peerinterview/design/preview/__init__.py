"""Try the questionnaire out on the interviewer's screens: one question, or the whole list as a
practice interview. Nothing is stored."""
