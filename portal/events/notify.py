"""Mail about events to this portal's members and administrators.

To a member when the lead decides on their registration, when they cancel it, when the event
moves or is cancelled, when the organisers answer their pitch, or when an item they speak in is
cancelled or moved; to our administrators when a lead makes us a co-host.

Only the home portal writes to its members: a decision about a co-host's member, or the
cancellation of a co-hosted event, is mailed by that member's portal when it reaches it.
"""
import hashlib
from email.utils import parseaddr

from flask import current_app, render_template
from flask_babel import gettext as _
from sqlalchemy import func, select

from portal.accounts.models import User
from portal.accounts.queries import active_admins
from portal.directory.queries import cluster_names
from portal.events.formatting import dated_span
from portal.events.models import Event
from portal.events.moves import Times
from portal.events.published import event_calendar
from portal.events.registration_models import Registration, RegistrationDecision
from portal.extensions import db
from portal.federation.records import local_cluster
from portal.i18n import in_language_of
from portal.links import external_url
from portal.mail.models import OutboxMessage
from portal.mail.services import queue_mail


def subject_for(status, title):
    if status == "confirmed":
        return _("Your place at %(title)s is confirmed", title=title)
    if status == "waitlisted":
        return _("You are on the waiting list for %(title)s", title=title)
    return _("Your registration for %(title)s was not accepted", title=title)


def _name(user):
    """How a mail greets the member: their name when their profile has one."""
    return getattr(user.person, "display_name", "") or ""


def _active_account(session, person_uid):
    """The active account here of a person (None: none, or not one of our members)."""
    if not person_uid:
        return None
    return session.scalars(select(User).where(User.person_uid == person_uid, User.status == "active")).first()


def active_accounts(session, person_uids):
    """{person uid: active account here} of those people who have one, in one query."""
    uids = {uid for uid in person_uids if uid}
    if not uids:
        return {}
    return {user.person_uid: user for user in session.scalars(
        select(User).where(User.person_uid.in_(uids), User.status == "active"))}


def _addressee(session, registration):
    """(account, event) of a registration of one of our members with an active account, or None."""
    if registration is None or not registration.is_local:
        return None
    user = _active_account(session, registration.person_uid)
    event = session.get(Event, registration.event_uid)
    return (user, event) if user is not None and event is not None else None


def tell_decision(session, decision):
    """Queue one mail per decision and status (the dedupe key makes a repeat harmless)."""
    registration = session.get(Registration, decision.registration_uid)
    found = _addressee(session, registration) if registration is not None and registration.active else None
    if found is None:
        return None
    user, event = found
    confirmed = decision.status == "confirmed"
    # A place refused after it was confirmed: the confirmation's event.ics is in their calendar.
    withdrawn = decision.status == "refused" and session.scalar(select(OutboxMessage.id).where(
        OutboxMessage.dedupe_key == f"event-decision:{decision.uid}:confirmed")) is not None
    with in_language_of(user):
        body = render_template("events/mail/decision.txt", event=event, decision=decision, name=_name(user),
                               registration=registration, attached=confirmed, withdrawn=withdrawn,
                               link=external_url("events.show", uid=event.uid),
                               portal=current_app.config["CLUSTER_NAME"])
        subject = subject_for(decision.status, event.title)
    calendar = calendar_of(event, user.email, withdrawn=withdrawn) if confirmed or withdrawn else None
    return queue_mail(user.email, subject, body, dedupe_key=f"event-decision:{decision.uid}:{decision.status}",
                      calendar=calendar)


def calendar_of(event, to=None, withdrawn=False):
    """The event's page's .ics, to attach to a mail to `to`: its UID is the feed's, so a calendar
    that has it already updates that entry instead of adding a second (with `withdrawn`, marks
    it cancelled).

    Its SEQUENCE is the event's version plus the files of the event we mailed `to` already, so
    that each one outranks the one before, which a calendar would otherwise keep: a place
    confirmed again after a cancellation, at the same version, is no lower than the cancellation.
    """
    from portal.events.queries import hosts_of  # queries imports registrations, which imports this module

    earlier = 0 if to is None else db.session.scalar(select(func.count(OutboxMessage.id)).where(
        OutboxMessage.to == to, OutboxMessage.calendar.contains(f"UID:{event.uid}@", autoescape=True)))
    sender = (current_app.config["CLUSTER_NAME"], parseaddr(current_app.config["MAIL_FROM"])[1])
    return event_calendar(event, event.items, external_url("events.show", uid=event.uid), hosts_of(event),
                          method="PUBLISH", withdrawn=withdrawn, sequence=(event.version or 0) + earlier,
                          organizer=sender).decode("utf-8")


