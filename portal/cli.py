"""Instance-level commands: `init`; `counted` for every command's English output."""
import click
from flask import current_app

from portal.instance import InstanceError, write_instance


def counted(number, noun):
    """"1 problem", "2 problems": a count in the commands' (English, untranslated) output."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


@click.command("init")
@click.option("--cluster-id", required=True, help="e.g. photonics-bretagne")
@click.option("--name", required=True, help="the cluster's display name")
@click.option("--base-url", required=True, help="public URL of this portal")
@click.option("--sector", required=True, type=click.Choice(["technology", "application", "mixed"]))
@click.option("--database-url", default=None, help="default: SQLite in the instance folder")
@click.option("--colour", default="#1d4e89", help="brand colour, CSS hex such as #2f6b2f")
@click.option("--language", default=None, type=click.Choice(["en", "fr"]),
              help="the portal's default language (default: en)")
def init_command(cluster_id, name, base_url, sector, database_url, colour, language):
    """Initialise this instance folder, then create the schema by migrations."""
    path = current_app.instance_path
    try:
        config_file = write_instance(path, cluster_id, name, base_url, sector, database_url, colour, language)
    except InstanceError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Wrote {config_file} and the cluster's key pair.")
    # The running app was configured before the file existed: migrate with a fresh one.
    from flask_migrate import upgrade

    from portal import create_app

    with create_app().app_context():
        upgrade()
    click.echo(f"Database ready. Cluster {cluster_id} initialised in {path}.")


def register_cli(app):
    app.cli.add_command(init_command)
