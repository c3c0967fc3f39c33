"""Federation pages for administrators: peers, status, quarantine."""
import json
from datetime import datetime, timedelta, timezone

from flask import Blueprint, abort, current_app, flash, make_response, redirect, render_template, request, url_for
from flask_babel import format_timedelta
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.accounts.auth import admin_required
from portal.extensions import db
from portal.federation import client, queries, services, sync
from portal.federation.forms import ActionForm, AddPeerForm, ConfirmKeyForm, ConfirmPeerForm
from portal.federation.models import Peer
from portal.htmx import is_htmx, render
from portal.i18n import utc_minute, utc_time
from portal.security import access

bp = Blueprint("peers", __name__, url_prefix="/admin/federation")

STATE_LABELS = {"ok": _l("In sync"), "behind": _l("Behind"), "error": _l("Error"),
                "waiting": _l("Waiting for its side"),
                "key_changed": _l("Key changed"), "not_peered": _l("Not peered")}
PEERING_LABELS = {"pending": _l("awaiting confirmation"), "confirmed": _l("confirmed"), "removed": _l("removed")}


@bp.app_template_filter("fed_state_label")
def fed_state_label(state):
    return STATE_LABELS.get(state, state)


@bp.app_template_filter("fed_peering_label")
def fed_peering_label(state):
    return PEERING_LABELS.get(state, state)


@bp.app_template_filter("fed_pretty_json")
def fed_pretty_json(value):
    """Indented JSON text; the template escapes it like any other text."""
    return json.dumps(value, indent=2, ensure_ascii=False, sort_keys=True)


@bp.app_template_filter("fed_when")
def fed_when(moment):
    """"29 Nov 2026, 04:22 UTC (2 minutes ago)": the site's date style, in UTC for admins."""
    if moment is None:
        return "—"
    ago = format_timedelta(moment - datetime.now(timezone.utc), add_direction=True)
    return f"{utc_minute(moment)} ({ago})"


@bp.app_template_filter("fed_in")
def fed_in(seconds):
    """"in 21 minutes", "in 40 seconds": how long until a peer backing off is tried again."""
    return format_timedelta(timedelta(seconds=seconds), add_direction=True)


bp.add_app_template_filter(utc_time, "fed_clock")  # "14:05 UTC", as the other times of these pages


def status_page(add_form=None, status=200, key_form=None, convergence=None):
    """The status page; `convergence` ({cluster_id: `convergence_result()`}) shows a check's result in its row."""
    rows = queries.status_rows()
    key_forms = {row["peer"].cluster_id: ConfirmKeyForm(prefix=row["peer"].cluster_id, formdata=None)
                 for row in rows if row["peer"].new_fingerprint}
    if key_form is not None:
        key_forms[key_form._prefix.rstrip("-")] = key_form
    return render("federation/status.html", "federation/_peers.html", status=status, rows=rows,
                  add_form=add_form or AddPeerForm(), action=ActionForm(), key_forms=key_forms,
                  heartbeat=queries.worker_heartbeat(), me=queries.info(), convergence=convergence or {})


@bp.get("")
@access("admin")
@admin_required
def status():
    return status_page()


@bp.route("/peers", methods=["GET", "POST"])
@access("admin")
@admin_required
def add():
    """Fetch the identity at the URL and show it, with its fingerprint, for confirmation.

    A GET (the address bar still shows this URL after a refused form is reloaded) goes back
    to the status page."""
    if request.method == "GET":
        return redirect(url_for("peers.status"))
    form = AddPeerForm()
    if not form.validate_on_submit():
        return status_page(form, 422)
    try:
        base_url, info = services.fetch_identity(form.url.data)
        known = db.session.get(Peer, info["cluster_id"])
        if known is not None and known.state == "confirmed" and known.fingerprint == info["fingerprint"]:
            raise services.PeeringError(_("%(name)s is already a partner of this portal.", name=known.name))
        peer = services.propose_peer(base_url, info)
    except services.PeeringError as error:
        form.url.errors = list(form.url.errors) + [str(error)]
        return status_page(form, 422)
    db.session.commit()
    return render("federation/confirm.html", "federation/_confirm.html", peer=peer,
                  form=ConfirmPeerForm(fingerprint=peer.fingerprint))


@bp.post("/peers/<cluster_id>/confirm")
@access("admin")
@admin_required
def confirm(cluster_id):
    peer = queries.get_peer_or_404(cluster_id)
    form = ConfirmPeerForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.confirm_peer(peer, form.fingerprint.data)
    except services.PeeringError as error:
        flash(str(error), "error")
        return redirect(url_for("peers.status"))
    db.session.commit()
    if services.introduce(peer):
        flash(_("%(name)s is now a peer, and it has added this portal too: its records arrive within seconds.",
                name=peer.name), "success")
    else:
        flash(_("%(name)s is now a peer. It answers once its administrator adds this portal too.",
                name=peer.name), "success")
    return redirect(url_for("peers.status"))


