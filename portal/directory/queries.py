"""Directory reads: organisations, listings, people, cluster names and the home page's figures."""
from datetime import date
from typing import NamedTuple

from babel import Locale
from flask import current_app, has_request_context
from flask_babel import get_locale
from sqlalchemy import func, or_, select

from portal.directory.models import Listing, Organisation, Person
from portal.extensions import db
from portal.federation.models import Peer
from portal.text import folded, sort_key


class Page(NamedTuple):
    rows: list
    total: int
    number: int
    pages: int


def paged(query, order_by, number, size):
    """One page of `query` in `order_by`; a number past the end gives the last page, as the directory does."""
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    number, pages = page_number(total, number, size)
    rows = db.session.scalars(query.order_by(*order_by).limit(size).offset((number - 1) * size)).unique().all()
    return Page(rows, total, number, pages)


def page_number(total, number, size):
    """(the page to show, how many there are) for `total` rows: past the end, the last page."""
    pages = max(1, -(-total // size))
    return min(number, pages), pages


def home_stats():
    """The home page's figures; listings counted as the directory shows them by default (open, current)."""
    counts = dict(db.session.execute(
        select(Listing.kind, func.count()).where(Listing.status == "open", not_expired())
        .group_by(Listing.kind)).all())
    return {"offers": counts.get("offer", 0), "needs": counts.get("need", 0),
            "organisations": db.session.scalar(select(func.count()).select_from(Organisation)
                                               .where(Organisation.pending.is_(False)))}


def latest_listings(limit):
    return db.session.scalars(
        select(Listing).where(Listing.status == "open", not_expired())
        .order_by(Listing.created_at.desc()).limit(limit)).all()


def not_expired(today=None):
    return or_(Listing.valid_until.is_(None), Listing.valid_until >= (today or date.today()))


def cluster_names():
    """cluster_id to display name: this portal's and every peer's we know."""
    names = dict(db.session.execute(select(Peer.cluster_id, Peer.name)).all())
    names[current_app.config["CLUSTER_ID"]] = current_app.config["CLUSTER_NAME"]
    return names


def cluster_choices():
    """(cluster_id, name) for a filter: this cluster first, then every peer we know."""
    peers = db.session.execute(select(Peer.cluster_id, Peer.name).order_by(Peer.name)).all()
    return [(current_app.config["CLUSTER_ID"], current_app.config["CLUSTER_NAME"])] + [tuple(p) for p in peers]


def home_url(record, path):
    """The page of a peer's record on its home portal (None for ours, or an unknown peer)."""
    if record.is_local:
        return None
    peer = db.session.get(Peer, record.origin)  # one lookup with former_partner's (the identity map)
    return peer.base_url.rstrip("/") + path if peer is not None and peer.base_url else None


def former_partner(record):
    """A peer's record kept after this portal stopped exchanging with its home (the peer removed)."""
    if record.is_local:
        return False
    peer = db.session.get(Peer, record.origin)
    return peer is not None and peer.state == "removed"


def country_names(codes):
    """ISO code to the country's name in the visitor's language."""
    names = territories()
    return {code: names.get(code, code) for code in codes}


def territories():
    """Every ISO code Babel knows to its name in the visitor's language."""
    locale = get_locale() if has_request_context() else None
    return (locale or Locale("en")).territories


def countries_in_use():
    """The countries of the organisations we know: the only useful values of a country filter."""
    return db.session.scalars(select(Organisation.country).distinct()
                              .where(Organisation.country.is_not(None), Organisation.country != "",
                                     Organisation.pending.is_(False))).all()


def organisations(name=None, kind=None, country=None, special_guests=False, cluster=None, page=1, page_size=20):
    """A `Page` of organisations in alphabetical order, filtered (none awaiting approval); `name`: a
    part of it. Accents and case aside, both: "Énergies" among the E's, found by "energie". The
    names are compared here, not in SQL, which would order by code point on SQLite (a cluster's
    partners are counted in thousands at most)."""
    query = select(Organisation.name, Organisation.uid).where(Organisation.pending.is_(False))
    if kind:
        query = query.where(Organisation.kind == kind)
    if country:
        query = query.where(Organisation.country == country)
    if special_guests:
        query = query.where(Organisation.special_guest.is_(True))
    if cluster:
        query = query.where(Organisation.origin == cluster)
    part = folded((name or "").strip())
    rows = db.session.connection().execute(query).all()  # plain rows: the ORM's loading cost 2 ms at 2,000
    ordered = sorted((sort_key(found), uid) for found, uid in rows if not part or part in folded(found))
    number, pages = page_number(len(ordered), page, page_size)
    uids = [uid for _, uid in ordered[(number - 1) * page_size:number * page_size]]
    rows = db.session.scalars(select(Organisation).where(Organisation.uid.in_(uids))).unique().all()
    return Page(sorted(rows, key=lambda row: uids.index(row.uid)), len(ordered), number, pages)


def organisation_listings(organisation_uid, include_closed=False, include_expired=False):
    return _listings(Listing.organisation_uid == organisation_uid, include_closed, include_expired)


def contact_listings(person_uid):
    """The open listings that name the person as their contact, newest first (their profile's)."""
    return _listings(Listing.person_uid == person_uid)


def _listings(condition, include_closed=False, include_expired=False):
    query = select(Listing).where(condition)
    if not include_closed:
        query = query.where(Listing.status == "open")
    if not include_expired:
        query = query.where(not_expired())
    return db.session.scalars(query.order_by(Listing.created_at.desc())).all()


def public_people(organisation_uid, members=False):
    """People of an organisation whose profile is public (replicas are public by construction), by name.
    `members`: the reader is an approved member of this portal, who sees the profiles kept on it too."""
    query = select(Person).where(Person.organisation_uid == organisation_uid)
    if not members:
        query = query.where(Person.share_profile.is_(True) | (Person.origin != current_app.config["CLUSTER_ID"]))
    return by_name(db.session.scalars(query))


def organisation_people(organisation_uid):
    """Every local person of an organisation (for choosing a listing's contact), by name."""
    return by_name(db.session.scalars(
        select(Person).where(Person.organisation_uid == organisation_uid,
                             Person.origin == current_app.config["CLUSTER_ID"])))


def by_name(people):
    """`people` in alphabetical order, accents and case aside ("Élodie" before "Fabien")."""
    return sorted(people, key=lambda person: (sort_key(person.display_name), person.uid))


def public_person(person, members=False):
    """The person if others may see their profile, else None. A profile not shared with partner
    clusters stays on this portal: `members` (the reader is one of its approved members) sees it too."""
    if person is None or not (members or person.share_profile or not person.is_local):
        return None
    return person
