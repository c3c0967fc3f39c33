"""Language choice: the visitor's pick, else the browser's; a recipient's own language for mail."""
from decimal import ROUND_HALF_UP, Decimal

from flask import current_app, has_request_context, request, session
from flask_babel import force_locale, format_percent
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


def language_of(user):
    """The language a user chose (their account's), else the portal's default."""
    language = getattr(user, "language", None)
    return language if language in current_app.config["LANGUAGES"] else default_language()


def in_language_of(user):
    """Render inside this block as `user` reads (None: someone with no account here).

    Mail and the calendar feed go to a person, not to whoever caused them: an organiser
    clicking in French, or a record arriving through federation, must not choose the language.
    """
    return force_locale(language_of(user))


def percent(rate):
    """A rate as a whole percentage in the page's language, a half rounded up as people do
    (0.825 -> "83 %"; Babel alone rounds half to even, "82 %"), or "–" when there is none."""
    if rate is None:
        return "–"
    return format_percent(half_up(rate, "0.01"))


def half_up(value, step):
    """`value` as a Decimal rounded to `step` ("0.1"), a half up (Babel would round it to even)."""
    return Decimal(str(value)).quantize(Decimal(step), rounding=ROUND_HALF_UP)
