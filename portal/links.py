"""Absolute links into this portal, for mail, calendar feeds and the CLI."""
from flask import current_app


def external_url(endpoint, **values):
    """An absolute link from BASE_URL, built without a request (mail goes out from the CLI and
    from sync) and never from a request's Host header."""
    path = current_app.url_map.bind("localhost").build(endpoint, values)
    return current_app.config["BASE_URL"].rstrip("/") + path
