"""Form building blocks the features share.

Choices, checkboxes, countries, a refusal beside its field, and a creation form's key.
"""
import re

from flask import flash
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from wtforms import HiddenField, SelectMultipleField
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import CheckboxInput, ListWidget

from portal.directory.queries import country_names
from portal.directory.schemas import COUNTRIES
from portal.extensions import db
from portal.federation.models import Record
from portal.federation.records import local_cluster, new_uid
from portal.text import sort_key

_UID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def options(pairs):
    """WTForms choices from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


def strip(value):
    return value.strip() if isinstance(value, str) else value


class CheckboxesField(SelectMultipleField):
    """Several choices as a list of checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def country_choices(blank=None, codes=COUNTRIES):
    """`codes` (by default every ISO country) by name in the visitor's language, after a `blank`
    choice when one is given."""
    names = country_names(codes)
    choices = sorted(names.items(), key=lambda item: sort_key(item[1]))
    return options(([("", blank)] if blank else []) + choices)


class FieldRefusal(Exception):
    """A rule of a service refused the operation; `field` names the form field it concerns (None:
    no field in particular)."""

    def __init__(self, field, message):
        super().__init__(str(message))
        self.field, self.message = field, message


def show_refusal(form, refusal):
    """Put `refusal`'s message beside its field; flash it when the form has no such field."""
    field = getattr(form, refusal.field, None) if refusal.field else None
    if field is not None:
        field.errors = list(field.errors) + [refusal.message]
    else:
        flash(refusal.message, "error")


class CreationKey(HiddenField):
    """The uid of the record a creation form makes, chosen when the form is shown: the same form
    sent twice (a double click, a second tap on a slow line) finds the record the first sending
    made instead of making another (see `create_once`). Anything but a uid reads as no key."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, default=new_uid, **kwargs)

    def process_formdata(self, valuelist):
        value = valuelist[0] if valuelist else ""
        self.data = value if _UID.fullmatch(value) else None


def create_once(model, key, make):
    """(record, made): the `model` of uid `key` if a sending of the same form made it, else
    `make(uid)`'s, committed. Two sendings at once: the one that commits second finds the first's.

    The key comes from the browser: one that the ledger holds with no record behind it (a deleted
    record's tombstone, ours or a peer's) is no sending of this form, and a new uid is taken;
    reused, it would restart the tombstone's version at 1 (peers keep the higher one and never see
    the new record) or, for a peer's, store our record under that peer's name."""
    found = db.session.get(model, key) if key else None
    if found is not None:
        return found, False
    if key and db.session.scalar(select(Record.uid).where(
            Record.type == model.fed_type, Record.uid == key,
            Record.deleted.is_(True) | (Record.origin != local_cluster()))):
        key = None
    try:
        record = make(key or new_uid())
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        found = db.session.get(model, key) if key else None
        if found is None:
            raise
        return found, False
    return record, True
