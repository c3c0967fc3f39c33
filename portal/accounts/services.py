"""Account writes: sign-up, log-in and out, password reset and change, approval and roles, profile, consent.

Services flush; the request (or the CLI command) commits once.
"""
import math
import secrets

from flask import current_app, render_template
from flask_babel import gettext as _, ngettext

from portal.accounts import queries, throttle
from portal.accounts.models import ROLES, User
from portal.accounts.passwords import hash_password, make_reset_token, password_problem, verify_password
from portal.directory.models import Organisation, Person
from portal.extensions import db
from portal.federation.records import utcnow
from portal.forms import FieldRefusal
from portal.i18n import in_language_of
from portal.links import external_url
from portal.mail.services import queue_mail
from portal.privacy.services import drop_unused_pending_organisation, erase_person, forget_account


class AccountError(FieldRefusal):
    """A rule of the accounts feature refused the operation; `field` names the form field."""


def new_session_token():
    return secrets.token_urlsafe(24)


def _acceptable_password(password, email):
    """A password's strength again, and not the account's address (which a reset form does not know)."""
    problem = password_problem(password, email)
    if problem:
        raise AccountError("password", str(problem))


def sign_up(email, password, display_name, job_title="", organisation_uid=None, new_organisation=None):
    """A pending account, its person, and (unless joining one) a new organisation."""
    email = email.strip().lower()
    if queries.user_by_email(email) is not None:
        raise AccountError("email", _("An account with this e-mail address exists already: "
                                      "log in, or reset your password."))
    _acceptable_password(password, email)
    if organisation_uid:
        organisation = db.session.get(Organisation, organisation_uid)
        if organisation is None or not organisation.is_local or organisation.pending:
            raise AccountError("organisation_uid", _("Choose an organisation from the list."))
    else:
        existing = queries.local_organisation_named(new_organisation["name"])
        if existing is not None:
            raise AccountError("organisation_name", _(
                "An organisation named “%(name)s” exists already: choose it in the list of organisations instead.",
                name=existing.name))
        # A colleague's sign-up, still waiting, made it already: joined, not made twice (the
        # administrator would approve two of them, both shown then).
        organisation = queries.pending_organisation_named(new_organisation["name"])
        if organisation is None:
            # Neither shown nor published until an administrator approves the member.
            organisation = Organisation(**new_organisation, pending=True)
            db.session.add(organisation)
            db.session.flush()
    person = Person(display_name=display_name, job_title=job_title or "", organisation_uid=organisation.uid,
                    share_profile=False)
    db.session.add(person)
    db.session.flush()
    user = User(email=email, password_hash=hash_password(password), role="member", status="pending",
                person_uid=person.uid, session_token=new_session_token(), failed_logins=0)
    db.session.add(user)
    db.session.flush()
    _tell_admins_about(user, person, organisation)
    return user


def _tell_admins_about(user, person, organisation):
    link = external_url("accounts.admin_members", status="pending")
    for admin in queries.active_admins():
        with in_language_of(admin):
            subject = _("New member waiting for approval: %(name)s", name=person.display_name)
            body = render_template("accounts/mail/signup_pending.txt", user=user, person=person,
                                   organisation=organisation, link=link)
        queue_mail(admin.email, subject, body, dedupe_key=f"accounts:signup:{user.id}:{admin.id}")


def authenticate(email, password, now=None):
    """(user, None) on success, else (None, reason): invalid, wait (throttled) or disabled."""
    now = now or utcnow()
    user = queries.user_by_email(email)
    if user is None:  # slowed down as an account is, at about the cost of a check: nothing tells it apart
        unknown = queries.unknown_address(email, create=True)
        if throttle.delay_for(unknown, now):
            return None, "wait"
        hash_password(password)
        throttle.record_failure(unknown, now)
        unknown.last_failed_at = now
        db.session.flush()
        return None, "invalid"
    problem = _check_password(user, password, now)
    if problem:
        return None, problem
    if user.status == "disabled":
        return None, "disabled"
    throttle.record_success(user)
    user.last_login_at = now
    user.session_token = user.session_token or new_session_token()
    db.session.flush()
    return user, None


