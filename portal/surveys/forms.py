"""Survey forms: the answer form's CSRF guard, opting out, and the organisers' settings."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from portal.surveys.constants import EXTRA_KIND_LABELS, EXTRA_KINDS


class AnswerForm(FlaskForm):
    """Only the CSRF token: the questions differ per person and are read by questions.answers_from."""


class OptOutForm(FlaskForm):
    """The unsubscribe page's button (a GET never changes anything)."""


class TextsForm(FlaskForm):
    subject = StringField(_l("Subject"), validators=[Optional(), Length(max=200)],
                          description=_l("Leave empty for the default. {name} and {event} are filled in."))
    body = TextAreaField(_l("Message"), validators=[Optional(), Length(max=5000)],
                         description=_l("The personal link and the unsubscribe link are added below it."))


class QuestionForm(FlaskForm):
    label = StringField(_l("Question"), validators=[DataRequired(), Length(max=300)])
    kind = SelectField(_l("Answer"), choices=[SelectChoice(k, EXTRA_KIND_LABELS[k]) for k in EXTRA_KINDS],
                       validators=[DataRequired()])


class RemoveForm(FlaskForm):
    """A delete button's CSRF guard."""
