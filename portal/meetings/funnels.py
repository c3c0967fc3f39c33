"""The B2B funnel: requests sent, accepted, scheduled, held and no-show, and the kept rate,
per event and per cluster (the organisers' funnel page, the impact dashboards)."""
from itertools import groupby

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
    for request, answer, status, starts_at in _funnel_rows([event_uid] if event_uid else None, cluster_id):
        _count(counts, request, answer, status, starts_at, now)
    return _with_rate(counts)


def funnels_of(clusters_by_event, now=None):
    """{event uid: (its `funnel`, {cluster id: that cluster's funnel})} for several events, given
    {event uid: its clusters}, from one read of their requests."""
    now = now or utcnow()
    totals = {event_uid: _zeros() for event_uid in clusters_by_event}
    by_cluster = {event_uid: {cluster: _zeros() for cluster in clusters}
                  for event_uid, clusters in clusters_by_event.items()}
    for request, answer, status, starts_at in _funnel_rows(list(clusters_by_event), None):
        for counts in (totals[request.event_uid], by_cluster[request.event_uid].get(request.origin)):
            if counts is not None:
                _count(counts, request, answer, status, starts_at, now)
    return {event_uid: (_with_rate(totals[event_uid]),
                        {cluster: _with_rate(counts) for cluster, counts in clusters.items()})
            for event_uid, clusters in by_cluster.items()}


def funnel_table(now=None):
    """One funnel per (event, cluster) pair that has requests, and one per event in total, the
    events in the order they take place (an event unknown here, last), each total after its clusters."""
    now = now or utcnow()
    rows = {}
    for request, answer, status, starts_at in _funnel_rows(None, None):
        for key in ((request.event_uid, request.origin), (request.event_uid, None)):
            _count(rows.setdefault(key, _zeros()), request, answer, status, starts_at, now)
    events = {e.uid: e for e in db.session.scalars(select(Event).where(
        Event.uid.in_({event for event, _ in rows})))} if rows else {}

    def order(item):
        (event_uid, cluster), known = item[0], events.get(item[0][0])
        return (known is None, as_utc(known.starts_at) if known else None, event_uid, cluster is None, cluster or "")

    return [{"event": events.get(event), "event_uid": event, "cluster": cluster, **_with_rate(counts)}
            for (event, cluster), counts in sorted(rows.items(), key=order)]


def funnel_groups(now=None):
    """`funnel_table`'s rows by event, in the same order: [(event or None, event uid, its rows)]."""
    return [(rows[0]["event"], event_uid, rows) for event_uid, rows in
            ((uid, list(group)) for uid, group in groupby(funnel_table(now), key=lambda row: row["event_uid"]))]


def _funnel_rows(event_uids, cluster_id):
    """(request, its reply's answer, its meeting's status and start) of the events of `event_uids`
    (None: of every event), of `cluster_id`'s requests only if given."""
    query = (select(MeetingRequest, MeetingReply.answer, Meeting.status, Meeting.starts_at)
             .outerjoin(MeetingReply, MeetingReply.request_uid == MeetingRequest.uid)
             .outerjoin(Meeting, Meeting.request_uid == MeetingRequest.uid))
    if event_uids is not None:
        query = query.where(MeetingRequest.event_uid.in_(event_uids))
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
