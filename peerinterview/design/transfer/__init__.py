"""The questionnaire in and out: export and import as JSON or XLSForm, copies from another
project, the starter lists."""
