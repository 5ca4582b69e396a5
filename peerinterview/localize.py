"""What changes with the reader's language besides the catalogue: dates, times, the B1 advice,
and the pages that speak a language of their own.

Pages of their own language: an interview screen speaks the interview's language, whatever the
reader chose. The view (or its blueprint) declares it with `speaks(...)`; `page_language()`
asks the view of the current request, and select_locale uses its answer first.

Dates and times: every one the app shows goes through format_date / format_datetime /
format_time here (the templates' `dateformat`, `datetimeformat` and `timeformat` filters are
these). The database keeps naive UTC; Flask-Babel moves it to BABEL_DEFAULT_TIMEZONE
(Europe/Amsterdam), so an interview at 00:30 in Amsterdam is shown on the day it happened.
The English of this app is English as read in the Netherlands: CLDR's plain "en" is American
(1/15/25, 2:30 PM), which a reader here takes for the 1st of a 15th month. "en_NL" writes
15/01/2025, 14:30 and January as a word where the format has one.

A date or time printed without these filters would show Python's own form (2025-01-15
23:30:00.123456, in UTC): in tests the templates refuse to print one (`refuse_raw_dates`).
"""
from contextlib import contextmanager
from datetime import date, datetime, time, timezone

from babel import dates as babel_dates
from babel.lists import format_list
from flask import current_app, g, request
from flask_babel import force_locale, get_locale, get_timezone, gettext, to_user_timezone

from .vocabulary import UI_LANGUAGES

# The CLDR locale used for formatting, per UI language (others format as themselves).
FORMAT_LOCALES = {"en": "en_NL"}


def format_locale() -> str:
    locale = str(get_locale() or "nl")
    return FORMAT_LOCALES.get(locale, locale)


def format_datetime(value: datetime | None, format: str = "medium") -> str:
    """A moment (naive values are UTC) in local time, for the reader's language."""
    if value is None:
        return ""
    return babel_dates.format_datetime(value, format, tzinfo=get_timezone(), locale=format_locale())


def format_date(value: date | datetime | None, format: str = "medium") -> str:
    """A date; a moment becomes the local date it happened on (23:30 UTC in winter is tomorrow)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = to_user_timezone(value)
    return babel_dates.format_date(value, format, locale=format_locale())


def local_today() -> date:
    """Today in the app's time zone (the server's clock is UTC: at 00:30 in Amsterdam it is
    still yesterday there)."""
    return to_user_timezone(datetime.now(timezone.utc)).date()


def format_time(value: datetime | time | None, format: str = "short") -> str:
    """The local time of a moment (naive values are UTC)."""
    if value is None:
        return ""
    return babel_dates.format_time(value, format, tzinfo=get_timezone(), locale=format_locale())


def b1_advice(flag) -> str:
    """The B1 checker's advice on one flag in the reader's language (plainlanguage has no Flask).

    The advice stays about the Dutch text: the quoted words are Dutch whatever the UI speaks.
    """
    if not flag.message:
        return flag.suggestion
    values = {}
    for name, value in flag.params:
        values[name] = format_list(list(value), style="or", locale=format_locale()) if isinstance(value, tuple) else value
    return gettext(flag.message, **values)


def speaks(language_of):
    """Decorator: this view's page speaks `language_of(view_args)`, a language code, or the
    reader's own language when that gives None. A blueprint declares it for all its views with
    `bp.page_language = language_of`; a view's own declaration comes first."""
    def mark(view):
        view.page_language = language_of
        return view
    return mark


def page_language(languages) -> str | None:
    """The language the current request's page declares (one of `languages`), or None.

    Also sets `g.page_language`: the header then hides the language switch, which would not
    change such a page."""
    if request.endpoint is None:
        return None
    language_of = getattr(current_app.view_functions.get(request.endpoint), "page_language", None)
    if language_of is None and request.blueprint:
        language_of = getattr(current_app.blueprints.get(request.blueprint), "page_language", None)
    language = language_of(request.view_args or {}) if language_of else None
    if language not in languages:
        return None
    g.page_language = language
    return language


@contextmanager
def speaking(language: str):
    """Render, inside this block, a page of its own language (see `speaks`) from a view whose
    URL does not declare it: the start of an interview answers with the interview's first
    question. As `page_language` does: only a language the app's texts are in, and the header
    then hides the language switch."""
    if language not in UI_LANGUAGES:
        yield
        return
    g.page_language = language
    with force_locale(language):
        yield


def refuse_raw_dates(value):
    """Jinja `finalize` in tests: a date printed without a date filter is a bug, so it fails."""
    if isinstance(value, (date, time)):
        raise TypeError(f"A template printed a raw {type(value).__name__} ({value!r}): "
                        "use |dateformat, |datetimeformat or |timeformat.")
    return value


def init_app(app) -> None:
    app.jinja_env.filters.update(
        datetimeformat=format_datetime, dateformat=format_date, timeformat=format_time, b1_advice=b1_advice,
    )
    if app.config.get("TESTING"):
        app.jinja_env.finalize = refuse_raw_dates
