"""Organisers of every host: the merged attendee list, CSV, badges, the door's check-in page.

Decisions (refuse, reconsider, confirm now) are the lead's alone.
"""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select

from portal.accounts.auth import admin_required
from portal.accounts.models import User
from portal.directory.queries import page_number
from portal.directory.views import page_arg
from portal.events import queries, registrations
from portal.events.formatting import day, event_file_name, sheet_time
from portal.events.forms import (DECISION_LABELS, ROLE_LABELS, AttendeeFilterForm, MessageForm, OnBehalfForm,
                                 RoleForm)
from portal.events.qr import qr_response
from portal.events.registration_models import Registration
from portal.extensions import db
from portal.htmx import is_htmx, render
from portal.links import external_url
from portal.security import access
from portal.spreadsheet import csv_response, defused

bp = Blueprint("people", __name__)


@bp.get("/<uid>/attendees")
@access("admin")
@admin_required
def attendees(uid):
    event = queries.get_event_or_404(uid, host=True)
    return attendee_page(event, OnBehalfForm(formdata=None, people=queries.unregistered_people(event)))


PAGE_SIZE = 100  # rows of the attendee list a page: each has its forms, a thousand took a second to render
LIST_ARGS = ("q", "status", "cluster", "role", "b2b", "checked_in", "page")


def list_args():
    """The attendee list's search, filters and page, as the request carries them: the list's
    actions come back to the list as it was (its forms' addresses carry them)."""
    return {name: request.args[name] for name in LIST_ARGS if request.args.get(name)}


def filtered(event, everyone, names):
    """The filter form of the attendee list, and those of `everyone` it lets through."""
    form = AttendeeFilterForm(request.args)
    form.cluster_choices(sorted({*event.hosts, *(a.cluster for a in everyone)}, key=lambda c: names.get(c, c)), names)
    return form, queries.filter_attendees(everyone, **form.criteria())


def attendee_page(event, on_behalf, status=200):
    """The attendee list, a page of it (its fragment to htmx); `print=1`: every row the filters let
    through, without the actions, to print."""
    everyone = queries.attendees(event)
    names = queries.cluster_names()
    filters, found = filtered(event, everyone, names)
    printing = request.args.get("print") == "1"
    page, pages = (1, 1) if printing else page_number(len(found), page_arg(), PAGE_SIZE)
    args = {k: v for k, v in list_args().items() if k != "page"}
    response = render("event_admin/attendees.html", "event_admin/_attendee_results.html", status, event=event,
                  rows=found if printing else found[(page - 1) * PAGE_SIZE:page * PAGE_SIZE], shown=len(found),
                  total=len(everyone), names=names, counts=queries.counts(event, everyone), form=MessageForm(),
                  on_behalf=on_behalf, role_form=RoleForm(formdata=None), filters=filters, printing=printing,
                  page_number=page, pages=pages, filter_args=args, list_args=list_args(),
                  page_url=lambda n: url_for(".attendees", uid=event.uid, **args, page=n),
                  print_url=url_for(".attendees", uid=event.uid, **args, print=1))
    if is_htmx():
        # htmx 4 pushes this instead of the form's every field, empty ones included.
        response.headers["HX-Push-Url"] = url_for(".attendees", uid=event.uid, **args, page=page if page > 1 else None,
                                                  print=1 if printing else None)
    return response


@bp.post("/<uid>/attendees/register")
@access("admin")
@admin_required
def register_on_behalf(uid):
    """An organiser registers one of this portal's people, in any role (a special guest, an organiser)."""
    event = queries.get_event_or_404(uid, host=True)
    form = OnBehalfForm(people=queries.unregistered_people(event))
    if event.cancelled or not form.validate_on_submit():
        return attendee_page(event, form, 422)
    registration = registrations.register(event, form.person_uid.data, role=form.role.data, by_organiser=True)
    db.session.commit()
    person = queries.people_by_uid([registration.person_uid])[registration.person_uid]
    flash(_("%(name)s is registered, as %(role)s.", name=person.display_name,
            role=str(ROLE_LABELS[registration.role]).lower()), "success")
    if len(event.hosts) > 1 and not person.share_profile:
        # Their registration goes to the other hosts without a name (a profile not shared never leaves).
        flash(_("%(name)s does not share their profile with partner clusters: the event's other hosts see "
                "this registration as “(profile not shared)”.", name=person.display_name), "info")
    if registration.decision is not None and registration.decision.status == "waitlisted":
        flash(_("The event is full: %(name)s is on the waiting list. “Confirm now” below gives them a place "
                "beyond the capacity.", name=person.display_name), "info")
    return redirect(url_for(".attendees", uid=uid, **list_args()))


