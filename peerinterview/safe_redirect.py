from urllib.parse import urlsplit


def local_path_or(target: str | None, fallback: str) -> str:
    """Only same-site paths are followed after login or a language switch (no open redirect)."""
    if not target:
        return fallback
    parts = urlsplit(target)
    # A browser reads a backslash as a slash ("/\\evil.example" is another site), also in a
    # link on a page, where Werkzeug does not write it as %5C as it does in a redirect.
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return fallback
    return target
