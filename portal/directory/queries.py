"""Directory reads."""
from sqlalchemy import func, select

from portal.directory.models import Listing, Organisation
from portal.extensions import db


def home_stats():
    counts = dict(db.session.execute(
        select(Listing.kind, func.count()).where(Listing.status == "open").group_by(Listing.kind)).all())
    return {"offers": counts.get("offer", 0), "needs": counts.get("need", 0),
            "organisations": db.session.scalar(select(func.count()).select_from(Organisation))}


def latest_listings(limit):
    return db.session.scalars(
        select(Listing).where(Listing.status == "open").order_by(Listing.created_at.desc()).limit(limit)).all()
