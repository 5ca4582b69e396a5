"""Rapport: the report page and PDF, the respondents' one-pager, and the exports."""
from flask import Blueprint

bp = Blueprint("report", __name__)

from . import routes  # noqa: F401
