"""Account reads: members, organisations, people, peers; and the `*_or_404` guards."""
import hashlib
import hmac
from datetime import timedelta

from flask import abort, current_app
from flask_login import current_user
from sqlalchemy import delete, func, select

from portal.accounts import throttle
from portal.accounts.models import STATUSES, UnknownAddress, User
from portal.accounts.passwords import read_reset_token
from portal.directory.models import Listing, Organisation, Person
from portal.directory.queries import paged
from portal.extensions import db
from portal.federation.models import Peer
from portal.federation.records import local_cluster, utcnow
from portal.text import sort_key


def user_by_email(email):
    """The account of an e-mail address, whatever its case."""
    return db.session.scalar(select(User).where(func.lower(User.email) == (email or "").strip().lower()))


def login_delay(email):
    """How long `email` must still wait before trying to log in again (the throttle's), account or not."""
    return throttle.delay_for(user_by_email(email) or unknown_address(email))


def unknown_address(email, create=False):
    """The throttle's count of an address without an account (`create`: a new one when none,
    after forgetting the counts of addresses that failed last 30 days ago)."""
    # Keyed with the portal's secret: a plain digest of an address is found again by trying addresses.
    digest = hmac.new(current_app.config["SECRET_KEY"].encode(), (email or "").strip().lower().encode(),
                      hashlib.sha256).hexdigest()
    found = db.session.get(UnknownAddress, digest)
    if found is None and create:
        db.session.execute(delete(UnknownAddress).where(UnknownAddress.last_failed_at < utcnow() - timedelta(days=30)))
        found = UnknownAddress(address_digest=digest, failed_logins=0)
        db.session.add(found)
    return found


def local_organisations():
    """This cluster's organisations, the ones a new member may join (not one awaiting approval)."""
    return db.session.scalars(
        select(Organisation).where(Organisation.origin == local_cluster(), Organisation.pending.is_(False))
        .order_by(Organisation.name)).all()


def local_organisation_named(name):
    """The organisation of `local_organisations()` named `name`, spaces, case and accents aside; or None."""
    wanted = _name_key(name)
    return next((organisation for organisation in local_organisations() if _name_key(organisation.name) == wanted),
                None)


def pending_organisation_named(name):
    """This cluster's organisation awaiting approval named `name` (spaces, case and accents aside), made
    by a sign-up not approved yet; or None."""
    wanted = _name_key(name)
    pending = db.session.scalars(select(Organisation).where(Organisation.origin == local_cluster(),
                                                            Organisation.pending.is_(True))
                                 .order_by(Organisation.uid))
    return next((organisation for organisation in pending if _name_key(organisation.name) == wanted), None)


def _name_key(name):
    return sort_key(" ".join((name or "").split()))


def _members(status, words=None):
    """Accounts, optionally of one status, and with `words` in their name or e-mail address
    (any case; % and _ are letters here)."""
    query = select(User)
    if status in STATUSES:
        query = query.where(User.status == status)
    words = (words or "").strip().lower()
    if words:
        named = select(Person.uid).where(func.lower(Person.display_name).contains(words, autoescape=True))
        query = query.where(func.lower(User.email).contains(words, autoescape=True) | User.person_uid.in_(named))
    return query


NEWEST_MEMBERS = (User.created_at.desc(), User.id.desc())


def members(status=None):
    """Accounts, newest first, optionally of one status."""
    return db.session.scalars(_members(status).order_by(*NEWEST_MEMBERS)).unique().all()


def members_page(status=None, page=1, page_size=20, words=None):
    """One `Page` of `members(status)`, with `words` in their name or e-mail address."""
    return paged(_members(status, words), NEWEST_MEMBERS, page, page_size)


def status_counts():
    counts = dict(db.session.execute(select(User.status, func.count()).group_by(User.status)).all())
    return {status: counts.get(status, 0) for status in STATUSES}


def organisations_overview():
    """Every organisation known here, local first, with its number of local accounts."""
    accounts = (select(Person.organisation_uid, func.count(User.id).label("accounts"))
                .join(User, User.person_uid == Person.uid).group_by(Person.organisation_uid).subquery())
    rows = db.session.execute(
        select(Organisation, func.coalesce(accounts.c.accounts, 0))
        .outerjoin(accounts, accounts.c.organisation_uid == Organisation.uid)).all()
    local = local_cluster()
    # Sorted here: SQL orders by code point, "Énergies" after "Vigie" and "UVenta" before "Ultrafast".
    return sorted(rows, key=lambda row: (row[0].origin != local, sort_key(row[0].name), row[0].uid))


def organisation_in_use(uid):
    """Whether a person or a listing still belongs to the organisation."""
    return any(db.session.scalar(select(model.uid).where(model.organisation_uid == uid).limit(1)) is not None
               for model in (Person, Listing))


def active_admins():
    return db.session.scalars(select(User).where(User.role == "admin", User.status == "active")).unique().all()


def user_of_person(person_uid):
    return db.session.scalar(select(User).where(User.person_uid == person_uid))


def peer_of(cluster_id):
    return db.session.get(Peer, cluster_id)


def get_person_or_404(uid):
    """A person's profile; a local one whose account is disabled (or not yet approved) is gone for members."""
    person = db.session.get(Person, uid)
    if person is None:
        abort(404)
    if person.is_local:
        user = user_of_person(uid)
        if user is not None and (user.status == "disabled" or user.status == "pending" and not _may_see_pending(user)):
            abort(404)
    return person


def _may_see_pending(user):
    """A pending member's profile is theirs and the administrators' until approval."""
    return current_user.is_authenticated and (current_user.is_admin or current_user.id == user.id)


def get_member_or_404(user_id):
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


def reset_token_user(token):
    """The account a password-reset link is for; raises ResetTokenError (expired, invalid, used)."""
    return read_reset_token(token, lambda ident: db.session.get(User, ident))
