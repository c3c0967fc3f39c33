"""Operations commands: `backup DIR` and `restore BACKUP_DIR`."""
import click
from flask.cli import with_appcontext

from portal.ops import backup as backups
from portal.ops.health import migrations_state


@click.command("backup")
@click.argument("directory", type=click.Path(file_okay=False))
@click.option("--keep", type=int, default=0, help="then delete all but the KEEP newest backups")
@with_appcontext
def backup_command(directory, keep):
    """Copy the database and the instance folder into a new folder under DIRECTORY."""
    try:
        path = backups.backup(directory)
        pruned = backups.prune(directory, keep) if keep else []
    except backups.BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Backup written to {path}")
    for old in pruned:
        click.echo(f"Removed old backup {old}")


@click.command("restore")
@click.argument("backup_dir", type=click.Path(exists=True, file_okay=False))
@click.option("--yes", is_flag=True, help="do not ask for confirmation")
@click.option("--database-only", is_flag=True, help="leave the instance folder as it is")
@with_appcontext
def restore_command(backup_dir, yes, database_only):
    """Replace this portal's database (and instance files) with a backup's; new epoch."""
    try:
        manifest = backups.read_manifest(backup_dir)
    except backups.BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Backup of {manifest['cluster_id']} taken {manifest['created_at']} ({manifest['engine']}).")
    if not yes:
        click.confirm("Stop the web and sync services first. Replace the current database"
                      + ("" if database_only else " and instance files") + "?", abort=True)
    try:
        epoch = backups.restore(backup_dir, with_instance=not database_only)
    except backups.BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Restored. New federation epoch {epoch}: peers will pull this portal again from the start.")
    if migrations_state() == "behind":
        click.echo("The code is newer than the backup: run `flask --app portal db upgrade` before starting the services.")


def register_cli(app):
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
