"""Sending what is due: invitations when a stage opens, one reminder a week later.

`due_mailings(now)` lists the work; `send(mailing, now)` queues one message in the outbox
and marks the invitation, in the caller's transaction. The dedupe keys
(`survey:<event>:<stage>:<registration>`, `survey-reminder:...`) make a repeat harmless, so
a batch cut short by a crash is simply run again.
"""
from collections import namedtuple
from datetime import timedelta

from flask import current_app, render_template
from flask_babel import gettext as _
from sqlalchemy import select

from portal.events.models import Event
from portal.extensions import db
from portal.i18n import in_language_of
from portal.links import external_url
from portal.mail.services import queue_mail
from portal.surveys import queries, tokens
from portal.surveys.models import SurveyInvite
from portal.surveys.schedule import reminder_due, stage_states

#: kind: invitation or reminder; `invite` is None before the first invitation.
Mailing = namedtuple("Mailing", "kind event stage participant invite")


def settings():
    config = current_app.config
    return config["SURVEY_SEND_WINDOW_DAYS"], config["SURVEY_REMINDER_DAYS"], config["SURVEY_LINK_DAYS"]


def candidate_events(now):
    """Ended, not cancelled events recent enough for a stage to be open or a reminder due."""
    window, _reminder, link = settings()
    oldest = now - timedelta(days=6 * 31 + window + link)
    return db.session.scalars(select(Event).where(
        Event.status != "cancelled", Event.ends_at <= now, Event.ends_at >= oldest)
        .order_by(Event.ends_at, Event.uid)).all()


def due_mailings(now):
    """Every invitation and reminder due at `now`, event by event, stage by stage."""
    window, reminder, link = settings()
    found = []
    for event in candidate_events(now):
        people = None
        for stage, state in stage_states(event.ends_at, now, window, event.zone).items():
            if state == "upcoming":
                continue
            if people is None:
                people = queries.participants(event.uid)
                skip = queries.opted_out(p.person.uid for p in people)
            sent = queries.invites(event.uid, stage)
            for participant in people:
                if participant.person.uid in skip:
                    continue
                invite = sent.get(participant.registration.uid)
                if invite is None or invite.sent_at is None:
                    if state == "open":
                        found.append(Mailing("invitation", event, stage, participant, invite))
                elif (invite.answered_at is None and invite.reminded_at is None
                      and reminder_due(invite.sent_at, now, reminder, link)):
                    found.append(Mailing("reminder", event, stage, participant, invite))
    return found


def dedupe_key(mailing):
    prefix = "survey" if mailing.kind == "invitation" else "survey-reminder"
    return f"{prefix}:{mailing.event.uid}:{mailing.stage}:{mailing.participant.registration.uid}"


def send(mailing, now):
    """Queue one message and mark the invitation (flushes; the caller commits)."""
    invite = mailing.invite
    if invite is None:
        registration = mailing.participant.registration
        invite = SurveyInvite(event_uid=mailing.event.uid, stage=mailing.stage,
                              registration_uid=registration.uid, person_uid=registration.person_uid)
        db.session.add(invite)
    with in_language_of(mailing.participant.user):
        subject, body = message(mailing)
    queue_mail(mailing.participant.user.email, subject, body, dedupe_key=dedupe_key(mailing))
    if mailing.kind == "invitation":
        invite.sent_at = now
    else:
        invite.reminded_at = now
    db.session.flush()
    return invite


def survey_link(event_uid, stage, registration_uid):
    token = tokens.survey_token(event_uid, stage, registration_uid)
    return external_url("surveys.answer", event_uid=event_uid, stage=stage, token=token)


def opt_out_link(person_uid):
    return external_url("surveys.opt_out", token=tokens.opt_out_token(person_uid))


def default_texts(stage, b2b=True):
    """(subject, body) when the organisers wrote none; {name} and {event} are filled in.

    `b2b`: the event had B2B meetings (the post-event text asks about them only then).
    """
    if stage == "post_event" and b2b:
        return (_("Two minutes about {event}?"),
                _("Hello {name},\n\nThank you for taking part in {event}. Tell us in two minutes how it "
                  "went for you and what your meetings led to: it helps us make the next one better."))
    if stage == "post_event":
        return (_("Two minutes about {event}?"),
                _("Hello {name},\n\nThank you for taking part in {event}. Tell us in two minutes how it "
                  "went for you: it helps us make the next one better."))
    return (_("Six months after {event}: what came of it?"),
            _("Hello {name},\n\nSix months have passed since {event}. Did your contacts lead to "
              "something? Two minutes of your time tell us what these events are worth."))


def fill(text, person, event):
    """Organisers' text with {name} and {event} replaced (plain replacement: no format strings).

    constants.PLACEHOLDERS lists them: the settings form refuses any other `{...}`.
    """
    return text.replace("{name}", person.display_name).replace("{event}", event.title)


def message(mailing, links=None):
    """(subject, body) of an invitation or reminder, in the current language (`send` picks the recipient's).

    `links`: (survey link, opt-out link) to write instead of the participant's own (a preview's).
    """
    event, person = mailing.event, mailing.participant.person
    settings_row = queries.config(event.uid, mailing.stage)
    subject, body = default_texts(mailing.stage, bool(event.b2b_enabled))
    if settings_row is not None:
        subject, body = settings_row.subject or subject, settings_row.body or body
    subject = fill(subject, person, event)
    if mailing.kind == "reminder":
        subject = _("Reminder: %(subject)s", subject=subject)
    link, opt_out = links or (survey_link(event.uid, mailing.stage, mailing.participant.registration.uid),
                              opt_out_link(person.uid))
    text = render_template("surveys/mail/invitation.txt", body=fill(body, person, event),
                           reminder=mailing.kind == "reminder", link=link,
                           opt_out=opt_out, days=current_app.config["SURVEY_LINK_DAYS"],
                           portal=current_app.config["CLUSTER_NAME"])
    return subject, text


def run_due(now, limit=None):
    """Send everything due, committing after each message; returns counts by kind.

    It commits (like the outbox's deliver_due): call it from the CLI or a worker. A run cut
    short sends, when run again, only what the first run did not commit.
    """
    counts = {"invitation": 0, "reminder": 0}
    for mailing in due_mailings(now)[:limit]:
        send(mailing, now)
        db.session.commit()
        counts[mailing.kind] += 1
    return counts
