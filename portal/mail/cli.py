"""`flask mail send`: deliver the outbox's due messages (once, or as a worker)."""
import logging
import time

import click
from flask.cli import AppGroup

from portal.mail import services

mail_group = AppGroup("mail", help="The mail outbox.")


@mail_group.command("send")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="at most this many messages")
@click.option("--every", type=click.IntRange(min=1), default=None,
              help="keep running, delivering every N seconds (a worker)")
def send_command(limit, every):
    """Deliver the messages that are due (a cron job, or a worker with --every)."""
    while True:
        counts = services.deliver_due(limit=limit)
        if every is None or counts["sent"] or counts["retry"] or counts["failed"]:
            click.echo(f"sent {counts['sent']}, to retry {counts['retry']}, failed {counts['failed']}"
                       + ("" if services.mail_configured() else " (no mail server: written to the log)"))
        if every is None:
            return
        time.sleep(every)


def register_cli(app):
    app.cli.add_command(mail_group)
    # The log is where local mail goes: its INFO lines must show without debug mode.
    mail_log = logging.getLogger("portal.mail")
    if mail_log.level == logging.NOTSET:
        mail_log.setLevel(logging.INFO)
    app.logger  # noqa: B018  (installs Flask's handler on "portal", the parent of "portal.mail")
