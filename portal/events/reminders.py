"""The reminder a member gets a few days before an event they have a confirmed place at.

`due_reminders(now)` lists the work: our members (only the home portal writes to them) whose
registration the lead confirmed, for published events (not cancelled) that start within
EVENT_REMINDER_DAYS of `now` and have not started. `send` queues one reminder under the key
`events:<event>:reminder:<registration>`, so that each registration gets one: a second run
queues nothing, and a place confirmed after the window opened gets its reminder at the next
run, until the event starts.
"""
from collections import namedtuple
from datetime import timedelta
from itertools import groupby

from flask import current_app, render_template
from flask_babel import gettext as _
from sqlalchemy import func, select

from portal.accounts.models import User
from portal.directory.models import Person
from portal.events.formatting import day
from portal.events.models import Event
from portal.events.notify import coming_meetings, scheduled_meetings
from portal.events.registration_models import Registration, RegistrationDecision
from portal.extensions import db
from portal.federation.records import local_cluster
from portal.i18n import in_language_of
from portal.links import external_url
from portal.mail.models import OutboxMessage
from portal.mail.services import queue_mail

Reminder = namedtuple("Reminder", "event registration person user")


def dedupe_key(event, registration):
    return f"events:{event.uid}:reminder:{registration.uid}"


def sent_count(event):
    """How many of our members this portal has queued the event's reminder for (the overview says so)."""
    return db.session.scalar(select(func.count()).select_from(OutboxMessage).where(
        OutboxMessage.dedupe_key.like(f"events:{event.uid}:reminder:%")))


def due_reminders(now):
    """The reminders to send at `now` and not sent yet, event by event (soonest first)."""
    soon = now + timedelta(days=current_app.config["EVENT_REMINDER_DAYS"])
    rows = db.session.execute(
        select(Event, Registration, Person, User)
        .join(Registration, Registration.event_uid == Event.uid)
        .join(RegistrationDecision, RegistrationDecision.registration_uid == Registration.uid)
        .join(User, User.person_uid == Registration.person_uid)
        .join(Person, Person.uid == Registration.person_uid)
        .where(Event.status == "scheduled", Event.starts_at > now, Event.starts_at <= soon,
               Registration.origin == local_cluster(), Registration.status == "registered",
               RegistrationDecision.status == "confirmed", User.status == "active")
        .order_by(Event.starts_at, Event.uid, Person.display_name, Registration.uid)).all()
    due = [Reminder(*row) for row in rows]
    sent = set(db.session.scalars(select(OutboxMessage.dedupe_key).where(
        OutboxMessage.dedupe_key.in_([dedupe_key(r.event, r.registration) for r in due]))))
    return [r for r in due if dedupe_key(r.event, r.registration) not in sent]


def send(reminder, scheduled=None):
    """Queue one reminder in the member's language (flushes; the caller commits). `scheduled`:
    what `notify.scheduled_meetings` returns for the event, when the caller reminds many people."""
    event, registration, person, user = reminder
    b2b = event.b2b_enabled and registration.b2b
    with in_language_of(user):
        subject = _("Reminder: %(title)s, %(day)s", title=event.title, day=day(event.starts_at, event.timezone))
        body = render_template(
            "events/mail/reminder.txt", event=event, name=person.display_name,
            meetings=coming_meetings(registration.person_uid, event, scheduled),
            link=external_url("events.show", uid=event.uid),
            schedule=external_url("meetings.schedule", event_uid=event.uid) if b2b else None,
            portal=current_app.config["CLUSTER_NAME"])
    return queue_mail(user.email, subject, body, dedupe_key=dedupe_key(event, registration))


def run_due(now):
    """Send every reminder due, committing after each event's; returns how many were queued.

    It commits: call it from the CLI. A run cut short sends, when run again, only the rest.
    """
    count = 0
    for event, reminders in groupby(due_reminders(now), key=lambda r: r.event):
        reminders = list(reminders)
        scheduled = scheduled_meetings(event, [r.registration.person_uid for r in reminders])
        for reminder in reminders:
            send(reminder, scheduled)
        db.session.commit()
        count += len(reminders)
    return count
