"""The organisers' promotion forms: the budget, the topic planner, invitations, messages to registrants."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DecimalField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from portal.events.constants import COST_CATEGORIES
from portal.events.forms import COST_LABELS
from portal.forms import CheckboxesField, options


def whole_cents(form, field):
    """12.345 € is refused rather than rounded to a cent the organiser did not type."""
    value = field.data  # NaN, infinities and huge numbers are NumberRange's to refuse
    if value is not None and value.is_finite() and value.normalize().as_tuple().exponent < -2:
        raise ValidationError(_l("Give the amount to the cent: at most two decimals."))


class CostForm(FlaskForm):
    category = SelectField(_l("Category"), choices=[])
    label = StringField(_l("What"), validators=[Optional(), Length(max=200)])
    amount = DecimalField(_l("Amount (€)"), places=2,
                          validators=[InputRequired(), NumberRange(min=0, max=10_000_000), whole_cents])
    paid_by = SelectField(_l("Paid by"), choices=[])

    def __init__(self, *args, hosts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.category.choices = options((c, COST_LABELS[c]) for c in COST_CATEGORIES)
        self.paid_by.choices = options((h.cluster_id, h.name) for h in hosts)


class PlannerForm(FlaskForm):
    class Meta:
        csrf = False  # a GET form that changes nothing

    keywords = TextAreaField(_l("Candidate keywords"), description=_l(
        "Separated by commas. Counted where a listing names the topic in its keywords, title or summary "
        "(the directory's search also reads descriptions, so it may find more)."),
                             validators=[Optional(), Length(max=2000)])
    sectors = CheckboxesField(_l("Sectors"), choices=[], validate_choice=False)


class InviteForm(FlaskForm):
    sectors = CheckboxesField(_l("Organisations in these sectors"), choices=[], validate_choice=False)
    kinds = CheckboxesField(_l("Organisations of these kinds"), choices=[], validate_choice=False)
    past_participants = BooleanField(_l("Members who came to an earlier event"))
    note = TextAreaField(_l("A word from the organisers (optional)"), validators=[Optional(), Length(max=2000)])


#: Whom a message to the registrants goes to: the confirmed, or also the waiting list (where
#: registrations still awaiting the lead's decision count too).
AUDIENCE_LABELS = {"confirmed": _l("Confirmed registrants only"),
                   "waiting": _l("Confirmed registrants and the waiting list")}


def one_line(value):
    """A subject on one line: a line break in a mail header is no text but an injection."""
    return " ".join(value.split()) if isinstance(value, str) else value


def plain_text(value):
    """Typed text with the browser's CRLF line ends as LF: a character each, as the limit counts."""
    return value.replace("\r\n", "\n").replace("\r", "\n").strip() if isinstance(value, str) else value


class RegistrantMessageForm(FlaskForm):
    """An organiser's message to this portal's own members registered for an event."""

    audience = RadioField(_l("Send to"), default="confirmed", choices=options(AUDIENCE_LABELS.items()))
    b2b_only = BooleanField(_l("Only those who chose the B2B meetings"))
    subject = StringField(_l("Subject"), filters=[one_line], validators=[DataRequired(), Length(max=200)])
    message = TextAreaField(_l("Message"), filters=[plain_text], validators=[DataRequired(), Length(max=5000)],
                            description=_l("Plain text. The mail greets each registrant by name, and ends "
                                           "with the event's title, date, place and link."))

    def choice(self, event):
        """(with the waiting list, B2B participants only) as chosen; anything else is the default
        (a preview is not validated)."""
        return self.audience.data == "waiting", bool(self.b2b_only.data) and bool(event.b2b_enabled)
