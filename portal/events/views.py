"""Public event pages (upcoming, event, agenda, iCalendar, poster) and a member's registration."""
from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, ngettext
from flask_login import current_user

from portal.accounts.auth import publisher_required
from portal.events import pitches, queries, registrations
from portal.events.notify import coming_meetings
from portal.events.formatting import FILTERS
from portal.events.forms import (COST_LABELS, DECISION_LABELS, KIND_LABELS, PROPOSAL_LABELS, ROLE_LABELS, MessageForm,
                                 ProposalForm, RegistrationForm)
from portal.events.published import event_calendar, event_jsonld, json_script
from portal.events.qr import qr_response
from portal.extensions import db
from portal.federation.records import utcnow
from portal.forms import show_refusal
from portal.htmx import go, render
from portal.links import external_url
from portal.security import access

bp = Blueprint("events", __name__)

for _name, _function in FILTERS.items():
    bp.add_app_template_filter(_function, _name)
bp.add_app_template_filter(json_script, "json_script")
bp.add_app_template_filter(lambda kind: KIND_LABELS.get(kind, kind), "agenda_kind_label")
bp.add_app_template_filter(lambda role: ROLE_LABELS.get(role, role), "event_role_label")
bp.add_app_template_filter(lambda status: DECISION_LABELS.get(status, status), "decision_label")
bp.add_app_template_filter(lambda status: PROPOSAL_LABELS.get(status, status), "pitch_status_label")
bp.add_app_template_filter(lambda category: COST_LABELS.get(category, category), "cost_category_label")


def can_register(event):
    """Registration happens on a host's portal, while open (and, on the lead, before its deadline:
    the timer that closes it may not have run yet), before the event ends."""
    return (queries.is_host(event) and event.accepting_registrations and not event.cancelled and not event.draft
            and event.ends_at > utcnow())


def can_cancel(event):
    """A registration is cancelled before the event begins; after, it is part of the record
    (check-in, survey answers, the impact figures)."""
    return not event.cancelled and not event.begun


def my_registration(event):
    person_uid = getattr(current_user, "person_uid", None) if current_user.is_authenticated else None
    return registrations.my_registration(event.uid, person_uid) if person_uid else None


@bp.get("/events")
@access("public")
def upcoming():
    """Events still to end, soonest first; `?when=past` for the ended ones, newest first."""
    past = request.args.get("when") == "past"
    hosted, partners = queries.past_events() if past else queries.upcoming_events()
    names = queries.cluster_names()
    return render_template("events/upcoming.html", hosted=hosted, partners=partners, past=past,
                           hosts={e.uid: queries.hosts_of(e, names) for e in hosted + partners})


@bp.get("/events/<uid>")
@access("public")
def show(uid):
    event = queries.get_event_or_404(uid)
    hosts = queries.hosts_of(event)
    items = queries.agenda_items(event)
    guests = queries.special_guest_organisations(event)
    registration = my_registration(event)
    challenges = queries.pinned_challenges(event)
    url = external_url("events.show", uid=uid)
    registrable = can_register(event)
    left = queries.places_left(event) if registrable else None
    return render_template(
        "events/show.html", event=event, hosts=hosts, items=items, url=url,
        jsonld=event_jsonld(event, hosts, url, items), registration=registration,
        decision=queries.decision_for(registration), can_register=registrable, can_cancel=can_cancel(event),
        full=left == 0, places_left=left,
        # A pinned challenge shows as its card only, not again in its guest's list.
        guests=guests, guest_needs=queries.open_needs([g.uid for g in guests],
                                                      exclude={c.uid for c in challenges}),
        challenges=challenges, pinned_by={c.organisation_uid for c in challenges}, is_host=queries.is_host(event),
        host_pages=queries.host_pages(event),
        speakers=queries.speaker_names(items), cancel_form=MessageForm())


@bp.get("/events/<uid>/agenda")
@access("public")
def agenda(uid):
    event = queries.get_event_or_404(uid)
    items = queries.agenda_items(event)
    return render_template("events/agenda.html", event=event, items=items, speakers=queries.speaker_names(items))


@bp.get("/events/<uid>.ics")
@access("public")
def calendar(uid):
    event = queries.get_event_or_404(uid)
    agenda = request.args.get("agenda") == "1"  # every agenda item an entry of its own
    body = event_calendar(event, event.items, external_url("events.show", uid=uid),
                          queries.hosts_of(event), agenda=agenda)
    return Response(body, mimetype="text/calendar", headers={
        "Content-Disposition": f'attachment; filename="event-{uid}{"-agenda" if agenda else ""}.ics"'})


@bp.get("/events/<uid>/qr.svg")
@access("public")
def qr_code(uid):
    """A QR code to the event's page (where a member registers), as SVG."""
    event = queries.get_event_or_404(uid)
    return qr_response(external_url("events.show", uid=event.uid), "public, max-age=3600")


@bp.get("/events/<uid>/poster")
@access("public")
def poster(uid):
    event = queries.get_event_or_404(uid)
    return render_template("events/poster.html", event=event, hosts=queries.hosts_of(event),
                           items=queries.live_items(event))


