"""Meetings pages for participants: catalogue, suggestions, requests, replies, schedule, calendar."""
import json

from flask import Blueprint, Response, abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.accounts.auth import publisher_required
from portal.extensions import db
from portal.htmx import is_htmx, render
from portal.i18n import in_language_of
from portal.links import external_url
from portal.meetings import ics, pages, queries, services
from portal.meetings.forms import ActionForm, CatalogueForm, ReplyForm
from portal.meetings.services import MeetingError
from portal.security import access

bp = Blueprint("meetings", __name__)
pages.register_filters(bp)

# Every page here but the calendar feed is for approved members: participant lists, suggestions and
# schedules name people, and a pending account (anyone who signs up) gets the "awaiting approval"
# answer, as for publishing.


@bp.get("/b2b/")
@access("publisher")
@publisher_required
def index():
    """The events with B2B meetings this portal hosts, and where I stand in each."""
    return render("meetings/index.html", "meetings/index.html", events=pages.my_events(current_user.person_uid))


@bp.get("/events/<event_uid>/b2b/participants")
@access("publisher")
@publisher_required
def participants(event_uid):
    event = pages.get_event_or_404(event_uid)
    found = queries.participants(event.uid)
    form = CatalogueForm(request.args)
    pages.catalogue_choices(form, event, found)
    shown = queries.filter_participants(found, form.q.data, form.cluster.data, form.kind.data,
                                        form.listing_kind.data, form.sector.data)
    return render("meetings/participants.html", "meetings/_participants.html", event=event, form=form,
                  participants=shown, total=len(found), **pages.my_context(event))


@bp.get("/events/<event_uid>/b2b/suggestions")
@access("publisher")
@publisher_required
def suggestions(event_uid):
    event = pages.get_event_or_404(event_uid)
    include_met = request.args.get("met") == "1"
    ranked, me, none_because = pages.suggestions_for(event, current_user.person_uid, include_met)
    return render("meetings/suggestions.html", "meetings/_suggestions.html", event=event, me=me,
                  suggestions=ranked, none_because=none_because, include_met=include_met, **pages.my_context(event))


@bp.get("/events/<event_uid>/b2b/")
@access("publisher")
@publisher_required
def dashboard(event_uid):
    event = pages.get_event_or_404(event_uid)
    return render("meetings/dashboard.html", "meetings/_requests.html", event=event,
                  **pages.requests_context(event, current_user.person_uid))


@bp.get("/events/<event_uid>/b2b/counters")
@access("publisher")
@publisher_required
def counters(event_uid):
    """The polled counters; when they differ from those shown, the request list is refreshed too."""
    event = pages.get_event_or_404(event_uid)
    found = queries.counters(event.uid, current_user.person_uid)
    response = render("meetings/_counters.html", "meetings/_counters.html", event=event, counters=found)
    if any(request.args.get(name, type=int) not in (None, value) for name, value in found.items()):
        response.headers["HX-Trigger"] = json.dumps({"meeting-requests-changed": {"target": "#meeting-requests"}})
    return response


@bp.route("/events/<event_uid>/b2b/request/<person_uid>", methods=["GET", "POST"])
@access("publisher")
@publisher_required
def new_request(event_uid, person_uid):
    event = pages.get_event_or_404(event_uid)
    other = queries.participant(event.uid, person_uid)
    if other is None:
        abort(404)
    context = pages.request_form_context(event, other)
    if context["refusal"]:  # said up front (an existing request, a cap...), with no form to fill in
        return render("meetings/request.html", "meetings/_request_form.html",
                      422 if request.method == "POST" else 200, **context)
    form = context["form"]
    if form.validate_on_submit():
        try:
            services.request_meeting(event, current_user.person_uid, person_uid, form.message.data,
                                     form.starred.data)
        except MeetingError as error:
            form.message.errors = [str(error)]
        else:
            db.session.commit()
            if is_htmx():
                return render("meetings/_request_sent.html", "meetings/_request_sent.html", other=other)
            flash(_("Your request was sent to %(who)s.", who=other.person.display_name), "success")
            return redirect(url_for("meetings.dashboard", event_uid=event.uid))
    status = 422 if form.errors or form.message.errors else 200
    return render("meetings/request.html", "meetings/_request_form.html", status, **context)


