"""Directory commands: `import FILE`, `export --format json|csv DIR`, `directory-reindex`, and
`listings send-reminders` (cron)."""
import click

from portal.cli import counted, delivering, mailing_options, report_dry_run
from portal.extensions import db


def register_cli(app):
    app.cli.add_command(import_command)
    app.cli.add_command(export_command)
    app.cli.add_command(reindex_command)
    app.cli.add_command(listings_group)


@click.command("import")
@click.argument("path", type=click.Path(exists=True))
def import_command(path):
    """Import organisations, people and listings from a JSON file or CSV files (all or nothing).

    PATH is a .json file, a CSV file named organisations.csv, people.csv or listings.csv,
    or a folder holding some of those.
    """
    from sqlalchemy.exc import OperationalError

    from portal.directory import transfer

    try:
        report = transfer.import_path(path)
        if report.ok:
            db.session.commit()
    except OperationalError as error:  # SQLite locked past its busy timeout or read-only, PostgreSQL down
        db.session.rollback()
        raise click.ClickException(f"nothing imported: the database refused the write ({error.orig}); "
                                   "try again once it is free") from error
    if not report.ok:
        db.session.rollback()
        for problem in report.problems:
            click.echo(str(problem), err=True)
        raise click.ClickException(f"nothing imported: {counted(len(report.problems), 'problem')}")
    click.echo(report.summary())


@click.command("export")
@click.option("--format", "fmt", type=click.Choice(["json", "csv"]), default="json", show_default=True)
@click.argument("directory", type=click.Path(file_okay=False))
def export_command(fmt, directory):
    """Export this portal's organisations, people and listings into DIRECTORY."""
    from portal.directory import transfer, transfer_files

    data = transfer.export_data()
    paths = (transfer_files.write_json if fmt == "json" else transfer_files.write_csv)(data, directory)
    click.echo("wrote " + ", ".join(paths))


@click.command("directory-reindex")
def reindex_command():
    """Rebuild the listings' full-text index (after a bulk load that bypassed its triggers)."""
    from portal.directory import search_index

    with db.engine.begin() as connection:
        search_index.rebuild(connection)
    click.echo("directory index rebuilt")


@click.group("listings")
def listings_group():
    """Offers and needs: the reminders before they leave the directory."""


@listings_group.command("send-reminders")
@mailing_options
def send_reminders_command(dry_run, now, no_deliver):
    """Tell the people of our open listings ending within LISTING_REMINDER_DAYS that they will
    leave the directory, once per listing and end date, then deliver the outbox."""
    from portal.directory.reminders import due_reminders, run_due

    if dry_run:
        reminders = due_reminders(now)
        report_dry_run((f"{r.listing.uid}\t{r.listing.valid_until.isoformat()}\t{r.listing.title}\t{r.user.email}"
                        for r in reminders), counted(len(reminders), "reminder"))
        return
    with delivering(no_deliver):
        click.echo(f"{counted(run_due(now), 'reminder')} queued.")
