"""Demo data: a realistic project about a day centre, with 40 completed interviews."""
import random
import uuid
from datetime import timedelta

from sqlalchemy import select

from .accounts.services import create_user, find_user, set_membership
from .design.builder.services import add_condition, add_question, freeze_version, questionnaire_of
from .extensions import db
from .interview.services import (answers_by_question, complete_interview, new_respondent_code, save_answer,
                                 save_debrief, start_interview, visible_questions)
from .models import Answer, Interview, Project
from .models.base import utcnow
from .projects.forms import DEFAULT_CONSENT_TEXT
from .projects.services import add_location, create_project

DEMO_PASSWORD = "demo-wachtwoord"
DEMO_PROJECT = "Wat vinden bezoekers van de dagopvang?"
# demo-staf is also the administrator: the demo shows every account action.
DEMO_USERS = (
    ("demo-staf", "Sanne (begeleider)", True, {"staff"}),
    ("demo-interviewer", "Ahmed (interviewer)", False, {"interviewer", "designer"}),
    ("demo-panel", "Petra (panel)", False, {"panel"}),
    # The municipality's own account: it reads the recommendations and gives its answer.
    ("demo-gemeente", "Gemeente Voorbeeldstad (Karin)", False, {"municipality"}),
)
# The open question the demo lets people answer by speaking; one answer to it was spoken.
SPOKEN_QUESTION = "Wat moet er beter?"
LOCATIONS = ("Dagopvang De Haven", "Nachtopvang Het Anker", "Inloophuis De Brug")

