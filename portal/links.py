"""Links into this portal.

Absolute ones for mail, calendar feeds and the CLI, and the local paths that redirects may
follow.
"""
import re
from urllib.parse import urlsplit

from flask import current_app

#: Not a path of this site: no leading "/", a second "/" or a backslash after it ("//evil.example"),
#: or a backslash, control character or space anywhere (browsers drop some: "/<tab>/evil.example").
_NOT_A_LOCAL_PATH = re.compile(r"\A(?!/)|\A/[/\\]|[\\\x00-\x20\x7f]")


def local_path(target):
    """A path on this site (safe to redirect to): never another site's address."""
    return bool(target) and not _NOT_A_LOCAL_PATH.search(target) and not urlsplit(target).netloc


def external_url(endpoint, **values):
    """An absolute link from BASE_URL, built without a request (mail goes out from the CLI and
    from sync) and never from a request's Host header."""
    return current_app.config["BASE_URL"].rstrip("/") + site_path(endpoint, **values)


def site_path(endpoint, **values):
    """A page's path on this site, built without a request: the `next` of a mailed log-in link."""
    return current_app.url_map.bind("localhost").build(endpoint, values)