@bp.post("/peers/<cluster_id>/remove")
@access("admin")
@admin_required
def remove(cluster_id):
    peer = queries.get_peer_or_404(cluster_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    services.remove_peer(peer)
    db.session.commit()
    flash(_("%(name)s removed: this portal no longer answers or pulls it.", name=peer.name), "success")
    return redirect(url_for("peers.status"))


@bp.post("/peers/<cluster_id>/key")
@access("admin")
@admin_required
def confirm_key(cluster_id):
    peer = queries.get_peer_or_404(cluster_id)
    form = ConfirmKeyForm(prefix=cluster_id)
    if form.validate_on_submit():
        try:
            services.confirm_key(peer, form.fingerprint.data)
            db.session.commit()
            flash(_("New key of %(name)s accepted; sync resumes.", name=peer.name), "success")
            return redirect(url_for("peers.status"))
        except services.PeeringError as error:
            form.fingerprint.errors = list(form.fingerprint.errors) + [str(error)]
    return status_page(status=422, key_form=form)


@bp.post("/peers/<cluster_id>/sync")
@access("admin")
@admin_required
def sync_now(cluster_id):
    peer = queries.get_peer_or_404(cluster_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    if peer.state == "confirmed" and not queries.is_pulling(peer):
        services.mark_pull_started(peer)  # the progress fragment polls from now on
        db.session.commit()
        sync.start_background_pull(current_app._get_current_object(), cluster_id)
    if not is_htmx():
        flash(_("Sync with %(name)s started.", name=peer.name), "success")
        return redirect(url_for("peers.status"))
    return progress_fragment(cluster_id, starting=True)


@bp.get("/peers/<cluster_id>/progress")
@access("admin")
@admin_required
def progress(cluster_id):
    return progress_fragment(cluster_id)


def fragment(template, **context):
    """A fragment for htmx; a person who opened its URL gets the status page."""
    if not is_htmx():
        return redirect(url_for("peers.status"))
    response = make_response(render_template(template, **context))
    response.vary.add("HX-Request")
    return response


def progress_fragment(cluster_id, starting=False):
    """The pull's progress while it runs; once it has ended, the peer's whole row, whose state,
    cursor, lag and errors the pull changed (htmx swaps the row in place of the progress)."""
    peer = queries.get_peer_or_404(cluster_id)
    db.session.refresh(peer)
    if starting or queries.is_pulling(peer):
        return fragment("federation/_progress.html", peer=peer, running=True, lag=queries.lag(peer))
    response = fragment("federation/_peer_row.html", row=queries.status_row(peer))
    if is_htmx():
        response.headers.update({"HX-Retarget": f"#peer-{peer.cluster_id}", "HX-Reswap": "outerHTML"})
    return response


@bp.post("/peers/<cluster_id>/convergence")
@access("admin")
@admin_required
def convergence(cluster_id):
    peer = queries.get_peer_or_404(cluster_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    result = convergence_result(peer)
    if not is_htmx():  # a plain form post: the status page, the result in the peer's row
        return status_page(convergence={peer.cluster_id: result})
    return fragment("federation/_convergence.html", peer=peer, **result)


#: Quarantined changes a convergence check links one by one; the rest are a link to the list.
QUARANTINE_LINKS = 10


def convergence_result(peer):
    """What `_convergence.html` shows: the check or the error, and the peer's changes in quarantine
    (records it publishes that we refused: a difference the administrator can act on)."""
    try:
        check, error = sync.check_convergence(peer), None
    except client.PeerError as failure:
        return {"check": None, "error": str(failure), "quarantined": [], "more_quarantined": 0}
    entries = queries.quarantine(peer.cluster_id) if check else []
    return {"check": check, "error": error, "quarantined": entries[:QUARANTINE_LINKS],
            "more_quarantined": max(0, len(entries) - QUARANTINE_LINKS)}


@bp.get("/quarantine")
@access("admin")
@admin_required
def quarantine():
    return render("federation/quarantine.html", "federation/_quarantine.html",
                  entries=queries.quarantine(), action=ActionForm())


@bp.post("/quarantine/<int:entry_id>/retry")
@access("admin")
@admin_required
def retry(entry_id):
    entry = queries.get_quarantined(entry_id) or abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    if services.retry_quarantined(entry):
        flash(_("The change was applied (or was no longer needed)."), "success")
    else:
        flash(_("Still refused: %(reason)s", reason=entry.reason), "error")
    db.session.commit()
    return redirect(url_for("peers.quarantine"))


@bp.post("/quarantine/<int:entry_id>/discard")
@access("admin")
@admin_required
def discard(entry_id):
    entry = queries.get_quarantined(entry_id) or abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    services.discard_quarantined(entry)
    db.session.commit()
    flash(_("The change was discarded."), "success")
    return redirect(url_for("peers.quarantine"))
