"""Account pages: log-in, sign-up, password reset, own profile and consent, people, members admin."""
from flask import (Blueprint, abort, current_app, flash, g, make_response, redirect, render_template, request,
                   session, url_for)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from portal.accounts import queries, services
from portal.accounts.auth import admin_required
from portal.accounts.forms import (ROLE_LABELS, STATUS_FILTER_LABELS, STATUS_LABELS, ChangePasswordForm,
                                   ConsentForm, LoginForm, ProfileForm, ResetPasswordForm, ResetRequestForm, RoleForm,
                                   SignupForm, split_topics)
from portal.accounts.models import STATUSES, User
from portal.accounts.passwords import ResetTokenError
from portal.directory.queries import contact_listings, home_url, public_person
from portal.directory.views import page_arg, page_url
from portal.links import local_path
from portal.extensions import db
from portal.federation.queries import confirmed_peers
from portal.forms import show_refusal
from portal.htmx import go, is_htmx, render
from portal.i18n import page_language
from portal.mail.services import flash_mail_note
from portal.security import access

bp = Blueprint("accounts", __name__)

@bp.app_template_filter("account_status_label")
def account_status_label(status):
    return STATUS_LABELS.get(status, status)


@bp.app_template_filter("account_status_filter_label")
def account_status_filter_label(status):
    return STATUS_FILTER_LABELS.get(status, status)


@bp.app_template_filter("account_role_label")
def account_role_label(role):
    return ROLE_LABELS.get(role, role)


def safe_next(target):
    """Only a path on this site: never an open redirect."""
    return target if local_path(target) else url_for("main.home")


#: Pages a "Log in" link does not come back to.
NOT_BACK_TO = frozenset({"accounts.login", "accounts.signup", "accounts.reset_request", "accounts.reset_password"})


@bp.app_template_global("login_url")
def login_url():
    """The log-in page, coming back afterwards to the page the visitor is on."""
    if request.method != "GET" or request.endpoint is None or request.endpoint in NOT_BACK_TO:
        return url_for("accounts.login")
    return url_for("accounts.login", next=request.full_path.rstrip("?"))


@bp.route("/login", methods=["GET", "POST"])
@access("public")
def login():
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")))
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        user, problem = services.authenticate(form.email.data, form.password.data)
        db.session.commit()
        if user is not None:
            if not user.language:  # the account's choice wins; else it keeps the page's, until they pick another
                services.set_language(user, page_language())
                db.session.commit()
            start_session(user)
            if user.status == "pending":
                flash(_("Your account is waiting for an administrator's approval."), "info")
            return go(safe_next(form.next.data))
        form.password.errors = [login_refusal(problem, form.email.data)]
    status = 422 if form.is_submitted() else 200
    return render("accounts/login.html", "accounts/_login_form.html", status=status, form=form)


def start_session(user):
    """Log `user` in on a new session: nothing from before (a CSRF token, a session a third party
    planted in the browser) survives into it, but the account's language."""
    session.clear()
    g.pop("csrf_token", None)  # nor the CSRF token cached for this request
    session["lang"] = user.language
    login_user(user)


def login_refusal(problem, email):
    """What `services.authenticate`'s refusal says beside the password; a throttled account is told how long to wait."""
    if problem == "wait":
        return services.too_many_failures(queries.login_delay(email))
    if problem == "disabled":
        return _("This account is disabled. Ask the cluster's team if you think it is a mistake.")
    return _("Wrong e-mail address or password.")


@bp.post("/logout")
@access("member")
@login_required
def logout():
    """This session only: the member's other devices stay logged in ("Log out everywhere" ends them)."""
    logout_user()
    flash(_("You are logged out."), "info")
    return go(url_for("main.home"))


@bp.post("/account/logout-everywhere")
@access("member")
@login_required
def logout_everywhere():
    """A lost phone, a shared computer: every other session and remember-me cookie ends; this one goes on."""
    user = current_user._get_current_object()
    services.log_out_everywhere(user)
    db.session.commit()
    login_user(user)  # this session, under the new token
    flash(_("You are logged out on every other device."), "info")
    return go(url_for("accounts.profile"))


