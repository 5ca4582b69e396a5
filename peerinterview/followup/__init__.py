"""After the panel: the municipality's answer to each recommendation, the agreements that came
of it, what happened since, and a history of every change. Staff of the project change it; its
panel members and interviewers read it ("Wat is er met onze adviezen gedaan?")."""
from flask import Blueprint

bp = Blueprint("followup", __name__)

from . import public_routes, routes  # noqa: F401
