"""Survey commands: `flask --app portal surveys send-due [--dry-run]`, for cron."""
import click

from portal.cli import delivering, mailing_options, report_dry_run


@click.group("surveys")
def surveys_group():
    """Post-event and six-month surveys."""


@surveys_group.command("send-due")
@mailing_options
def send_due_command(dry_run, now, no_deliver):
    """Queue the survey invitations and reminders that are due, then deliver the outbox."""
    from portal.surveys.sending import due_mailings, run_due

    if dry_run:
        mailings = due_mailings(now)
        report_dry_run((f"{m.kind}\t{m.stage}\t{m.event.uid}\t{m.event.title}\t{m.participant.user.email}"
                        for m in mailings), f"{len(mailings)} message(s)")
        return
    with delivering(no_deliver):
        counts = run_due(now)
        click.echo(f"{counts['invitation']} invitation(s) and {counts['reminder']} reminder(s) queued.")


def register_cli(app):
    app.cli.add_command(surveys_group)
