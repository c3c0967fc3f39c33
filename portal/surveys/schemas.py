"""Protocol `data` of `survey_response` (PROTOCOL.md section 5), for receivers.

`answers` maps a question id to a plain value: a string, an integer, a boolean or null.
Question ids are our implementation's choice (see questions.py); receivers keep the ones
they do not know. The protocol gives no length limit to any of these strings (our own
questionnaire keeps free text to TEXT_MAX characters).
"""
from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate

from portal.federation.fields import UID, Trimmed
from portal.surveys.constants import STAGES

MAX_ANSWERS = 200
QUESTION_ID = validate.Length(min=1)


def check_answers(answers):
    if len(answers) > MAX_ANSWERS:
        raise ValidationError(f"at most {MAX_ANSWERS} answers")
    for key, value in answers.items():
        if isinstance(value, bool) or value is None:
            continue
        if isinstance(value, int):
            if abs(value) > 10**9:
                raise ValidationError(f"{key}: number out of range")
        elif not isinstance(value, str):
            raise ValidationError(f"{key}: a string, an integer, a boolean or null")


class SurveyResponseSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    event_uid = Trimmed(required=True, validate=UID)
    stage = Trimmed(required=True, validate=validate.OneOf(STAGES))
    respondent = Trimmed(required=True, validate=validate.Length(min=1))
    answers = fields.Dict(keys=fields.String(validate=QUESTION_ID), values=fields.Raw(allow_none=True),
                          required=True, validate=check_answers)
