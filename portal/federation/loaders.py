"""Protocol data loaded fast: a marshmallow schema compiled to plain checks, the schema itself on any doubt.

`loader(schema)` returns `load(data)`, which answers what `schema.load(data)` answers.
Common values (strings, lists of strings, integers, booleans, None, missing keys) are
checked by plain Python with the fields' own validators and the schema's own post_load
hooks; any other field is read by its marshmallow `deserialize`; and whenever a value is
not plainly valid, the whole record goes to `schema.load`. Marshmallow therefore stays
the one definition of what is valid, and its messages are the ones quarantined; the fast
path only skips its per-field machinery for the records that pass.

A String subclass that transforms the text opts in by naming that transform `fast_load`
in its own class body (a subclass that does not is read by marshmallow).
"""
from marshmallow import EXCLUDE, ValidationError, fields, missing, validate
from marshmallow.decorators import POST_LOAD, PRE_LOAD, VALIDATES, VALIDATES_SCHEMA

from portal.federation.fields import StrictBoolean


class _Doubt(Exception):
    """The fast path cannot vouch for this value: marshmallow decides."""


_LOADERS = {}


def loader(schema):
    """A function equivalent to `schema.load` for one record (cached per schema class)."""
    key = type(schema)
    if key not in _LOADERS:
        compiled = _compile(schema)
        if compiled is None:
            _LOADERS[key] = schema.load
        else:
            def load(data, compiled=compiled, schema=schema):
                try:
                    return compiled(data)
                except (_Doubt, ValidationError):
                    return schema.load(data)
            _LOADERS[key] = load
    return _LOADERS[key]


def _compile(schema):
    """A fast `load`, or None when the schema uses what this module does not reproduce."""
    hooks = type(schema).resolve_hooks()
    if schema.unknown != EXCLUDE or schema.partial or hooks[PRE_LOAD] or hooks[VALIDATES] or hooks[VALIDATES_SCHEMA]:
        return None
    post = []
    for name, many, options in hooks[POST_LOAD]:
        if many or options.get("pass_original"):
            return None
        post.append(getattr(schema, name))
    steps = []
    for name, field in schema.load_fields.items():
        if field.data_key not in (None, name) or field.attribute not in (None, name):
            return None
        steps.append((name, _field_check(field), field))
    unknown, partial = schema.unknown, schema.partial

    def load(data):
        if type(data) is not dict:
            raise _Doubt
        out = {}
        for name, check, field in steps:
            value = data.get(name, missing)
            if check is None:  # marshmallow reads this field (missing and None included)
                value = field.deserialize(value, name, data)
                if value is not missing:
                    out[name] = value
            elif value is missing:
                if field.required:
                    raise _Doubt
                default = field.load_default
                if default is not missing:
                    out[name] = default() if callable(default) else default
            else:
                out[name] = check(value)
        for hook in post:
            out = hook(out, many=False, partial=partial, unknown=unknown)
        return out

    return load


def _field_check(field):
    """`check(value)` for a present value, raising _Doubt; None when marshmallow must read the field."""
    if getattr(field, "pre_load", None) or getattr(field, "post_load", None):
        return None
    kind = type(field)
    if kind is fields.List:
        inner = _field_check(field.inner)
        if inner is None:
            return None

        def base(value):
            if type(value) is not list:
                raise _Doubt
            return [inner(item) for item in value]
    elif kind is fields.Integer:
        def base(value):
            if type(value) is not int:  # bool, float, str: marshmallow decides
                raise _Doubt
            return value
    elif kind in (fields.Boolean, StrictBoolean):
        def base(value):
            if value is not True and value is not False:
                raise _Doubt
            return value
    elif kind is fields.String or (issubclass(kind, fields.String) and "fast_load" in kind.__dict__):
        return _string_check(field, getattr(kind, "fast_load", None) if "fast_load" in kind.__dict__ else None)
    else:
        return None
    allow_none = field.allow_none
    low, high, equal, others = _bounds(field.validators)
    bounded = len(others) < len(field.validators)

    def check(value):
        if value is None:
            if allow_none:
                return None
            raise _Doubt
        out = base(value)
        if bounded:
            size = len(out)
            if size < low or (high is not None and size > high) or (equal and equal != {size}):
                raise _Doubt
        for validator in others:
            if validator(out) is False:
                raise _Doubt
        return out

    return check


def _string_check(field, transform):
    """The commonest field in one function: a string, transformed, within its length bounds and choices."""
    allow_none = field.allow_none
    low, high, equal, others = _bounds(field.validators)
    choices = [v for v in others if type(v) is validate.OneOf and all(type(c) is str for c in v.choices)]
    others = tuple(v for v in others if all(v is not c for c in choices))
    allowed = frozenset.intersection(*(frozenset(v.choices) for v in choices)) if choices else None
    high = float("inf") if high is None else high

    def check(value):
        if type(value) is str:
            out = transform(value) if transform else value
            size = len(out)
            if size < low or size > high or (equal and equal != {size}) or (allowed is not None and out not in allowed):
                raise _Doubt
            for validator in others:
                if validator(out) is False:
                    raise _Doubt
            return out
        if value is None and allow_none:
            return None
        raise _Doubt

    return check


def _bounds(validators):
    """Length bounds (checked inline: the commonest validator) and the other validators (called)."""
    lengths = [(v.min or 0, v.max, v.equal) for v in validators if type(v) is validate.Length]
    low = max([lo for lo, _, _ in lengths], default=0)
    high = min([hi for _, hi, _ in lengths if hi is not None], default=None)
    equal = {eq for _, _, eq in lengths if eq is not None}
    return low, high, equal, tuple(v for v in validators if type(v) is not validate.Length)
