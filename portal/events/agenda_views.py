"""The agenda builder: add, edit, move, cancel and delete items inline (htmx), lead only.

Every change answers the builder fragment (list, warnings and the add form) to htmx, and
redirects to the builder page otherwise, so the page also works without JavaScript.
"""
from datetime import timedelta

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _

from portal.accounts.auth import admin_required
from portal.events import agenda, queries, services
from portal.events.formatting import span, wall_clock
from portal.events.forms import AgendaItemForm, MessageForm, NameForm
from portal.events.models import AgendaItem
from portal.extensions import db
from portal.forms import create_once, show_refusal
from portal.htmx import is_htmx, render
from portal.security import access

bp = Blueprint("agenda", __name__)


def item_form(event, prefix, **kwargs):
    return AgendaItemForm(prefix=prefix, event=event, people=queries.speaker_choices(event),
                          listings=queries.listing_choices(event), **kwargs)


NEW_ITEM = timedelta(minutes=30)


def blank_form(event, items):
    """The add form, for half an hour where it fits (`free_start`)."""
    start = free_start(event, items)
    return item_form(event, "new", formdata=None, data={
        "starts_at": wall_clock(start, event.timezone),
        "ends_at": wall_clock(start + NEW_ITEM, event.timezone), "kind": "other"})


def free_start(event, items):
    """Where a new item begins: where the programme ends, if the event goes on long enough;
    else in the event's first gap that holds it (on an event of several days, an evening
    may be it); else at the event's start (a full programme: the organiser chooses)."""
    live = sorted((i for i in items if not i.cancelled), key=lambda i: i.starts_at)
    end = max((i.ends_at for i in live), default=event.starts_at)
    if end + NEW_ITEM <= event.ends_at:
        return end
    cursor = event.starts_at
    for item in live:
        if item.starts_at - cursor >= NEW_ITEM:
            return cursor
        cursor = max(cursor, item.ends_at)
    return event.starts_at


def item_data(item, tz):
    return {"starts_at": wall_clock(item.starts_at, tz), "ends_at": wall_clock(item.ends_at, tz),
            "kind": item.kind, "title": item.title, "speakers": list(item.speaker_person_uids or []),
            "listing_uid": item.listing_uid or ""}


def respond(event, status=200, add_form=None, edit_form=None, editing=None, refusal=None, done=None):
    """The builder after a change: a redirect for a plain POST, the fragment for htmx.

    `refusal` is (item uid, message): a change of a row the agenda refused, said beside it.
    `done` says what a plain POST changed, flashed on the builder it comes back to (htmx shows the row).
    """
    if request.method == "POST" and status == 200 and not is_htmx():
        if done:
            flash(done, "success")
        return redirect(url_for(".builder", uid=event.uid))
    items = queries.agenda_items(event)
    response = render("event_admin/agenda.html", "event_admin/_agenda.html", status=status, event=event, items=items,
                      warnings=agenda.agenda_warnings(items, event.starts_at, event.ends_at),
                      add_form=add_form or blank_form(event, items), edit_form=edit_form, editing=editing,
                      b2b_block=services.live_b2b_block(event, items) if event.b2b_enabled else None,
                      refusal=refusal or (None, None), read_only=event.cancelled,
                      speakers=queries.speaker_names(items, public=False),
                      action_form=MessageForm(), template_form=NameForm())
    if request.method == "POST" and status == 200:
        # Done: the address is the builder's again, were it an item's edit page opened on its own.
        response.headers["HX-Replace-Url"] = url_for(".builder", uid=event.uid)
    return response


def editable_event(uid):
    """The event whose agenda is changed; a cancelled one's agenda stays as it was (409, the builder read-only)."""
    event = queries.get_event_or_404(uid, lead=True)
    if event.cancelled:
        abort(respond(event, 409))
    return event


def row_change(event, item, done, change, *args):
    """Run a change of one row from its buttons; a refusal answers 422 with the reason beside the row.
    `done` (a function of the item's title) says what was changed."""
    if not MessageForm().validate_on_submit():
        return respond(event)
    title = item.title  # a deleted item's is gone after the commit
    try:
        change(item, *args)
    except services.AgendaError as error:
        db.session.rollback()
        return respond(event, 422, refusal=(item.uid, error.message))
    db.session.commit()
    return respond(event, done=done(title))


