"""Directory commands: `import FILE`, `export --format json|csv DIR`, `directory-reindex`."""
import click

from portal.cli import counted
from portal.extensions import db


def register_cli(app):
    app.cli.add_command(import_command)
    app.cli.add_command(export_command)
    app.cli.add_command(reindex_command)


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
