"""Forms of the federation administration pages."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField, URLField
from wtforms.validators import DataRequired, Length, Regexp

FINGERPRINT = Regexp(r"^SHA256:[A-Za-z0-9+/]{43}$", message=_l("A fingerprint looks like SHA256: and 43 characters."))


class AddPeerForm(FlaskForm):
    url = URLField(_l("Address of the partner portal"), validators=[DataRequired(), Length(max=500)],
                   description=_l("Its base URL, e.g. https://portal.agrifood-cluster.example"))


class ConfirmPeerForm(FlaskForm):
    """The fingerprint the administrator was shown, so that a key swapped meanwhile is refused."""

    fingerprint = HiddenField(validators=[DataRequired(), FINGERPRINT])


class ConfirmKeyForm(FlaskForm):
    fingerprint = StringField(_l("New fingerprint, as its administrator read it to you"),
                              validators=[DataRequired(), FINGERPRINT])


class ActionForm(FlaskForm):
    """A button: only the CSRF token."""
