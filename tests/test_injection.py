"""Nothing a user typed runs as HTML. Every text a user can write (project, location and theme
names, questions, answer choices and their translations, display names, proposals and comments,
respondent codes, answers and notes, debriefs, quotes, findings, recommendations, report texts,
what the retention run keeps, a username typed at login …) is set to markup with htmx attributes
and a script; then every GET page and htmx fragment is fetched as every role of the access matrix,
and the HTML the report PDFs are made from is kept too. None may hold the markup as markup: it
must be text (escaped) everywhere it shows, and each text must show somewhere (else the crawl
would prove nothing about it). The same pages need no inline code, which the Content-Security-
Policy would block (the browser tests watch what their pages do in Chromium)."""
import re
from datetime import datetime, timezone
from html.parser import HTMLParser

import pytest
from markupsafe import escape
from sqlalchemy import select, update

from peerinterview.accounts.services import find_user
from peerinterview.extensions import db
from peerinterview.models import (Answer, Choice, Evaluation, Finding, Interview, Location, Project, Proposal,
                                  ProposalComment, Question, Quote, Recommendation, ReportText, Theme, User)
from peerinterview.models.panel import DIALOGUE_QUESTIONS
from peerinterview.models.security import RetainedQuote, RetainedResult
from peerinterview.report import pdf as pdf_module

from .access_areas.roles import ROLES
from .builders import html_of
from .helpers import csrf_token
from .test_access import ACCESS, client_for, matrix_world, routes, url_for_rule  # noqa: F401  (fixture)

# Raw, these would be an element htmx runs on load and a script; escaped they are harmless text.
RAW_MARKERS = re.compile(r'<i hx-post|<script>alert|hx-trigger="load"|<b id="zz', re.IGNORECASE)


def payload(tag: str, row: int = 0) -> str:
    """Breaks out of a double- or single-quoted attribute, then an htmx element and a script."""
    return f'"\'><i hx-post="/x" hx-trigger="load">{tag}#{row}</i><script>alert(1)</script><b id="zz">'