def tell_registration_cancelled(session, registration):
    """Confirm to a member that their registration is cancelled, as they asked, naming the B2B
    meetings that go with it (called before they are cancelled: their own mails are then spared)."""
    found = _addressee(session, registration)
    if found is None:
        return None
    user, event = found
    # A confirmed place had the event attached to add to a calendar: that entry is marked cancelled.
    confirmed = registration.decision is not None and registration.decision.status == "confirmed"
    with in_language_of(user):
        subject = _("Your registration for %(title)s is cancelled", title=event.title)
        body = render_template("events/mail/registration_cancelled.txt", event=event, name=_name(user),
                               meetings=coming_meetings(registration.person_uid, event), attached=confirmed,
                               link=external_url("events.show", uid=event.uid),
                               portal=current_app.config["CLUSTER_NAME"])
    return queue_mail(user.email, subject, body,
                      dedupe_key=f"registration-cancelled:{registration.uid}:{registration.version}",
                      calendar=calendar_of(event, user.email, withdrawn=True) if confirmed else None)


def tell_moved(event, registration, before, user):
    """Tell a member of ours (`user`: the registrant's active account, from `active_accounts`;
    None, no mail) that the event they registered for has a new date, times or place, saying what
    each was (`before`, the event's `moves.Times`), with their B2B availability as it now reads
    (fitted to the moved block). One mail for all that changed at once."""
    if user is None or not registration.is_local:
        return None
    now = Times.of(event)
    when_changed, place_changed = now.when != before.when, now.place != before.place
    # A confirmed place had the event attached: the new one replaces it (the same UID).
    confirmed = registration.decision is not None and registration.decision.status == "confirmed"
    with in_language_of(user):
        body = render_template("events/mail/moved.txt", event=event, registration=registration, name=_name(user),
                               before=before, when_changed=when_changed, place_changed=place_changed,
                               attached=confirmed, link=external_url("events.show", uid=event.uid),
                               portal=current_app.config["CLUSTER_NAME"])
        subject = moved_subject(when_changed, place_changed, event.title)
    stamp = ":".join(moment.strftime("%Y%m%dT%H%M") if moment else "-" for moment in (
        event.starts_at, event.ends_at, event.b2b_starts_at, event.b2b_ends_at))
    place = hashlib.sha256("\n".join(now.place).encode()).hexdigest()[:12]
    return queue_mail(user.email, subject, body, dedupe_key=f"event-moved:{registration.uid}:{stamp}:{place}",
                      calendar=calendar_of(event, user.email) if confirmed else None)


def moved_subject(when_changed, place_changed, title):
    if place_changed and when_changed:
        return _("New date or times and new place: %(title)s", title=title)
    if place_changed:
        return _("New place: %(title)s", title=title)
    return _("New date or times: %(title)s", title=title)


def tell_pitch_decision(session, event, proposal, item=None):
    """Mail a member of ours the organisers' answer to their pitch proposal, with their message
    and, once accepted, the pitch's place in the agenda (`item`)."""
    user = _active_account(session, proposal.person_uid)
    if user is None:
        return None
    accepted = proposal.status == "accepted"
    with in_language_of(user):
        listing = proposal.listing.title if proposal.listing is not None else _("(listing withdrawn)")
        when = dated_span(item.starts_at, item.ends_at, event.timezone) if item is not None else ""
        body = render_template("events/mail/pitch_decision.txt", event=event, proposal=proposal, name=_name(user),
                               listing=listing, when=when, link=external_url("events.propose", uid=event.uid),
                               portal=current_app.config["CLUSTER_NAME"])
        subject = (_("Your pitch at %(title)s is accepted", title=event.title) if accepted
                   else _("Your pitch at %(title)s was not accepted", title=event.title))
    key = f"pitch-decision:{proposal.id}:{proposal.status}:{proposal.answered_at.strftime('%Y%m%dT%H%M%S')}"
    return queue_mail(user.email, subject, body, dedupe_key=key)


def tell_speakers(session, item, before, accounts=None):
    """Mail our members who speak in an agenda item of a published event that it is cancelled,
    back, or at new times (`before`: its `slot` until now). One mail per change: the key names
    the item's version. `accounts`: what `active_accounts` returns for its speakers, when the
    caller tells those of many items."""
    if before is None or before == item.slot or before[2] == item.status == "cancelled":
        return []
    event = session.get(Event, item.event_uid)
    # A draft's changes are news to nobody; the event's cancellation has its own mail.
    if event is None or event.draft or event.cancelled:
        return []
    speakers = item.speaker_person_uids or []
    if accounts is None:
        accounts = active_accounts(session, speakers)
    messages = []
    for person_uid in speakers:
        user = accounts.get(person_uid)
        if user is None:
            continue
        with in_language_of(user):
            was, now = (_("Cancelled") if status == "cancelled" else dated_span(start, end, event.timezone)
                        for start, end, status in (before, item.slot))
            body = render_template("events/mail/item_changed.txt", event=event, item=item, name=_name(user),
                                   was=was, now=now, link=external_url("events.agenda", uid=event.uid),
                                   portal=current_app.config["CLUSTER_NAME"])
            subject = _("Programme change at %(title)s: %(item)s", title=event.title, item=item.title)
        messages.append(queue_mail(user.email, subject, body,
                                   dedupe_key=f"agenda-item:{item.uid}:{item.version}:{user.id}"))
    return messages


