"""The proven formula: a day of special guests, needs, offers, long breaks and B2B meetings.

Offsets and lengths are minutes from the day's start (09:00 in the event's time zone
when the organiser keeps the default start).
"""
from flask import has_request_context
from flask_babel import gettext


def N_(message):
    """Mark a message for extraction; it is translated when used (in a request)."""
    return message


FORMULA_KEY = "formula"

#: (offset, minutes, kind, title): the day clusters found works for technology meeting application.
FORMULA = (
    (0, 30, "opening", N_("Welcome coffee and opening")),
    (30, 45, "keynote", N_("Special guests open the day: their challenges")),
    (75, 60, "pitch_need", N_("End users present their needs")),
    (135, 30, "break", N_("Networking break")),
    (165, 60, "pitch_offer", N_("Technology providers present their offers")),
    (225, 90, "break", N_("Lunch and networking")),
    (315, 120, "b2b", N_("B2B meetings")),
    (435, 45, "other", N_("Closing and networking drinks")),
)


def formula_items():
    """The formula as template items, titles in the organiser's language."""
    translate = gettext if has_request_context() else N_
    return [{"offset": offset, "minutes": minutes, "kind": kind, "title": translate(title)}
            for offset, minutes, kind, title in FORMULA]


def b2b_title():
    """The title of an agenda's B2B block made from the event's B2B window: the formula's."""
    translate = gettext if has_request_context() else N_
    return translate(next(title for _, _, kind, title in FORMULA if kind == "b2b"))
