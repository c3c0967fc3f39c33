"""The mail that tells a listing's people, a fortnight ahead, that it is about to leave the directory.

`due_reminders(now)` lists the work: our open listings whose `valid_until` falls within
LISTING_REMINDER_DAYS of `now`'s day (not past it: an expired listing has left already), each
to its contact person when they have an active account in the listing's organisation, else to
that organisation's members with an active account. Partner clusters' listings are theirs to
remind. `send` queues one mail per recipient under the key
`listings:<listing>:reminder:<valid_until>:<user>`; a listing already reminded of that date gets
nothing more, whoever it went to, while one renewed (a new `valid_until`) is reminded again
when its new date comes near.
"""
from collections import namedtuple
from datetime import timedelta
from itertools import groupby

from flask import current_app, render_template
from flask_babel import gettext as _
from sqlalchemy import or_, select

from portal.accounts.models import User
from portal.directory.models import Listing, Organisation, Person
from portal.extensions import db
from portal.federation.records import local_cluster
from portal.i18n import format_day, in_language_of
from portal.links import external_url, site_path
from portal.mail.models import OutboxMessage
from portal.mail.services import queue_mail

Reminder = namedtuple("Reminder", "listing person user as_contact")


def key_prefix(listing):
    """What every reminder of this listing's present end date is keyed under."""
    return f"listings:{listing.uid}:reminder:{listing.valid_until.isoformat()}:"


def dedupe_key(listing, user):
    return f"{key_prefix(listing)}{user.id}"


def due_listings(now):
    """Our open listings leaving the directory within LISTING_REMINDER_DAYS of `now`, soonest first."""
    today = now.date()
    soon = today + timedelta(days=current_app.config["LISTING_REMINDER_DAYS"])
    return db.session.scalars(
        select(Listing).join(Organisation, Organisation.uid == Listing.organisation_uid)
        .where(Listing.origin == local_cluster(), Listing.status == "open",
               Listing.valid_until >= today, Listing.valid_until <= soon, Organisation.pending.is_(False))
        .order_by(Listing.valid_until, Listing.title, Listing.uid)).all()


def _reminded(listings):
    """The listings among `listings` already reminded of their present end date."""
    reminded = set()
    for start in range(0, len(listings), 100):  # a bounded expression, for SQLite's
        chunk = listings[start:start + 100]
        keys = db.session.scalars(select(OutboxMessage.dedupe_key).where(
            or_(*(OutboxMessage.dedupe_key.like(f"{key_prefix(listing)}%") for listing in chunk))))
        reminded.update(key.rsplit(":", 1)[0] + ":" for key in keys)
    return {listing.uid for listing in listings if key_prefix(listing) in reminded}


def _members(organisation_uids):
    """(person, user) of each organisation's people with an active account, by organisation."""
    rows = db.session.execute(
        select(Person, User).join(User, User.person_uid == Person.uid)
        .where(Person.organisation_uid.in_(organisation_uids), User.status == "active")
        .order_by(Person.display_name, User.id)).all()
    members = {}
    for person, user in rows:
        members.setdefault(person.organisation_uid, []).append((person, user))
    return members


def due_reminders(now):
    """The reminders to send at `now` and not sent yet, listing by listing (soonest end first)."""
    listings = due_listings(now)
    done = _reminded(listings)
    listings = [listing for listing in listings if listing.uid not in done]
    members = _members({listing.organisation_uid for listing in listings})
    due = []
    for listing in listings:
        people = members.get(listing.organisation_uid, [])
        contact = [(person, user) for person, user in people if person.uid == listing.person_uid]
        due.extend(Reminder(listing, person, user, bool(contact)) for person, user in (contact or people))
    return due


def send(reminder):
    """Queue one reminder in the recipient's language (flushes; the caller commits)."""
    listing, person, user, as_contact = reminder
    with in_language_of(user):
        day = format_day(listing.valid_until, "long")
        subject = _("Your listing “%(title)s” leaves the directory after %(date)s", title=listing.title, date=day)
        body = render_template(
            "directory/mail/expiry_reminder.txt", listing=listing, name=person.display_name, date=day,
            as_contact=as_contact, organisation=listing.organisation.name if listing.organisation else "",
            days=current_app.config["LISTING_RENEW_DAYS"],
            # Its page offers to renew it to its editors only: through the log-in, which a member
            # already logged in goes straight through.
            link=external_url("accounts.login", next=site_path("directory.listing", uid=listing.uid)),
            edit=external_url("directory.edit_listing", uid=listing.uid),
            portal=current_app.config["CLUSTER_NAME"])
    return queue_mail(user.email, subject, body, dedupe_key=dedupe_key(listing, user))


def run_due(now):
    """Send every reminder due, committing after each listing's; returns how many were queued.

    It commits: call it from the CLI. A run cut short sends, when run again, only the rest.
    """
    count = 0
    for _listing, reminders in groupby(due_reminders(now), key=lambda r: r.listing.uid):
        for reminder in reminders:
            send(reminder)
            count += 1
        db.session.commit()
    return count
