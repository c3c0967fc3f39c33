"""Event times for people: always in the event's time zone, always saying which.

Named template filters (registered by the events blueprint) call these; templates never
format a time themselves.
"""
import re

from babel.dates import format_time
from babel.numbers import format_currency

from portal.directory.queries import territories
from portal.events.models import zone
from portal.i18n import format_day, formatting_locale
from portal.spreadsheet import file_name


def local(moment, tz_name):
    return moment.astimezone(zone(tz_name))


def event_file_name(what, event):
    """The name of a download of the event's, for what it holds, the event and its day
    ("attendees-photonics-for-agrifood-2027-03-18"; the extension is the caller's)."""
    return file_name(what, event.title, local(event.starts_at, event.timezone).date().isoformat())


def zone_label(moment, tz_name):
    """"CET, Europe/Paris": the abbreviation in force at that instant and the IANA name."""
    return f"{local(moment, tz_name).tzname()}, {tz_name}"


def clock(moment, tz_name):
    return format_time(local(moment, tz_name), "HH:mm", locale=formatting_locale())


def day(moment, tz_name, form="full"):
    return format_day(local(moment, tz_name).date(), form)


def when(moment, tz_name):
    """"Thursday, 18 March 2027, 09:00 (CET, Europe/Paris)"."""
    if moment is None:
        return ""
    return f"{day(moment, tz_name)}, {clock(moment, tz_name)} ({zone_label(moment, tz_name)})"


def dated_span(start, end, tz_name):
    """A range that names its day even on one day ("18 Mar 2027, 14:00–14:20 CET"): read months later."""
    if local(start, tz_name).date() != local(end, tz_name).date():
        return span(start, end, tz_name)
    return f"{day(start, tz_name, 'medium')}, {span(start, end, tz_name)}"


def span(start, end, tz_name):
    """A range in one zone; the abbreviation is repeated only when daylight saving changes it."""
    first, last = local(start, tz_name), local(end, tz_name)
    if first.date() != last.date():
        return f"{when(start, tz_name)} – {when(end, tz_name)}"
    if first.tzname() == last.tzname():
        return f"{clock(start, tz_name)}–{clock(end, tz_name)} {first.tzname()}"
    return f"{clock(start, tz_name)} {first.tzname()}–{clock(end, tz_name)} {last.tzname()}"


def event_when(event):
    """The event's date and times with its zone, on one line."""
    first, last = local(event.starts_at, event.timezone), local(event.ends_at, event.timezone)
    if first.date() != last.date():
        return span(event.starts_at, event.ends_at, event.timezone)
    return f"{day(event.starts_at, event.timezone)}, {span(event.starts_at, event.ends_at, event.timezone)} " \
           f"({event.timezone})"


def wall_clock(moment, tz_name):
    """`moment` as a naive wall-clock time in the event's zone (a form field's data)."""
    return local(moment, tz_name).replace(tzinfo=None) if moment else None


def sheet_time(moment, tz_name):
    """A time as the event's wall clock, "2027-03-18 14:20": what a spreadsheet of any language
    reads as a date and time, and sorts (with "T" and an offset, ISO 8601 stays text)."""
    return f"{wall_clock(moment, tz_name):%Y-%m-%d %H:%M}" if moment else ""


def to_aware(naive, tz_name):
    """A wall-clock time typed in the event's zone as an aware datetime; None if it does not exist.

    A time skipped by daylight saving (02:30 on the last Sunday of March in Paris) has no
    instant: it would come back as another wall-clock time.
    """
    if naive is None:
        return None
    aware = naive.replace(tzinfo=zone(tz_name))
    back = aware.astimezone(zone("UTC")).astimezone(zone(tz_name)).replace(tzinfo=None)
    return aware if back == naive else None


def money(cents):
    return format_currency((cents or 0) / 100, "EUR", locale=formatting_locale())


def venue(event):
    """"Le Quartz, 60 rue du Château, 29200 Brest, France": the city once, even when the address ends
    with it, the country by its name in the reader's language, and no separator around a part the
    event lacks (the mails' place line too)."""
    address, city = event.venue_address or "", event.venue_city or ""
    if city and re.search(rf"(^|\W){re.escape(city)}\W*$", address, re.IGNORECASE):
        city = ""
    country = territories().get(event.venue_country, event.venue_country) if event.venue_country else ""
    return ", ".join(part for part in (event.venue_name, address, city, country) if part)


FILTERS = {"event_when": event_when, "event_venue": venue, "event_time": when, "event_span": span,
           "event_dated_span": dated_span, "event_clock": clock, "event_day": day, "money": money}
