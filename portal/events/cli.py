"""Event commands: `flask --app portal events close-registrations` (the sync worker runs it too)
and `events send-reminders` (cron)."""
import click

from portal.cli import counted, delivering, mailing_options, report_dry_run
from portal.extensions import db


@click.group("events")
def events_group():
    """Events: registration deadlines, reminders."""


@events_group.command("close-registrations")
def close_registrations_command():
    """Close registration of the events whose deadline has passed, and publish them so."""
    from portal.events.services import close_due_registrations

    closed = close_due_registrations()
    db.session.commit()
    for event in closed:
        click.echo(f"{event.uid}\t{event.title}")
    click.echo(f"{counted(len(closed), 'event')} closed.")


@events_group.command("send-reminders")
@mailing_options
def send_reminders_command(dry_run, now, no_deliver):
    """Remind our members with a confirmed place of the events starting within EVENT_REMINDER_DAYS
    (once each), then deliver the outbox."""
    from portal.events.reminders import due_reminders, run_due

    if dry_run:
        reminders = due_reminders(now)
        report_dry_run((f"{r.event.uid}\t{r.event.title}\t{r.user.email}" for r in reminders),
                       counted(len(reminders), "reminder"))
        return
    with delivering(no_deliver):
        click.echo(f"{counted(run_due(now), 'reminder')} queued.")


def register_cli(app):
    app.cli.add_command(events_group)
