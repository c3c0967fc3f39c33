"""Who may change what in the directory, and the lookups that enforce it in views.

Members change their own organisation and its listings; administrators any local one;
records of other clusters (replicas) are read-only for everyone.
"""
from flask import abort
from flask_login import current_user

from portal.directory.models import Listing, Organisation
from portal.extensions import db


def _active(user):
    return bool(user and user.is_authenticated and user.can_publish)


def can_edit_organisation(organisation, user=None):
    user = user or current_user
    return (organisation.is_local and _active(user)
            and (user.is_admin or user.organisation_uid == organisation.uid))


def can_edit_listing(listing, user=None):
    user = user or current_user
    return (listing.is_local and _active(user)
            and (user.is_admin or user.organisation_uid == listing.organisation_uid))


def can_create_listing_for(organisation, user=None):
    """Its editors, once it is published: one awaiting its member's approval has no listings yet."""
    return not organisation.pending and can_edit_organisation(organisation, user)


def _may_see_pending(organisation, user=None):
    """An organisation awaiting its member's approval: theirs and the administrators' only."""
    user = user or current_user
    return bool(user and user.is_authenticated and (user.is_admin or user.organisation_uid == organisation.uid))


def get_organisation_or_404(uid, editable=False):
    organisation = db.session.get(Organisation, uid)
    if organisation is None or organisation.pending and not _may_see_pending(organisation):
        abort(404)
    if editable and not can_edit_organisation(organisation):
        abort(403)
    return organisation


def get_listing_or_404(uid, editable=False):
    listing = db.session.get(Listing, uid)
    if listing is None:
        abort(404)
    if editable and not can_edit_listing(listing):
        abort(403)
    return listing