# (kind, text, help text, required, choices, weights of the choices)
QUESTIONS = (
    ("single", "Hoe vaak komt u hier?", "Je mag het ook zo vragen: Bent u hier vaak?", True,
     ["Bijna elke dag", "Een paar keer per week", "Eén keer per week of minder"], [5, 3, 2]),
    ("scale5", "Hoe voelt u zich hier?", "Wijs de gezichtjes aan als dat helpt.", True, None, [1, 2, 4, 7, 4]),
    ("scale5", "Wat vindt u van het contact met de medewerkers?", "", False, None, [1, 2, 3, 6, 5]),
    ("single", "Voelt u zich veilig op deze plek?", "", False,
     ["Ja, altijd", "Meestal wel", "Soms niet", "Nee, bijna nooit"], [4, 5, 2, 1]),
    ("single", "Weet u waar u terecht kunt met een klacht?", "Een klacht is: u bent ergens niet blij mee.", False,
     ["Ja", "Een beetje", "Nee"], [3, 2, 4]),
    ("multi", "Waarvoor komt u hier?", "Lees alle antwoorden voor. De persoon mag er meer kiezen.", False,
     ["Eten en drinken", "Douchen of kleren wassen", "Mensen ontmoeten", "Hulp bij brieven of geld"], [6, 3, 5, 2]),
    ("number", "Hoeveel jaar komt u hier al?", "Minder dan een jaar? Typ dan 0.", False, None, None),
    ("scale3", "Wat vindt u van de openingstijden?", "", False, None, [3, 4, 5]),
    ("info", "Nu gaan we praten over het eten.", "Zeg dat de persoon mag stoppen als hij wil.", False, None, None),
    ("yesno", "Eet u hier wel eens?", "", False, None, [4, 1]),
    ("scale5", "Wat vindt u van het eten?", "", False, None, [2, 3, 5, 5, 2]),
    ("open", "Wat gaat er goed op deze plek?", "Vraag door: Kunt u een voorbeeld geven?", False, None, None),
    ("open", "Wat moet er beter?", "Laat de persoon rustig nadenken. Stilte is niet erg.", False, None, None),
)
# Skip logic: (question, earlier question, its choice values that show the question).
CONDITIONS = (("Wat vindt u van het eten?", "Eet u hier wel eens?", ["1"]),)
# Sections: the question that starts each one, and its title.
SECTIONS = {
    "Hoe vaak komt u hier?": "Over deze plek",
    "Nu gaan we praten over het eten.": "Eten",
    "Wat gaat er goed op deze plek?": "Tot slot",
}
NUMBER_RANGES = {"Hoeveel jaar komt u hier al?": (0, 60)}
# Pictures (OpenMoji codes, peerinterview/pictograms.py): of the question, and of its answers in order.
PICTURES = {
    "Voelt u zich veilig op deze plek?": ("1F6E1", []),
    "Waarvoor komt u hier?": ("", ["1F37D", "1F6BF", "1F465", "2709"]),
    "Eet u hier wel eens?": ("1F37D", ["1F44D", "1F44E"]),
}
# English texts of a few questions; the others show "vertaling ontbreekt" in the builder.
TRANSLATIONS = {
    "Hoe vaak komt u hier?": ("How often do you come here?", "You can also ask: Are you here often?",
                              ["Almost every day", "A few times a week", "Once a week or less"]),
    "Waarvoor komt u hier?": ("What do you come here for?", "Read all answers aloud. The person may choose more.",
                              ["Food and drinks", "A shower or washing clothes", "Meeting people",
                               "Help with letters or money"]),
    "Hoeveel jaar komt u hier al?": ("For how many years have you been coming here?",
                                     "Less than a year? Then type 0.", None),
    "Eet u hier wel eens?": ("Do you ever eat here?", "", None),
}
# Hard words with a short explanation: on the tablet the word is a button that shows and reads it.
WORD_EXPLANATIONS = {
    "Weet u waar u terecht kunt met een klacht?": {"nl": [{
        "word": "klacht",
        "explanation": "U bent ergens niet blij mee. U zegt dat tegen iemand die er iets aan kan doen.",
    }]},
}
# A short "wil je daar iets over vertellen?" box under these choice questions.
FOLLOW_UP = ("Voelt u zich veilig op deze plek?",)
SAFETY_NOTES = (
    "'s Avonds is het soms onrustig bij de deur.",
    "Er zijn vaak ruzies in de rookruimte.",
    "Als er veel mensen zijn, voel ik me niet veilig.",
)
GOOD_THINGS = (
    "De mensen hier zijn aardig. Ze luisteren naar je.",
    "Ik kan hier douchen en mijn kleren wassen.",
    "Er is altijd koffie en je wordt niet weggestuurd.",
    "Ik heb hier vrienden gemaakt.",
    "De medewerkers helpen met brieven van de gemeente.",
    "Het is hier rustig in de ochtend.",
    "Je mag hier gewoon zijn wie je bent.",
    "Ze hebben mij geholpen met een afspraak bij de huisarts.",
)
BETTER_THINGS = (
    "Het is 's avonds te druk. Dan is er ruzie.",
    "Ik wil langer blijven dan tot vijf uur.",
    "Er zijn te weinig medewerkers in het weekend.",
    "Het eten is vaak koud.",
    "Ik weet niet bij wie ik moet zijn met een klacht.",
    "Meer rust. Een stille kamer zou fijn zijn.",
    "De regels zijn niet voor iedereen hetzelfde.",
    "Ik wil hulp bij het zoeken naar werk.",
)


def demo_exists() -> bool:
    return db.session.scalar(select(Project.id).where(Project.name == DEMO_PROJECT)) is not None


def demo_public_path() -> str | None:
    """The path of the demo project's public results page while its link works (the output of
    `flask demo` prints it next to the logins)."""
    from .followup.public import current_link, link_works

    project_id = db.session.scalar(select(Project.id).where(Project.name == DEMO_PROJECT))
    link = current_link(project_id) if project_id is not None else None
    return f"/r/{link.token}" if link_works(link) else None


