"""Organiser pages: the events a cluster hosts, creating and editing them, day templates.

Administrators of a host cluster organise; only the lead's organisers edit what the lead
writes (the event, its agenda, decisions). The agenda builder, attendees and programme
pages are child blueprints, registered here.
"""
from datetime import datetime, time, timedelta

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from portal.accounts.auth import admin_required
from portal.directory.schemas import COUNTRIES
from portal.events import (agenda, agenda_views, attendee_views, moves, program_views, promotion_views, queries,
                          reminders, services)
from portal.events.formatting import wall_clock
from portal.events.formula import FORMULA_KEY
from portal.events.forms import TIMEZONES, EventForm, MessageForm
from portal.events.local_models import EventTemplate
from portal.events.models import Event
from portal.extensions import db
from portal.federation.queries import confirmed_peers
from portal.federation.records import utcnow
from portal.forms import country_choices, create_once, options
from portal.htmx import go, render
from portal.meetings.queries import event_meetings
from portal.security import access

bp = Blueprint("event_admin", __name__, url_prefix="/admin/events")
bp.register_blueprint(agenda_views.bp)
bp.register_blueprint(attendee_views.bp)
bp.register_blueprint(program_views.bp)
bp.register_blueprint(promotion_views.bp)


@bp.get("/")
@access("admin")
@admin_required
def index():
    names = queries.cluster_names()
    coming, past = queries.managed_events()
    return render_template("event_admin/index.html", coming=coming, past=past,
                  hosts={e.uid: queries.hosts_of(e, names) for e in coming + past},
                  templates=db.session.scalars(select(EventTemplate).order_by(EventTemplate.name)).all(),
                  delete_form=MessageForm())


def prepare(form, event=None):
    """Co-host choices (confirmed peers, and hosts already chosen) and template choices."""
    choices = {p.cluster_id: p.name for p in confirmed_peers(by_name=True)}
    names = queries.cluster_names()
    for cluster_id in (event.co_hosts if event else []):
        choices.setdefault(cluster_id, names.get(cluster_id, cluster_id))
    form.co_hosts.choices = options(sorted(choices.items(), key=lambda c: c[1].lower()))
    # Every ISO country by name, and the code an event saved before the list kept.
    saved = {event.venue_country} if event is not None and event.venue_country else set()
    form.venue_country.choices = country_choices("–", COUNTRIES | saved)
    if event is not None and event.timezone not in TIMEZONES:  # an alias chosen before the list was canonical
        form.timezone.choices = options((z, z) for z in sorted(TIMEZONES + [event.timezone]))
    if event is None:
        templates = db.session.scalars(select(EventTemplate).order_by(EventTemplate.name)).all()
        form.template.choices = options([("", _("An empty agenda")), (FORMULA_KEY, _("The proven formula"))] + [
            (str(t.id), t.name) for t in templates])
    else:
        del form.template
    return form


def chosen_template(key):
    if key == FORMULA_KEY:
        return FORMULA_KEY
    return db.session.get(EventTemplate, int(key)) if (key or "").isdigit() else None


def event_data(event):
    data = {name: getattr(event, name) for name in services.EVENT_FIELDS}
    for name in ("starts_at", "ends_at", "registration_closes_at", "b2b_starts_at", "b2b_ends_at"):
        data[name] = wall_clock(data[name], event.timezone)
    return data


@bp.route("/new", methods=["GET", "POST"])
@access("admin")
@admin_required
def create():
    form = prepare(EventForm())
    if not form.is_submitted():
        day = datetime.now().date() + timedelta(days=30)
        form.starts_at.data, form.ends_at.data = datetime.combine(day, time(9)), datetime.combine(day, time(17))
        form.template.data = FORMULA_KEY
    if form.is_submitted():
        valid = form.validate()
        values = form.values()  # also when invalid: every error shows at once
        if valid and values is not None:
            template = chosen_template(form.template.data)
            event, made = create_once(Event, form.key.data,
                                      lambda uid: services.create_event(values, template, draft=True, uid=uid))
            if made:  # not again for the same form sent twice
                flash(_("The event is created as a draft: only this portal's organisers see it. Adjust its "
                        "agenda, then publish it from its overview."), "success")
            return go(url_for("event_admin.agenda.builder", uid=event.uid))
    return render("event_admin/form.html", "event_admin/_event_form.html", status=422 if form.errors else 200,
                  form=form, event=None)


def block_follows_the_day(form, event):
    """A new first day typed with the B2B block's times left as the form showed them: the block
    moves by as many days, as the agenda does (`moves.move_agenda`), instead of being refused as
    outside the event."""
    saved = event_data(event)
    start, block = form.starts_at.data, (form.b2b_starts_at.data, form.b2b_ends_at.data)
    if not (form.b2b_enabled.data and start and saved["starts_at"] and all(block)
            and block == (saved["b2b_starts_at"], saved["b2b_ends_at"])):
        return
    shift = timedelta(days=(start.date() - saved["starts_at"].date()).days)
    form.b2b_starts_at.data, form.b2b_ends_at.data = block[0] + shift, block[1] + shift


def moves_into_the_past(event, values):
    """An upcoming event with registrations whose new end has passed: most likely a wrong year,
    and its survey invitations would fall due at once."""
    now = utcnow()
    return event.ends_at > now >= values["ends_at"] and queries.counts(event)["total"] > 0


