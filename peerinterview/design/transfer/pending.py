"""An XLSForm import waiting for the designer's "yes": pyxform's survey tree, carried in the
preview page as a signed token, so that nothing is stored before the designer confirms and the
file need not be sent again.

The token is signed with the app's secret key (tampering breaks the signature), names the user
and the project it was made for (another user's or another project's token is refused), expires
after an hour, and has a size limit (the signed text is zlib-compressed JSON)."""
from flask import current_app
from itsdangerous import BadData, URLSafeTimedSerializer

SALT = "questionnaire.xlsform-import"
MAX_AGE_SECONDS = 60 * 60
# The token is a form field: it must stay under the form size Flask reads (500 kB by default).
MAX_TOKEN_CHARS = 400_000


class TokenRefused(Exception):
    pass


def _serializer() -> URLSafeTimedSerializer:
    keys = [*(current_app.config.get("SECRET_KEY_FALLBACKS") or []), current_app.config["SECRET_KEY"]]
    return URLSafeTimedSerializer(keys, salt=SALT)


def make_token(tree: dict, *, user_id: int, project_id: int, file_name: str) -> str:
    """The signed token; TokenRefused when the form is too big to carry."""
    token = _serializer().dumps({"user": user_id, "project": project_id, "name": file_name[:200], "tree": tree})
    if len(token) > MAX_TOKEN_CHARS:
        raise TokenRefused
    return token


def read_token(token: str, *, user_id: int, project_id: int) -> tuple[dict, str]:
    """(tree, file name) of a token made for this user and project; TokenRefused otherwise."""
    if not token or len(token) > MAX_TOKEN_CHARS:
        raise TokenRefused
    try:
        payload = _serializer().loads(token, max_age=MAX_AGE_SECONDS)
    except (BadData, ValueError, TypeError):
        raise TokenRefused
    if not isinstance(payload, dict) or payload.get("user") != user_id or payload.get("project") != project_id:
        raise TokenRefused
    tree = payload.get("tree")
    if not isinstance(tree, dict):
        raise TokenRefused
    return tree, str(payload.get("name") or "")
