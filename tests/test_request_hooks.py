"""Every request hook is registered in peerinterview/hooks.py, in one explicit order.

The order matters (a timed-out login ends before the login check; the document-only headers come
off after Flask-Talisman added them; a static file is compressed before Flask-Compress looks at
it), so it is written down here in full: a hook added, dropped or moved fails this test, and the
person who moves it reads why the order is what it is (hooks.py, docs/architecture.md)."""
import ast
from pathlib import Path

import pytest

pytestmark = pytest.mark.database_independent

PACKAGE = Path(__file__).resolve().parent.parent / "peerinterview"

BEFORE = [
    "flask_wtf.csrf.CSRFProtect.init_app.<locals>.csrf_protect",
    "flask_talisman.talisman.Talisman._force_https",
    "flask_talisman.talisman.Talisman._make_nonce",
    "peerinterview.security.sessions.enforce_session_timeouts",
    "peerinterview.security.input_guard.refuse_control_characters",
    "peerinterview.security.routes.staff_must_enrol",
    "peerinterview.hooks.require_login",
    "peerinterview.webperf.wtforms_translations_once",
    "peerinterview.hooks.answers_are_never_cached",
]
# In the order they run (Flask runs after_request hooks in the reverse of their registration).
AFTER = [
    "peerinterview.webperf.cache_and_compress_static",
    "peerinterview.hooks.vary_on_htmx",
    "flask_compress.flask_compress.Compress.after_request",
    "flask_talisman.talisman.Talisman._set_response_headers",
    "flask_login.login_manager.LoginManager._update_remember_cookie",
    "peerinterview.webperf.lean_fragment_headers",
    "peerinterview.hooks.public_page_headers",
]
HOOK_NAMES = {"before_request", "after_request", "teardown_request", "before_app_request", "after_app_request",
              "teardown_app_request", "before_request_funcs", "after_request_funcs", "teardown_request_funcs"}


def names(functions) -> list[str]:
    return [f"{function.__module__}.{function.__qualname__}" for function in functions]


def test_before_request_hooks_run_in_the_written_order(app):
    assert names(app.before_request_funcs.get(None, [])) == BEFORE


def test_after_request_hooks_run_in_the_written_order(app):
    assert list(reversed(names(app.after_request_funcs.get(None, [])))) == AFTER


def test_no_blueprint_has_hooks_of_its_own(app):
    for hooks in (app.before_request_funcs, app.after_request_funcs, app.teardown_request_funcs):
        assert {blueprint: names(functions) for blueprint, functions in hooks.items()
                if blueprint is not None and functions} == {}
    assert not any(app.teardown_request_funcs.values())


def test_no_module_but_hooks_py_registers_a_request_hook():
    """A decorator such as @bp.before_app_request, a call app.after_request(...) or a change to
    app.after_request_funcs anywhere else would add a hook outside the written order."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path == PACKAGE / "hooks.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Attribute) and node.attr in HOOK_NAMES:
                found.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno} {node.attr}")
    assert found == []


def test_interview_pages_are_never_cached_but_other_pages_may_be(app, world, login_as):
    """What the interview blueprint's own hook did, now an app-wide hook that asks the blueprint."""
    anna, _post = login_as("anna")
    assert anna.get(f"/projects/{world.project_id}/interviews").headers["Cache-Control"] == "no-store"
    assert anna.get("/sw.js").headers["Cache-Control"] == "no-cache"  # the view says otherwise
    assert "no-store" not in anna.get("/privacy").headers.get("Cache-Control", "")
