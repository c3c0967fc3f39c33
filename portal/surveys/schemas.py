"""Protocol `data` of `survey_response` (PROTOCOL.md section 5), for receivers.

`answers` maps a question id to a value. The protocol names neither the questions nor the
values' type: our questionnaire answers with strings, integers, booleans and nulls (see
questions.py), and a peer's may use any JSON value (a list for a multiple choice, a
decimal), which is kept as it came. The figures sum only the questions and values they know
(`portal.impact.aggregate`). Nor does the protocol give a length limit to any of these strings
(our own questionnaire keeps free text to TEXT_MAX characters).
"""
from marshmallow import EXCLUDE, Schema, fields, validate

from portal.federation.fields import UID, Trimmed
from portal.surveys.constants import STAGES


class SurveyResponseSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    event_uid = Trimmed(required=True, validate=UID)
    stage = Trimmed(required=True, validate=validate.OneOf(STAGES))
    respondent = Trimmed(required=True, validate=validate.Length(min=1))
    answers = fields.Dict(keys=fields.String(validate=validate.Length(min=1)), values=fields.Raw(allow_none=True),
                          required=True)