@bp.post("/b2b/requests/<request_uid>/reply")
@access("publisher")
@publisher_required
def reply(request_uid):
    meeting_request = pages.get_request_or_404(request_uid)
    form = ReplyForm()
    error = None
    if form.validate_on_submit():
        try:
            services.reply_to_request(meeting_request, current_user.person_uid, form.answer.data,
                                      form.message.data)
        except MeetingError as refused:
            error = str(refused)
        else:
            db.session.commit()
    else:
        error = _("Accept or decline, with a message of at most 1000 characters.")
    return pages.row_response(meeting_request, error, done=form.answer.data)


@bp.post("/b2b/requests/<request_uid>/withdraw")
@access("publisher")
@publisher_required
def withdraw(request_uid):
    meeting_request = pages.get_request_or_404(request_uid)
    error = None
    if ActionForm().validate_on_submit():
        try:
            services.withdraw_request(meeting_request, current_user.person_uid)
        except MeetingError as refused:
            error = str(refused)
        else:
            db.session.commit()
    return pages.row_response(meeting_request, error, done="withdrawn")


@bp.post("/b2b/requests/<request_uid>/star")
@access("publisher")
@publisher_required
def star(request_uid):
    meeting_request = pages.get_request_or_404(request_uid)
    if ActionForm().validate_on_submit():
        services.toggle_star(meeting_request, current_user.person_uid)
        db.session.commit()
    return pages.row_response(meeting_request, None)


@bp.get("/events/<event_uid>/b2b/schedule")
@access("publisher")
@publisher_required
def schedule(event_uid):
    event = pages.get_event_or_404(event_uid)
    person_uid = pages.my_person_uid()
    meetings = queries.meetings_of(person_uid, event.uid)
    feed_url = external_url("meetings.calendar", person_uid=person_uid, token=queries.calendar_token(person_uid))
    return render("meetings/schedule.html", "meetings/schedule.html", event=event, meetings=meetings,
                  me=queries.people([person_uid]).get(person_uid),
                  people=queries.people(m.other_person_uid(person_uid) for m in meetings),
                  person_uid=person_uid, feed_url=feed_url, reset_form=ActionForm(),
                  unscheduled=0 if event.over else queries.unscheduled_count(event.uid, person_uid))


@bp.post("/events/<event_uid>/b2b/calendar/reset")
@access("publisher")
@publisher_required
def reset_calendar(event_uid):
    event = pages.get_event_or_404(event_uid)
    if ActionForm().validate_on_submit():
        services.reset_calendar_token(pages.my_person_uid())
        db.session.commit()
        flash(_("Your calendar address changed; the old one no longer works."), "success")
    return redirect(url_for("meetings.schedule", event_uid=event.uid))


@bp.get("/b2b/calendar/<person_uid>/<token>.ics")
@access("public")
def calendar(person_uid, token):
    """A person's meetings for calendar apps: the secret token in the URL stands for a login, and
    ends with the account (disabled or deleted), as its sessions do."""
    user = queries.local_user_of(person_uid)
    if user is None or not queries.calendar_token_valid(person_uid, token):
        abort(404)
    meetings = queries.meetings_of(person_uid)
    with in_language_of(user):  # the app asking has no session or language
        body = ics.calendar(meetings, queries.people(m.other_person_uid(person_uid) for m in meetings),
                            pages.events_of(meetings), current_app.config["CLUSTER_NAME"], person_uid,
                            lambda event_uid: external_url("meetings.schedule", event_uid=event_uid))
    return Response(body, mimetype="text/calendar", headers={
        "Content-Disposition": 'inline; filename="meetings.ics"', "Cache-Control": "private, no-cache"})