def flash_places_given(written):
    """Say who the decisions just `written` gave a place to (the waiting list moved up)."""
    given = [d.registration_uid for d in written if d.status == "confirmed"]
    if given:
        people = queries.people_by_uid(db.session.scalars(
            select(Registration.person_uid).where(Registration.uid.in_(given))))
        names = sorted(p.display_name for p in people.values())
        flash(ngettext("%(num)d registration of the waiting list is confirmed: %(names)s.",
                       "%(num)d registrations of the waiting list are confirmed: %(names)s.",
                       len(given), names=", ".join(names) or "–"), "success")


@bp.post("/<uid>/attendees/<registration_uid>/role")
@access("admin")
@admin_required
def change_role(uid, registration_uid):
    """A host's organisers give their own members' registrations a role (the home portal writes them)."""
    event = queries.get_event_or_404(uid, host=True)
    registration = queries.get_registration_or_404(event, registration_uid)
    if not (registration.is_local and registration.active):
        abort(404)
    form = RoleForm()
    if form.validate_on_submit():
        registrations.set_role(registration, form.role.data)
        db.session.commit()
        flash(_("The role is changed."), "success")
    return redirect(url_for(".attendees", uid=uid, **list_args()))


def csv_rows(event, rows, names, emails):
    """`emails`: {person uid: e-mail} of this portal's members (other clusters' never reach us)."""
    zone = event.timezone
    yield [_("Name"), _("Organisation"), _("E-mail (our members)"), _("Home cluster"), _("Role"), _("B2B"),
           _("Available from (%(zone)s)", zone=zone), _("Available until (%(zone)s)", zone=zone),
           _("Registered on (%(zone)s)", zone=zone), _("Registration"), _("Decision"), _("Checked in")]
    for a in rows:
        r = a.registration
        yield [a.person.display_name if a.person else _("(profile not shared)"),
               a.organisation.name if a.organisation else "", emails.get(r.person_uid, ""),
               names.get(a.cluster, a.cluster),
               str(ROLE_LABELS.get(r.role, r.role)), _("yes") if r.b2b else _("no"),
               sheet_time(r.available_from, zone), sheet_time(r.available_until, zone),
               # When it reached the lead: the order in which places are given, and the waiting list's.
               sheet_time(r.received_at, zone),
               _("cancelled") if not r.active else _("registered"),
               # As the list says: no decision stands for a cancelled registration.
               str(DECISION_LABELS.get(a.decision.status if a.decision else None)) if r.active else "",
               _("yes") if a.checked_in else _("no")]


@bp.get("/<uid>/attendees.csv")
@access("admin")
@admin_required
def attendees_csv(uid):
    event = queries.get_event_or_404(uid, host=True)
    names = queries.cluster_names()
    everyone = filtered(event, queries.attendees(event), names)[1]  # the rows the list's filters let through
    emails = dict(db.session.execute(select(User.person_uid, User.email).where(
        User.person_uid.in_([a.registration.person_uid for a in everyone if a.registration.is_local]))).all())
    rows = csv_rows(event, everyone, names, emails)
    return csv_response(([defused(v) for v in row] for row in rows), event_file_name("attendees", event) + ".csv")


@bp.get("/<uid>/badges")
@access("admin")
@admin_required
def badges(uid):
    """Printable badges (8 per A4 page) of those the door checks in: the confirmed. The others
    still waiting (on the list, or for the lead's decision) are counted, to print when confirmed."""
    event = queries.get_event_or_404(uid, host=True)
    active = [a for a in queries.attendees(event)
              if a.registration.active and not (a.decision and a.decision.status == "refused")]
    rows = [a for a in active if registrations.confirmed(a.registration, a.decision)]
    return render_template("event_admin/badges.html", event=event, rows=rows, waiting=len(active) - len(rows),
                           names=queries.cluster_names())


@bp.get("/<uid>/checkin")
@access("admin")
@admin_required
def door(uid):
    """The door page: search as you type (the fragment to htmx), one tap to check in."""
    event = queries.get_event_or_404(uid, host=True)
    everyone = queries.attendees(event)
    return door_page(event, everyone, queries.search_attendees(everyone, request.args.get("q")),
                     q=request.args.get("q", ""))


@bp.get("/<uid>/checkin/<registration_uid>")
@access("admin")
@admin_required
def scanned(uid, registration_uid):
    """The door page for one badge: where its QR code leads, one tap to check its bearer in."""
    event = queries.get_event_or_404(uid, host=True)
    registration = queries.get_registration_or_404(event, registration_uid)
    everyone = queries.attendees(event)
    return door_page(event, everyone, [a for a in everyone if a.registration.uid == registration.uid],
                     q="", scanned=True)


def door_page(event, everyone, rows, **context):
    """The door page (its results to htmx) showing `rows` of the event's attendees `everyone`."""
    return render("event_admin/checkin.html", "event_admin/_checkin_results.html", event=event, rows=rows,
                  names=queries.cluster_names(), form=MessageForm(), counts=queries.counts(event, everyone),
                  door_open=event.door_open(), **context)