def flash_move(event, before):
    """What moved with the event, and what the organiser still has to do."""
    if before.day_shift(event):
        flash(_("The agenda moved with the event's first day; each item keeps its time of day."), "info")
    flash(_("Registered members are told by e-mail, by their own cluster's portal; their B2B availability "
            "follows the B2B block."), "info")
    scheduled = sum(m.status == "scheduled" for m in event_meetings(event.uid))
    if scheduled and before.b2b_starts_at != event.b2b_starts_at:
        flash(ngettext("%(num)d scheduled B2B meeting is still at its old time: run the scheduler again and "
                       "publish, and both participants are told.",
                       "%(num)d scheduled B2B meetings are still at their old times: run the scheduler again "
                       "and publish, and both participants are told.", scheduled), "info")


@bp.route("/<uid>/edit", methods=["GET", "POST"])
@access("admin")
@admin_required
def edit(uid):
    event = queries.get_event_or_404(uid, lead=True)
    if event.cancelled:  # kept as it was, like its agenda: what every host and calendar shows
        form = prepare(EventForm(formdata=None, data=event_data(event)), event)
        return render("event_admin/form.html", "event_admin/_event_form.html",
                      status=409 if request.method == "POST" else 200, form=form, event=event, read_only=True)
    form = prepare(EventForm(data=event_data(event)), event)
    if form.is_submitted():
        block_follows_the_day(form, event)
        valid = form.validate()
        values = form.values()  # also when invalid: every error shows at once
        if valid and values is not None and moves_into_the_past(event, values):
            form.ends_at.errors = list(form.ends_at.errors) + [_(
                "This puts an upcoming event with registrations in the past: its survey invitations would go out "
                "at once. Check the date.")]
        elif valid and values is not None:
            before = moves.Times.of(event)
            written = services.update_event(event, values)
            db.session.commit()
            flash(_("The event is saved."), "success")
            attendee_views.flash_places_given(written)
            if moves.Times.of(event) != before:
                flash_move(event, before)
            confirmed = queries.counts(event)["by_status"]["confirmed"]
            if confirmed > event.capacity:  # lowered below who is coming: nobody loses their place
                flash(_("%(confirmed)d people are confirmed, more than the capacity of %(capacity)d: they keep "
                        "their places, and new registrations wait on the waiting list.",
                        confirmed=confirmed, capacity=event.capacity), "info")
            return go(url_for("event_admin.dashboard", uid=uid))
    return render("event_admin/form.html", "event_admin/_event_form.html", status=422 if form.errors else 200,
                  form=form, event=event)


@bp.post("/<uid>/publish")
@access("admin")
@admin_required
def publish(uid):
    event = queries.get_event_or_404(uid, lead=True)
    if MessageForm().validate_on_submit() and event.draft:
        services.publish_event(event)
        db.session.commit()
        flash(_("The event is published: members see it, and the partner clusters' portals receive it within "
                "a few seconds."), "success")
    return redirect(url_for("event_admin.dashboard", uid=uid))


@bp.post("/<uid>/cancel")
@access("admin")
@admin_required
def cancel(uid):
    """Cancel a published event; a draft, which nobody else saw, is deleted."""
    event = queries.get_event_or_404(uid, lead=True)
    if event.draft:
        if MessageForm().validate_on_submit():
            services.discard_draft(event)
            db.session.commit()
            flash(_("The draft is deleted."), "success")
            return redirect(url_for("event_admin.index"))
    elif event.begun:
        flash(_("The event has begun: it can no longer be cancelled; its registrations, check-ins and answers "
                "stay on record."), "error")
    elif MessageForm().validate_on_submit() and not event.cancelled:
        services.cancel_event(event)
        db.session.commit()
        flash(_("The event is cancelled; every host's portal and calendar will show it."), "success")
    return redirect(url_for("event_admin.dashboard", uid=uid))


@bp.get("/<uid>")
@access("admin")
@admin_required
def dashboard(uid):
    event = queries.get_event_or_404(uid, host=True)
    meetings = len(event_meetings(event.uid, active_only=True))  # before it begins: scheduled ones
    # The agenda's problems (the builder shows them item by item): a draft's, before it goes out, and
    # a published event's, which a change of its times may make (a shorter day leaves items after its end).
    warnings = agenda.agenda_warnings(services.event_items(event), event.starts_at, event.ends_at) \
        if event.is_local and not event.cancelled else {}
    return render_template("event_admin/dashboard.html", event=event,
                  hosts=queries.hosts_of(event), counts=queries.counts(event), names=queries.cluster_names(),
                  cancel_form=MessageForm(), ended=event.ends_at <= utcnow(), scheduled_meetings=meetings,
                  agenda_problems=len(warnings), reminders_sent=reminders.sent_count(event),
                  reminder_days=current_app.config["EVENT_REMINDER_DAYS"])


@bp.post("/templates/<int:template_id>/delete")
@access("admin")
@admin_required
def delete_template(template_id):
    template = db.session.get(EventTemplate, template_id)
    if template is None:
        abort(404)
    if MessageForm().validate_on_submit():
        services.delete_template(template)
        db.session.commit()
        flash(_("The template is deleted."), "success")
    return redirect(url_for("event_admin.index"))
