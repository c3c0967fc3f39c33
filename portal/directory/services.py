"""Directory writes: listings and organisations. Each operation flushes; the request commits.

The ledger hook (portal.federation.records) versions and publishes every change, and the
search index follows through its triggers: nothing here needs to remember either.
"""
from datetime import date, timedelta

from portal.directory.models import Listing, Organisation
from portal.extensions import db
from portal.federation.records import new_uid

LISTING_FIELDS = ("kind", "title", "summary", "description", "keywords", "sectors", "trl", "cooperation",
                  "ipr", "valid_until", "person_uid")
ORGANISATION_FIELDS = ("name", "kind", "country", "city", "website", "description", "sectors",
                       "special_guest")


def _assign(record, data, names):
    for name in names:
        if name in data:
            setattr(record, name, data[name])


def create_listing(organisation_uid, data, uid=None):
    listing = Listing(uid=uid or new_uid(), organisation_uid=organisation_uid, status="open")
    _assign(listing, data, LISTING_FIELDS)
    db.session.add(listing)
    db.session.flush()
    return listing


def update_listing(listing, data):
    _assign(listing, data, LISTING_FIELDS)
    db.session.flush()
    return listing


def close_listing(listing):
    listing.status = "closed"
    db.session.flush()


def reopen_listing(listing):
    listing.status = "open"
    db.session.flush()


def renew_listing(listing, days, today=None):
    """Valid for `days` more from today, and open again."""
    listing.valid_until = (today or date.today()) + timedelta(days=days)
    listing.status = "open"
    db.session.flush()


def delete_listing(listing):
    db.session.delete(listing)
    db.session.flush()


def create_organisation(data):
    organisation = Organisation()
    _assign(organisation, data, ORGANISATION_FIELDS)
    db.session.add(organisation)
    db.session.flush()
    return organisation


def update_organisation(organisation, data):
    _assign(organisation, data, ORGANISATION_FIELDS)
    db.session.flush()
    return organisation
