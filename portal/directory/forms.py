"""Directory forms: listings, organisations, the search and filter forms, and action buttons."""
from datetime import date
from functools import lru_cache

from babel.support import NullTranslations, Translations
from flask import current_app
from flask_babel import get_locale, lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (BooleanField, DateField, IntegerField, RadioField, SearchField, SelectField, StringField,
                     TextAreaField, URLField)
from wtforms.i18n import messages_path
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from portal.directory import vocabulary
from portal.directory.schemas import COUNTRIES, KEYWORD_LENGTH, KEYWORDS_MAX, validate_website
from portal.forms import CheckboxesField, CreationKey, country_choices, options, strip


class KeywordsField(StringField):
    """Keywords typed comma-separated, kept as a list."""

    def process_data(self, value):
        self.data = list(value or [])

    def process_formdata(self, valuelist):
        raw = valuelist[0] if valuelist else ""
        self.data = [word.strip() for word in raw.split(",") if word.strip()]

    def _value(self):
        return ", ".join(self.data or [])


def with_scheme(value):
    """"www.example.org" as people type it, completed to https://www.example.org."""
    if value and "://" not in value and "." in value and not any(c.isspace() for c in value):
        return "https://" + value
    return value


def optional_int(value):
    return int(value) if value not in (None, "", "None") else None


def optional_str(value):
    return value or None


def valid_keywords(form, field):
    if len(field.data or []) > KEYWORDS_MAX:
        raise ValidationError(_l("At most %(count)d keywords.", count=KEYWORDS_MAX))
    if any(len(word) > KEYWORD_LENGTH for word in field.data or []):
        raise ValidationError(_l("Each keyword has at most %(count)d characters.", count=KEYWORD_LENGTH))


def web_address(form, field):
    try:
        validate_website(field.data or "")
    except Exception:
        raise ValidationError(_l("Give a web address starting with http:// or https://.")) from None


def vocabulary_options(name, stored=(), first=()):
    """A vocabulary's choices (after `first`), with any value the record being edited holds that
    the vocabulary no longer has (retired since, or renamed): offered too, and ticked, so that
    saving the form keeps it instead of dropping it unseen."""
    pairs = list(first) + vocabulary.choices(name)
    known = {value for value, _ in pairs}
    return options(pairs + [(value, vocabulary.label(name, value)) for value in stored if value not in known])


class ListingForm(FlaskForm):
    key = CreationKey()  # a new listing's uid (an edit ignores it)
    kind = RadioField(_l("This is"), default="offer", choices=options([("offer", _l("an offer: a technology or service we provide")),
                                                       ("need", _l("a need: something we are looking for"))]),
                      validators=[InputRequired()])
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)], filters=[strip])
    summary = TextAreaField(_l("Summary"), validators=[DataRequired(), Length(max=500)], filters=[strip],
                            description=_l("One or two sentences, shown in the directory (500 characters at most)."))
    description = TextAreaField(_l("Description"), validators=[Length(max=10000)], filters=[strip])
    keywords = KeywordsField(_l("Keywords"), validators=[valid_keywords],
                             description=_l("Separated by commas; at most 20."))
    sectors = CheckboxesField(_l("Sectors"))
    trl = SelectField(_l("Technology readiness level (TRL)"), coerce=optional_int, validate_choice=False,
                      choices=options([("", _l("Not applicable"))] + [(str(n), str(n)) for n in range(1, 10)]))
    cooperation = CheckboxesField(_l("Cooperation sought"))
    ipr = SelectField(_l("Intellectual property"), coerce=optional_str, validators=[Optional()])
    valid_until = DateField(_l("Valid until"), validators=[Optional()],
                            description=_l("After this date the listing is hidden from the directory; you are reminded "
                                            "beforehand and can renew it. Empty: it never expires."))
    person_uid = SelectField(_l("Contact person"), coerce=optional_str, validators=[Optional()])

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        listing = kwargs.get("obj")  # the listing being edited, None for a new one
        # An expired listing being edited may keep its date (it stays hidden until renewed).
        self._stored_valid_until = getattr(listing, "valid_until", None)
        self.sectors.choices = vocabulary_options("sectors", getattr(listing, "sectors", None) or ())
        self.cooperation.choices = vocabulary_options("cooperation", getattr(listing, "cooperation", None) or ())
        self.ipr.choices = vocabulary_options("ipr", [listing.ipr] if getattr(listing, "ipr", None) else (),
                                              first=[("", _l("Not specified"))])
        self.person_uid.choices = options([("", _l("Nobody in particular"))]
                                          + [(p.uid, p.display_name) for p in people])

    def validate_trl(self, field):
        if field.data is not None and not 1 <= field.data <= 9:
            raise ValidationError(_l("A TRL is between 1 and 9."))

    def validate_valid_until(self, field):
        if field.data and field.data < date.today() and field.data != self._stored_valid_until:
            raise ValidationError(_l("This date is past: choose today or a later date."))

    def data_for_service(self):
        names = ("kind", "title", "summary", "description", "keywords", "sectors", "trl", "cooperation",
                 "ipr", "valid_until", "person_uid")
        return {name: getattr(self, name).data for name in names}


class OrganisationForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)], filters=[strip])
    kind = SelectField(_l("Kind"), choices=options(vocabulary.KIND_LABELS.items()),
                       validators=[InputRequired()])
    country = SelectField(_l("Country"), default="FR", validators=[InputRequired()])  # as at sign-up
    city = StringField(_l("City"), validators=[Length(max=120)], filters=[strip])
    website = URLField(_l("Website"), validators=[Length(max=300), web_address], filters=[strip, with_scheme])
    description = TextAreaField(_l("Description"), validators=[Length(max=5000)], filters=[strip])
    sectors = CheckboxesField(_l("Sectors"))
    special_guest = BooleanField(_l("Special guest of the cluster"))

    def __init__(self, *args, admin=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.country.choices = country_choices()
        self.sectors.choices = vocabulary_options("sectors", getattr(kwargs.get("obj"), "sectors", None) or ())
        if not admin:
            del self.special_guest  # only administrators name special guests

    def data_for_service(self):
        data = {name: self[name].data for name in ("name", "kind", "country", "city", "website",
                                                    "description", "sectors")}
        if "special_guest" in self:
            data["special_guest"] = self.special_guest.data
        return data


class ActionForm(FlaskForm):
    """A button that changes something: only its CSRF token."""


@lru_cache(maxsize=32)
def _wtforms_catalogue(locale):
    return Translations.load(messages_path(), [locale], domain="wtforms") if locale else NullTranslations()


class WTFormsMessages:
    """WTForms' own messages in the visitor's language, each catalogue read once per process
    (flask_wtf reads it again on every request, a cost the live search pays on each keystroke)."""

    def gettext(self, string):
        return _wtforms_catalogue(str(get_locale() or "")).ugettext(string)

    def ngettext(self, singular, plural, n):
        return _wtforms_catalogue(str(get_locale() or "")).ungettext(singular, plural, n)


class _GetForm(FlaskForm):
    class Meta:
        csrf = False  # GET forms change nothing

        def get_translations(self, form):
            if not current_app.config.get("WTF_I18N_ENABLED", True):
                return None
            return WTFormsMessages()


class SearchForm(_GetForm):
    q = SearchField(_l("Search"), validators=[Length(max=200)])
    kind = SelectField(_l("Offers or needs"), validators=[Optional()],
                       choices=options([("", _l("Offers and needs")), ("offer", _l("Offers")), ("need", _l("Needs"))]))
    sector = SelectField(_l("Sector"), validators=[Optional()])
    trl_min = IntegerField(_l("TRL from"), validators=[Optional(), NumberRange(1, 9)])
    trl_max = IntegerField(_l("TRL to"), validators=[Optional(), NumberRange(1, 9)])
    # Countries and clusters are checked without their choices, which only a full page needs.
    country = SelectField(_l("Country"), validate_choice=False,
                          validators=[Optional(), AnyOf(COUNTRIES, message=_l("Choose a country from the list."))])
    organisation_kind = SelectField(_l("Organisation type"), validators=[Optional()])
    special_guests = BooleanField(_l("Special guests only"))
    cluster = SelectField(_l("Cluster"), validate_choice=False, validators=[Optional(), Length(max=40)])
    show_expired = BooleanField(_l("Show expired listings"))
    sort = SelectField(_l("Sort by"), choices=options([("relevance", _l("Relevance")), ("newest", _l("Newest"))]),
                       validators=[Optional()])

    def __init__(self, *args, clusters=list, countries=list, **kwargs):
        """`clusters` and `countries` are callables: only rendering the form calls them."""
        super().__init__(*args, **kwargs)
        self._clusters = clusters
        self.sector.choices = options([("", _l("All sectors"))] + vocabulary.choices("sectors"))
        self.country.choices = lambda: country_choices(_l("All countries"), countries())
        self.organisation_kind.choices = options([("", _l("All kinds"))] + list(vocabulary.KIND_LABELS.items()))
        self.cluster.choices = lambda: options([("", _l("All clusters"))] + list(clusters()))

    def validate_cluster(self, field):
        if field.data and field.data not in {cluster_id for cluster_id, _ in self._clusters()}:
            raise ValidationError(_l("Not a cluster this portal knows."))

    def validate_trl_max(self, field):
        if field.data and self.trl_min.data and not self.trl_min.errors and field.data < self.trl_min.data:
            raise ValidationError(_l("Choose %(trl)d or more: the range starts at %(trl)d.", trl=self.trl_min.data))

    def valid_value(self, name):
        """The field's value, or None when it is empty or invalid (a bad filter is dropped, not fatal)."""
        field = self[name]
        if field.errors or field.data in (None, "", False):
            return None
        return field.data


class OrganisationFilterForm(_GetForm):
    name = SearchField(_l("Name"), validators=[Length(max=200)])
    kind = SearchForm.organisation_kind
    country = SearchForm.country
    special_guests = SearchForm.special_guests
    cluster = SearchForm.cluster

    def __init__(self, *args, clusters=list, countries=list, **kwargs):
        super().__init__(*args, **kwargs)
        self._clusters = clusters
        self.country.choices = lambda: country_choices(_l("All countries"), countries())
        self.kind.choices = options([("", _l("All kinds"))] + list(vocabulary.KIND_LABELS.items()))
        self.cluster.choices = lambda: options([("", _l("All clusters"))] + list(clusters()))

    validate_cluster = SearchForm.validate_cluster
    valid_value = SearchForm.valid_value
