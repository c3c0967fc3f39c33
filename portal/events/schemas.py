"""Protocol `data` of the event record types (PROTOCOL.md section 5), for receivers.

Unknown fields are ignored (EXCLUDE). A receiver requires every field of the protocol's
table (`portal.federation.fields.received`); the defaults below serve our own records.
`status` of `event` and `agenda_item` is our extra field (`scheduled` or `cancelled`),
optional so that other implementations may omit it, and so is the `checked_in` of a
`registration_decision`. The protocol gives these texts no length limit: a peer's may be of
any length. Beyond its limits, a receiver refuses only what it could not show: a time range
that ends before it starts, a negative count. A well-formed time zone name that this
machine's tz database does not know (a newer one) is kept, and its times shown in UTC.
"""
from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate, validates_schema

from portal.events.constants import AGENDA_KINDS, DECISIONS, EVENT_STATUSES, REGISTRATION_STATUSES, ROLES
from portal.federation.fields import UID, StrictBoolean, Trimmed
from portal.instance import CLUSTER_ID, is_cluster_id


def cluster_id(value):
    if not is_cluster_id(value):
        raise ValidationError(f"Not a cluster id (PROTOCOL.md: {CLUSTER_ID.pattern}).")


#: The shape of an IANA time zone name: "UTC", "Europe/Paris", "America/Argentina/Buenos_Aires", "Etc/GMT+5".
TIMEZONE = validate.Regexp(r"^[A-Za-z0-9_+-]+(/[A-Za-z0-9_+-]+)*$", error="Not an IANA time zone name.")


def text(required=False, **kwargs):
    """A string, trimmed (PROTOCOL.md section 5); a required one is not empty once trimmed."""
    if required:
        return Trimmed(required=True, validate=validate.Length(min=1), **kwargs)
    return Trimmed(load_default="", **kwargs)


def when(**kwargs):
    """ISO 8601 with an offset: a time without one is refused."""
    return fields.AwareDateTime(format="iso", **kwargs)


class _Lenient(Schema):
    class Meta:
        unknown = EXCLUDE


def _ends_after_start(data, start="starts_at", end="ends_at"):
    if data.get(start) and data.get(end) and data[end] <= data[start]:
        raise ValidationError("must end after it starts", end)


class VenueSchema(_Lenient):
    name = text()
    address = text()
    city = text()
    country = text()


class B2BBlockSchema(_Lenient):
    enabled = StrictBoolean(required=True)
    starts_at = when(allow_none=True, load_default=None)
    ends_at = when(allow_none=True, load_default=None)
    slot_minutes = fields.Integer(strict=True, validate=validate.Range(min=0), load_default=20)
    tables = fields.Integer(strict=True, validate=validate.Range(min=0), load_default=1)

    @validates_schema
    def check_block(self, data, **kwargs):
        if data.get("enabled") and not (data.get("starts_at") and data.get("ends_at")):
            raise ValidationError("an enabled B2B block needs its start and end", "starts_at")
        _ends_after_start(data)


class EventSchema(_Lenient):
    title = text(required=True)
    topic = text()
    description = text()
    starts_at = when(required=True)
    ends_at = when(required=True)
    timezone = Trimmed(required=True, validate=TIMEZONE)
    venue = fields.Nested(VenueSchema, required=True)
    co_hosts = fields.List(Trimmed(validate=cluster_id), load_default=list)
    registration_open = StrictBoolean(required=True)
    capacity = fields.Integer(required=True, strict=True, validate=validate.Range(min=0))
    b2b = fields.Nested(B2BBlockSchema, required=True)
    status = Trimmed(validate=validate.OneOf(EVENT_STATUSES), load_default="scheduled")
    EXTRA_FIELDS = ("status",)

    @validates_schema
    def check_times(self, data, **kwargs):
        _ends_after_start(data)


class AgendaItemSchema(_Lenient):
    event_uid = Trimmed(required=True, validate=UID)
    starts_at = when(required=True)
    ends_at = when(required=True)
    kind = Trimmed(required=True, validate=validate.OneOf(AGENDA_KINDS))
    title = text(required=True)
    speaker_person_uids = fields.List(Trimmed(validate=UID), load_default=list)
    listing_uid = Trimmed(validate=UID, allow_none=True, load_default=None)
    status = Trimmed(validate=validate.OneOf(EVENT_STATUSES), load_default="scheduled")
    EXTRA_FIELDS = ("status",)

    @validates_schema
    def check_times(self, data, **kwargs):
        _ends_after_start(data)


class RegistrationSchema(_Lenient):
    event_uid = Trimmed(required=True, validate=UID)
    person_uid = Trimmed(required=True, validate=UID)
    role = Trimmed(required=True, validate=validate.OneOf(ROLES))
    b2b = StrictBoolean(required=True)
    available_from = when(allow_none=True, load_default=None)
    available_until = when(allow_none=True, load_default=None)
    status = Trimmed(required=True, validate=validate.OneOf(REGISTRATION_STATUSES))
    checked_in = StrictBoolean(load_default=False)

    @validates_schema
    def check_window(self, data, **kwargs):
        _ends_after_start(data, "available_from", "available_until")


class RegistrationDecisionSchema(_Lenient):
    event_uid = Trimmed(required=True, validate=UID)
    registration_uid = Trimmed(required=True, validate=UID)
    status = Trimmed(required=True, validate=validate.OneOf(DECISIONS))
    message = text()
    # Extra field, beyond PROTOCOL.md's table (receivers ignore unknown fields): the lead's door
    # checked the person in. Their home portal then sets its registration's `checked_in`.
    checked_in = StrictBoolean(load_default=False)
    EXTRA_FIELDS = ("checked_in",)
