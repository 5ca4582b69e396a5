"""Demo proposals for the co-design page (called from peerinterview/demo.py)."""
from ..builder.services import questionnaire_of
from .services import add_comment, cast_vote, create_proposal, reject_proposal


def create_demo_proposals(project, *, staff, designer) -> None:
    """An open rewording with a comment and votes, an open new question, a rejected one."""
    questionnaire = questionnaire_of(project)
    version = questionnaire.draft or questionnaire.latest_frozen
    question = next((q for q in version.questions if q.text == "Wat vindt u van de openingstijden?"), None)
    if question is not None:
        rewording = create_proposal(project, kind="rewording", question=question, by=designer,
                                    text="Zijn de openingstijden goed voor u?",
                                    explanation="Zo is het een gewone vraag. Dat praat makkelijker.")
        add_comment(rewording, "Goed idee. Dan past het ook bij 'Ja' of 'Nee'.", by=staff)
        cast_vote(rewording, True, by=staff)
        cast_vote(rewording, True, by=designer)
    new = create_proposal(project, kind="new", question_kind="single", by=designer,
                          text="Met wie komt u hier meestal?",
                          choice_labels=["Alleen", "Met een vriend of familie", "Met een begeleider"],
                          explanation="Veel mensen komen samen. Dat willen we weten.")
    add_comment(new, "Moet 'Met mijn hond' er ook bij?", by=staff)
    cast_vote(new, True, by=designer)
    rejected = create_proposal(project, kind="new", question_kind="open", by=designer, text="Wat is uw adres?")
    reject_proposal(rejected, "Een adres vragen we niet. Dat is te privé.", by=staff)
