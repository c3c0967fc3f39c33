"""Marshmallow schemas of the directory's records: the protocol's `data` (peers, import) and import extras.

`OrganisationSchema`, `PersonSchema` and `ListingSchema` accept exactly the PROTOCOL.md
data fields with the limits it gives (no others: see portal/federation/fields.py), trim
strings and ignore unknown fields; they are the models' `fed_schema`. A receiver requires
every field (`portal.federation.fields.received`: a change missing one is quarantined); the
defaults serve imports. The `Import*` variants, for our own records, also take `uid` and,
for people, `email`, `phone` and `share_profile`, and keep our forms' limits where the
protocol gives none.
"""
import re
import uuid

from babel import Locale
from marshmallow import EXCLUDE, Schema, ValidationError, fields, post_load, validate

from portal.directory.vocabulary import LISTING_KINDS, LISTING_STATUSES, ORGANISATION_KINDS
from portal.federation.fields import UID, StrictBoolean, Trimmed, blank_or_uid

# Babel knows every ISO 3166-1 alpha-2 code; these are its non-ISO groupings, the codes ISO 3166-1
# only reserves (Ascension, Clipperton, Sark, Diego Garcia, Ceuta and Melilla, the Canary Islands,
# Tristan da Cunha) and Kosovo's user-assigned XK.
_NOT_ISO = {"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ", "AC", "CP", "CQ", "DG", "EA", "IC", "TA", "XK"}
COUNTRIES = frozenset(c for c in Locale("en").territories if re.fullmatch(r"[A-Z]{2}", c)) - _NOT_ISO
KEYWORDS_MAX, KEYWORD_LENGTH = 20, 60


def trimmed_list(item_length=None, max_items=None):
    """A list of trimmed strings, empty items dropped."""
    return fields.List(Trimmed(validate=validate.Length(max=item_length) if item_length else None),
                       load_default=list, validate=validate.Length(max=max_items) if max_items else None)


def validate_country(value):
    if value not in COUNTRIES:
        raise ValidationError("Not an ISO 3166-1 alpha-2 country code.")


def validate_website(value):
    # Our own records' websites are web addresses (a peer's are shown as links only if they are).
    if value and not re.match(r"https?://[^\s/]+", value, re.IGNORECASE):
        raise ValidationError("Must start with http:// or https://.")


class Country(Trimmed):
    @staticmethod
    def fast_load(value):
        return value.strip().upper()

    def _deserialize(self, value, attr, data, **kwargs):
        return super()._deserialize(value, attr, data, **kwargs).upper()


class _Record(Schema):
    class Meta:
        unknown = EXCLUDE

    @post_load
    def drop_empty_items(self, data, **kwargs):
        for name, value in data.items():
            if isinstance(value, list) and "" in value:
                data[name] = [item for item in value if item != ""]
        return data


class OrganisationSchema(_Record):
    name = Trimmed(required=True, validate=validate.Length(1, 200))
    kind = Trimmed(required=True, validate=validate.OneOf(ORGANISATION_KINDS))
    country = Country(required=True, validate=validate_country)
    city = Trimmed(load_default="")
    website = Trimmed(load_default="")
    description = Trimmed(load_default="", validate=validate.Length(max=5000))
    sectors = trimmed_list()
    special_guest = StrictBoolean(load_default=False)


class PersonSchema(_Record):
    organisation_uid = Trimmed(load_default=None, allow_none=True, validate=blank_or_uid)
    display_name = Trimmed(required=True, validate=validate.Length(1, 120))
    job_title = Trimmed(load_default="")
    bio = Trimmed(load_default="", validate=validate.Length(max=2000))
    topics = trimmed_list()


class ListingSchema(_Record):
    kind = Trimmed(required=True, validate=validate.OneOf(LISTING_KINDS))
    organisation_uid = Trimmed(required=True, validate=UID)
    person_uid = Trimmed(load_default=None, allow_none=True, validate=blank_or_uid)
    title = Trimmed(required=True, validate=validate.Length(1, 200))
    summary = Trimmed(load_default="", validate=validate.Length(max=500))
    description = Trimmed(load_default="", validate=validate.Length(max=10000))
    keywords = trimmed_list(KEYWORD_LENGTH, KEYWORDS_MAX)
    sectors = trimmed_list()
    trl = fields.Integer(load_default=None, allow_none=True, strict=True, validate=validate.Range(1, 9))
    cooperation = trimmed_list()
    ipr = Trimmed(load_default=None, allow_none=True)
    valid_until = fields.Date(load_default=None, allow_none=True)
    status = Trimmed(load_default="open", validate=validate.OneOf(LISTING_STATUSES))

    @post_load
    def blank_is_none(self, data, **kwargs):
        for name in ("person_uid", "ipr"):
            if data.get(name) == "":
                data[name] = None
        return data


def validate_uid(value):
    try:
        uuid.UUID(value)
    except ValueError:
        raise ValidationError("Not a UUID.") from None


class _WithUid:
    uid = Trimmed(validate=validate_uid)

    @post_load
    def canonical_uid(self, data, **kwargs):
        if data.get("uid"):
            data["uid"] = str(uuid.UUID(data["uid"]))
        return data


class ImportOrganisationSchema(_WithUid, OrganisationSchema):
    city = Trimmed(load_default="", validate=validate.Length(max=120))
    website = Trimmed(load_default="", validate=[validate.Length(max=300), validate_website])
    sectors = trimmed_list(100)
    special_guest = fields.Boolean(load_default=False)  # a spreadsheet's "yes" or "1" is fine here


class ImportPersonSchema(_WithUid, PersonSchema):
    job_title = Trimmed(load_default="", validate=validate.Length(max=200))
    topics = trimmed_list(100)
    email = Trimmed(load_default=None, allow_none=True,
                    validate=[validate.Length(max=254), validate.Email()])
    phone = Trimmed(load_default=None, allow_none=True, validate=validate.Length(max=40))
    share_profile = fields.Boolean(load_default=False)


class ImportListingSchema(_WithUid, ListingSchema):
    trl = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(1, 9))
    ipr = Trimmed(load_default=None, allow_none=True, validate=validate.Length(max=40))
    sectors = trimmed_list(100)
    cooperation = trimmed_list(100)
