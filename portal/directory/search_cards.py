"""Search results as cards: the page's listings read by one prebuilt statement, as plain values."""
from dataclasses import dataclass
from datetime import date

from sqlalchemy import bindparam, select

from portal.directory.models import Listing, Organisation
from portal.extensions import db
from portal.federation.records import local_cluster

#: What a result card shows; the rest (the description above all) loads only if asked for.
CARD_COLUMNS = (Listing.uid, Listing.origin, Listing.kind, Listing.organisation_uid, Listing.title,
                Listing.summary, Listing.sectors, Listing.trl, Listing.valid_until, Listing.status)
CARD_FIELDS = tuple(column.key for column in CARD_COLUMNS)
CARD_ORGANISATION = (Organisation.uid, Organisation.origin, Organisation.name, Organisation.country,
                     Organisation.special_guest)

#: With search words, a card also reads what the search matched but a card does not show, for an
#: excerpt where the words are (see CardText).
MATCHED_COLUMNS = (Listing.description, Listing.keywords)


def _cards(columns):
    """The cards of the listings whose uids are given as `uids`: built once (one expanding
    parameter, where `in_(uids)` would check each of them on every request)."""
    return (select(*columns, *CARD_ORGANISATION)
            .outerjoin(Organisation, Organisation.uid == Listing.organisation_uid)
            .where(Listing.uid.in_(bindparam("uids", expanding=True))))


CARDS = {False: (_cards(CARD_COLUMNS), CARD_FIELDS),
         True: (_cards(CARD_COLUMNS + MATCHED_COLUMNS), CARD_FIELDS + tuple(c.key for c in MATCHED_COLUMNS))}


@dataclass(frozen=True, slots=True)
class CardOrganisation:
    """The organisation on a result card."""

    uid: str
    origin: str
    name: str
    country: str
    special_guest: bool


@dataclass(frozen=True, slots=True)
class ListingCard:
    """What a result card shows of a listing (the template reads it as it would a Listing):
    read-only plain values, which cost a fraction of loading ORM objects."""

    uid: str
    origin: str
    kind: str
    organisation_uid: str
    title: str
    summary: str
    sectors: list
    trl: int | None
    valid_until: date | None
    status: str
    organisation: CardOrganisation | None
    is_local: bool
    is_expired: bool
    description: str = ""  # read only for a search's cards (`matched`)
    keywords: tuple = ()


def load(uids, matched=False):
    """The listings of `uids` as ListingCards, in that order, with their organisations; with
    their description and keywords too if `matched`."""
    if not uids:
        return []
    statement, fields = CARDS[matched]
    width, local, today = len(fields), local_cluster(), date.today()
    found = {}
    for row in db.session.connection().execute(statement, {"uids": uids}):
        listing = dict(zip(fields, row[:width]))
        organisation = CardOrganisation(*row[width:]) if row[width] is not None else None
        valid_until = listing["valid_until"]
        found[listing["uid"]] = ListingCard(
            **listing, organisation=organisation, is_local=listing["origin"] == local,
            is_expired=valid_until is not None and valid_until < today)
    return [found[uid] for uid in uids if uid in found]