@bp.route("/events/<uid>/register", methods=["GET", "POST"])
@access("publisher")
@publisher_required
def register(uid):
    event = queries.get_event_or_404(uid)
    if not queries.is_host(event):
        abort(403, _("%(portal)s does not host this event: members of its host clusters (%(hosts)s) register on "
                     "their own cluster's portal.", portal=current_app.config["CLUSTER_NAME"],
                     hosts=", ".join(queries.cluster_names().get(host, host) for host in event.hosts)))
    if not can_register(event) or not current_user.person_uid:
        flash(closed_message(event), "error")
        return go(url_for("events.show", uid=uid))
    registration = my_registration(event)
    form = RegistrationForm(event=event, registration=registration)
    # Unticking the B2B meetings cancels these: the form says so beforehand, the flash after.
    meetings = len(coming_meetings(current_user.person_uid, event)) if registration and registration.b2b else 0
    if form.is_submitted():
        valid = form.validate()
        values = form.values()  # also when invalid: every error shows at once
        if valid and values is not None:
            changed = registration is not None and registration.active
            registration = registrations.register(event, current_user.person_uid, **values)
            db.session.commit()
            flash(*registered_message(queries.decision_for(registration), changed))
            if meetings and not values["b2b"]:
                flash(ngettext("Your %(num)d B2B meeting is cancelled; the other participant is told.",
                               "Your %(num)d B2B meetings are cancelled; the other participants are told.",
                               meetings), "info")
            return go(url_for("events.show", uid=uid))
    return render("events/register.html", "events/_register_form.html", status=422 if form.errors else 200,
                  event=event, form=form, hosts=queries.hosts_of(event), registration=registration,
                  person=current_user.person, full=queries.is_full(event), meetings=meetings)


def closed_message(event):
    return registrations.closed_on(event) if event.past_deadline() else _("Registration for this event is closed.")


def registered_message(decision, changed=False):
    """The flash after registering, or changing (`changed`) a registration, as the lead decided it
    (not yet, on a co-host: the registration box below says how the lead gives the places)."""
    status = decision.status if decision is not None else None
    if status == "refused":
        return _("Your registration is saved, but the lead cluster has refused it."), "info"
    if changed:
        if status == "confirmed":
            return _("Your registration is updated; your place stays confirmed."), "success"
        if status == "waitlisted":
            return _("Your registration is updated; you are still on the waiting list."), "info"
        return _("Your registration is updated."), "success"
    if status == "confirmed":
        return _("You are registered: your place is confirmed."), "success"
    if status == "waitlisted":
        return _("You are registered, on the waiting list: you will be told when a place frees up."), "info"
    return _("You are registered."), "success"


@bp.post("/events/<uid>/cancel-registration")
@access("publisher")
@publisher_required
def cancel_registration(uid):
    # Not only on a host's portal: a cluster taken off the hosts still sends its members'
    # cancellations to the lead (their registrations go to the event's hosts).
    event = queries.get_event_or_404(uid)
    registration = my_registration(event)
    if not can_cancel(event):
        flash(_("The event has begun: a registration can no longer be cancelled."), "error")
    elif MessageForm().validate_on_submit() and registration is not None and registration.active:
        registrations.cancel_registration(registration)
        db.session.commit()
        flash(_("Your registration is cancelled."), "success")
    return redirect(url_for("events.show", uid=uid))


@bp.route("/events/<uid>/pitch", methods=["GET", "POST"])
@access("publisher")
@publisher_required
def propose(uid):
    """The call for pitches, on the lead's portal: a member proposes one of their listings."""
    event = queries.get_event_or_404(uid)
    if not event.is_local or event.cancelled:
        flash(_("Pitches for this event are proposed to its lead cluster; ask your cluster's organisers."), "info")
        return redirect(url_for("events.show", uid=uid))
    listings = queries.my_listings()
    proposals = pitches.proposals_of(event, [item.uid for item in listings])
    accepted = {p.listing_uid for p in proposals if p.status == "accepted"}  # a new text would change nothing
    offered = [item for item in listings if pitches.pitchable(item, event) and item.uid not in accepted]
    form = ProposalForm(listings=listings, offered=offered)
    if form.validate_on_submit():
        listing = form.listings[form.listing_uid.data]
        updated = listing.uid in {p.listing_uid for p in proposals}
        try:
            pitches.propose_pitch(event, listing, current_user.person_uid, form.pitch.data.strip())
        except pitches.PitchError as error:
            show_refusal(form, error)
        else:
            db.session.commit()
            flash(_("Your proposal is updated: the organisers see the new text.") if updated
                  else _("Your proposal is sent to the organisers."), "success")
            return go(url_for("events.propose", uid=uid))
    return render("events/pitch.html", "events/_pitch_form.html", status=422 if form.errors else 200, event=event,
                  form=form, listings=offered, withdraw_form=MessageForm(), proposals=proposals)


@bp.post("/events/<uid>/pitch/<int:proposal_id>/withdraw")
@access("publisher")
@publisher_required
def withdraw_pitch(uid, proposal_id):
    """A member takes back a proposal of one of their organisation's listings, not yet answered."""
    event = queries.get_event_or_404(uid)
    proposal = pitches.get_my_proposal_or_404(event, proposal_id, queries.my_listings())
    if MessageForm().validate_on_submit():
        try:
            pitches.withdraw_pitch(proposal)
        except pitches.PitchError as error:
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("Your proposal is withdrawn."), "success")
    return redirect(url_for("events.propose", uid=uid))
