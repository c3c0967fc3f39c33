"""Instance-level commands: `init`; `counted` for every command's English output, and the
options, dry run and delivery of the cron commands that queue the mail due."""
import functools
from contextlib import contextmanager
from datetime import datetime, timezone

import click
from flask import current_app
from flask_babel import force_locale

from portal.extensions import db
from portal.instance import InstanceError, write_instance
from portal.timeutil import utcnow


def counted(number, noun):
    """"1 problem", "2 problems": a count in the commands' (English, untranslated) output."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def in_english(message):
    """A form's or a service's message, in the language of the rest of the command's output (not the portal's)."""
    with force_locale("en"):
        return str(message)


def english_output(command):
    """Run `command` in English, whatever the portal's default language: a service's refusal it
    prints (evaluated when raised) reads like the rest of its output. Only for commands that queue
    no mail, which must keep the recipients' languages."""
    @functools.wraps(command)
    def in_english_command(*args, **kwargs):
        with force_locale("en"):
            return command(*args, **kwargs)
    return in_english_command


def parse_now(value):
    """An ISO 8601 time (UTC when it names no offset), or the present moment when there is none."""
    if not value:
        return utcnow()
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _now_callback(_context, _param, value):
    try:
        return parse_now(value)
    except ValueError as error:
        raise click.BadParameter(str(error)) from error


def mailing_options(command):
    """`--dry-run`, `--now` (passed as `now`, a datetime) and `--no-deliver`, for a cron command
    that queues the mail due at a time."""
    options = (
        click.option("--dry-run", is_flag=True, help="list who would get what, send nothing"),
        click.option("--now", callback=_now_callback, default=None,
                     help="act as if it were this ISO 8601 time (default: now)"),
        click.option("--no-deliver", is_flag=True, help="only queue in the outbox (`flask mail send` delivers)"))
    for option in reversed(options):
        command = option(command)
    return command


def report_dry_run(lines, what):
    """Echo a dry run's `lines` and `what` ("3 reminders") would be queued; roll back what the
    listing may have touched, so that it sends nothing."""
    for line in lines:
        click.echo(line)
    click.echo(f"{what} would be queued (dry run: nothing sent).")
    db.session.rollback()


@contextmanager
def delivering(no_deliver):
    """Inside: queue mail (and say how much); after: deliver the outbox and say what went, unless
    `no_deliver`. Background delivery is off meanwhile: it would race the command for the
    outbox and leave it nothing to report."""
    from portal.mail.services import deliver_due

    current_app.config["MAIL_BACKGROUND"] = False
    yield
    if not no_deliver:
        outcome = deliver_due()
        click.echo(f"outbox: {outcome['sent']} sent, {outcome['retry']} to retry, {outcome['failed']} failed.")


@click.command("init")
@click.option("--cluster-id", required=True,
              help="this cluster's id in the federation, e.g. photonics-bretagne (never change it once peered)")
@click.option("--name", required=True, help="the cluster's display name")
@click.option("--base-url", required=True,
              help="the address members and peers reach the portal at, e.g. https://portal.example.org")
@click.option("--sector", required=True, type=click.Choice(["technology", "application", "mixed"]),
              help="a cluster of technology providers, of the people who apply it, or both")
@click.option("--database-url", default=None, help="default: SQLite in the instance folder")
@click.option("--colour", default="#1d4e89", help="brand colour, CSS hex such as #2f6b2f")
@click.option("--language", default=None, type=click.Choice(["en", "fr"]),
              help="the portal's default language (default: en)")
def init_command(cluster_id, name, base_url, sector, database_url, colour, language):
    """Initialise the instance folder PORTAL_INSTANCE names (default ./instance): portal.toml and
    the key pair, then the schema by migrations."""
    path = current_app.instance_path
    try:
        config_file = write_instance(path, cluster_id, name, base_url, sector, database_url, colour, language)
    except InstanceError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Wrote {config_file} and the cluster's key pair.")
    # The running app was configured before the file existed: migrate with a fresh one.
    from flask_migrate import upgrade

    from portal import create_app
    from portal.federation import keys

    with create_app().app_context():
        upgrade()
        fingerprint = keys.fingerprint(keys.public_key_b64())
    click.echo(f"Database ready. Cluster {cluster_id} initialised in {path}.")
    # Peering asks each side for the other's fingerprint, by another channel: say it here.
    click.echo(f"Key fingerprint: {fingerprint} (give it to partners' administrators by another channel; "
               "Administration → Federation shows it too).")


def register_cli(app):
    app.cli.add_command(init_command)
