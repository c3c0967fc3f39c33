"""Organisers mail their own members registered for an event (access, parking, a change of room).

Only the home portal has a member's address (the protocol shares none), so each host writes
to its own registrants; another cluster's hear from theirs.
"""
import hashlib
from collections import namedtuple

from flask import current_app, render_template
from sqlalchemy import select

from portal.accounts.models import User
from portal.directory.models import Person
from portal.events.local_models import RegistrantMessage
from portal.events.notify import ours_standing
from portal.events.registration_models import Registration, RegistrationDecision
from portal.extensions import db
from portal.i18n import in_language_of
from portal.links import external_url
from portal.mail.models import OutboxMessage
from portal.mail.services import queue_mail
from portal.meetings.times import event_time
from portal.text import sort_key

SentMessage = namedtuple("SentMessage", "record sender when")


def recipients(event, with_waiting_list=False, b2b_only=False):
    """(user, person) of this portal's members with an active account registered for `event`:
    confirmed by the lead, or also on its waiting list (or, on a co-host, still awaiting its
    decision) with `with_waiting_list`; only those who chose the B2B meetings with `b2b_only`."""
    statement = ours_standing(select(User, Person).join(Person, Person.uid == User.person_uid)
                              .join(Registration, Registration.person_uid == Person.uid), event)
    statement = statement.where(User.status == "active")
    if not with_waiting_list:
        statement = statement.where(RegistrationDecision.status == "confirmed")
    if b2b_only:
        statement = statement.where(Registration.b2b.is_(True))
    found = db.session.execute(statement.order_by(User.id)).all()
    return sorted(found, key=lambda pair: sort_key(pair[1].display_name))  # as people order names


def dedupe_key(event, subject, text, person):
    """One mail per person for one text: a second submit (or a wider audience later) adds none.
    The person's uid is in it so that the mail goes when their record is erased."""
    digest = hashlib.sha256(f"{subject}\n{text}".encode()).hexdigest()[:24]
    return f"registrants:{event.uid}:{digest}:{person.uid}"


def compose(event, person, subject, text):
    """(subject, body) of the mail to `person`, its fixed parts in the current language (the
    sender wraps it in the recipient's). Plain text: the organiser's words go in as typed."""
    body = render_template("events/mail/registrants.txt", event=event, person=person, text=text,
                           link=external_url("events.show", uid=event.uid),
                           portal=current_app.config["CLUSTER_NAME"])
    return subject, body


def to_send(event, chosen, subject, text):
    """The members of `chosen` who have not had this very message yet."""
    keys = {dedupe_key(event, subject, text, person): (user, person) for user, person in chosen}
    if not keys:
        return []
    had = set(db.session.scalars(select(OutboxMessage.dedupe_key).where(OutboxMessage.dedupe_key.in_(keys))))
    return [pair for key, pair in keys.items() if key not in had]


def send_message(event, chosen, subject, text, with_waiting_list, b2b_only, by_user_id):
    """Queue the message to each member of `chosen` who has not had it, each in their language,
    and record it; returns how many mails were queued (none recorded when none was)."""
    pending = to_send(event, chosen, subject, text)
    for user, person in pending:
        with in_language_of(user):
            mail_subject, body = compose(event, person, subject, text)
        queue_mail(user.email, mail_subject, body, dedupe_key=dedupe_key(event, subject, text, person))
    if pending:
        db.session.add(RegistrantMessage(
            event_uid=event.uid, subject=subject, body=text, audience="waiting" if with_waiting_list else "confirmed",
            b2b_only=b2b_only, recipients=len(pending), sent_by_user_id=by_user_id))
    db.session.flush()
    return len(pending)


def sent_messages(event):
    """What this portal's organisers sent the event's registrants, the latest first, with the
    sender's name and the time in the event's zone."""
    records = db.session.scalars(select(RegistrantMessage).where(RegistrantMessage.event_uid == event.uid)
                                 .order_by(RegistrantMessage.sent_at.desc(), RegistrantMessage.id.desc())).all()
    ids = {r.sent_by_user_id for r in records if r.sent_by_user_id}
    users = db.session.scalars(select(User).where(User.id.in_(ids))).all() if ids else []
    names = {u.id: u.person.display_name if u.person else u.email for u in users}
    return [SentMessage(r, names.get(r.sent_by_user_id), event_time(r.sent_at, event)) for r in records]
