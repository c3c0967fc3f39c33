"""Organisers of each host: the topic planner, invitations, registrant messages, the budget.

Invitations go to the host's own members, and messages to its own registrants.
"""
from decimal import Decimal

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _, ngettext
from flask_login import current_user

from portal.accounts.auth import admin_required
from portal.directory.vocabulary import KIND_LABELS, ORGANISATION_KINDS, vocabulary
from portal.events import budget, invitations, messages, planner, queries
from portal.events.forms import MessageForm
from portal.events.promotion_forms import AUDIENCE_LABELS, CostForm, InviteForm, PlannerForm, RegistrantMessageForm
from portal.events.local_models import EventCost
from portal.extensions import db
from portal.federation.queries import confirmed_peers
from portal.federation.records import local_cluster
from portal.forms import options
from portal.htmx import render
from portal.i18n import in_language_of
from portal.mail.services import flash_mail_note
from portal.security import access

bp = Blueprint("promotion", __name__)


def sector_choices():
    return options(vocabulary("sectors").items())


@bp.get("/planner")
@access("admin")
@admin_required
def planner_page():
    """Candidate keywords and sectors against the open offers and needs of every cluster we know."""
    form = PlannerForm(request.args)
    form.sectors.choices = sector_choices()
    keywords, sectors = form.keywords.data or "", form.sectors.data or []
    clusters = [local_cluster()] + [p.cluster_id for p in confirmed_peers(by_name=True)]
    listings = queries.planner_listings() if planner.normalise(keywords) or sectors else []
    per_cluster, total, matched = planner.plan(listings, keywords, sectors, clusters)
    org_names = queries.organisation_names({m["organisation_uid"] for m in matched})
    org_lists = {c: sorted(org_names.get(u, u) for u in t.organisations) for c, t in per_cluster.items()}
    return render("event_admin/planner.html", "event_admin/_planner_results.html", form=form,
                  per_cluster=per_cluster, total=total, names=queries.cluster_names(), org_lists=org_lists)


@bp.route("/<uid>/invite", methods=["GET", "POST"])
@access("admin")
@admin_required
def invite(uid):
    """The invitations page (GET: its segment from the address) and their sending (POST)."""
    event = queries.get_event_or_404(uid, host=True)
    posted = request.method == "POST"
    form = invite_form(InviteForm() if posted else InviteForm(request.args))
    if posted and form.validate() and not event.cancelled and not event.draft:
        segment = invite_segment(form)
        sent = invitations.send_invitations(event, invitations.recipients(event, *segment),
                                            invitations.describe(*segment), form.note.data or "")
        db.session.commit()
        flash(ngettext("%(num)d invitation queued; members already invited or registered were skipped.",
                       "%(num)d invitations queued; members already invited or registered were skipped.", sent),
              "success")
        # The same segment again (now with nobody left to invite), not the whole membership.
        return redirect(url_for(".invite", uid=uid, sectors=form.sectors.data, kinds=form.kinds.data,
                                past_participants="y" if form.past_participants.data else None))
    return invite_page(event, form, 422 if posted else 200)


@bp.post("/<uid>/invite/preview")
@access("admin")
@admin_required
def invite_preview(uid):
    """The live preview of the segment and its mail, never validated: a POST, since the note
    would make too long an address for a GET (gunicorn refuses a request line past 4 KB)."""
    return invite_page(queries.get_event_or_404(uid, host=True), invite_form(InviteForm()))


def first_mail(chosen, write):
    """(subject, body) that `write(person)` makes for the first of `chosen` ((user, person) pairs),
    in their language, as the preview shows it; None with nobody chosen."""
    if not chosen:
        return None
    user, person = chosen[0]
    with in_language_of(user):
        return write(person)


def invite_form(form):
    form.sectors.choices = sector_choices()
    form.kinds.choices = options((k, KIND_LABELS[k]) for k in ORGANISATION_KINDS)
    return form


def invite_segment(form):
    return form.sectors.data or [], form.kinds.data or [], bool(form.past_participants.data)


