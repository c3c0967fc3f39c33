"""Account forms: sign-up, log-in, password reset and change, profile, consent, member actions."""
import re

from flask_babel import lazy_gettext as _l, lazy_pgettext
from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, EqualTo, Length, Optional, Regexp, ValidationError

from portal.accounts.passwords import MAX_LENGTH, password_problem
from portal.directory.vocabulary import KIND_LABELS
from portal.forms import country_choices, options, strip
from portal.text import sort_key

EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")
PHONE = re.compile(r"[0-9+().\s/-]*\Z")
MAX_TOPICS, MAX_TOPIC_LENGTH = 20, 60

STATUS_LABELS = {"pending": _l("Waiting for approval"), "active": _l("Active"), "disabled": _l("Disabled")}
#: The member list's filter tabs name groups of members ("Actifs", not one member's "Actif").
STATUS_FILTER_LABELS = {"pending": _l("Waiting for approval"), "active": lazy_pgettext("members", "Active"),
                        "disabled": lazy_pgettext("members", "Disabled")}
ROLE_LABELS = {"member": _l("Member"), "admin": _l("Administrator")}


def lower(value):
    return value.lower() if isinstance(value, str) else value


def email_format(form, field):
    if field.data and not EMAIL.fullmatch(field.data):
        raise ValidationError(_l("Enter an e-mail address such as name@example.org."))


def acceptable_password(form, field):
    problem = password_problem(field.data or "")
    if problem:
        raise ValidationError(problem)


def split_topics(text):
    """"optics, lidar ,, sensing" -> ["optics", "lidar", "sensing"], without repeats."""
    topics = []
    for topic in (text or "").split(","):
        topic = " ".join(topic.split())
        if topic and topic.lower() not in (t.lower() for t in topics):
            topics.append(topic)
    return topics


def topics_rule(form, field):
    topics = split_topics(field.data)
    if len(topics) > MAX_TOPICS:
        raise ValidationError(_l("At most %(count)d topics.", count=MAX_TOPICS))
    if any(len(topic) > MAX_TOPIC_LENGTH for topic in topics):
        raise ValidationError(_l("Each topic has at most %(count)d characters.", count=MAX_TOPIC_LENGTH))


class LoginForm(FlaskForm):
    email = StringField(_l("E-mail address"), filters=[strip, lower],
                        validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=MAX_LENGTH)])
    next = HiddenField()


class SignupForm(FlaskForm):
    email = StringField(_l("E-mail address"), filters=[strip, lower],
                        validators=[DataRequired(), Length(max=254), email_format])
    password = PasswordField(_l("Password"), validators=[DataRequired(), acceptable_password],
                             description=_l("At least 10 characters; a few words make a good one."))
    confirm = PasswordField(_l("Password again"),
                            validators=[DataRequired(), EqualTo("password", _l("The two passwords differ."))])
    display_name = StringField(_l("Your name"), filters=[strip], validators=[DataRequired(), Length(max=120)])
    job_title = StringField(_l("Job title"), filters=[strip], validators=[Optional(), Length(max=200)])
    organisation_uid = SelectField(_l("Organisation"), description=_l(
        "Choose it in the list, or choose “A new organisation” and describe it below."))
    organisation_name = StringField(_l("Organisation name"), filters=[strip], validators=[Length(max=200)])
    organisation_kind = SelectField(_l("Kind of organisation"), default="technology_provider",
                                    choices=options(KIND_LABELS.items()))
    organisation_country = SelectField(_l("Country"), default="FR")
    organisation_city = StringField(_l("City"), filters=[strip], validators=[Length(max=120)])

    def __init__(self, organisations, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation_uid.choices = options([("", _l("A new organisation"))] + [
            (org.uid, org.name) for org in sorted(organisations, key=lambda org: (sort_key(org.name), org.uid))])
        self.organisation_country.choices = country_choices()

    @property
    def new_organisation(self):
        return not self.organisation_uid.data

    def validate_organisation_name(self, field):
        if self.new_organisation and not field.data:
            raise ValidationError(_l("Give your organisation's name, or choose it in the list."))


class ResetRequestForm(FlaskForm):
    email = StringField(_l("E-mail address"), filters=[strip, lower],
                        validators=[DataRequired(), Length(max=254), email_format])


class ResetPasswordForm(FlaskForm):
    password = PasswordField(_l("New password"), validators=[DataRequired(), acceptable_password])
    confirm = PasswordField(_l("New password again"),
                            validators=[DataRequired(), EqualTo("password", _l("The two passwords differ."))])


class ChangePasswordForm(ResetPasswordForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=MAX_LENGTH)])


class ProfileForm(FlaskForm):
    display_name = StringField(_l("Display name"), filters=[strip], validators=[DataRequired(), Length(max=120)])
    job_title = StringField(_l("Job title"), filters=[strip], validators=[Optional(), Length(max=200)])
    bio = TextAreaField(_l("About you"), filters=[strip], validators=[Optional(), Length(max=2000)])
    topics = StringField(_l("Topics"), filters=[strip], validators=[Optional(), Length(max=1500), topics_rule],
                         description=_l("Separated by commas, e.g. fibre lasers, lidar, food safety."))
    phone = StringField(_l("Phone"), filters=[strip], validators=[Optional(), Length(max=40), Regexp(
        PHONE, message=_l("Digits, spaces and + ( ) . / - only."))],
        description=_l("Seen only by you and the cluster's team (in its exports of the members), never by other "
                        "members nor by partner clusters."))


class ConsentForm(FlaskForm):
    share_profile = RadioField(_l("Sharing with partner clusters"), choices=options([
        ("no", _l("Keep my profile on this portal only")),
        ("yes", _l("Share my profile with the partner clusters")),
    ]), validators=[DataRequired()])


class RoleForm(FlaskForm):
    role = SelectField(_l("Role"), choices=options(ROLE_LABELS.items()))