@bp.route("/signup", methods=["GET", "POST"])
@access("public")
def signup():
    if current_user.is_authenticated:
        return redirect(url_for("accounts.profile"))
    form = SignupForm(queries.local_organisations())
    if form.validate_on_submit():
        try:
            user = services.sign_up(
                form.email.data, form.password.data, form.display_name.data, form.job_title.data,
                organisation_uid=form.organisation_uid.data or None,
                new_organisation=None if form.organisation_uid.data else {
                    "name": form.organisation_name.data, "kind": form.organisation_kind.data,
                    "country": form.organisation_country.data, "city": form.organisation_city.data})
        except services.AccountError as error:
            show_refusal(form, error)
            # Counted like an account created (security.COUNTED): else the answer "exists already"
            # would tell, without limit, which addresses have an account here.
            g.signup_address_taken = error.field == "email"
        else:
            # The language the form was read in is the member's, for their mail too, until they pick another.
            services.set_language(user, page_language())
            db.session.commit()
            start_session(user)
            # What a pending account may do is said on the page itself, for as long as it waits.
            flash(_("Welcome to %(portal)s! Your account is created.", portal=current_app.config["CLUSTER_NAME"]),
                  "success")
            return go(url_for("accounts.profile"))
    status = 422 if form.is_submitted() else 200
    return render("accounts/signup.html", "accounts/_signup_form.html", status=status, form=form)


