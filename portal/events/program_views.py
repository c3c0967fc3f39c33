"""Organisers shape the programme: pitch proposals (lead) and special guests' challenges (any host)."""
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from portal.accounts.auth import admin_required
from portal.events import agenda, formatting, pitches, queries, services
from portal.events.forms import MessageForm
from portal.events.local_models import PitchProposal
from portal.extensions import db
from portal.security import access

bp = Blueprint("program", __name__)


def event_proposal(event, proposal_id):
    """The event's proposal, or None: its author withdrew it (or it never was the event's)."""
    proposal = db.session.get(PitchProposal, proposal_id)
    return proposal if proposal is not None and proposal.event_uid == event.uid else None


def withdrawn(uid):
    """An answer to a proposal gone meanwhile (the page was open when its author withdrew it)."""
    flash(_("This proposal was withdrawn by its author: there is nothing to answer."), "info")
    return redirect(url_for(".pitch_list", uid=uid))


@bp.get("/<uid>/pitches")
@access("admin")
@admin_required
def pitch_list(uid):
    event = queries.get_event_or_404(uid, lead=True)
    return render_template("event_admin/pitches.html", event=event, proposals=pitches.proposals(event),
                           form=MessageForm())


@bp.post("/<uid>/pitches/<int:proposal_id>/accept")
@access("admin")
@admin_required
def accept(uid, proposal_id):
    event = queries.get_event_or_404(uid, lead=True)
    proposal = event_proposal(event, proposal_id)
    if proposal is None:
        return withdrawn(uid)
    form = MessageForm()
    if form.validate_on_submit() and proposal.status == "proposed" and proposal.listing is not None:
        item = pitches.accept_pitch(event, proposal, (form.message.data or "").strip())
        db.session.commit()
        flash_placement(event, item)
    return redirect(url_for(".pitch_list", uid=uid))


def flash_placement(event, item):
    """Say where an accepted pitch went, and what it clashes with there (nothing is refused)."""
    when = formatting.span(item.starts_at, item.ends_at, event.timezone)
    problems = agenda.agenda_warnings(services.event_items(event), event.starts_at, event.ends_at).get(item.uid)
    if not problems:
        flash(_("The pitch is in the agenda, %(when)s.", when=when), "success")
        return
    code, other = problems[0]
    if code == "outside":
        flash(_("The pitch is in the agenda, %(when)s, but outside the event's hours: move it in the agenda "
                "builder.", when=when), "info")
    else:
        flash(_("The pitch is in the agenda, %(when)s, but it overlaps “%(title)s”: move it in the agenda builder.",
                when=when, title=other.title), "info")


@bp.post("/<uid>/pitches/<int:proposal_id>/decline")
@access("admin")
@admin_required
def decline(uid, proposal_id):
    event = queries.get_event_or_404(uid, lead=True)
    proposal = event_proposal(event, proposal_id)
    if proposal is None:
        return withdrawn(uid)
    form = MessageForm()
    if form.validate_on_submit() and proposal.status == "proposed":
        pitches.decline_pitch(proposal, (form.message.data or "").strip())
        db.session.commit()
        flash(_("The proposal is declined."), "success")
    return redirect(url_for(".pitch_list", uid=uid))


@bp.get("/<uid>/challenges")
@access("admin")
@admin_required
def challenges(uid):
    event = queries.get_event_or_404(uid, host=True)
    pinned = {listing.uid for listing in queries.pinned_challenges(event)}
    return render_template("event_admin/challenges.html", event=event, candidates=queries.challenge_candidates(event),
                           pinned=pinned, form=MessageForm())


@bp.post("/<uid>/challenges/<listing_uid>/pin")
@access("admin")
@admin_required
def pin(uid, listing_uid):
    event = queries.get_event_or_404(uid, host=True)
    listing = queries.challenge_candidate(event, listing_uid)  # the list's only: not any need of any cluster
    if listing is None:
        abort(404)
    if MessageForm().validate_on_submit():
        pitches.pin_challenge(event, listing)
        db.session.commit()
    return redirect(url_for(".challenges", uid=uid))


@bp.post("/<uid>/challenges/<listing_uid>/unpin")
@access("admin")
@admin_required
def unpin(uid, listing_uid):
    event = queries.get_event_or_404(uid, host=True)
    if MessageForm().validate_on_submit():
        pitches.unpin_challenge(event, listing_uid)
        db.session.commit()
    return redirect(url_for(".challenges", uid=uid))
