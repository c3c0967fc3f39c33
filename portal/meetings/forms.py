"""Meeting forms: a request, a reply, the catalogue's filters, and bare CSRF-only actions."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import AnyOf, Length, Optional

from portal.directory.vocabulary import KIND_LABELS
from portal.forms import options, strip
from portal.meetings.schemas import MESSAGE_MAX

ORGANISATION_KINDS = (("", _l("Any kind")), *KIND_LABELS.items())
LISTING_KINDS = (("", _l("Offers or needs")), ("offer", _l("Has offers")), ("need", _l("Has needs")))


class RequestForm(FlaskForm):
    message = TextAreaField(_l("Message (optional)"), filters=[strip], validators=[Length(max=MESSAGE_MAX)],
                            description=_l("Why you would like to meet (up to 1000 characters)."))
    starred = BooleanField(_l("Star it: one of the meetings I want most"))


class ReplyForm(FlaskForm):
    answer = HiddenField(validators=[AnyOf(("accepted", "declined"))])
    message = TextAreaField(_l("Message (optional)"), filters=[strip], validators=[Length(max=MESSAGE_MAX)])


class ActionForm(FlaskForm):
    """No fields: the CSRF token of a one-button action (withdraw, star, publish)."""


class MeetingStatusForm(FlaskForm):
    status = HiddenField(validators=[AnyOf(("scheduled", "held", "no_show", "cancelled"))])


class MoveForm(FlaskForm):
    """Where to move a meeting: "slot:table" among the free places (grouped by time)."""

    place = SelectField(_l("New time and table"), choices=[], validate_choice=False)


class CatalogueForm(FlaskForm):
    """The participant catalogue's filters (GET, no CSRF)."""

    class Meta:
        csrf = False

    q = StringField(_l("Search"), filters=[strip], validators=[Optional(), Length(max=200)])
    cluster = SelectField(_l("Cluster"), choices=[], validate_choice=False)
    kind = SelectField(_l("Organisation type"), choices=options(ORGANISATION_KINDS), validate_choice=False)
    listing_kind = SelectField(_l("Offers and needs"), choices=options(LISTING_KINDS), validate_choice=False)
    sector = SelectField(_l("Sector"), choices=[], validate_choice=False)
