"""The form confirming an account deletion."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField
from wtforms.validators import DataRequired


class DeleteAccountForm(FlaskForm):
    password = PasswordField(_l("Your password"), validators=[DataRequired()],
                             description=_l("Enter your password to confirm."))
    # Asked only of an organisation's last member (services.left_behind).
    close_listings = BooleanField(_l("Close my organisation's open offers and needs"), default=True)
