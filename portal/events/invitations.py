"""Co-promotion: each host invites its own members, by segment, through the mail outbox."""
from flask import current_app, render_template
from flask_babel import gettext as _
from sqlalchemy import select

from portal.accounts.models import User
from portal.directory.models import Organisation, Person
from portal.events.local_models import EventInvitation
from portal.events.registration_models import Registration
from portal.extensions import db
from portal.federation.records import local_cluster
from portal.i18n import in_language_of
from portal.links import external_url
from portal.mail.services import queue_mail
from portal.text import sort_key


def recipients(event, sectors=(), kinds=(), past_participants=False):
    """Active local members in the segment: their organisation in one of `sectors` and of one of
    `kinds`, and a past participant if `past_participants`; a criterion left empty holds everyone.

    The organisers (administrators) send the invitations: they are not in a segment.
    """
    rows = db.session.execute(
        select(User, Person, Organisation).join(Person, Person.uid == User.person_uid)
        .outerjoin(Organisation, Organisation.uid == Person.organisation_uid)
        .where(User.status == "active", User.role != "admin", Person.origin == local_cluster())
        .order_by(Person.display_name)).all()
    past = set()
    if past_participants:
        past = set(db.session.scalars(select(Registration.person_uid).where(
            Registration.event_uid != event.uid, Registration.origin == local_cluster())))
    chosen = []
    for user, person, org in rows:
        by_sector = not sectors or (org is not None and bool(set(sectors) & set(org.sectors or [])))
        by_kind = not kinds or (org is not None and org.kind in kinds)
        if by_sector and by_kind and (not past_participants or person.uid in past):
            chosen.append((user, person))
    return sorted(chosen, key=lambda pair: sort_key(pair[1].display_name))  # as people order names


def describe(sectors, kinds, past_participants):
    parts = list(sectors) + list(kinds) + (["past participants"] if past_participants else [])
    return ", ".join(parts) or "all members"


def message(event, person, note=""):
    """(subject, body) of an invitation, in the current language (the sender wraps it in the recipient's)."""
    subject = _("Invitation: %(title)s", title=event.title)
    body = render_template("events/mail/invitation.txt", event=event, person=person, note=note,
                           link=external_url("events.show", uid=event.uid),
                           portal=current_app.config["CLUSTER_NAME"])
    return subject, body


def already_invited(event):
    return set(db.session.scalars(select(EventInvitation.person_uid).where(EventInvitation.event_uid == event.uid)))


def already_registered(event):
    """Our members registered for the event (not cancelled): an invitation would be noise."""
    return set(db.session.scalars(select(Registration.person_uid).where(
        Registration.event_uid == event.uid, Registration.origin == local_cluster(),
        Registration.status == "registered")))


def to_invite(event, chosen):
    """The members of `chosen` neither invited yet nor registered."""
    skipped = already_invited(event) | already_registered(event)
    return [(user, person) for user, person in chosen if person.uid not in skipped]


def send_invitations(event, chosen, segment, note=""):
    """Queue one e-mail per member neither invited yet nor registered (the dedupe key makes a
    repeat harmless)."""
    sent = 0
    for user, person in to_invite(event, chosen):
        with in_language_of(user):
            subject, body = message(event, person, note)
        queue_mail(user.email, subject, body, dedupe_key=f"invite:{event.uid}:{person.uid}")
        db.session.add(EventInvitation(event_uid=event.uid, person_uid=person.uid, segment=segment[:300]))
        sent += 1
    db.session.flush()
    return sent


def invitation_results(event):
    """How many members we invited, and how many of them registered (here, for this event)."""
    invited, registered = already_invited(event), already_registered(event)
    return {"invited": len(invited), "registered": len(invited & registered),
            "registered_without_invitation": len(registered - invited)}
