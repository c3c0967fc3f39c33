"""What an event page publishes for machines: schema.org JSON-LD and iCalendar (RFC 5545)."""
import json
from datetime import datetime, timezone

import icalendar
from markupsafe import Markup

from portal.events.formatting import venue
from portal.events.models import iso_in, zone

PRODID = "-//Passerelle//Events//EN"


#: `<`, `>` and `&` as JSON escapes: no text closes the script element or, with `<!--` and
#: `<script`, throws the HTML parser into the state where the rest of the page is script.
SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def json_script(data):
    """JSON for a <script type="application/ld+json">, the same data, with nothing HTML can read in it."""
    return Markup(json.dumps(data, ensure_ascii=False, sort_keys=True).translate(SCRIPT_SAFE))


def event_jsonld(event, hosts, url, items=()):
    """A schema.org `Event`, its hosts as organizers, its agenda as sub-events."""
    tz = event.timezone
    data = {
        "@context": "https://schema.org", "@type": "Event", "name": event.title,
        "description": event.description or event.topic, "url": url,
        "startDate": iso_in(event.starts_at, tz), "endDate": iso_in(event.ends_at, tz),
        "eventStatus": "https://schema.org/EventCancelled" if event.cancelled
        else "https://schema.org/EventScheduled",
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "maximumAttendeeCapacity": event.capacity,
        "location": {"@type": "Place", "name": event.venue_name, "address": {
            "@type": "PostalAddress", "streetAddress": event.venue_address,
            "addressLocality": event.venue_city, "addressCountry": event.venue_country}},
        "organizer": [{"@type": "Organization", "name": host.name} for host in hosts],
    }
    if event.topic:
        data["about"] = event.topic
    live = [i for i in items if not i.cancelled]
    if live:
        data["subEvent"] = [{"@type": "Event", "name": i.title, "startDate": iso_in(i.starts_at, tz),
                             "endDate": iso_in(i.ends_at, tz)} for i in live]
    return data


def _uid(record):
    """Stable across edits: the record's uid at its origin cluster."""
    return f"{record.uid}@{record.origin}"


def _vevent(record, summary, start, end, tz, cancelled, stamp, sequence=None):
    vevent = icalendar.Event()
    vevent.add("uid", _uid(record))
    vevent.add("dtstamp", stamp)
    vevent.add("dtstart", start.astimezone(zone(tz)))
    vevent.add("dtend", end.astimezone(zone(tz)))
    vevent.add("summary", summary)
    vevent.add("sequence", record.version or 0 if sequence is None else sequence)
    vevent.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    if record.updated_at:
        vevent.add("last-modified", record.updated_at.astimezone(timezone.utc))
    return vevent


def _clock(moment, event):
    return moment.astimezone(zone(event.timezone)).strftime("%H:%M")


def event_calendar(event, items, url, hosts=(), now=None, agenda=False, method=None, withdrawn=False, sequence=None,
                   organizer=None):
    """The event as one VCALENDAR entry, its agenda in the description, with the VTIMEZONE it uses.

    With `agenda`, every agenda item is an entry of its own too (at the event's venue), as a
    conference's detailed timetable: most people want the day as one entry in their calendar.
    `method` (iTIP's METHOD, "PUBLISH") for a file sent by mail, whose type names it too.
    `withdrawn`: for a person who no longer comes, the entry their calendar added, cancelled.
    `sequence`: the entry's SEQUENCE, when not the event's version (a file mailed to one person
    outranks the one they had: see `notify.calendar_of`). `organizer`: (name, address) of whoever
    mails the file: iTIP's PUBLISH requires an ORGANIZER (RFC 5546, 3.2.1).
    """
    stamp = (now or datetime.now(timezone.utc)).replace(microsecond=0)
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    calendar.add("x-wr-calname", event.title)
    main = _vevent(event, event.title, event.starts_at, event.ends_at, event.timezone, event.cancelled or withdrawn,
                   stamp, sequence)
    location = venue(event)
    if location:
        main.add("location", location)
    timetable = "\n".join(f"{_clock(i.starts_at, event)}–{_clock(i.ends_at, event)} {i.title}"
                           for i in items if not i.cancelled)
    main.add("description", "\n\n".join(p for p in (event.topic, event.description, timetable,
                                                      " · ".join(h.name for h in hosts)) if p))
    main.add("url", url)
    if organizer:
        name, address = organizer
        main.add("organizer", f"mailto:{address}", parameters={"CN": name})
    calendar.add_component(main)
    for item in items if agenda else ():
        vevent = _vevent(item, item.title, item.starts_at, item.ends_at, event.timezone,
                         event.cancelled or item.cancelled, stamp)
        vevent.add("related-to", _uid(event))
        vevent.add("categories", [item.kind])
        if location:
            vevent.add("location", location)
        calendar.add_component(vevent)
    calendar.add_missing_timezones()
    return calendar.to_ical()