def create_demo(seed: int = 2026) -> Project:
    """Create the demo project and users. The caller commits."""
    rng = random.Random(seed)
    users = {}
    for username, name, is_staff, _roles in DEMO_USERS:
        users[username] = find_user(username) or create_user(
            username=username, display_name=name, password=DEMO_PASSWORD, is_staff=is_staff,
        )
    staff = users["demo-staf"]
    staff.is_admin = True
    project = create_project(
        by=staff, name=DEMO_PROJECT,
        research_question="Hoe ervaren bezoekers de dagopvang en nachtopvang? Wat gaat goed en wat kan beter?",
        commissioner="Gemeente Voorbeeldstad", min_group_size=5, consent_text=str(DEFAULT_CONSENT_TEXT),
        retention_date=(utcnow() + timedelta(days=365)).date(),
    )
    for username, _name, _is_staff, roles in DEMO_USERS:
        set_membership(user=users[username], project_id=project.id, roles=roles, by=staff)
    locations = [add_location(project, name, by=staff) for name in LOCATIONS]
    version, questions = _demo_questionnaire(project, staff)
    _demo_interviews(rng, project, version, questions, locations, interviewer=users["demo-interviewer"])
    db.session.flush()
    _demo_recording(project, questions)
    _demo_review(random.Random(seed + 1), project, version, questions, locations, staff=staff,
                 interviewer=users["demo-interviewer"])
    # Staff checked the open answers before the panel met (security/review.py): what the scanner
    # flags waits for a person, the rest is released.
    from .security.review import release_unflagged, scan

    scan(project)
    release_unflagged(project, until=utcnow(), by=staff)
    from .panel.demo import create_demo_panel

    create_demo_panel(project, staff=staff, panel=users["demo-panel"])  # themes, a finding, votes, a quote
    from .followup.demo import create_demo_follow_up, create_demo_public_page

    # the municipality's answer (by its own account), three agreements
    create_demo_follow_up(project, staff=staff, municipality=users["demo-gemeente"])
    create_demo_public_page(project, staff=staff)  # the public results page, its link printed by `flask demo`
    from .design.codesign.demo import create_demo_proposals

    create_demo_proposals(project, staff=staff, designer=users["demo-interviewer"])  # co-design cards
    from .process.demo import create_demo_process

    # panel meetings with how many came, the appreciation question switched on with one answer
    create_demo_process(project, staff=staff, volunteer=users["demo-interviewer"])
    db.session.flush()
    return project


def _demo_questionnaire(project, staff):
    """The demo questions with their English texts and conditions, frozen; returns the version
    and (question, answer weights) pairs in order."""
    version = questionnaire_of(project).draft
    questions = []
    by_text = {}
    for kind, text, help_text, required, choices, weights in QUESTIONS:
        low, high = NUMBER_RANGES.get(text, (None, None))
        english = TRANSLATIONS.get(text)
        translations = {"en": {"text": english[0], "help_text": english[1]}} if english else None
        choice_translations = {"en": english[2]} if english and english[2] else None
        if english and text in SECTIONS:
            translations["en"]["section_title"] = {"Over deze plek": "About this place"}.get(SECTIONS[text], "")
        question = add_question(version, kind=kind, text=text, help_text=help_text, required=required,
                                choice_labels=choices, section_title=SECTIONS.get(text, ""), min_value=low,
                                max_value=high, translations=translations,
                                choice_translations=choice_translations,
                                word_explanations=WORD_EXPLANATIONS.get(text), by=staff)
        question.follow_up = text in FOLLOW_UP
        question.allow_spoken = text == SPOKEN_QUESTION
        picture, choice_pictures = PICTURES.get(text, ("", []))
        question.picture = picture
        for choice, choice_picture in zip(question.choices, choice_pictures):
            choice.picture = choice_picture
        questions.append((question, weights))
        by_text[text] = question
    for text, source_text, values in CONDITIONS:
        add_condition(by_text[text], by_text[source_text], values, by=staff)
    freeze_version(version, by=staff)
    return version, questions


