"""Fixtures the follow-up tests share (registered for every test by `pytest_plugins` in
tests/conftest.py): a recommendation in the world's project and one in the other project."""
import pytest

from peerinterview.accounts.services import find_user
from peerinterview.extensions import db
from peerinterview.models.panel import Recommendation, Theme

from .worlds import world_from_snapshot


def make_recommendation(project_id, text, *, by="staf") -> int:
    """A recommendation under a new theme "Rust" of the project; its id."""
    theme = Theme(project_id=project_id, name="Rust", created_by_id=find_user(by).id)
    db.session.add(theme)
    db.session.flush()
    recommendation = Recommendation(theme_id=theme.id, text=text, created_by_id=find_user(by).id)
    db.session.add(recommendation)
    db.session.commit()
    return recommendation.id


@pytest.fixture
def recs(app, world):
    """{"ours": id, "theirs": id}: a recommendation of the world's project and one of the other
    project (made by the other project's staff). Built once per process, then put back from a
    snapshot (tests/worlds.py)."""

    def build():
        with app.app_context():
            ours = make_recommendation(world.project_id, "Maak een stille kamer.")
            theirs = make_recommendation(world.other_project_id, "Geheim advies van een ander.", by="andere-staf")
            db.session.remove()
        return {"ours": ours, "theirs": theirs}

    return world_from_snapshot(app, "followup_recs", build, on="world")