@bp.get("/<uid>/agenda")
@access("admin")
@admin_required
def builder(uid):
    return respond(queries.get_event_or_404(uid, lead=True))


@bp.post("/<uid>/agenda")
@access("admin")
@admin_required
def add(uid):
    event = editable_event(uid)
    form = item_form(event, "new")
    valid = form.validate_on_submit()
    values = form.values()  # also when invalid: every error shows at once
    if not valid or values is None:
        return respond(event, 422, add_form=form)
    try:
        create_once(AgendaItem, form.key.data, lambda uid: services.add_item(event, values, uid=uid))
    except services.AgendaError as error:
        db.session.rollback()  # nothing was changed
        show_refusal(form, error)
        return respond(event, 422, add_form=form)
    return respond(event, done=_("“%(title)s” is added to the agenda.", title=values["title"]))


@bp.get("/<uid>/agenda/<item_uid>/edit")
@access("admin")
@admin_required
def edit(uid, item_uid):
    event = editable_event(uid)
    item = queries.get_item_or_404(event, item_uid)
    form = item_form(event, "edit", formdata=None, data=item_data(item, event.timezone))
    return respond(event, edit_form=form, editing=item.uid)


@bp.post("/<uid>/agenda/<item_uid>")
@access("admin")
@admin_required
def update(uid, item_uid):
    event = editable_event(uid)
    item = queries.get_item_or_404(event, item_uid)
    form = item_form(event, "edit")
    valid = form.validate_on_submit()
    values = form.values()  # also when invalid: every error shows at once
    if not valid or values is None:
        return respond(event, 422, edit_form=form, editing=item.uid)
    try:
        services.update_item(item, values)
    except services.AgendaError as error:
        db.session.rollback()  # nothing was changed
        show_refusal(form, error)
        return respond(event, 422, edit_form=form, editing=item.uid)
    db.session.commit()
    return respond(event, done=_("“%(title)s” is saved.", title=item.title))


@bp.post("/<uid>/agenda/<item_uid>/move/<direction>")
@access("admin")
@admin_required
def move(uid, item_uid, direction):
    event = editable_event(uid)
    item = queries.get_item_or_404(event, item_uid)
    if direction not in ("up", "down"):
        return respond(event)
    return row_change(event, item, lambda title: _(
        "“%(title)s” is moved, to %(when)s: the two items swap places, each keeps its length and the gap "
        "between them stays.", title=title, when=span(item.starts_at, item.ends_at, event.timezone)),
        services.move_item, direction)


@bp.post("/<uid>/agenda/<item_uid>/cancel")
@access("admin")
@admin_required
def toggle(uid, item_uid):
    """Cancel an item (it stays, marked cancelled, in calendars too), or restore it."""
    event = editable_event(uid)
    item = queries.get_item_or_404(event, item_uid)
    done = ((lambda title: _("“%(title)s” is restored.", title=title)) if item.cancelled
            else (lambda title: _("“%(title)s” is marked as cancelled.", title=title)))
    return row_change(event, item, done, services.set_item_cancelled, not item.cancelled)


@bp.post("/<uid>/agenda/<item_uid>/delete")
@access("admin")
@admin_required
def remove(uid, item_uid):
    event = editable_event(uid)
    item = queries.get_item_or_404(event, item_uid)
    return row_change(event, item, lambda title: _("“%(title)s” is deleted.", title=title), services.delete_item)


@bp.post("/<uid>/agenda/template")
@access("admin")
@admin_required
def save_template(uid):
    event = queries.get_event_or_404(uid, lead=True)
    form = NameForm()
    if form.validate_on_submit():
        services.save_template(event, form.name.data.strip())
        db.session.commit()
        flash(_("The agenda is saved as the template “%(name)s”.", name=form.name.data.strip()), "success")
    else:
        flash(_("Give the template a name."), "error")
    return redirect(url_for(".builder", uid=uid))
