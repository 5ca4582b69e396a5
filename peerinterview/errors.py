"""The one error a user can cause and be told about.

A service raises `Refused` when a request breaks a rule the user can understand and fix ("Deze vraag
heeft al antwoorden"); its message is plain Dutch (B1), already translated, and safe to show. Views
catch `Refused` only. Any other exception is a bug: it is logged and the user sees the general error
page, never its (English, internal) text.
"""


class Refused(Exception):
    """A rule the user broke, with the message to show them (a translated, plain-language string)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return str(self.message)
