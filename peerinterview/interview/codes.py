"""The respondent code of a new interview is made by the server.

The start page shows the code before the interview starts (the interviewer may write it down or
tell it at once), so the page carries it to the start request: with a seal (an HMAC made with
SECRET_KEY), so the start accepts only a code this server offered for this project. A code
without a valid seal, or one that another interview of the project got meanwhile (the same
page sent twice for two interviews), is replaced by a new one; the interview screens and the
thank-you page then show the code the interview really has.
"""
import hashlib

from flask import current_app
from itsdangerous import BadSignature, Signer

from .services import is_respondent_code, new_respondent_code, respondent_code_taken

_SALT = "peerinterview respondent code offer"


def _signer() -> Signer:
    # Newest key last: itsdangerous signs with it and accepts the fallbacks too.
    keys = [*(current_app.config.get("SECRET_KEY_FALLBACKS") or []), current_app.config["SECRET_KEY"]]
    return Signer(keys, salt=_SALT, digest_method=hashlib.sha256)


def _message(project_id: int, code: str) -> bytes:
    return f"{project_id}|{code}".encode()


def offer_code(project_id: int) -> tuple[str, str]:
    """A new free code for the start page, and its seal."""
    code = new_respondent_code(project_id)
    return code, _signer().get_signature(_message(project_id, code)).decode()


def offer_is_valid(project_id: int, code, seal) -> bool:
    if not is_respondent_code(code) or not isinstance(seal, str) or not seal or len(seal) > 100:
        return False
    try:
        return _signer().verify_signature(_message(project_id, code), seal.encode())
    except (BadSignature, UnicodeError, ValueError):
        return False


def code_for_start(project_id: int, code, seal) -> tuple[str, bool]:
    """The code for a new interview: the offered one if it is sealed and still free, else a new
    one. Returns (code, whether it was replaced)."""
    if offer_is_valid(project_id, code, seal) and not respondent_code_taken(project_id, code):
        return code, False
    return new_respondent_code(project_id), True

