"""docs/operations.md documents every configuration key, in its one table."""
import os
import re

from portal import config

DOC = os.path.join(os.path.dirname(os.path.dirname(__file__)), "docs", "operations.md")


def documented():
    with open(DOC, encoding="utf-8") as source:
        return set(re.findall(r"^\| `PORTAL_([A-Z0-9_]+)` \|", source.read(), re.M))


def test_every_configuration_key_has_a_row():
    keys = {name for name in vars(config) if name.isupper()}
    missing = sorted(keys - documented())
    assert not missing, "add a row to the table of docs/operations.md for: " + ", ".join(
        f"PORTAL_{key}" for key in missing)


def test_rows_name_no_key_that_does_not_exist():
    extra = {"INSTANCE", "SQLALCHEMY_DATABASE_URI", "RATELIMIT_ENABLED"}  # read outside config.py
    stale = sorted(documented() - {name for name in vars(config) if name.isupper()} - extra)
    assert not stale, "rows for keys portal/config.py no longer has: " + ", ".join(stale)
