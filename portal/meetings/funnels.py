"""The B2B funnel: requests sent, accepted, scheduled, held and no-show, and the kept rate,
per event and per cluster (the organisers' funnel page, the impact dashboards)."""
from sqlalchemy import select

from portal.events.models import Event, as_utc
from portal.extensions import db
from portal.federation.records import utcnow
from portal.meetings.models import Meeting, MeetingReply, MeetingRequest

FUNNEL_STAGES = ("sent", "accepted", "scheduled", "held", "no_show")


def funnel(event_uid=None, cluster_id=None, now=None):
    """Requests sent, accepted, scheduled, held and no-show, with the kept rate.

    A request counts for the cluster that sent it (its origin), its reply and meeting with
    it. `accepted` counts the accepted requests still standing: one withdrawn since drops out,
    as one whose recipient left does (leaving withdraws what one sent and declines what one
    received). `scheduled` is every meeting placed and not cancelled (held and no-shows included).
    The kept rate is held / due, where `due` counts the meetings whose time has come: held,
    no-show, or scheduled and begun (not marked yet: not known to be kept). Meetings still
    to come do not lower it; None when none is due.
    """
    now = now or utcnow()
    counts = _zeros()
    for request, answer, status, starts_at in _funnel_rows(event_uid, cluster_id):
        _count(counts, request, answer, status, starts_at, now)
    return _with_rate(counts)


def funnels(event_uid, clusters, now=None):
    """The event's `funnel` and each cluster's ({cluster id: funnel}), from one read of its requests."""
    now = now or utcnow()
    total = _zeros()
    by_cluster = {cluster: _zeros() for cluster in clusters}
    for request, answer, status, starts_at in _funnel_rows(event_uid, None):
        for counts in (total, by_cluster.get(request.origin)):
            if counts is not None:
                _count(counts, request, answer, status, starts_at, now)
    return _with_rate(total), {cluster: _with_rate(counts) for cluster, counts in by_cluster.items()}


def funnel_table(now=None):
    """One funnel per (event, cluster) pair that has requests, and one per event in total."""
    now = now or utcnow()
    rows = {}
    for request, answer, status, starts_at in _funnel_rows(None, None):
        for key in ((request.event_uid, request.origin), (request.event_uid, None)):
            _count(rows.setdefault(key, _zeros()), request, answer, status, starts_at, now)
    events = {e.uid: e for e in db.session.scalars(select(Event).where(
        Event.uid.in_({event for event, _ in rows})))} if rows else {}
    return [{"event": events.get(event), "event_uid": event, "cluster": cluster, **_with_rate(counts)}
            for (event, cluster), counts in sorted(
                rows.items(), key=lambda item: (item[0][0], item[0][1] is None, item[0][1] or ""))]


def _funnel_rows(event_uid, cluster_id):
    query = (select(MeetingRequest, MeetingReply.answer, Meeting.status, Meeting.starts_at)
             .outerjoin(MeetingReply, MeetingReply.request_uid == MeetingRequest.uid)
             .outerjoin(Meeting, Meeting.request_uid == MeetingRequest.uid))
    if event_uid:
        query = query.where(MeetingRequest.event_uid == event_uid)
    if cluster_id:
        query = query.where(MeetingRequest.origin == cluster_id)
    return db.session.execute(query).all()


def _zeros():
    return dict.fromkeys(FUNNEL_STAGES + ("due",), 0)


def _count(counts, request, answer, status, starts_at, now):
    counts["sent"] += 1
    counts["accepted"] += answer == "accepted" and request.status == "open"
    counts["scheduled"] += status in ("scheduled", "held", "no_show")
    counts["held"] += status == "held"
    counts["no_show"] += status == "no_show"
    counts["due"] += status in ("held", "no_show") or (
        status == "scheduled" and starts_at is not None and as_utc(starts_at) <= now)


def _with_rate(counts):
    due = counts["due"]
    return dict(counts, kept_rate=counts["held"] / due if due else None)  # rounded where shown
