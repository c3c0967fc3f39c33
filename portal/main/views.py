"""Home page, language switch and the cluster's logo."""
import os

from flask import Blueprint, Response, abort, current_app, redirect, render_template, request, send_from_directory, session, url_for
from flask_login import current_user
from sqlalchemy import func, select

from portal.accounts import queries as account_queries
from portal.accounts import services as account_services
from portal.accounts.auth import admin_required
from portal.directory import queries as directory_queries
from portal.events import queries as event_queries
from portal.events.models import Event
from portal.extensions import db
from portal.federation.queries import confirmed_peers
from portal.links import local_path
from portal.main import brand, for_you
from portal.security import access
from portal.surveys.constants import STAGE_LABELS

bp = Blueprint("main", __name__)


@bp.get("/")
@access("public")
def home():
    hosted, _partners = event_queries.upcoming_events()
    coming = [event for event in hosted if not event.cancelled][:2]  # the next days this cluster hosts
    names = directory_queries.cluster_names()
    person_uid = getattr(current_user, "person_uid", None)
    mine = for_you.coming_events(person_uid) if person_uid else []
    return render_template("main/home.html", stats=directory_queries.home_stats(),
                           latest=directory_queries.latest_listings(6), next_steps=next_steps(), coming=coming,
                           hosts={event.uid: event_queries.hosts_of(event, names) for event in coming},
                           mine=mine, surveys=for_you.surveys_to_answer(person_uid) if person_uid else [],
                           stage_labels=STAGE_LABELS)


def next_steps():
    """What an administrator still has to do to get the portal going (nothing once it runs):
    partner portals, members waiting for approval, a first event."""
    if not getattr(current_user, "is_admin", False):
        return {}
    steps = {"peers": not confirmed_peers(), "pending": account_queries.status_counts()["pending"],
             "events": db.session.scalar(select(func.count()).select_from(Event)) == 0}
    return steps if any(steps.values()) else {}


@bp.get("/admin/")
@access("admin")
@admin_required
def admin_home():
    """The administration's own address leads to its busiest page, the events."""
    return redirect(url_for("event_admin.index"))


@bp.post("/language")
@access("public")
def set_language():
    """Remember the visitor's language (a POST: it changes the session), and a member's on
    their account: their mail and calendar feed are written in it."""
    lang = request.form.get("lang")
    if lang in current_app.config["LANGUAGES"]:
        session["lang"] = lang
        if current_user.is_authenticated:
            account_services.set_language(current_user._get_current_object(), lang)
            db.session.commit()
    target = request.form.get("next")
    return redirect(target if local_path(target) else url_for("main.home"))


@bp.get("/brand.css")
@access("public")
def brand_css():
    """The cluster's colour as CSS (no inline styles: the CSP forbids them)."""
    css = brand.css(current_app.config["BRAND_COLOUR"])
    return Response(css, mimetype="text/css", headers={"Cache-Control": "public, max-age=300"})


LOGO_TYPES = {".svg", ".png", ".jpg", ".jpeg", ".webp", ".gif"}


@bp.get("/brand/logo")
@access("public")
def logo():
    """The cluster's logo, a picture in the instance folder: a setting naming anything else
    (`portal.toml`, the keys) serves nothing, whatever it says."""
    name = os.path.basename(current_app.config.get("LOGO") or "")
    if os.path.splitext(name)[1].lower() not in LOGO_TYPES:
        abort(404)
    return send_from_directory(current_app.instance_path, name)
