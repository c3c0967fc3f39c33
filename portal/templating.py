"""Template globals and named filters: formatting stays in Python, not in templates."""
from collections import namedtuple

from flask import request, url_for
from flask_babel import get_locale, lazy_gettext as _l
from flask_login import current_user

NavItem = namedtuple("NavItem", "label url current")

#: (label, endpoint, who sees it): anyone, member (logged in), admin.
NAV = (
    (_l("Directory"), "directory.search", "anyone"),
    (_l("Organisations"), "directory.organisations", "anyone"),
    (_l("My listings"), "directory.my_listings", "member"),
    (_l("Events"), "events.upcoming", "anyone"),
    (_l("B2B meetings"), "meetings.index", "member"),
    (_l("My account"), "accounts.profile", "member"),
    (_l("Administration"), "accounts.admin_members", "admin"),
    (_l("Event management"), "event_admin.index", "admin"),
    (_l("Impact"), "impact.overview", "admin"),
    (_l("Federation"), "peers.status", "admin"),
)

LISTING_KINDS = {"offer": _l("Offer"), "need": _l("Need")}


def nav_items():
    items = []
    for label, endpoint, audience in NAV:
        if audience == "member" and not current_user.is_authenticated:
            continue
        if audience == "admin" and not getattr(current_user, "is_admin", False):
            continue
        try:
            url = url_for(endpoint)
        except Exception:  # a feature not installed in this build: no link
            continue
        current = request.endpoint == endpoint if request else False
        items.append(NavItem(label, url, current))
    return items


def current_locale():
    return str(get_locale() or "en")


def register(app):
    app.jinja_env.globals.update(nav_items=nav_items, current_locale=current_locale)
    app.add_template_filter(lambda kind: LISTING_KINDS.get(kind, kind), "listing_kind_label")
