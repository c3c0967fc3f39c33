"""Language choice: the visitor's pick, else the browser's; a recipient's own language for mail."""
import re
from datetime import datetime, timezone
from decimal import ROUND_HALF_UP, Decimal

from babel.dates import format_date, format_time, get_date_format
from flask import current_app, has_app_context, has_request_context, request, session
from flask_babel import force_locale, format_percent, get_locale, to_user_timezone
from flask_login import current_user


def select_locale():
    """This session's pick, else the member's saved one (a remember-me cookie starts a session
    without it), else the browser's; None: the portal's default."""
    if not has_request_context():  # CLI and workers (e.g. mail queued by a command): the default
        return None
    languages = current_app.config["LANGUAGES"]
    for chosen in (session.get("lang"), getattr(current_user, "language", None)):
        if chosen in languages:
            return chosen
    return request.accept_languages.best_match(languages) if request else None


def default_language():
    """The portal's default language (BABEL_DEFAULT_LOCALE), for whoever chose none."""
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def page_language():
    """The language this request's page is written in (the footer's pick, the account's, the
    browser's, else the default): an account keeps it as its own at sign-up and log-in."""
    return str(get_locale() or default_language())


def language_of(user, asked_in=None):
    """The language a user chose (their account's), else `asked_in`, else the portal's default."""
    for language in (getattr(user, "language", None), asked_in):
        if language in current_app.config["LANGUAGES"]:
            return language
    return default_language()


def in_language_of(user, asked_in=None):
    """Render inside this block as `user` reads (None: someone with no account here).

    Mail and the calendar feed go to a person, not to whoever caused them: an organiser
    clicking in French, or a record arriving through federation, must not choose the language.
    Mail a person asks for themselves (a password reset) is `asked_in` the page they asked
    from, when their account has no language.
    """
    return force_locale(language_of(user, asked_in))


def percent(rate):
    """A rate as a whole percentage in the page's language, a half rounded up as people do
    (0.825 -> "83 %"; Babel alone rounds half to even, "82 %"), or "–" when there is none."""
    if rate is None:
        return "–"
    return format_percent(half_up(rate, "0.01"))


def half_up(value, step):
    """`value` as a Decimal rounded to `step` ("0.1"), a half up (Babel would round it to even)."""
    return Decimal(str(value)).quantize(Decimal(step), rounding=ROUND_HALF_UP)


#: The locale whose conventions write a language's dates and times, where it is not the
#: language itself: the portal's English is British ("18 Mar 2026"), Babel's `en` American
#: ("Mar 18, 2026"). The language stays `en` (the page's, the account's, the mail's).
FORMATTING_LOCALES = {"en": "en_GB"}


def formatting_locale(language=None):
    """The locale that writes dates and times in `language` ("en" -> "en_GB", the others their
    own): by default the page's language (a worker's or the CLI's forced one), English outside
    an application. Every date and time the portal writes goes through it."""
    language = str(language or (get_locale() if has_app_context() else None) or "en")
    return FORMATTING_LOCALES.get(language, language)


def format_day(day, form="medium", locale=None):
    """`day` (a date) as the language writes it in `form` ("medium": "1 Dec 2026").

    French writes the first of a month "1er" ("mardi 1er décembre 2026", "1er déc. 2026"),
    which CLDR's patterns, and so Babel, leave out. `locale` (a language) defaults to the
    page's, as `formatting_locale`.
    """
    locale = formatting_locale(locale)
    pattern = get_date_format(form, locale=locale).pattern
    if day.day == 1 and locale.startswith("fr"):
        pattern = re.sub(r"(?<![d'])d(?![d'])", "d'er'", pattern)
    return format_date(day, pattern, locale=locale)


def date_filter(value, form="medium"):
    """Templates' `dateformat`: Flask-Babel's (a datetime taken in the site's zone), with the
    French "1er" of `format_day`."""
    if isinstance(value, datetime):
        value = to_user_timezone(value).date()
    return format_day(value, form)


def utc_minute(moment):
    """A moment in UTC to the minute, in the site's date style ("1er déc. 2026, 07:08 UTC"), as
    the administrators' pages show the times of records and requests."""
    return f"{format_day(moment.astimezone(timezone.utc).date())}, {utc_time(moment)}"


def utc_time(moment):
    """The time of day of a moment in UTC, to the minute ("07:08 UTC")."""
    return f"{format_time(moment.astimezone(timezone.utc), 'HH:mm', locale=formatting_locale())} UTC"

