"""Meeting commands: `flask --app portal meetings expire` (cron) and `meetings schedule`."""
import click
from flask import current_app

from portal.cli import counted, in_english
from portal.extensions import db


@click.group("meetings")
def meetings_group():
    """B2B meetings."""


@meetings_group.command("expire")
def expire_command():
    """Withdraw unanswered requests past MEETING_REQUEST_TTL_HOURS; remind recipients before."""
    from portal.meetings.services import expire_requests

    done = expire_requests()
    db.session.commit()
    click.echo(f"{done['expired']} request(s) expired, {done['reminded']} reminder(s) queued.")


@meetings_group.command("schedule")
@click.argument("event_uid")
@click.option("--time-limit", type=float, default=None, help="seconds (default SCHEDULER_TIME_LIMIT)")
@click.option("--publish", is_flag=True, help="publish the schedule when the run succeeds")
def schedule_command(event_uid, time_limit, publish):
    """Run the scheduler for an event this portal leads (inline), and optionally publish."""
    from portal.events.models import Event
    from portal.meetings.scheduling import publish_run, start_run
    from portal.meetings.services import MeetingError

    current_app.config["SCHEDULER_BACKGROUND"] = False
    event = db.session.get(Event, event_uid)
    if event is None:  # not "This event has no B2B meetings": the uid was mistyped
        raise click.ClickException(f"no event {event_uid!r} on this portal")
    try:
        run = start_run(event, time_limit=time_limit)
        click.echo(f"run {run.id}: {run.status}, {run.scheduled}/{run.meetings} scheduled, "
                   f"{counted(run.breaks, 'break')}, {counted(len(run.changes or []), 'change')}")
        if run.error:
            click.echo(run.error, err=True)
        if publish and run.status == "done":
            publish_run(run)
            db.session.commit()
            click.echo("published")
    except MeetingError as error:
        raise click.ClickException(in_english(error)) from error


def register_cli(app):
    app.cli.add_command(meetings_group)
