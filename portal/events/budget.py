"""An event's budget on this portal: cost lines, who pays them, and the cost per participant."""
from collections import namedtuple

from sqlalchemy import func, select

from portal.events.local_models import EventCost
from portal.events.queries import counts
from portal.extensions import db

Summary = namedtuple("Summary", "lines per_host total registered checked_in per_registered per_checked_in")


def add_cost(event, category, label, amount_cents, paid_by):
    cost = EventCost(event_uid=event.uid, category=category, label=label, amount_cents=amount_cents, paid_by=paid_by)
    db.session.add(cost)
    db.session.flush()
    return cost


def delete_cost(cost):
    db.session.delete(cost)
    db.session.flush()


def summarise(lines, hosts, registered, checked_in):
    """Totals per payer, in the hosts' order (a host without a line here is not listed: its own
    costs are in its own portal's budget, not 0), and per participant (None when nobody)."""
    per_host = {}
    for line in sorted(lines, key=lambda line: hosts.index(line.paid_by) if line.paid_by in hosts else len(hosts)):
        per_host[line.paid_by] = per_host.get(line.paid_by, 0) + line.amount_cents
    total = sum(per_host.values())
    return Summary(lines, per_host, total, registered, checked_in,
                   round(total / registered) if registered else None,
                   round(total / checked_in) if checked_in else None)


def summary(event):
    """The budget with the confirmed registrations and the people checked in at the door."""
    lines = db.session.scalars(select(EventCost).where(EventCost.event_uid == event.uid)
                               .order_by(EventCost.category, EventCost.id)).all()
    seen = counts(event)
    return summarise(lines, event.hosts, seen["by_status"]["confirmed"], seen["checked_in"])


def totals(event_uids):
    """{event uid: its `summary`'s total} for several events, in one statement (the impact pages of a year)."""
    found = dict.fromkeys(event_uids, 0)
    found.update(db.session.execute(select(EventCost.event_uid, func.sum(EventCost.amount_cents))
                                    .where(EventCost.event_uid.in_(event_uids)).group_by(EventCost.event_uid)).all())
    return found