@bp.get("/<uid>/checkin/<registration_uid>/qr.svg")
@access("admin")
@admin_required
def badge_code(uid, registration_uid):
    """A badge's QR code: the address of its door page (`scanned`) on this portal, as SVG."""
    event = queries.get_event_or_404(uid, host=True)
    registration = queries.get_registration_or_404(event, registration_uid)
    # Private: the address names a registration. Kept a day, so that printing the badges again is instant.
    return qr_response(external_url("event_admin.people.scanned", uid=event.uid, registration_uid=registration.uid),
                       "private, max-age=86400")


def row_response(event, registration, refusal=None, done=None, next_one=False):
    """The row to htmx, with the door's count swapped out of band; the door page otherwise.

    `refusal`: why the check-in was refused (a 409), flashed on the door page; `done` (a function
    of the person's name) what was done, flashed there too (htmx shows the row). `next_one`: a
    check-in is done, the door turns to the next in the queue: the page's script empties the search
    box and gives it the focus, the row and its Undo staying on screen under it. (Without
    JavaScript the page comes back with the search, and the row with its Undo.)
    """
    everyone = queries.attendees(event)
    row = next(a for a in everyone if a.registration.uid == registration.uid)
    if not is_htmx():
        if refusal is not None:
            flash(refusal, "error")
        elif done is not None:
            flash(done(row.person.display_name if row.person else _("(profile not shared)")), "success")
        return redirect(url_for(".door", uid=event.uid, q=request.args.get("q") or None))
    return render_template("event_admin/_checkin_row.html", event=event, a=row, names=queries.cluster_names(),
                           form=MessageForm(), counts=queries.counts(event, everyone), oob=True,
                           door_open=event.door_open(), next_one=next_one), 200 if refusal is None else 409


@bp.post("/<uid>/checkin/<registration_uid>")
@access("admin")
@admin_required
def check_in(uid, registration_uid):
    event = queries.get_event_or_404(uid, host=True)
    registration = queries.get_registration_or_404(event, registration_uid)
    if not event.door_open():
        return row_response(event, registration, _("Check-in opens on the day of the event, %(day)s.",
                                                   day=day(event.starts_at, event.timezone)))
    if MessageForm().validate_on_submit():
        try:
            registrations.check_in(registration, current_user.id)
        except registrations.CheckInRefused:
            return row_response(event, registration, _("Only confirmed registrations are checked in."))
        db.session.commit()
        return row_response(event, registration, done=lambda name: _("%(name)s is checked in.", name=name),
                            next_one=True)
    return row_response(event, registration)


@bp.post("/<uid>/checkin/<registration_uid>/undo")
@access("admin")
@admin_required
def undo_check_in(uid, registration_uid):
    event = queries.get_event_or_404(uid, host=True)
    registration = queries.get_registration_or_404(event, registration_uid)
    if MessageForm().validate_on_submit():
        registrations.undo_check_in(registration)
        db.session.commit()
        return row_response(event, registration,
                            done=lambda name: _("The check-in of %(name)s is undone.", name=name))
    return row_response(event, registration)


@bp.post("/<uid>/decisions/<registration_uid>/refuse")
@access("admin")
@admin_required
def refuse(uid, registration_uid):
    event = queries.get_event_or_404(uid, lead=True)
    registration = queries.get_registration_or_404(event, registration_uid)
    form = MessageForm()
    if form.validate_on_submit():
        written = registrations.refuse(registration, (form.message.data or "").strip())
        db.session.commit()
        flash(_("The registration is refused."), "success")
        flash_places_given(written)
    return redirect(url_for(".attendees", uid=uid, **list_args()))


@bp.post("/<uid>/decisions/<registration_uid>/reconsider")
@access("admin")
@admin_required
def reconsider(uid, registration_uid):
    event = queries.get_event_or_404(uid, lead=True)
    registration = queries.get_registration_or_404(event, registration_uid)
    if MessageForm().validate_on_submit():
        decision = registrations.reconsider(registration)
        db.session.commit()
        if decision is not None and decision.status == "confirmed":
            flash(_("The registration is confirmed again: a place was free."), "success")
        else:
            flash(_("The registration is queued again, at its place on the waiting list (the order of "
                    "arrival). “Confirm now” gives it a place beyond the capacity."), "success")
    return redirect(url_for(".attendees", uid=uid, **list_args()))


@bp.post("/<uid>/decisions/<registration_uid>/confirm")
@access("admin")
@admin_required
def confirm_now(uid, registration_uid):
    """The lead's organisers confirm one of the waiting list at once, beyond the capacity."""
    event = queries.get_event_or_404(uid, lead=True)
    registration = queries.get_registration_or_404(event, registration_uid)
    if MessageForm().validate_on_submit():
        if not (registration.active and registration.decision and registration.decision.status == "waitlisted"):
            flash(_("Only a registration on the waiting list can be confirmed by hand."), "error")
        else:
            registrations.confirm_now(registration)
            db.session.commit()
            flash(_("The registration is confirmed, beyond the event's capacity (%(capacity)d).",
                    capacity=event.capacity), "success")
    return redirect(url_for(".attendees", uid=uid, **list_args()))
