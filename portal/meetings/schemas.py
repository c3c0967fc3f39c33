"""Protocol `data` of the meeting record types (PROTOCOL.md section 5), for receivers.

Unknown fields are ignored (EXCLUDE); a receiver requires every field of the protocol's
table (`portal.federation.fields.received`). `meeting_request` and `meeting_reply` carry one field
the protocol table does not list, `starred` (bool, optional): the author starred the
request, which the lead's scheduler turns into a priority (both sides: 2, one side: 1).
"""
from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate, validates_schema

from portal.federation.fields import UID, StrictBoolean, Trimmed

REQUEST_STATUSES = ("open", "withdrawn")
ANSWERS = ("accepted", "declined")
MEETING_STATUSES = ("scheduled", "cancelled", "held", "no_show")
MESSAGE_MAX = 1000


class _Lenient(Schema):
    class Meta:
        unknown = EXCLUDE


class MeetingRequestSchema(_Lenient):
    event_uid = Trimmed(required=True, validate=UID)
    from_person_uid = Trimmed(required=True, validate=UID)
    to_person_uid = Trimmed(required=True, validate=UID)
    message = Trimmed(load_default="", validate=validate.Length(max=MESSAGE_MAX))
    status = Trimmed(required=True, validate=validate.OneOf(REQUEST_STATUSES))
    starred = StrictBoolean(load_default=False)
    EXTRA_FIELDS = ("starred",)

    @validates_schema
    def two_people(self, data, **kwargs):
        if data.get("from_person_uid") == data.get("to_person_uid"):
            raise ValidationError("a person cannot request a meeting with themselves", "to_person_uid")


class MeetingReplySchema(_Lenient):
    event_uid = Trimmed(required=True, validate=UID)
    request_uid = Trimmed(required=True, validate=UID)
    answer = Trimmed(required=True, validate=validate.OneOf(ANSWERS))
    message = Trimmed(load_default="", validate=validate.Length(max=MESSAGE_MAX))
    starred = StrictBoolean(load_default=False)
    EXTRA_FIELDS = ("starred",)


class MeetingSchema(_Lenient):
    event_uid = Trimmed(required=True, validate=UID)
    request_uid = Trimmed(required=True, validate=UID)
    person_uids = fields.List(Trimmed(validate=UID), required=True,
                              validate=validate.Length(equal=2))
    starts_at = fields.AwareDateTime(format="iso", required=True)
    ends_at = fields.AwareDateTime(format="iso", required=True)
    table = Trimmed(required=True)
    status = Trimmed(required=True, validate=validate.OneOf(MEETING_STATUSES))

    @validates_schema
    def check(self, data, **kwargs):
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            raise ValidationError("must end after it starts", "ends_at")
        uids = data.get("person_uids") or []
        if len(uids) == 2 and uids[0] == uids[1]:
            raise ValidationError("two different people meet", "person_uids")
