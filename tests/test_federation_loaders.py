"""The fast loader answers exactly what the record types' marshmallow schemas answer (hypothesis)."""
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from marshmallow import ValidationError, fields, validate

import portal.directory.models  # noqa: F401  (the models fill the type registry)
import portal.events.models  # noqa: F401
import portal.events.registration_models  # noqa: F401
import portal.meetings.models  # noqa: F401
import portal.surveys.models  # noqa: F401
from portal.federation.loaders import _compile, loader
from portal.federation.records import REGISTRY
from tests.portals import listing_data, organisation_data

UID = "6f1c2a4e-1b2c-4d3e-8f00-000000000001"
VALID = {
    "organisation": organisation_data(country="fr", website="https://example.org", sectors=[" a ", ""]),
    "listing": listing_data(UID, keywords=[" laser ", ""], trl=4, valid_until="2049-06-30", ipr=""),
    "person": {"organisation_uid": UID, "display_name": " Ada ", "job_title": "", "bio": "", "topics": ["x"]},
}
SCHEMAS = sorted(name for name, model in REGISTRY.items() if model.fed_schema)

JUNK = st.one_of(
    st.none(), st.booleans(), st.integers(-2, 12), st.floats(allow_nan=False, width=16), st.text(max_size=4),
    st.sampled_from(["", "  ", " x ", "2049-02-30", "2049-06-30", "javascript:alert(1)", "http://a.b", "ZZ", " fr "]),
    st.lists(st.one_of(st.none(), st.integers(0, 2), st.sampled_from(["", " ", " k ", "x" * 61])), max_size=3),
    st.dictionaries(st.text(max_size=2), st.integers(), max_size=2),
)


def plausible(field):
    """Values near what the field accepts: its choices padded, texts at its length limits."""
    options = [JUNK]
    for rule in field.validators:
        if isinstance(rule, validate.OneOf):
            options.append(st.tuples(st.sampled_from(list(rule.choices)), st.sampled_from(["", " "]))
                           .map(lambda pair: pair[1] + pair[0] + pair[1]))
        if isinstance(rule, validate.Length):
            sizes = {n for n in (rule.min, rule.max, rule.equal) if n is not None}
            sizes |= {n + 1 for n in sizes} | {n - 1 for n in sizes if n > 0}
            options.append(st.sampled_from(sorted(sizes)).map(lambda n: "y" * n))
    if isinstance(field, fields.List):
        options.append(st.lists(plausible(field.inner), max_size=3))
    return st.one_of(options)


@st.composite
def records(draw, name):
    schema = REGISTRY[name].fed_schema()
    data = dict(VALID.get(name, {}))
    for key in draw(st.sets(st.sampled_from(sorted(schema.load_fields)), max_size=3)):
        if draw(st.booleans()):
            data[key] = draw(plausible(schema.load_fields[key]))
        else:
            data.pop(key, None)
    if draw(st.booleans()):
        data["unknown_field"] = draw(JUNK)
    return data


def typed(value):
    """A value with its types spelled out (True and 1 are equal in Python, not here)."""
    if isinstance(value, dict):
        return {key: typed(item) for key, item in value.items()}
    if isinstance(value, list):
        return [typed(item) for item in value]
    return (type(value).__name__, value)


def outcome(load, data):
    try:
        return "ok", typed(load(data))
    except ValidationError as error:
        return "invalid", error.messages


def test_the_bulk_types_are_compiled():
    for name in ("organisation", "person", "listing"):
        assert _compile(REGISTRY[name].fed_schema()) is not None, name


@pytest.mark.parametrize("name", SCHEMAS)
@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_the_fast_loader_answers_what_marshmallow_answers(name, data):
    record = data.draw(records(name))
    schema = REGISTRY[name].fed_schema()
    assert outcome(loader(schema), record) == outcome(schema.load, record)


def test_a_valid_record_is_loaded_without_marshmallow_and_an_invalid_one_is_explained(monkeypatch):
    schema = REGISTRY["listing"].fed_schema()
    load, expected = loader(schema), schema.load(VALID["listing"])
    assert expected["keywords"] == ["laser"] and expected["ipr"] is None
    calls = []
    real = type(schema).load
    monkeypatch.setattr(type(schema), "load", lambda self, data, **kw: calls.append(data) or real(self, data, **kw))
    assert load(VALID["listing"]) == expected and calls == []
    with pytest.raises(ValidationError) as error:
        load(dict(VALID["listing"], title="x" * 201))
    assert "title" in error.value.messages and len(calls) == 1