def _demo_interviews(rng, project, version, questions, locations, *, interviewer):
    """40 completed interviews spread over the last month, a few with a debrief."""
    for i in range(40):
        interview = start_interview(
            interview_id=str(uuid.UUID(int=rng.getrandbits(128), version=4)), project=project,
            version=version, location=rng.choices(locations, weights=[5, 3, 2])[0], interviewer=interviewer,
            respondent_code=new_respondent_code(project.id), language="nl",
        )
        interview.started_at = utcnow() - timedelta(days=30 - i // 2, hours=rng.randint(0, 6))
        for question, weights in questions:
            # Only the questions this person was asked, given the answers so far (skip logic).
            answers = answers_by_question(interview)
            if question in visible_questions(version, answers):
                _demo_answer(rng, interview, question, weights)
        complete_interview(interview, by=interviewer)
        interview.completed_at = interview.started_at + timedelta(minutes=rng.randint(15, 50))
        if i % 8 == 0:  # a few debriefs, one with a follow-up flag for the staff overview
            save_debrief(interview, mood="hard" if i == 32 else "good", text=None,
                         follow_up_needed=i == 32, by=interviewer)


def _demo_recording(project, questions):
    """The newest interview with a text for the spoken question answered it by speaking: its text
    is the transcript staff typed, and staff can listen to the recording (a short tone)."""
    from .interview.spoken_demo import create_demo_recording

    question = next(q for q, _weights in questions if q.text == SPOKEN_QUESTION)
    answer = db.session.scalar(select(Answer).join(Interview).where(
        Interview.project_id == project.id, Answer.question_id == question.id, Answer.text.is_not(None))
        .order_by(Interview.started_at.desc()).limit(1))
    create_demo_recording(answer.interview, question)
    db.session.flush()


def _demo_review(rng, project, version, questions, locations, *, staff, interviewer):
    """The review before pooling (interview/review.py): a few interviews approved, one where
    something is wrong (with the interviewer's answer), and one more interview, entered twice by
    mistake, that does not count. The 40 others count, so every result stays as it was."""
    from .interview.review import last_review_id, reply_to_review, set_review
    from .models import Interview

    def review_once(interview, state, note=None):
        # A demo made again over an earlier one (the interviews' ids repeat) reviews nothing twice.
        if interview.review_state == "none":
            set_review(interview, state=state, note=note, seen=last_review_id(interview), by=staff)
            return True
        return False

    interviews = list(db.session.scalars(select(Interview).where(Interview.project_id == project.id)
                                         .order_by(Interview.started_at)))
    for interview in interviews[:6]:
        review_once(interview, "approved")
    if len(interviews) > 6 and review_once(interviews[6], "issue",
                                           "Het open antwoord is heel kort. Heeft de persoon echt niet meer gezegd?"):
        reply_to_review(interviews[6], text="Ja, dat klopt. De persoon wilde er niet meer over zeggen.", by=interviewer)
    twice = start_interview(
        interview_id=str(uuid.UUID(int=rng.getrandbits(128), version=4)), project=project, version=version,
        location=locations[0], interviewer=interviewer, respondent_code=new_respondent_code(project.id), language="nl",
    )
    twice.started_at = utcnow() - timedelta(days=10)
    for question, weights in questions:
        if question in visible_questions(version, answers_by_question(twice)):
            _demo_answer(rng, twice, question, weights)
    complete_interview(twice, by=interviewer)
    twice.completed_at = twice.started_at + timedelta(minutes=20)
    db.session.flush()
    review_once(twice, "excluded", "Dit interview is per ongeluk twee keer ingevoerd. Het eerste telt wel mee.")


def _demo_answer(rng, interview, question, weights):
    if question.kind == "info":
        return  # an information screen has no answer
    roll = rng.random()
    if not question.required and roll < 0.06:
        return  # skipped
    if roll < 0.10:
        save_answer(interview, question, special="dont_know")
    elif roll < 0.13:
        save_answer(interview, question, special="refuse")
    elif question.kind == "open":
        pool = GOOD_THINGS if question.text.startswith("Wat gaat er goed") else BETTER_THINGS
        save_answer(interview, question, text=rng.choice(pool))
    elif question.kind == "multi":
        chosen = [c.value for c, weight in zip(question.choices, weights) if rng.random() < weight / 8]
        save_answer(interview, question, value=",".join(chosen or [question.choices[0].value]))
    elif question.kind == "number":
        years = min(int(rng.expovariate(1 / 4)), question.max_value or 60)
        save_answer(interview, question, value=str(years))
    else:
        choice = rng.choices(question.choices, weights=weights)[0]
        note = None
        if question.follow_up and choice.position >= 3 and rng.random() < 0.7:
            note = rng.choice(SAFETY_NOTES)
        save_answer(interview, question, value=choice.value, note=note)
