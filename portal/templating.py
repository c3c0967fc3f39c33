"""Template globals and named filters: formatting stays in Python, not in templates."""
import hashlib
import os
from collections import namedtuple
from functools import lru_cache

from flask import current_app, request, url_for
from flask_babel import get_locale, gettext as _, lazy_gettext as _l

from portal.i18n import date_filter
from portal.links import external_url
from portal.security import admitted

NavItem = namedtuple("NavItem", "label url current")

#: (label, endpoint, menu): `main`, `me` (the member's own menu) or `admin`. A link shows to
#: whoever its view's `@access(...)` admits (a pending account: no B2B meetings); access is
#: still decided by each view's guard.
NAV = (
    (_l("Directory"), "directory.search", "main"),
    (_l("Organisations"), "directory.organisations", "main"),
    (_l("Events"), "events.upcoming", "main"),
    (_l("B2B meetings"), "meetings.index", "me"),
    (_l("My listings"), "directory.my_listings", "me"),
    (_l("My account"), "accounts.profile", "me"),
    (_l("Members"), "accounts.admin_members", "admin"),
    (_l("Event management"), "event_admin.index", "admin"),
    (_l("Impact"), "impact.overview", "admin"),
    (_l("Federation"), "peers.status", "admin"),
)


def nav_items(menu="main"):
    """The links of one menu that the current user may follow."""
    items = []
    for label, endpoint, item_menu in NAV:
        if item_menu != menu or not admitted(getattr(current_app.view_functions.get(endpoint), "access", None)):
            continue
        current = request.endpoint == endpoint if request else False
        items.append(NavItem(label, url_for(endpoint), current))
    return items


def current_locale():
    return str(get_locale() or "en")


def colon(label):
    """`label` followed by a colon as the language writes it ("Sectors:", "Secteurs :")."""
    return _("%(label)s:", label=label)


@lru_cache(maxsize=None)
def static_version(path):
    """The first hex digits of a static file's content hash ("" when there is no such file)."""
    try:
        with open(path, "rb") as source:
            return hashlib.sha256(source.read()).hexdigest()[:10]
    except OSError:
        return ""


def versioned_static(endpoint, values):
    """`url_for("static", ...)` adds `?v=<content hash>`: a proxy may then cache static files
    for long, and a new version of a file is a new URL (upgrades reach browsers at once)."""
    if endpoint == "static" and "filename" in values and "v" not in values:
        version = static_version(os.path.join(current_app.static_folder, values["filename"]))
        if version:
            values["v"] = version


def register(app):
    app.jinja_env.globals.update(nav_items=nav_items, current_locale=current_locale, external_url=external_url)
    app.add_template_filter(colon, "colon")
    app.add_template_filter(date_filter, "dateformat")  # in place of Flask-Babel's
    app.url_defaults(versioned_static)