def _check_password(user, password, now):
    """None when `password` is the account's, else why not: "wait" (throttled) or "invalid" (a
    failure, counted by the throttle: the log-in and the password change share it)."""
    if throttle.delay_for(user, now):
        return "wait"
    if not verify_password(user.password_hash, password):
        throttle.record_failure(user, now)
        db.session.flush()
        return "invalid"
    return None


def too_many_failures(delay):
    """The refusal of a throttled account with the real wait, rounded up: in seconds under a
    minute, else in minutes (the throttle doubles the wait from 2 seconds to 15 minutes)."""
    seconds = max(1, math.ceil(delay.total_seconds()))
    if seconds < 60:
        return ngettext("Too many failed attempts: wait %(num)d second, then try again.",
                        "Too many failed attempts: wait %(num)d seconds, then try again.", seconds)
    return ngettext("Too many failed attempts: wait %(num)d minute, then try again.",
                    "Too many failed attempts: wait %(num)d minutes, then try again.", math.ceil(seconds / 60))


def set_language(user, language):
    """The language of a member's mail and calendar feed (one of LANGUAGES)."""
    user.language = language
    db.session.flush()


def log_out_everywhere(user):
    """A new session token: every session of this account and its remember-me cookies end
    (the caller logs the current session in again with the new token)."""
    user.session_token = new_session_token()
    db.session.flush()


def request_password_reset(email, asked_in=None):
    """Queue a reset link for the account of `email`, if any, in the account's language, else
    `asked_in` (the page's: an account is not given the language of whoever typed its address);
    True when one was queued."""
    user = queries.user_by_email(email)
    if user is None or user.status == "disabled":
        return False
    link = external_url("accounts.reset_password", token=make_reset_token(user))
    minutes = current_app.config["PASSWORD_RESET_MAX_AGE"] // 60
    with in_language_of(user, asked_in):
        subject = _("Reset your password on %(portal)s", portal=current_app.config["CLUSTER_NAME"])
        body = render_template("accounts/mail/reset_password.txt", user=user, link=link, minutes=minutes)
    queue_mail(user.email, subject, body)
    return True


def reset_password(token, password):
    """Set a new password from a reset link (once: the link is bound to the old password)."""
    user = queries.reset_token_user(token)
    _acceptable_password(password, user.email)
    user.password_hash = hash_password(password)
    user.session_token = new_session_token()
    throttle.record_success(user)
    db.session.flush()
    return user


def change_password(user, current_password, password, now=None):
    """A member's new password, given the current one; their other sessions end as with
    `log_out_everywhere` (the caller logs this session in again). A wrong current password
    counts as a failed log-in: this form is no way round the log-in's throttle."""
    now = now or utcnow()
    problem = _check_password(user, current_password, now)
    if problem == "wait":
        raise AccountError("current_password", too_many_failures(throttle.delay_for(user, now)))
    if problem:
        raise AccountError("current_password", _("This is not your current password."))
    if password == current_password:
        raise AccountError("password", _("The new password is the one you have now: choose another."))
    _acceptable_password(password, user.email)
    throttle.record_success(user)
    user.password_hash = hash_password(password)
    log_out_everywhere(user)
    return user


def approve_member(user, by):
    """An active member: they may publish, and the organisation they made at sign-up shows and
    federates. Also re-enables a disabled account; only the first approval is mailed."""
    _not_yourself(user, by)
    if user.status == "active":
        return user
    user.status = "active"
    first = user.approved_at is None
    user.approved_at = user.approved_at or utcnow()
    organisation = user.person.organisation if user.person is not None else None
    if organisation is not None and organisation.pending:
        organisation.pending = False  # the ledger publishes it now, as any new record
    db.session.flush()
    if not first:
        return user
    with in_language_of(user):
        subject = _("Your account on %(portal)s is approved", portal=current_app.config["CLUSTER_NAME"])
        body = render_template("accounts/mail/approved.txt", user=user, link=external_url("accounts.profile"))
    queue_mail(user.email, subject, body, dedupe_key=f"accounts:approved:{user.id}:{int(user.approved_at.timestamp())}")
    return user


