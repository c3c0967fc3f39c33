"""Event commands: `flask --app portal events close-registrations` (the sync worker runs it too)."""
import click

from portal.cli import counted
from portal.extensions import db


@click.group("events")
def events_group():
    """Events this portal leads."""


@events_group.command("close-registrations")
def close_registrations_command():
    """Close registration of the events whose deadline has passed, and publish them so."""
    from portal.events.services import close_due_registrations

    closed = close_due_registrations()
    db.session.commit()
    for event in closed:
        click.echo(f"{event.uid}\t{event.title}")
    click.echo(f"{counted(len(closed), 'event')} closed.")


def register_cli(app):
    app.cli.add_command(events_group)
