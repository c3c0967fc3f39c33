"""Demo data commands: `flask demo load`, `flask demo stage NAME`, `flask demo survey-link`.

They fill a portal with believable demo data, and show a newcomer a survey as a participant
gets it.
"""
from datetime import date

import click
from flask import current_app

from portal.demo.world import STAGE_NAMES
from portal.extensions import db


@click.group("demo")
def demo_group():
    """Demo data (never run on a real portal)."""


def _as_day(_context, _param, value):
    return value.date() if value else date.today()


anchor_option = click.option(
    "--anchor", type=click.DateTime(["%Y-%m-%d"]), metavar="YYYY-MM-DD", callback=_as_day,
    help="the day the demo is dated from: events and listings' end dates follow it (default: today; "
         "`make demo` gives the day its world was first built)")


@demo_group.command("load")
@click.option("--profile", required=True, type=click.Choice(["photonics", "agrifood", "health"]))
@click.option("--seed", default=7, show_default=True)
@click.option("--password", required=True, help="password of the demo accounts")
@anchor_option
def load_command(profile, seed, password, anchor):
    """Load organisations, people, listings and the demo accounts of one cluster."""
    from portal.demo.load import load_profile

    summary = load_profile(profile, seed, password, anchor)
    db.session.commit()
    for line in summary:
        click.echo(f"  {line}")


@demo_group.command("stage")
@click.argument("name", type=click.Choice(STAGE_NAMES))
@click.option("--peer", "peer_ids", multiple=True, help="pull this peer first, as `flask sync --peer` (repeatable)")
@click.option("--seed", default=7, show_default=True, help="the seed the data was loaded with")
@click.option("--people", default=35, show_default=True, help="registrations per cluster for the past event")
@click.option("--time-limit", default=4.0, show_default=True, help="seconds the B2B scheduler may take")
@anchor_option
def stage_command(name, peer_ids, seed, people, time_limit, anchor):
    """One stage of the demo world (events, registrations, ... surveys); running it again changes nothing."""
    from portal.demo.world import World, run_stage
    from portal.federation.sync import pull_all

    for result in pull_all(peer_ids=list(peer_ids)) if peer_ids else []:
        if not result.ok or result.busy:
            raise click.ClickException(f"pulling {result.peer_id} failed: {result.error}")
    # Queued mail waits for the portal's own delivery rather than a thread this command would cut short.
    current_app.config["MAIL_BACKGROUND"] = False
    line = run_stage(name, World(seed=seed, people=people, time_limit=time_limit, anchor=anchor))
    db.session.commit()
    click.echo(line)


@demo_group.command("survey-link")
@click.option("--seed", default=7, show_default=True, help="the seed the data was loaded with")
def survey_link_command(seed):
    """The personal link of the past event's six-month survey, for a participant of this portal who
    has not answered it (the demo member when they have not): what their invitation mail carries.
    Prints "name<TAB>link", or nothing when everybody answered."""
    from portal.demo.world import PAST, demo_member_uid
    from portal.surveys import queries, sending

    invites = queries.invites(PAST.uid, "six_months")
    waiting = [p for p in queries.participants(PAST.uid)
               if p.registration.uid in invites and invites[p.registration.uid].answered_at is None]
    if not waiting:
        return  # every participant answered: nothing to show
    member = demo_member_uid(current_app.config["CLUSTER_ID"], seed)
    chosen = next((p for p in waiting if p.registration.person_uid == member),
                  min(waiting, key=lambda p: p.person.display_name if p.person else ""))
    name = chosen.person.display_name if chosen.person else "a participant"
    click.echo(f"{name}\t{sending.survey_link(PAST.uid, 'six_months', chosen.registration.uid)}")


def register_cli(app):
    app.cli.add_command(demo_group)
