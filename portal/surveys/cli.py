"""Survey commands: `flask --app portal surveys send-due [--dry-run]`, for cron."""
from datetime import datetime, timezone

import click
from flask import current_app

from portal.extensions import db


@click.group("surveys")
def surveys_group():
    """Post-event and six-month surveys."""


def parse_now(value):
    if not value:
        return datetime.now(timezone.utc)
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


@surveys_group.command("send-due")
@click.option("--dry-run", is_flag=True, help="list who would get what, send nothing")
@click.option("--now", "now_text", default=None, help="act as if it were this ISO 8601 time (default: now)")
@click.option("--no-deliver", is_flag=True, help="only queue in the outbox (`flask mail send` delivers)")
def send_due_command(dry_run, now_text, no_deliver):
    """Queue the survey invitations and reminders that are due, then deliver the outbox."""
    from portal.mail.services import deliver_due
    from portal.surveys.sending import due_mailings, run_due

    try:
        now = parse_now(now_text)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--now") from error
    if dry_run:
        mailings = due_mailings(now)
        for m in mailings:
            click.echo(f"{m.kind}\t{m.stage}\t{m.event.uid}\t{m.event.title}\t{m.participant.user.email}")
        click.echo(f"{len(mailings)} message(s) would be queued (dry run: nothing sent).")
        db.session.rollback()
        return
    # This command delivers, and says what it sent: no background delivery racing it for the outbox.
    current_app.config["MAIL_BACKGROUND"] = False
    counts = run_due(now)
    click.echo(f"{counts['invitation']} invitation(s) and {counts['reminder']} reminder(s) queued.")
    if not no_deliver:
        outcome = deliver_due()
        click.echo(f"outbox: {outcome['sent']} sent, {outcome['retry']} to retry, {outcome['failed']} failed.")


def register_cli(app):
    app.cli.add_command(surveys_group)
