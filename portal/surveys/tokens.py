"""Signed links and pseudonyms: the personal survey link, the opt-out link, the respondent.

Links are itsdangerous signatures with the portal's secret key; a survey link carries
(event uid, stage, registration uid) and expires after SURVEY_LINK_DAYS. Pseudonyms are
HMACs keyed with the same secret: stable for one person and event, meaningless elsewhere.
"""
import hashlib
import hmac
from collections import namedtuple

from flask import current_app
from itsdangerous import BadData, SignatureExpired, TimestampSigner, URLSafeTimedSerializer

SURVEY_SALT = "passerelle-survey-link"
OPT_OUT_SALT = "passerelle-survey-opt-out"

Claim = namedtuple("Claim", "event_uid stage registration_uid")


class TokenError(Exception):
    """A link that cannot be used; `reason` is expired, invalid or mismatch."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


def _serializer(salt, signed_at=None):
    signer = None
    if signed_at is not None:  # tests and tools: a link as if signed at that moment
        stamp = int(signed_at.timestamp())
        signer = type("SignedAt", (TimestampSigner,), {"get_timestamp": lambda self: stamp})
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt, signer=signer)


def survey_token(event_uid, stage, registration_uid, signed_at=None):
    return _serializer(SURVEY_SALT, signed_at).dumps([event_uid, stage, registration_uid])


def read_survey_token(token, event_uid, stage):
    """The claim of a link found under /<event_uid>/<stage>/, or TokenError."""
    max_age = current_app.config["SURVEY_LINK_DAYS"] * 86400
    try:
        payload = _serializer(SURVEY_SALT).loads(token, max_age=max_age)
    except SignatureExpired:
        raise TokenError("expired") from None
    except BadData:
        raise TokenError("invalid") from None
    if not (isinstance(payload, list) and len(payload) == 3 and all(isinstance(p, str) for p in payload)):
        raise TokenError("invalid")
    claim = Claim(*payload)
    if (claim.event_uid, claim.stage) != (event_uid, stage):
        raise TokenError("mismatch")
    return claim


def opt_out_token(person_uid):
    """An unsubscribe link's token: it does not expire (a mail may be read months later)."""
    return _serializer(OPT_OUT_SALT).dumps(person_uid)


def read_opt_out_token(token):
    try:
        person_uid = _serializer(OPT_OUT_SALT).loads(token)
    except BadData:
        raise TokenError("invalid") from None
    if not isinstance(person_uid, str):
        raise TokenError("invalid")
    return person_uid


def _hmac(message, length):
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()[:length]


def respondent(event_uid, person_uid):
    """The opaque per-event pseudonym of a respondent (never their person uid)."""
    return _hmac(f"survey-respondent:{event_uid}:{person_uid}", 32)


def meeting_key(person_uid, meeting_uid):
    """A meeting as one respondent's answers name it: stable across stages, unlinkable elsewhere.

    Keyed with the person too, so the two sides' answers about one meeting do not reveal
    that their authors met.
    """
    return _hmac(f"survey-meeting:{person_uid}:{meeting_uid}", 12)