def tell_co_hosting(session, event):
    """Tell our active administrators that the lead of a published event, coming, made this
    cluster one of its co-hosts; once per event, whatever its hosts do next."""
    if event.draft or event.cancelled or event.over:
        return []
    return _tell_admins(event, "co-host", lambda lead: _(
        "%(lead)s added %(cluster)s as co-host of %(title)s", lead=lead,
        cluster=current_app.config["CLUSTER_NAME"], title=event.title))


def tell_co_host_cancelled(session, event):
    """Tell our active administrators that the lead cancelled a coming event this cluster
    co-hosts: they heard it was co-hosted (`tell_co_hosting`), and may have promoted it; once per
    event. Our registered members are told by `tell_cancellation`."""
    if not event.cancelled or event.over:
        return []
    return _tell_admins(event, "co-host-cancelled", lambda lead: _(
        "%(lead)s cancelled %(title)s, which %(cluster)s co-hosts", lead=lead, title=event.title,
        cluster=current_app.config["CLUSTER_NAME"]))


def _tell_admins(event, key, headline_of):
    """A mail about `event` to each of our active administrators, in their language: the headline
    (`headline_of(the lead's name)`), when and where, and the event's page; once per `key`."""
    lead = cluster_names().get(event.origin, event.origin)
    messages = []
    for admin in active_admins():
        with in_language_of(admin):
            headline = headline_of(lead)
            body = render_template("events/mail/co_hosting.txt", event=event, name=_name(admin), headline=headline,
                                   link=external_url("event_admin.dashboard", uid=event.uid),
                                   portal=current_app.config["CLUSTER_NAME"])
        messages.append(queue_mail(admin.email, headline, body, dedupe_key=f"{key}:{event.uid}:{admin.id}"))
    return messages


def coming_meetings(person_uid, event, scheduled=None):
    """(dated time, other person's name, table) of a person's scheduled meetings at the event: the
    cancellation mail names them (on the lead before they are cancelled with the event, on a
    co-host before the lead's cancelled meetings arrive, since the event record comes first).
    `scheduled`: what `scheduled_meetings` returns, when the caller mails many people."""
    from portal.meetings.times import event_time

    meetings, people = scheduled or scheduled_meetings(event, [person_uid])
    mine = [m for m in meetings if person_uid in (m.person_uids or [])]
    return [(event_time(m.starts_at, event),  # dated: an event may last several days
             getattr(people.get(m.other_person_uid(person_uid)), "display_name", _("a participant")), m.table)
            for m in mine]


def scheduled_meetings(event, person_uids):
    """(the scheduled meetings at the event of these people, in time order; {uid: Person} of
    everyone in them), in two queries."""
    from portal.meetings import queries

    uids = set(person_uids)
    meetings = [m for m in queries.event_meetings(event.uid)
                if m.status == "scheduled" and uids.intersection(m.person_uids or [])]
    return meetings, queries.people(uid for m in meetings for uid in m.person_uids or [])


def ours_standing(statement, event):
    """`statement` (which selects from Registration) narrowed to our members' registrations for
    the event still standing and not refused: confirmed, waitlisted, or (on a co-host) still
    awaiting the lead's decision. Who hears of the event's cancellation or move."""
    return statement.outerjoin(RegistrationDecision, RegistrationDecision.registration_uid == Registration.uid).where(
        Registration.event_uid == event.uid, Registration.origin == local_cluster(),
        Registration.status == "registered", RegistrationDecision.status.is_distinct_from("refused"))


def tell_cancellation(session, event):
    """Queue a mail to each of this portal's members still registered for the cancelled event
    and not refused (`ours_standing`). A confirmed place had the event attached to add to a
    calendar: the cancelled event goes with it (the same UID), to mark that entry cancelled."""
    if not event.cancelled:
        return []
    rows = session.execute(ours_standing(select(User, RegistrationDecision.status).join(
        Registration, Registration.person_uid == User.person_uid), event).where(User.status == "active")).all()
    scheduled = scheduled_meetings(event, [user.person_uid for user, _status in rows])
    messages = []
    for user, status in rows:
        confirmed = status == "confirmed"
        with in_language_of(user):
            body = render_template("events/mail/cancelled.txt", event=event, name=_name(user),
                                   meetings=coming_meetings(user.person_uid, event, scheduled), attached=confirmed,
                                   link=external_url("events.show", uid=event.uid),
                                   portal=current_app.config["CLUSTER_NAME"])
            subject = _("Cancelled: %(title)s", title=event.title)
        messages.append(queue_mail(user.email, subject, body, dedupe_key=f"event-cancelled:{event.uid}:{user.id}",
                                   calendar=calendar_of(event, user.email) if confirmed else None))
    return messages
