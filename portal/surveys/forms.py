"""Survey forms: the answer form's CSRF guard, opting out, and the organisers' settings."""
import re

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from portal.surveys.constants import EXTRA_KIND_LABELS, EXTRA_KINDS, PLACEHOLDERS

BRACES = re.compile(r"\{[^{}]*\}")


def unknown_placeholders(text):
    """The `{...}` of `text` that are not placeholders the mails fill in, once each, in order."""
    allowed = {"{" + name + "}" for name in PLACEHOLDERS}
    return list(dict.fromkeys(found for found in BRACES.findall(text or "") if found not in allowed))


def known_placeholders(form, field):
    """Refuse a typo such as {nme}: it would reach every participant as typed."""
    unknown = unknown_placeholders(field.data)
    if unknown:
        raise ValidationError(ngettext(
            "Unknown placeholder %(names)s. The placeholders are %(allowed)s.",
            "Unknown placeholders %(names)s. The placeholders are %(allowed)s.", len(unknown),
            names=", ".join(unknown), allowed=", ".join("{" + name + "}" for name in PLACEHOLDERS)))


class AnswerForm(FlaskForm):
    """Only the CSRF token: the questions differ per person and are read by questions.answers_from."""


class OptOutForm(FlaskForm):
    """The unsubscribe page's button (a GET never changes anything)."""


class TextsForm(FlaskForm):
    subject = StringField(_l("Subject"), validators=[Optional(), Length(max=200), known_placeholders],
                          description=_l("Leave empty for the default, written in each participant's language; "
                                         "a text typed here goes to everyone as typed. {name} and {event} are "
                                         "filled in."))
    body = TextAreaField(_l("Message"), validators=[Optional(), Length(max=5000), known_placeholders],
                         description=_l("Leave empty for the default, in each participant's language; a text typed "
                                        "here goes to everyone as typed. The personal link and the unsubscribe link "
                                        "are added below it."))


class QuestionForm(FlaskForm):
    label = StringField(_l("Question"), validators=[DataRequired(), Length(max=300)],
                        description=_l("Asked as typed, in every participant's language: write it in the "
                                       "language your members share, or in both."))
    kind = SelectField(_l("Answer"), choices=[SelectChoice(k, EXTRA_KIND_LABELS[k]) for k in EXTRA_KINDS],
                       validators=[DataRequired()])


class ButtonForm(FlaskForm):
    """A button's CSRF guard (remove a question, send a test)."""
