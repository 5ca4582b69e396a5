"""An element with hx-post + hx-trigger="load" that got into a page (say, through a user's text)
fires a request on its own in the browser of whoever opens the page. It must not carry the CSRF
token, so the server refuses it (400); the page's own htmx requests keep working (static/js/app.js
gives the token only to the page's own forms and their fields)."""
from playwright.sync_api import expect

from peerinterview.accounts.services import find_user
from peerinterview.extensions import db
from tests.browser.test_thin_path import log_in

# Give "dirk" (designer of the project) the panel role, through the browser of the project's
# staff: a forged change of roles, as in the bug (there a colleague made themselves staff of
# another project).
INJECT = """
([url, user, where, include]) => {
  const element = document.createElement("i");
  element.setAttribute("hx-post", url);
  element.setAttribute("hx-trigger", "load");
  element.setAttribute("hx-swap", "none");
  element.setAttribute("hx-vals", JSON.stringify({user_id: String(user), roles: "panel"}));
  if (include) element.setAttribute("hx-include", "[name=csrf_token]");
  document.querySelector(where).appendChild(element);
  htmx.process(element);
}
"""


def membership_roles(app, project_id, username):
    with app.app_context():
        roles = set(find_user(username).roles_in(project_id))
        db.session.remove()
    return roles


def forged(page, url, user_id, where, include=False):
    """Inject the element; the request it sent and the answer it got."""
    with page.expect_response(lambda r: r.url.endswith(url) and r.request.method == "POST") as answer:
        page.evaluate(INJECT, [url, user_id, where, include])
    response = answer.value
    return response.request, response


def test_an_injected_htmx_element_gets_no_csrf_token_and_is_refused(app, world, page):
    project_id = world.project_id
    members_url = f"/projects/{project_id}/members"
    with app.app_context():
        outsider_id = find_user("dirk").id
        db.session.remove()

    log_in(page, "staf")
    page.goto(f"/projects/{project_id}/progress/targets")
    expect(page.get_by_role("heading", level=1, name="Doelen voor het interviewen")).to_be_visible()
    assert page.locator("body").get_attribute("hx-headers") is None

    cases = [("main", False),                         # loose in the page
             ("form[method=post] .field", False),     # inside a form: htmx takes the form's fields along
             ("main", True)]                          # hx-include reaches for a form's token
    for where, include in cases:
        request, response = forged(page, members_url, outsider_id, where, include)
        assert response.status == 400, (where, include, response.status)
        assert "x-csrftoken" not in {name.lower() for name in request.headers}
        assert "csrf_token" not in (request.post_data or "")
    assert "panel" not in membership_roles(app, project_id, "dirk")

    # The page's own htmx request (a boosted form) still works.
    page.get_by_label("Doel voor het hele onderzoek").fill("40")
    with page.expect_response(lambda r: r.url.endswith(f"/projects/{project_id}/progress/targets")
                              and r.request.method == "POST") as answer:
        page.get_by_role("button", name="Doelen opslaan").click()
    assert answer.value.request.headers.get("hx-request") == "true"
    assert answer.value.request.headers.get("x-csrftoken")
    expect(page.get_by_text("De doelen zijn opgeslagen.")).to_be_visible()

    # And a field's own request (the live B1 advice on the report texts).
    page.goto(f"/projects/{project_id}/report/texts")
    with page.expect_response(lambda r: r.url.endswith(f"/projects/{project_id}/report/texts")
                              and r.request.method == "POST") as answer:
        page.get_by_label("Samenvatting").press_sequentially("Indien u dit leest, dient u te reageren.")
    assert answer.value.status == 200
    assert answer.value.request.headers.get("x-csrftoken")

    # The same element did get through while the token sat on <body hx-headers> (the old page):
    # the refusals above are the listener's doing, not a mistake in the forged request.
    token = page.locator("input[name=csrf_token]").first.get_attribute("value")
    page.evaluate("token => document.body.setAttribute('hx-headers', JSON.stringify({'X-CSRFToken': token}))", token)
    _request, response = forged(page, members_url, outsider_id, "main")
    assert response.status == 303
    assert "panel" in membership_roles(app, project_id, "dirk")
