"""Privacy pages: download or delete my data; consents and the sharing audit for administrators."""
import json
from datetime import date

from flask import Blueprint, current_app, flash, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, logout_user

from portal.accounts.auth import admin_required
from portal.accounts.services import too_many_failures
from portal.extensions import db
from portal.federation.queries import get_peer_or_404
from portal.htmx import go, render
from portal.i18n import utc_minute
from portal.privacy import queries, services
from portal.privacy.export import my_data
from portal.privacy.forms import DeleteAccountForm
from portal.security import access
from portal.spreadsheet import csv_response

bp = Blueprint("privacy", __name__)


@bp.app_template_filter("privacy_when")
def privacy_when(moment):
    """A moment in UTC to the minute in the site's date style ("6 mai 2026, 07:08 UTC"), or a dash."""
    if moment is None:
        return "—"
    return utc_minute(moment)


#: The protocol's record types (PROTOCOL.md section 5) as administrators read them.
RECORD_TYPES = {
    "organisation": _l("Organisations"), "person": _l("People"), "listing": _l("Offers and needs"),
    "event": _l("Events"), "agenda_item": _l("Agenda items"), "registration": _l("Registrations"),
    "registration_decision": _l("Registration decisions"), "meeting_request": _l("Meeting requests"),
    "meeting_reply": _l("Meeting replies"), "meeting": _l("Meetings"), "survey_response": _l("Survey answers"),
}


@bp.app_template_filter("record_type")
def record_type(kind):
    """A record type's name for people (an unknown one as the protocol spells it)."""
    return RECORD_TYPES.get(kind, kind)


def attachment(body, mimetype, filename):
    response = current_app.response_class(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/account/data.json")
@access("member")
@login_required
def download():
    body = json.dumps(my_data(current_user), ensure_ascii=False, indent=2)
    return attachment(body, "application/json", f"my-data-{date.today().isoformat()}.json")


@bp.get("/account/delete")
@access("member")
@login_required
def confirm_delete():
    return _delete_page(DeleteAccountForm())


def _delete_page(form, status=200):
    organisation, listings = services.left_behind(current_user)
    return render("privacy/delete.html", "privacy/_delete_form.html", status=status, form=form,
                  organisation=organisation, open_listings=len(listings))


@bp.post("/account/delete")
@access("member")
@login_required
def delete():
    form = DeleteAccountForm()
    if form.validate_on_submit():
        try:
            services.delete_account(current_user._get_current_object(), form.password.data,
                                    close_listings=form.close_listings.data)
        except services.WrongPassword as error:
            db.session.commit()  # the failure counts, as at log-in
            form.password.errors = [too_many_failures(error.wait) if error.wait else _("This is not your password.")]
        else:
            db.session.commit()
            logout_user()
            flash(_("Your account and your personal data are deleted."), "info")
            return go(url_for("main.home"))
    return _delete_page(form, status=422)


@bp.get("/admin/members/consents")
@access("admin")
@admin_required
def consents():
    return render("privacy/consents.html", "privacy/_consents.html", rows=queries.consents())


@bp.get("/admin/members/consents.csv")
@access("admin")
@admin_required
def consents_csv():
    return csv_response(queries.consents_csv(queries.consents()), "consents.csv")


@bp.get("/admin/federation/<peer_id>/sharing")
@access("admin")
@admin_required
def sharing(peer_id):
    peer = get_peer_or_404(peer_id)
    pulls = queries.pulls(peer_id)
    records = queries.personal_records(peer_id)
    people, events = queries.named(records)
    return render("privacy/sharing.html", "privacy/_sharing.html", peer=peer, pulls=pulls,
                  totals=queries.type_totals(pulls), records=records, people=people, events=events)


@bp.get("/admin/federation/<peer_id>/sharing.csv")
@access("admin")
@admin_required
def sharing_csv(peer_id):
    get_peer_or_404(peer_id)
    rows = queries.personal_csv(queries.personal_records(peer_id, limit=None), type_label=record_type)
    return csv_response(rows, f"sharing-{peer_id}.csv")