@bp.route("/password/reset", methods=["GET", "POST"])
@access("public")
def reset_request():
    form = ResetRequestForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data, asked_in=page_language())
        db.session.commit()
        # The same answer whether or not the address has an account.
        flash(_("If an account uses this address, a message with a link to choose a new password is on its way."),
              "info")
        flash_mail_note()
        return go(url_for("accounts.login"))
    status = 422 if form.is_submitted() else 200
    return render("accounts/reset_request.html", "accounts/_reset_request_form.html", status=status, form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@access("public")
def reset_password(token):
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            services.reset_password(token, form.password.data)
        except ResetTokenError as error:
            return _bad_reset_link(error)
        except services.AccountError as error:
            show_refusal(form, error)
        else:
            db.session.commit()
            flash(_("Your password is changed: log in with it."), "info")
            return go(url_for("accounts.login"))
    if not form.is_submitted():
        try:
            queries.reset_token_user(token)
        except ResetTokenError as error:
            return _bad_reset_link(error)
    status = 422 if form.is_submitted() else 200
    return render("accounts/reset_password.html", "accounts/_reset_password_form.html", status=status,
                  form=form, token=token)


def _bad_reset_link(error):
    return render_template("accounts/reset_invalid.html", reason=error.reason), 400


@bp.route("/account", methods=["GET", "POST"])
@access("member")
@login_required
def profile():
    person = current_user.person
    if person is None:
        abort(404)
    form = profile_form(person)
    saved = False
    if form.validate_on_submit():
        services.update_profile(person, form.display_name.data, form.job_title.data, form.bio.data,
                                split_topics(form.topics.data), form.phone.data)
        db.session.commit()
        if not is_htmx():
            flash(_("Your profile is saved."), "info")
            return redirect(url_for("accounts.profile"))
        saved = True
    status = 422 if form.is_submitted() and not saved else 200
    return render("accounts/profile.html", "accounts/_profile_form.html", status=status,
                  **_profile_context(person, form=form, saved=saved))


@bp.post("/account/consent")
@access("member")
@login_required
def consent():
    person = current_user.person
    if person is None:
        abort(404)
    form = ConsentForm()
    saved = False
    if form.validate_on_submit():
        try:
            services.set_consent(current_user, form.share_profile.data == "yes")
        except services.AccountError as error:
            show_refusal(form, error)
        else:
            db.session.commit()
            if not is_htmx():
                flash(_("Your choice is saved."), "info")
                return redirect(url_for("accounts.profile"))
            saved = True
    return render("accounts/profile.html", "accounts/_consent.html", status=200 if saved else 422,
                  **_profile_context(person, consent_form=form, consent_saved=saved))


@bp.post("/account/password")
@access("member")
@login_required
def change_password():
    """This session goes on under the new password; the account's other sessions end."""
    person = current_user.person
    if person is None:
        abort(404)
    form = ChangePasswordForm()
    saved = False
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            services.change_password(user, form.current_password.data, form.password.data)
        except services.AccountError as error:
            show_refusal(form, error)
            db.session.commit()  # a wrong current password counts, as at log-in
        else:
            db.session.commit()
            login_user(user)  # this session, under the new token
            if not is_htmx():
                flash(_("Your password is changed."), "info")
                return redirect(url_for("accounts.profile"))
            saved = True
    return render("accounts/profile.html", "accounts/_password_form.html", status=200 if saved else 422,
                  **_profile_context(person, password_form=None if saved else form, password_saved=saved))


def profile_form(person):
    """The profile form, filled from the person (a POST's own values win)."""
    return ProfileForm(data={"display_name": person.display_name, "job_title": person.job_title,
                             "bio": person.bio, "topics": ", ".join(person.topics or []),
                             "phone": person.phone or ""})


def _profile_context(person, form=None, consent_form=None, password_form=None, saved=False, consent_saved=False,
                     password_saved=False):
    share = "yes" if person.share_profile else ("no" if person.consent_changed_at else None)
    return {"person": person, "user": current_user, "saved": saved, "consent_saved": consent_saved,
            "password_saved": password_saved, "form": form or profile_form(person),
            "consent_form": consent_form or ConsentForm(share_profile=share),
            "password_form": password_form or ChangePasswordForm(formdata=None),
            "peers": confirmed_peers(by_name=True)}


@bp.get("/people/<uid>")
@access("member")
@login_required
def person(uid):
    """A profile, to logged-in members; one not shared with partner clusters only to its person
    and the approved members of this portal (anyone can sign up and wait as pending)."""
    person = queries.get_person_or_404(uid)
    is_self = current_user.person_uid == person.uid
    if not (is_self or current_user.can_publish or public_person(person)):
        return render_template("accounts/awaiting_approval.html"), 403
    peer = None if person.is_local else queries.peer_of(person.origin)
    return render_template("accounts/person.html", person=person, is_self=is_self, peer=peer,
                           listings=contact_listings(person.uid),
                           home_url=home_url(person, url_for("accounts.person", uid=person.uid)),
                           email=current_user.email if is_self else None)


@bp.get("/admin/members")
@access("admin")
@admin_required
def admin_members():
    status = request.args.get("status")
    status = status if status in STATUSES else None
    words = (request.args.get("q") or "")[:200]
    found = queries.members_page(status, page=page_arg(), page_size=current_app.config["PAGE_SIZE"], words=words)
    return render("accounts/admin_members.html", "accounts/_members.html", filter_status=status, words=words,
                  members=found.rows, counts=queries.status_counts(), statuses=STATUSES,
                  page_number=found.number, pages=found.pages,
                  page_url=lambda n: page_url("accounts.admin_members", n))


@bp.post("/admin/members/<int:user_id>/approve")
@access("admin")
@admin_required
def approve_member(user_id):
    return _member_action(user_id, services.approve_member, _("%(email)s is approved."))


@bp.post("/admin/members/<int:user_id>/disable")
@access("admin")
@admin_required
def disable_member(user_id):
    return _member_action(user_id, services.disable_member, _("%(email)s is disabled."))


@bp.post("/admin/members/<int:user_id>/refuse")
@access("admin")
@admin_required
def refuse_member(user_id):
    return _member_action(user_id, services.refuse_member,
                          _("The sign-up of %(email)s is refused: the account and its data are deleted."))


@bp.post("/admin/members/<int:user_id>/role")
@access("admin")
@admin_required
def set_role(user_id):
    form = RoleForm()
    if not form.validate():
        abort(400)
    return _member_action(user_id, lambda user, by: services.set_role(user, form.role.data, by),
                          _("%(email)s is now an administrator.") if form.role.data == "admin"
                          else _("%(email)s is now a member."))


def _member_action(user_id, action, done):
    member = queries.get_member_or_404(user_id)
    member_id, email = member.id, member.email  # a refused account is gone after the commit
    error = None
    try:
        action(member, current_user._get_current_object())
    except services.AccountError as refused:
        error = refused.message
    else:
        db.session.commit()
    done = done % {"email": email}
    status = request.args.get("status") if request.args.get("status") in STATUSES else None
    words = request.args.get("q") or None
    if is_htmx():
        if error is None and db.session.get(User, member_id) is None:
            row = render_template("accounts/_member_gone.html", member_id=member_id, message=done)
        else:
            row = render_template("accounts/_member_row.html", member=member, row_error=error,
                                  row_done=None if error else done, filter_status=status, words=words)
        filters = render_template("accounts/_member_filters.html", oob=True, filter_status=status, words=words,
                                  counts=queries.status_counts(), statuses=STATUSES)
        response = make_response(row + filters, 422 if error else 200)
        response.vary.add("HX-Request")
        return response
    flash(error or done, "error" if error else "info")
    return redirect(url_for("accounts.admin_members", status=status, q=words))


@bp.get("/admin/organisations")
@access("admin")
@admin_required
def admin_organisations():
    return render_template("accounts/admin_organisations.html", organisations=queries.organisations_overview())
