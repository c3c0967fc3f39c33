"""`flask users create-admin EMAIL` and `flask users list`."""
import click
from flask.cli import AppGroup

from portal.accounts import queries, services
from portal.accounts.forms import EMAIL
from portal.accounts.models import STATUSES
from portal.accounts.passwords import password_problem
from portal.cli import in_english
from portal.extensions import db

users_group = AppGroup("users", help="Accounts of this portal.")


def _check_password(ctx, param, value):
    if value is not None:
        problem = password_problem(value)
        if problem:
            raise click.BadParameter(in_english(problem))
    return value


@users_group.command("create-admin")
@click.argument("email")
@click.option("--password", default=None, callback=_check_password,
              help="asked for when not given, unless the account exists and has one (it is kept)")
@click.option("--name", default=None, help="display name of the administrator's profile")
@click.option("--organisation", default=None, help="their organisation's name (created when new)")
def create_admin_command(email, password, name, organisation):
    """Create an active administrator (or promote the existing account of EMAIL, with the name and
    organisation given; a password given replaces its own and ends its other sessions)."""
    if not EMAIL.fullmatch(email.strip()):
        raise click.BadParameter("not an e-mail address", param_hint="EMAIL")
    existing = queries.user_by_email(email)
    if password is None and (existing is None or not existing.password_hash):
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True,
                                value_proc=lambda value: _check_password(None, None, value))
    if password is not None:
        problem = password_problem(password, email)  # the option's check did not know the address yet
        if problem:
            raise click.BadParameter(in_english(problem), param_hint="--password")
    user, created = services.create_admin(email, password, name, organisation)
    db.session.commit()
    click.echo(f"{'Created' if created else 'Promoted'} administrator {user.email}.")


@users_group.command("list")
@click.option("--status", type=click.Choice(STATUSES), default=None, help="only accounts with this status")
def list_command(status):
    """Accounts: e-mail, role, status, name, organisation."""
    for user in queries.members(status):
        person = user.person
        organisation = person.organisation.name if person and person.organisation else "-"
        click.echo("\t".join([user.email, user.role, user.status,
                              person.display_name if person else "-", organisation]))


def register_cli(app):
    app.cli.add_command(users_group)
