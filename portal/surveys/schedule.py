"""When each stage of an event's survey is due: pure date arithmetic, no Flask."""
import calendar
from datetime import timedelta, timezone

from portal.surveys.constants import STAGES

SIX_MONTHS = 6


def add_months(moment, months):
    """The same day and time `months` later (the month's last day when it is shorter)."""
    index = moment.month - 1 + months
    year, month = moment.year + index // 12, index % 12 + 1
    return moment.replace(year=year, month=month, day=min(moment.day, calendar.monthrange(year, month)[1]))


def due_at(ends_at, stage, zone=timezone.utc):
    """post_event: when the event ends; six_months: six calendar months later, at the same hour
    on the event's clock (`zone`, a tzinfo: `Event.zone`), whatever daylight saving time did in between."""
    if stage == "post_event":
        return ends_at
    if stage == "six_months":
        local = ends_at.astimezone(zone)
        return add_months(local, SIX_MONTHS).astimezone(ends_at.tzinfo)
    raise ValueError(f"unknown stage {stage!r}")


def stage_states(ends_at, now, send_window_days, zone=timezone.utc):
    """Per stage: `upcoming` (not due yet), `open` (invitations go out) or `closed` (too late to invite)."""
    states = {}
    for stage in STAGES:
        due = due_at(ends_at, stage, zone)
        if now < due:
            states[stage] = "upcoming"
        elif now < due + timedelta(days=send_window_days):
            states[stage] = "open"
        else:
            states[stage] = "closed"
    return states


def reminder_due(sent_at, now, reminder_days, link_days):
    """A reminder goes `reminder_days` after the invitation, while its link still works."""
    return sent_at + timedelta(days=reminder_days) <= now < sent_at + timedelta(days=link_days)
