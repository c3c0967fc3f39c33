"""What the record types' schemas and columns share: PROTOCOL.md's uids, booleans and open lengths.

A receiver quarantines a change that fails validation: a missing field, a wrong type, a
string over "the length limits given" (section 5 and receiver rule 3). Where the table
gives no limit (an organisation's city, a listing's `ipr`, every text of an event), a
peer may send any length, and its record must be stored as it came, or the two sides'
digests never agree. Our own forms keep their limits; `open_length` is their column.
"""
import re

from marshmallow import fields, missing, validate
from sqlalchemy import String, Text

#: A uid in its usual 36-character form, 8-4-4-4-12 hex digits (PROTOCOL.md section 1).
UUID_PATTERN = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\Z")

#: The validator of a reference to another record (`*_uid`): references are uids.
UID = validate.Regexp(UUID_PATTERN, error="Not a UUID.")


def blank_or_uid(value):
    """An optional reference: a uid, or "" (read as null)."""
    return value == "" or UID(value)


def is_uuid(value):
    return isinstance(value, str) and UUID_PATTERN.match(value) is not None


class Trimmed(fields.String):
    """A string trimmed of surrounding white space on load (PROTOCOL.md: strings are trimmed)."""

    fast_load = staticmethod(str.strip)  # the same, for portal/federation/loaders.py

    def _deserialize(self, value, attr, data, **kwargs):
        return super()._deserialize(value, attr, data, **kwargs).strip()


class StrictBoolean(fields.Boolean):
    """JSON `true` or `false` only: "yes", 1 or "false" from a peer is the wrong type (rule 3),
    not a value to guess at."""

    def _deserialize(self, value, attr, data, **kwargs):
        if value is True or value is False:
            return value
        raise self.make_error("invalid", input=value)


def open_length(length):
    """The column of a protocol string without a length limit: `length` is what our own forms
    take; a peer's may be longer. SQLite never enforces a declared length, and PostgreSQL's
    column is TEXT (migration 0006)."""
    return String(length).with_variant(Text(), "postgresql")


_RECEIVED = {}


def received(schema_class):
    """The schema instance a receiver reads a peer's change with: every field of PROTOCOL.md's
    table is required, nested ones included, so a change missing one is quarantined (receiver
    rule 3) where our own records (imports) may leave it out for its default. The fields a
    schema names in `EXTRA_FIELDS`, ours beyond the table, stay optional. Built once per
    schema, of a type of its own (`loaders.loader` compiles once per type)."""
    if schema_class not in _RECEIVED:
        schema = type(f"Received{schema_class.__name__}", (schema_class,), {})()
        _require_protocol_fields(schema)
        _RECEIVED[schema_class] = schema
    return _RECEIVED[schema_class]


def _require_protocol_fields(schema):
    extra = getattr(schema, "EXTRA_FIELDS", ())
    for name, field in schema.fields.items():  # this instance's copies: the class keeps its defaults
        if name in extra:
            continue
        field.required, field.load_default = True, missing
        if isinstance(field, fields.Nested):
            _require_protocol_fields(field.schema)
