"""The call for pitches and the special guests' challenges (both local to this portal)."""
from datetime import timedelta

from flask import abort
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.events import agenda, services
from portal.events.local_models import EventChallenge, PitchProposal
from portal.events.models import Event
from portal.events.notify import tell_pitch_decision
from portal.extensions import db
from portal.federation.records import utcnow
from portal.forms import FieldRefusal

PITCH_MINUTES = 10


class PitchError(FieldRefusal):
    """A proposal refused, with the field it concerns."""


def pitchable(listing, event):
    """What a pitch may present: open, and valid on the event's day (the directory would hide it
    from the audience otherwise)."""
    return listing.status == "open" and (listing.valid_until is None
                                         or listing.valid_until >= event.starts_at.date())


def proposal_for(event, listing_uid):
    return db.session.scalars(select(PitchProposal).where(
        PitchProposal.event_uid == event.uid, PitchProposal.listing_uid == listing_uid)).first()


def propose_pitch(event, listing, person_uid, pitch=""):
    """A local member proposes their organisation's listing; proposing again updates it."""
    if not pitchable(listing, event):
        raise PitchError("listing_uid", _("This listing is closed, or expires before the event: reopen or renew "
                                          "it to pitch it."))
    proposal = proposal_for(event, listing.uid)
    if proposal is not None and proposal.status == "accepted":
        raise PitchError("listing_uid", _("The pitch of this listing is already accepted."))
    if proposal is None:
        proposal = PitchProposal(event_uid=event.uid, listing_uid=listing.uid)
        db.session.add(proposal)
    proposal.person_uid, proposal.pitch, proposal.status = person_uid, pitch, "proposed"
    proposal.answer, proposal.answered_at = "", None
    db.session.flush()
    return proposal


def get_my_proposal_or_404(event, proposal_id, listings):
    """A proposal at the event of one of `listings` (the member's organisation's)."""
    proposal = db.session.get(PitchProposal, proposal_id)
    mine = {item.uid for item in listings}
    if proposal is None or proposal.event_uid != event.uid or proposal.listing_uid not in mine:
        abort(404)
    return proposal


def withdraw_pitch(proposal):
    """The member takes back a proposal the organisers have not answered (it is local: nothing
    else holds it); an answered one stays, as the answer was mailed."""
    if proposal.status != "proposed":
        raise PitchError(None, _("The organisers have answered this proposal: it can no longer be withdrawn."))
    db.session.delete(proposal)
    db.session.flush()


def next_pitch_slot(event, kind):
    """Where an accepted pitch goes: into its session (see `agenda.next_pitch_slot`)."""
    return agenda.next_pitch_slot(services.event_items(event), kind, timedelta(minutes=PITCH_MINUTES),
                                  event.starts_at)


def accept_pitch(event, proposal, message=""):
    """Accept: the listing goes into the agenda as a pitch (the builder then shows any overlap),
    and the member is mailed the answer with the organiser's message."""
    listing = proposal.listing
    kind = "pitch_need" if listing.kind == "need" else "pitch_offer"
    start, end = next_pitch_slot(event, kind)
    item = services.add_item(event, {"starts_at": start, "ends_at": end, "kind": kind, "title": listing.title,
                                     "speaker_person_uids": [proposal.person_uid] if proposal.person_uid else [],
                                     "listing_uid": listing.uid})
    proposal.status, proposal.answer, proposal.answered_at = "accepted", message, utcnow()
    proposal.agenda_item_uid = item.uid
    db.session.flush()
    tell_pitch_decision(db.session, event, proposal, item)
    return item


def decline_pitch(proposal, message=""):
    """Decline; the member is mailed the answer, as for an acceptance."""
    proposal.status, proposal.answer, proposal.answered_at = "declined", message, utcnow()
    db.session.flush()
    tell_pitch_decision(db.session, db.session.get(Event, proposal.event_uid), proposal)


def proposals(event):
    """The event's proposals, each with its listing and its author (the organisers' list shows both)."""
    return db.session.scalars(select(PitchProposal).where(PitchProposal.event_uid == event.uid)
                              .options(selectinload(PitchProposal.listing), selectinload(PitchProposal.person))
                              .order_by(PitchProposal.created_at)).all()


def proposals_of(event, listing_uids):
    if not listing_uids:
        return []
    return db.session.scalars(select(PitchProposal).where(
        PitchProposal.event_uid == event.uid, PitchProposal.listing_uid.in_(listing_uids))).all()


def pin_challenge(event, listing):
    exists = db.session.scalars(select(EventChallenge).where(
        EventChallenge.event_uid == event.uid, EventChallenge.listing_uid == listing.uid)).first()
    if exists is None:
        db.session.add(EventChallenge(event_uid=event.uid, listing_uid=listing.uid))
        db.session.flush()


def unpin_challenge(event, listing_uid):
    for pin in db.session.scalars(select(EventChallenge).where(
            EventChallenge.event_uid == event.uid, EventChallenge.listing_uid == listing_uid)):
        db.session.delete(pin)
    db.session.flush()
