"""Federation commands: `peers add|list|remove|confirm-key`, `sync [--peer ID] [--watch]`, `new-key`."""
import os
from datetime import datetime, timezone

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from portal.cli import counted, english_output
from portal.extensions import db
from portal.federation import keys, queries, services, sync

peers = AppGroup("peers", help="Peer portals: add, list, remove, accept a changed key.")


def _peer_or_fail(cluster_id):
    peer = queries.get_peer(cluster_id)
    if peer is None:
        raise click.ClickException(f"no peer {cluster_id!r}")
    return peer


@peers.command("add")
@click.argument("url")
@click.option("--fingerprint", help="confirm without a prompt when the peer's key has this fingerprint")
@click.option("--yes", is_flag=True, help="confirm without a prompt (after reading the fingerprint)")
@english_output
def add_command(url, fingerprint, yes):
    """Fetch URL's identity, show its fingerprint, and pin it on confirmation."""
    try:
        base_url, info = services.fetch_identity(url)
    except services.PeeringError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"cluster id:  {info['cluster_id']}\nname:        {info['name']}\n"
               f"base url:    {base_url}\nfingerprint: {info['fingerprint']}")
    if fingerprint and fingerprint.strip() != info["fingerprint"]:
        raise click.ClickException("the peer's fingerprint is not the one given: nothing was stored")
    try:
        peer = services.propose_peer(base_url, info)
        db.session.commit()
        if not (fingerprint or yes or click.confirm("Is this the fingerprint its administrator gave you?")):
            click.echo(f"{peer.cluster_id} left pending: confirm it later (flask peers add again, or the admin page).")
            return
        services.confirm_peer(peer, info["fingerprint"])
        db.session.commit()
    except services.PeeringError as error:
        raise click.ClickException(str(error)) from error
    if services.introduce(peer):
        click.echo(f"Peered with {peer.cluster_id}. It has added this portal too: sync can start.")
    else:
        click.echo(f"Peered with {peer.cluster_id}. It answers once its administrator adds this portal too "
                   f"(flask --app portal peers add {current_app.config['BASE_URL']}).")


@peers.command("list")
def list_command():
    """Every peer with its state, cursor and health."""
    rows = queries.peers()
    if not rows:
        click.echo("no peers")
    for peer in rows:
        click.echo(f"{peer.cluster_id}\t{queries.peer_state(peer)}\t{peer.state}\t{peer.base_url}\t"
                   f"cursor={peer.cursor}\treceived={peer.received}\t{peer.fingerprint}"
                   + (f"\tNEW KEY {peer.new_fingerprint}" if peer.new_fingerprint else "")
                   + (f"\terror: {peer.last_error}" if peer.last_error else ""))


@peers.command("remove")
@click.argument("cluster_id")
def remove_command(cluster_id):
    """Stop answering and pulling this peer (its records stay)."""
    services.remove_peer(_peer_or_fail(cluster_id))
    db.session.commit()
    click.echo(f"{cluster_id} removed.")


@peers.command("confirm-key")
@click.argument("cluster_id")
@click.option("--fingerprint", required=True, help="the new fingerprint, checked with its administrator")
@english_output
def confirm_key_command(cluster_id, fingerprint):
    """Accept a peer's changed key (fetches its info first if no change was seen yet)."""
    peer = _peer_or_fail(cluster_id)
    if not peer.new_fingerprint:
        try:
            _, info = services.fetch_identity(peer.base_url)
        except services.PeeringError as error:
            raise click.ClickException(str(error)) from error
        if info["fingerprint"] != peer.fingerprint:
            services.note_key_change(peer, info)
    try:
        services.confirm_key(peer, fingerprint)
    except services.PeeringError as error:
        db.session.commit()
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(f"{cluster_id}: new key {fingerprint} pinned; sync resumes.")


@click.command("sync")
@click.option("--peer", "peer_ids", multiple=True, help="only this peer (repeatable)")
@click.option("--watch", is_flag=True, help="run as the worker until SIGTERM")
@with_appcontext
def sync_command(peer_ids, watch):
    """Pull every confirmed peer once (exit 1 when one failed), or keep pulling with --watch."""
    if watch:
        from portal.federation.worker import Worker

        worker = Worker(current_app._get_current_object())
        worker.install_signals()
        click.echo("sync worker running; SIGTERM stops it")
        worker.run(on_result=_report_change)
        click.echo("sync worker stopped")
        return
    ids = list(peer_ids) or [p.cluster_id for p in queries.confirmed_peers()]
    if not ids:
        click.echo("no confirmed peer to pull: add one with `flask --app portal peers add URL`")
        return
    for peer_id in ids:
        _peer_or_fail(peer_id)
    results = []
    with click.progressbar(ids, label="pulling", item_show_func=lambda i: i or "") as bar:
        for peer_id in bar:
            results.append(sync.pull_peer(peer_id))
    for result in results:
        _report(result)
    if any(not r.ok for r in results):
        raise SystemExit(1)


@click.command("new-key")
@click.option("--yes", is_flag=True, help="replace the current key without a prompt")
@with_appcontext
def new_key_command(yes):
    """Replace this portal's key pair (lost, or feared stolen); every peer must accept the new one."""
    path = os.path.join(current_app.instance_path, keys.PRIVATE_FILE)
    had_one = os.path.exists(path)
    if had_one and not yes:
        click.confirm("Every partner portal stops syncing with this one until its administrator accepts "
                      "the new fingerprint. Replace this portal's key?", abort=True)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
    fingerprint = keys.fingerprint(keys.public_key_b64(keys.replace(current_app.instance_path, stamp)))
    click.echo(f"New key written to {path}" + (f" (the old one kept as {path}.replaced-{stamp})" if had_one else "")
               + f".\nNew fingerprint: {fingerprint}\n"
               "Restart the web and the sync worker (each process reads the key once), then give this "
               "fingerprint to every partner's administrator by another channel; they accept it on their "
               "Federation page or with: flask --app portal peers confirm-key "
               f"{current_app.config['CLUSTER_ID']} --fingerprint {fingerprint}")


def _report(result):
    if result.busy:
        click.echo(f"{result.peer_id}: busy ({result.error})")
    elif result.ok:
        click.echo(f"{result.peer_id}: ok, {counted(result.pages, 'page')}, {result.applied} applied, "
                   f"{result.skipped} already held, {result.unknown} of unknown types, "
                   f"{result.quarantined} quarantined, {result.removed} removed")
    else:
        click.echo(f"{result.peer_id}: FAILED: {result.error}", err=True)


def _report_change(result):
    """The worker's line about a pull: only one that changed something, not every quiet poll (a
    failed pull has its line in the log already, from the pull itself)."""
    if result.ok and result.changed:
        _report(result)


def register_cli(app):
    app.cli.add_command(peers)
    app.cli.add_command(sync_command)
    app.cli.add_command(new_key_command)