class _InlineCode(HTMLParser):
    """What the app's Content-Security-Policy would block in a page: inline scripts, style
    elements and attributes, event handler attributes, javascript: URLs, scripts, styles,
    images or frames from elsewhere, plugins and <base>."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []
        self._inline_script = False

    def handle_starttag(self, tag, attrs):
        self._inline_script = False
        names = {name.lower(): value or "" for name, value in attrs}
        if tag == "script" and "src" not in names and names.get("type", "text/javascript") in (
                "text/javascript", "module", "application/javascript"):
            self._inline_script = True
        if tag in ("style", "object", "embed", "base"):
            self.found.append(f"<{tag}> element")
        for name, value in names.items():
            url = value.strip().lower()
            if name == "style" or name.startswith("on"):
                self.found.append(f"<{tag} {name}=…>")
            if name in ("href", "src", "action", "formaction") and url.startswith("javascript:"):
                self.found.append(f"<{tag} {name}={value[:40]!r}>")
            # Everything a page loads comes from the app itself ('self'; images, the page's icon
            # among them, also data:).
            loads = name in ("src", "poster", "srcset", "action", "formaction") or (tag == "link" and name == "href")
            image = tag == "img" or (tag == "link" and names.get("rel", "").strip().lower() == "icon")
            if loads and (url.startswith(("http:", "https:", "//")) or (url.startswith("data:") and not image)):
                self.found.append(f"<{tag} {name}={value[:60]!r}> from elsewhere")

    def handle_data(self, data):
        if self._inline_script and data.strip():
            self.found.append(f"inline <script>: {data.strip()[:60]!r}")

    def handle_endtag(self, tag):
        self._inline_script = False


def inline_code(html: str) -> list[str]:
    parser = _InlineCode()
    parser.feed(html)
    parser.close()
    return parser.found


def shown(tag: str) -> str:
    """What a page holds when it shows the payload as text."""
    return str(escape(f'<i hx-post="/x" hx-trigger="load">{tag}#'))


# (model, column, tag): plain text columns, set on every row.
TEXT_COLUMNS = [
    (Project, "name", "ZZprojectname"), (Project, "research_question", "ZZresearchquestion"),
    (Project, "commissioner", "ZZcommissioner"), (Project, "consent_text", "ZZconsent"),
    (Location, "name", "ZZlocation"),
    (User, "display_name", "ZZdisplayname"),
    (Question, "text", "ZZquestion"), (Question, "help_text", "ZZhelptext"),
    (Question, "section_title", "ZZsection"),
    (Choice, "label", "ZZchoice"),
    (Proposal, "text", "ZZproposal"), (Proposal, "old_text", "ZZproposalold"),
    (Proposal, "explanation", "ZZexplanation"), (Proposal, "decision_reason", "ZZdecision"),
    (ProposalComment, "text", "ZZcomment"),
    (Interview, "debrief_text", "ZZdebrief"),
    (Theme, "name", "ZZtheme"),
    (Quote, "text", "ZZquote"),
    (Finding, "text", "ZZfinding"),
    (Recommendation, "text", "ZZrecommendation"),
    (Evaluation, "what_changed", "ZZevaluationchanged"), (Evaluation, "still_to_do", "ZZevaluationtodo"),
    (ReportText, "title", "ZZreporttitle"), (ReportText, "question", "ZZreportquestion"),
    (ReportText, "summary", "ZZreportsummary"), (ReportText, "method_notes", "ZZmethod"),
    (ReportText, "respondent_summary", "ZZrespondentsummary"), (ReportText, "easy_read", "ZZeasyread"),
]
OPEN_ANSWER_TAGS = {"text": "ZZanswer", "note": "ZZnote"}
TRANSLATION_TAGS = {"text": "ZZenquestion", "help_text": "ZZenhelp", "section_title": "ZZensection",
                    "choice": "ZZenchoice"}
# Short fields: the markup that fits.
RESPONDENT_CODE = "<i hx-post=x>R{}"  # 16 characters at most
LOGIN_NAME_TAG = "ZZloginname"  # typed at the login form: in the logboek
NEW_THEME_TAG = "ZZnewtheme"  # made through the form: in the flash message and the undo bar
RETAINED_TAGS = {"ZZretainedquestion", "ZZretainedcell", "ZZretainedquote", "ZZretainedtheme"}


def _poison(app, world) -> None:
    with app.app_context():
        staff = find_user("staf")
        theme = db.session.scalars(select(Theme).where(Theme.project_id == world.project_id)).first()
        answer = db.session.scalars(select(Answer).join(Interview).where(
            Interview.project_id == world.project_id, Answer.text.is_not(None),
            Answer.id.not_in(select(Quote.answer_id)))).first()
        proposal = db.session.scalars(select(Proposal)).first()
        db.session.add_all(
            [Finding(theme_id=theme.id, question=question, text="-") for question in DIALOGUE_QUESTIONS]
            + [ReportText(project_id=world.project_id),
               ProposalComment(proposal_id=proposal.id, user_id=staff.id, text="-"),
               # Other words for a question, turned down: its old words and the reason show.
               Proposal(project_id=world.project_id, kind="rewording", question_key="q1", question_kind="single",
                        text="-", old_text="-", status="rejected", created_by_id=staff.id,
                        decided_by_id=staff.id, decided_at=datetime.now(timezone.utc), decision_reason="-"),
               Quote(project_id=world.project_id, answer_id=answer.id, part="text", status="approved",
                     text="-", proposed_by_id=staff.id, decided_by_id=staff.id)])
        db.session.flush()
        for model, column, tag in TEXT_COLUMNS:  # one text per row: some are unique per project
            for row, item in enumerate(db.session.scalars(select(model))):
                setattr(item, column, payload(tag, row))
        # Released by staff (the check before the panel), so the panel's pages show them too.
        db.session.execute(update(Answer).where(Answer.text.is_not(None)).values(
            text=payload(OPEN_ANSWER_TAGS["text"]), note=payload(OPEN_ANSWER_TAGS["note"]), review="released"))
        for question in db.session.scalars(select(Question)):
            question.translations = {"en": {"text": payload(TRANSLATION_TAGS["text"]),
                                            "help_text": payload(TRANSLATION_TAGS["help_text"]),
                                            "section_title": payload(TRANSLATION_TAGS["section_title"])}}
        for choice in db.session.scalars(select(Choice)):
            choice.translations = {"en": payload(TRANSLATION_TAGS["choice"])}
        for proposal in db.session.scalars(select(Proposal)):
            proposal.choices = [payload("ZZproposalchoice")]
        for number, interview in enumerate(db.session.scalars(select(Interview).order_by(Interview.id))):
            interview.respondent_code = RESPONDENT_CODE.format(number)
        # What the retention run keeps of the other project, which was erased.
        other = db.session.get(Project, world.other_project_id)
        other.erased_at = datetime.now(timezone.utc)
        db.session.add_all([
            RetainedResult(project_id=other.id, position=1, question_key="q1",
                           question_text=payload("ZZretainedquestion"), kind="single", asked=12, shown=True,
                           cells=[{"label": payload("ZZretainedcell"), "count": 7, "percent": 58},
                                  {"label": "Nee", "count": 5, "percent": 42}]),
            RetainedQuote(project_id=other.id, text=payload("ZZretainedquote"),
                          themes=[payload("ZZretainedtheme")]),
        ])
        db.session.commit()
        db.session.remove()


def _typed_through_forms(app, world) -> str:
    """Some texts come in through the forms themselves: a username at the login form (the
    logboek shows it) and a new theme (the flash message and the undo bar show its name)."""
    client = app.test_client()
    client.post("/login", data={"username": payload(LOGIN_NAME_TAG)[:80], "password": "fout-fout",
                                "csrf_token": csrf_token(client, "/login")})
    petra, _token = client_for(app, "petra")
    response = petra.post(f"/projects/{world.project_id}/themes",
                          data={"name": payload(NEW_THEME_TAG)[:120], "csrf_token": csrf_token(petra, "/")})
    assert response.status_code == 303, html_of(response)[:500]
    return html_of(petra.get(response.headers["Location"]))  # with the flash message


def extra_urls(app, world) -> list[str]:
    """Pages that show more with a query or at another question number."""
    from flask import url_for

    from peerinterview.design.builder.services import questionnaire_of

    with app.test_request_context():
        project = db.session.get(Project, world.project_id)
        keys = [q.key for q in questionnaire_of(project).latest_frozen.questions]
        theme_ids = db.session.scalars(select(Theme.id).where(Theme.project_id == project.id)).all()
        pid = project.id
        urls = [url_for("interview.question", interview_id=world.interview_id, number=n)
                for n in range(1, len(keys) + 1)]
        urls += [url_for("pool.breakdown", project_id=pid, question_key=key, by=other)
                 for key in keys for other in keys if other != key]
        urls += [url_for("panel.board", project_id=pid, theme=theme_id, show=show)
                 for theme_id in theme_ids for show in ("unsorted", "all")]
        urls += [url_for("design.preview_question", project_id=pid,
                         preview_question_id=world.url_values["preview_question_id"], lang="en"),
                 url_for("security.identifying_details", project_id=pid, alleen="gevonden"),
                 url_for("security.identifying_details", project_id=pid, toon="alle"),
                 url_for("report.show", project_id=pid, leave_out="1"),
                 url_for("security.audit_log", action="login"),
                 url_for("security.retained_results", project_id=world.other_project_id)]
        db.session.remove()
    return urls


@pytest.fixture
def poisoned_world(app, matrix_world):  # noqa: F811
    _poison(app, matrix_world)
    matrix_world.page_after_new_theme = _typed_through_forms(app, matrix_world)
    return matrix_world


def test_user_texts_are_escaped_on_every_page_for_every_role(app, poisoned_world, monkeypatch):
    pdf_html = []

    def keep_html(html):  # the HTML WeasyPrint would get; the PDF itself is tested elsewhere
        pdf_html.append(html)
        return b"%PDF-1.7\n%%EOF\n"

    monkeypatch.setattr(pdf_module, "html_to_pdf", keep_html)
    order = list(ACCESS)
    get_urls = [url_for_rule(app, rule, poisoned_world)
                for rule in sorted(routes(app), key=lambda r: order.index(r.endpoint)) if "GET" in rule.methods]
    get_urls += extra_urls(app, poisoned_world)
    pages = {}
    problems = []
    for role in ROLES:
        client, _token = client_for(app, role)
        for url in get_urls:
            for headers in ({}, {"HX-Request": "true"}):
                response = client.get(url, headers=headers)
                if response.status_code >= 500:
                    problems.append(f"{role} {url} {headers}: {response.status_code}")
                if not response.mimetype.startswith("text/html"):
                    continue
                html = response.get_data(as_text=True)
                pages[(role, url, bool(headers))] = html
    pages.update({("pdf", str(n), False): html for n, html in enumerate(pdf_html)})
    assert len(pdf_html) >= 4  # report and summary, for the panel and for staff
    flash = poisoned_world.page_after_new_theme
    assert "notice-success" in flash and shown(NEW_THEME_TAG) in flash
    pages[("petra", "after a new theme", False)] = flash

    for where, html in pages.items():
        if where[0] != "pdf" and (blocked := inline_code(html)):  # WeasyPrint applies no CSP
            problems.append(f"{where}: the Content-Security-Policy blocks {blocked[:3]}")
        if "hx-headers" in html:
            problems.append(f"{where}: hx-headers (every element would inherit the CSRF token)")
        if match := RAW_MARKERS.search(html):
            problems.append(f"{where}: raw markup {html[max(0, match.start() - 120):match.end() + 40]!r}")
    everything = "\n".join(pages.values())
    tags = ({tag for _model, _column, tag in TEXT_COLUMNS} | set(OPEN_ANSWER_TAGS.values())
            | set(TRANSLATION_TAGS.values()) | {LOGIN_NAME_TAG, NEW_THEME_TAG, "ZZproposalchoice"} | RETAINED_TAGS)
    for tag in sorted(tags):
        if shown(tag) not in everything:
            problems.append(f"{tag}: shown on no page, so the crawl proves nothing about it")
    if str(escape(RESPONDENT_CODE.format(0))) not in everything:
        problems.append("the respondent code is shown on no page")
    assert not problems, "\n".join(problems[:60])


def test_a_location_name_in_the_targets_label_is_text(app, world, login_as):
    """The reported case: _l("Doel voor %(name)s", name=…) put the name into the label as HTML."""
    with app.app_context():
        db.session.execute(update(Location).where(Location.project_id == world.project_id, Location.name == "De Haven")
                           .values(name='<i hx-post="/x" hx-trigger="load">Haven</i>'))
        db.session.commit()
        db.session.remove()
    staff, _post = login_as("staf")
    html = html_of(staff.get(f"/projects/{world.project_id}/progress/targets"))
    assert "Doel voor &lt;i hx-post=&#34;/x&#34; hx-trigger=&#34;load&#34;&gt;Haven&lt;/i&gt;" in html
    assert "<i hx-post" not in html


def test_a_choice_label_in_a_refusal_message_is_text(app, draft_project, login_as):
    """Removing an answer that a condition uses is refused with a message naming the answer."""
    from peerinterview.design.builder.services import add_condition, add_question, questionnaire_of

    with app.app_context():
        draft = questionnaire_of(db.session.get(Project, draft_project)).draft
        source = add_question(draft, kind="single", text="Komt u vaak?", by=None,
                              choice_labels=['<i hx-post="/x" hx-trigger="load">Ja</i>', "Nee", "Soms"])
        later = add_question(draft, kind="open", text="Waarom?", by=None)
        add_condition(later, source, [source.choices[0].value])
        db.session.commit()
        source_id = source.id
        db.session.remove()
    _client, post = login_as("staf")
    response = post(f"/projects/{draft_project}/questionnaire/questions/{source_id}/edit",
                    {"kind": "single", "text": "Komt u vaak?", "choices": "Nee\nSoms"})
    assert response.status_code == 422
    html = html_of(response)
    assert "Het antwoord &#39;&lt;i hx-post=&#34;/x&#34; hx-trigger=&#34;load&#34;&gt;Ja&lt;/i&gt;&#39; staat in een voorwaarde" in html
    assert "<i hx-post" not in html