def disable_member(user, by):
    """No more log-in; open sessions end, and the profile stops being shared with partners."""
    _not_yourself(user, by)
    user.status = "disabled"
    user.session_token = new_session_token()
    if user.person is not None and user.person.share_profile:
        user.person.set_sharing(False)
    db.session.flush()
    return user


def refuse_member(user, by):
    """A pending sign-up refused (spam, a stranger): the account, its person and the organisation it
    created (still pending, nobody else in it) are deleted. None of them was ever published: the
    ORM deletions leave the ledger no data and peers no tombstone (never shared, never in the feed).

    No notice is mailed: the address was never confirmed, so it may belong to someone who never
    signed up.
    """
    _not_yourself(user, by)
    if user.status != "pending":
        raise AccountError("user", _("Only a sign-up waiting for approval can be refused."))
    person = user.person
    organisation_uid = person.organisation_uid if person is not None else None
    forget_account(user)
    if person is not None:
        erase_person(person.uid)
    db.session.flush()
    drop_unused_pending_organisation(organisation_uid)


def set_role(user, role, by):
    if role not in ROLES:
        raise AccountError("role", _("Unknown role."))
    _not_yourself(user, by)
    if user.status != "active":
        raise AccountError("role", _("Only an active account can change role: approve or enable it first."))
    user.role = role
    db.session.flush()
    return user


def _not_yourself(user, by):
    # An administrator cannot lock themself out (nor remove the last administrator that way).
    if user.id == by.id:
        raise AccountError("user", _("You cannot change your own account here."))


def update_profile(person, display_name, job_title, bio, topics, phone):
    """A member's own profile; a shared profile is published anew by the ledger."""
    person.display_name = display_name
    person.job_title = job_title or ""
    person.bio = bio or ""
    person.topics = list(topics)
    person.phone = phone or None
    db.session.flush()
    return person


def set_consent(user, share):
    """Share the profile with partner clusters, or stop (the ledger publishes a tombstone)."""
    person = user.person
    if share and not user.can_publish:
        raise AccountError("share_profile", _("You can share your profile once an administrator "
                                              "has approved your account."))
    if bool(person.share_profile) != share or person.consent_changed_at is None:
        person.set_sharing(share)
        db.session.flush()
    return person


def create_admin(email, password, display_name=None, organisation_name=None):
    """An active administrator (with a person), or an existing account promoted; (user, created).

    The name and the organisation given apply to an existing account's profile too: an
    administrator without an organisation cannot post offers or needs. An existing account
    keeps its password when `password` is None; a new one ends its other sessions."""
    user = queries.user_by_email(email)
    created = user is None
    if created:
        person = Person(display_name=email.split("@")[0], share_profile=False)
        db.session.add(person)
        db.session.flush()
        user = User(email=email.strip().lower(), person_uid=person.uid, session_token=new_session_token(),
                    failed_logins=0)
        db.session.add(user)
    else:
        person = user.person
    person.display_name = display_name or person.display_name
    if organisation_name:
        person.organisation_uid = _organisation_named(organisation_name)
    user.role, user.status = "admin", "active"
    user.approved_at = user.approved_at or utcnow()
    if password is not None:
        user.password_hash = hash_password(password)
        user.session_token = new_session_token()  # as any new password: other sessions end
    db.session.flush()
    return user, created


def _organisation_named(name):
    """The uid of the local organisation named `name` as sign-up matches names (spaces, case and
    accents aside), created if there is none."""
    existing = queries.local_organisation_named(name)
    if existing is not None:
        return existing.uid
    organisation = Organisation(name=" ".join(name.split()), kind="cluster")
    db.session.add(organisation)
    db.session.flush()
    return organisation.uid
