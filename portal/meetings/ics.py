"""A person's B2B meetings as an iCalendar feed that calendar apps keep up to date.

UIDs are stable (`meeting-<uid>@<cluster>`, the cluster being the meeting's writer, the
lead), SEQUENCE is the meeting's version and a cancelled meeting stays in the feed with
STATUS:CANCELLED, so calendars update or remove it instead of keeping a stale copy.
"""
from datetime import timezone

from flask_babel import gettext as _
from icalendar import Calendar, Event as CalendarEvent

from portal.federation.records import utcnow

STATUS = {"scheduled": "CONFIRMED", "held": "CONFIRMED", "no_show": "CONFIRMED",
          "cancelled": "CANCELLED"}


def meeting_uid(meeting):
    return f"meeting-{meeting.uid}@{meeting.origin}"


def calendar(meetings, people, events, cluster_name, person_uid, schedule_url):
    """The feed for `person_uid`: `people` and `events` map uids to their records; `schedule_url(event_uid)`
    is the address of the person's schedule for an event (each entry links to it)."""
    cal = Calendar()
    cal.add("prodid", "-//Passerelle//B2B meetings//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", _("B2B meetings · %(portal)s", portal=cluster_name))
    stamp = utcnow()
    for meeting in meetings:
        other = people.get(meeting.other_person_uid(person_uid))
        event = events.get(meeting.event_uid)
        cal.add_component(_vevent(meeting, other, event, stamp, schedule_url(meeting.event_uid)))
    return cal.to_ical()


def _vevent(meeting, other, event, stamp, link):
    entry = CalendarEvent()
    who = other.display_name if other is not None else _("a participant")
    entry.add("uid", meeting_uid(meeting))
    entry.add("sequence", meeting.version or 1)
    entry.add("dtstamp", stamp.astimezone(timezone.utc))
    entry.add("last-modified", (meeting.updated_at or stamp).astimezone(timezone.utc))
    entry.add("dtstart", meeting.starts_at.astimezone(timezone.utc))
    entry.add("dtend", meeting.ends_at.astimezone(timezone.utc))
    entry.add("summary", _("B2B meeting with %(who)s (table %(table)s)", who=who, table=meeting.table))
    entry.add("status", STATUS.get(meeting.status, "CONFIRMED"))
    if event is not None:
        entry.add("location", ", ".join(p for p in (_("table %(table)s", table=meeting.table), event.venue_name,
                                                      event.venue_city) if p))
        entry.add("description", "\n".join(filter(None, [event.title, _with(other)])))
    entry.add("url", link)
    return entry


def _with(other):
    """"With: name · job title · organisation", the other person as their card shows them."""
    if other is None:
        return None
    organisation = other.organisation.name if other.organisation is not None else None
    return _("With: %(who)s", who=" · ".join(filter(None, [other.display_name, other.job_title, organisation])))
