"""Form building blocks the features share: choices, checkboxes, countries, a refusal beside its field."""
from flask import flash
from wtforms import SelectMultipleField
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import CheckboxInput, ListWidget

from portal.directory.queries import country_names
from portal.directory.schemas import COUNTRIES
from portal.text import sort_key


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
