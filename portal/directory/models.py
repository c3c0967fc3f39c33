"""Organisations, people and listings: federated records, local or replicated."""
from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy import JSON, Boolean, Date, Index, Integer, String, Text, false, select
from sqlalchemy.orm import Mapped, mapped_column, object_session, relationship

from portal.directory import search_index
from portal.directory.schemas import ListingSchema, OrganisationSchema, PersonSchema
from portal.extensions import db
from portal.federation.fields import open_length
from portal.federation.records import Federated
from portal.timeutil import UTCDateTime, utcnow


def _by_uid(target, column):
    """A read-only link by uid: references may point to records not received yet."""
    return relationship(target, primaryjoin=f"foreign({column}) == {target}.uid",
                        viewonly=True, lazy="joined")


class Organisation(Federated, db.Model):
    fed_type = "organisation"
    fed_schema = OrganisationSchema

    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(32), default="other")
    country: Mapped[str] = mapped_column(String(2), default="FR")
    city: Mapped[str] = mapped_column(open_length(120), default="")
    website: Mapped[str] = mapped_column(open_length(300), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    sectors: Mapped[list] = mapped_column(JSON, default=list)
    special_guest: Mapped[bool] = mapped_column(Boolean, default=False)
    # Local only: made by a sign-up an administrator has not approved yet, so neither shown
    # to the public nor published to peers (a spam sign-up stays here); approval publishes it.
    pending: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    def fed_data(self):
        return {"name": self.name, "kind": self.kind, "country": self.country, "city": self.city,
                "website": self.website, "description": self.description,
                "sectors": list(self.sectors or []), "special_guest": bool(self.special_guest)}

    def fed_shared(self):
        return not self.pending


class Person(Federated, db.Model):
    """A person's public profile; their e-mail and phone never leave this portal."""

    fed_type = "person"
    fed_schema = PersonSchema

    organisation_uid: Mapped[str | None] = mapped_column(String(36), index=True)
    display_name: Mapped[str] = mapped_column(String(120))
    job_title: Mapped[str] = mapped_column(open_length(200), default="")
    bio: Mapped[str] = mapped_column(Text, default="")
    topics: Mapped[list] = mapped_column(JSON, default=list)
    # Local only: never in fed_data().
    phone: Mapped[str | None] = mapped_column(String(40))
    share_profile: Mapped[bool] = mapped_column(Boolean, default=False)
    consent_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    organisation = _by_uid("Organisation", "Person.organisation_uid")

    def fed_data(self):
        return {"organisation_uid": self.organisation_uid, "display_name": self.display_name,
                "job_title": self.job_title, "bio": self.bio, "topics": list(self.topics or [])}

    def fed_shared(self):
        """While the person consents, and once they have an organisation: PROTOCOL.md's table gives
        `organisation_uid` no null (an administrator made without one, an imported person)."""
        return bool(self.share_profile) and bool(self.organisation_uid)

    def set_sharing(self, share):
        """Consent to sharing the profile with partner clusters, or its withdrawal: the ledger
        publishes the profile or its tombstone, and anew this person's listings and the agenda
        items where they speak, since those name the person only while the profile is shared
        (`Listing.fed_data`, `AgendaItem.fed_data`)."""
        from portal.events.models import AgendaItem

        changed = bool(self.share_profile) != bool(share)
        self.share_profile, self.consent_changed_at = bool(share), utcnow()
        session = object_session(self)
        if changed and self.uid and session is not None:
            with session.no_autoflush:
                naming = [*session.scalars(select(Listing).where(Listing.person_uid == self.uid,
                                                                 Listing.origin == self.origin)),
                          *(item for item in session.scalars(select(AgendaItem).where(AgendaItem.origin == self.origin))
                            if self.uid in (item.speaker_person_uids or []))]
                for record in naming:
                    record.updated_at = self.consent_changed_at  # a new version for the ledger


class Listing(Federated, db.Model):
    """An offer (a technology provider's) or a need (an end user's or integrator's)."""

    fed_type = "listing"
    fed_schema = ListingSchema
    # The directory's default page: open listings, newest first, straight from this index.
    __table_args__ = (Index("ix_listing_status_created_at", "status", "created_at"),)

    kind: Mapped[str] = mapped_column(String(8), index=True)
    organisation_uid: Mapped[str] = mapped_column(String(36), index=True)
    person_uid: Mapped[str | None] = mapped_column(String(36))
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(String(500), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    keywords: Mapped[list] = mapped_column(JSON, default=list)
    sectors: Mapped[list] = mapped_column(JSON, default=list)
    trl: Mapped[int | None] = mapped_column(Integer)
    cooperation: Mapped[list] = mapped_column(JSON, default=list)
    ipr: Mapped[str | None] = mapped_column(open_length(40))
    valid_until: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(8), default="open")  # indexed by ix_listing_status_created_at
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    organisation = _by_uid("Organisation", "Listing.organisation_uid")
    person = _by_uid("Person", "Listing.person_uid")

    @property
    def is_expired(self):
        """Past its `valid_until`: hidden from the directory until renewed."""
        return self.valid_until is not None and self.valid_until < date.today()

    @property
    def expires_soon(self):
        """Leaving the directory within LISTING_REMINDER_DAYS, not yet gone: its people have been
        mailed, and its page offers them to renew it already."""
        today = date.today()
        return (self.valid_until is not None
                and today <= self.valid_until <= today + timedelta(days=current_app.config["LISTING_REMINDER_DAYS"]))

    @classmethod
    def fed_insert(cls, session, rows):
        search_index.insert_listings(session, cls.__table__, rows)  # a page indexed at once, not row by row

    def fed_data(self):
        return {"kind": self.kind, "organisation_uid": self.organisation_uid,
                "person_uid": self.person_uid if self._names_its_person() else None,
                "title": self.title, "summary": self.summary,
                "description": self.description, "keywords": list(self.keywords or []),
                "sectors": list(self.sectors or []), "trl": self.trl,
                "cooperation": list(self.cooperation or []), "ipr": self.ipr,
                "valid_until": self.valid_until.isoformat() if self.valid_until else None,
                "status": self.status}

    def local_data(self):
        return dict(self.fed_data(), person_uid=self.person_uid)  # named in exports, shared or not

    def _names_its_person(self):
        """Peers get the person's uid only while the person shares their profile (PROTOCOL.md's
        least sharing): a uid without consent would still tie their listings together."""
        if not self.person_uid:
            return False
        person = object_session(self).get(Person, self.person_uid)  # the identity map's, when loaded
        return person is not None and bool(person.share_profile)


# The full-text index (and its triggers) of listings; see search_index.py.
search_index.attach(Listing.__table__)
