from urllib.parse import urlsplit


def local_path_or(target: str | None, fallback: str) -> str:
    """Only same-site paths are followed after login or a language switch (no open redirect)."""
    if not target:
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return fallback
    return target