def invite_page(event, form, status=200):
    """The page, or to htmx its preview: the segment, and the first member's mail in their language."""
    chosen = invitations.recipients(event, *invite_segment(form))
    preview = first_mail(chosen, lambda person: invitations.message(event, person, form.note.data or ""))
    return render("event_admin/invite.html", "event_admin/_invite_preview.html", status,
                  event=event, form=form, chosen=chosen, new=invitations.to_invite(event, chosen),
                  registered=invitations.already_registered(event) & {p.uid for _u, p in chosen},
                  preview=preview,
                  results=invitations.invitation_results(event), counts=queries.counts(event),
                  names=queries.cluster_names())


@bp.route("/<uid>/message", methods=["GET", "POST"])
@access("admin")
@admin_required
def message_registrants(uid):
    """The page for a message to this portal's members registered for the event, and its sending (POST)."""
    event = queries.get_event_or_404(uid, host=True)
    posted = request.method == "POST"
    form = RegistrantMessageForm() if posted else RegistrantMessageForm(request.args)
    if posted and form.validate() and not event.cancelled and not event.draft:
        with_waiting_list, b2b_only = form.choice(event)
        chosen = messages.recipients(event, with_waiting_list, b2b_only)
        sent = messages.send_message(event, chosen, form.subject.data or "", form.message.data or "",
                                     with_waiting_list, b2b_only, current_user.id)
        db.session.commit()
        flash_sent(sent, bool(chosen))
        return redirect(url_for(".message_registrants", uid=uid))
    return message_page(event, form, 422 if posted else 200)


@bp.post("/<uid>/message/preview")
@access("admin")
@admin_required
def message_preview(uid):
    """The live preview, never validated: a POST, since a message of a few thousand characters
    would make too long an address for a GET (gunicorn refuses a request line past 4 KB)."""
    return message_page(queries.get_event_or_404(uid, host=True), RegistrantMessageForm())


def message_page(event, form, status=200):
    """The page, or to htmx its preview: the recipients, and the first one's mail in their language."""
    chosen = messages.recipients(event, *form.choice(event))
    subject, text = form.subject.data or "", form.message.data or ""
    new = messages.to_send(event, chosen, subject, text)
    preview = first_mail(chosen, lambda person: messages.compose(event, person, subject, text))
    return render("event_admin/message.html", "event_admin/_message_preview.html", status,
                  event=event, form=form, chosen=chosen, new=new, had=len(chosen) - len(new), preview=preview,
                  sent=messages.sent_messages(event), audiences=AUDIENCE_LABELS)


def flash_sent(sent, anyone):
    """Say how many mails went, or why none did (a double submit, or nobody chosen)."""
    if sent:
        flash(ngettext("%(num)d e-mail queued.", "%(num)d e-mails queued.", sent), "success")
        flash_mail_note()
    elif anyone:
        flash(_("Nothing was sent: everyone chosen has already received this message."), "info")
    else:
        flash(_("Nothing was sent: no member of this portal is registered with these choices."), "info")


@bp.route("/<uid>/budget", methods=["GET", "POST"])
@access("admin")
@admin_required
def budget_page(uid):
    event = queries.get_event_or_404(uid, host=True)
    hosts = queries.hosts_of(event)
    form = CostForm(hosts=hosts)
    if not form.is_submitted():  # this portal's budget: a co-host's costs are its own, not the lead's
        form.paid_by.data = local_cluster()
    if form.validate_on_submit():
        cents = int((form.amount.data * 100).quantize(Decimal("1")))
        budget.add_cost(event, form.category.data, (form.label.data or "").strip(), cents, form.paid_by.data)
        db.session.commit()
        return redirect(url_for(".budget_page", uid=uid))
    return render("event_admin/budget.html", "event_admin/budget.html", status=422 if form.errors else 200,
                  event=event, form=form, hosts=hosts, summary=budget.summary(event), delete_form=MessageForm(),
                  names=queries.cluster_names())


@bp.post("/<uid>/budget/<int:cost_id>/delete")
@access("admin")
@admin_required
def delete_cost(uid, cost_id):
    event = queries.get_event_or_404(uid, host=True)
    cost = db.session.get(EventCost, cost_id)
    if cost is None or cost.event_uid != event.uid:
        abort(404)
    if MessageForm().validate_on_submit():
        budget.delete_cost(cost)
        db.session.commit()
    return redirect(url_for(".budget_page", uid=uid))
