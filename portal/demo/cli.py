"""`flask demo load` and `flask demo settle`: fill a portal with believable demo data."""
import click
from flask import current_app

from portal.extensions import db


@click.group("demo")
def demo_group():
    """Demo data (never run on a real portal)."""


@demo_group.command("load")
@click.option("--profile", required=True, type=click.Choice(["photonics", "agrifood", "health"]))
@click.option("--seed", default=7, show_default=True)
@click.option("--password", required=True, help="password of the demo accounts")
def load_command(profile, seed, password):
    """Load organisations, people, listings and the demo accounts of one cluster."""
    from portal.demo.load import load_profile

    summary = load_profile(profile, seed, password)
    db.session.commit()
    for line in summary:
        click.echo(f"  {line}")


@demo_group.command("settle")
def settle_command():
    """Second pass, once peers have synced: what needs the other clusters' records."""
    from portal.demo.load import settle

    for line in settle():
        click.echo(f"  {line}")
    db.session.commit()


def register_cli(app):
    app.cli.add_command(demo_group)
