"""Backups and restores: a consistent copy of the database plus the instance folder.

A backup is a folder `<cluster>-<UTC time>` holding `manifest.json`, the database
(`database.sqlite3` made with SQLite's online backup API, or `database.pgdump` in
pg_dump's custom format) and `instance/` (configuration, secret key, key pair). It is
written under a temporary name and renamed when complete. A restore brings both back
and gives the database a new federation epoch, so that peers pull everything again
instead of trusting cursors into a history that no longer exists.
"""
import errno
import glob
import itertools
import json
import os
import pathlib
import re
import secrets
import shutil
import sqlite3
import subprocess
import tempfile
from datetime import datetime, timezone

from flask import current_app
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from portal.extensions import db
from portal.federation.models import Setting
from portal.ops import health

FORMAT = 1
MANIFEST = "manifest.json"
DUMP_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}


class BackupError(Exception):
    pass


def engine_kind(url):
    if url.get_backend_name() in DUMP_FILES:
        return url.get_backend_name()
    raise BackupError(f"cannot back up a {url.get_backend_name()} database")


def backup(root):
    """Write a complete backup folder under `root`; return its path.

    Each run writes under a temporary name of its own, so runs at the same time do not meet;
    the name is taken at the end (see `publish`)."""
    url = db.engine.url
    kind = engine_kind(url)
    os.makedirs(root, mode=0o700, exist_ok=True)
    stamp = datetime.now(timezone.utc)
    name = f"{current_app.config['CLUSTER_ID']}-{stamp:%Y%m%d-%H%M%S}"
    partial = tempfile.mkdtemp(prefix=f".{name}-", suffix=".partial", dir=root)  # mode 700
    try:
        dump = os.path.join(partial, DUMP_FILES[kind])
        if kind == "sqlite":
            sqlite_copy(url.database, dump)
        else:
            pg_dump(url, dump)
        copy_instance(current_app.instance_path, os.path.join(partial, "instance"),
                      excluded=[root] + sqlite_files(url))
        write_manifest(partial, kind, stamp)
        make_private(partial)
        return publish(partial, root, name)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise


def publish(partial, root, name):
    """Rename the complete backup `partial` to `name`, or `name-2`, `name-3`... when another
    backup of the same second has it: a rename fails onto a complete backup (never empty)."""
    for n in itertools.count(1):
        final = os.path.join(root, name if n == 1 else f"{name}-{n}")
        try:
            os.rename(partial, final)
            return final
        except OSError as error:
            if error.errno not in (errno.EEXIST, errno.ENOTEMPTY):
                raise


def make_private(folder):
    """Files 600 and folders 700 throughout: a backup holds the secret key and every member's data."""
    for parent, folders, files in os.walk(folder):
        for name in folders:
            os.chmod(os.path.join(parent, name), 0o700)
        for name in files:
            os.chmod(os.path.join(parent, name), 0o600)


def write_manifest(folder, kind, stamp):
    manifest = {"format": FORMAT, "cluster_id": current_app.config["CLUSTER_ID"],
                "created_at": stamp.strftime("%Y-%m-%dT%H:%M:%SZ"), "engine": kind,
                "database": DUMP_FILES[kind], "instance": "instance",
                "migrations": health.migrations_state(), "revisions": sorted(health.applied_heads())}
    with open(os.path.join(folder, MANIFEST), "w") as out:
        json.dump(manifest, out, indent=2)


def read_manifest(folder):
    try:
        with open(os.path.join(folder, MANIFEST)) as source:
            manifest = json.load(source)
    except (OSError, ValueError) as error:
        raise BackupError(f"{folder} is not a Passerelle backup: {error}") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{folder}: unknown backup format {manifest.get('format')!r}")
    return manifest


def sqlite_copy(source_path, target_path):
    """Copy a SQLite database page by page with the online backup API.

    The copy is consistent even while other processes write; used both ways, it also
    replaces a live database's whole content on restore. The target keeps its journal mode:
    a backup's new file would otherwise be in WAL mode as the portal's database is, and
    whoever reads it (a restore) left -wal and -shm files beside it.
    """
    source = sqlite3.connect(pathlib.Path(source_path).absolute().as_uri() + "?mode=ro", uri=True)
    target = sqlite3.connect(target_path)
    try:
        [mode] = target.execute("PRAGMA journal_mode").fetchone()
        source.backup(target)
        target.execute(f"PRAGMA journal_mode={mode}")
    finally:
        target.close()
        source.close()


def sqlite_files(url):
    """The live SQLite database and its companions (WAL, shared memory, journal)."""
    if url.get_backend_name() != "sqlite" or not url.database:
        return []
    return [os.path.abspath(url.database) + suffix for suffix in ("", "-wal", "-shm", "-journal")]


def copy_instance(instance, target, excluded):
    """The instance folder without the live database files, the backups themselves, and
    what is not a file (gunicorn's control socket: live, or left behind by a killed server)."""
    excluded = {os.path.abspath(path) for path in excluded}

    def ignore(folder, names):
        paths = {n: os.path.abspath(os.path.join(folder, n)) for n in names}
        return [n for n, path in paths.items()
                if path in excluded or n == "__pycache__" or not (os.path.isfile(path) or os.path.isdir(path))]

    if os.path.isdir(instance):
        shutil.copytree(instance, target, ignore=ignore)
    else:
        os.makedirs(target)


def restore(folder, with_instance=True):
    """Bring a backup back into the configured database (and instance folder); new epoch."""
    manifest = read_manifest(folder)
    url = db.engine.url
    kind = engine_kind(url)
    if manifest["engine"] != kind:
        raise BackupError(f"the backup holds a {manifest['engine']} database; "
                          f"this portal is configured for {kind}")
    ours = current_app.config["CLUSTER_ID"]
    initialised = os.path.exists(os.path.join(current_app.instance_path, "portal.toml"))  # not a new machine's
    if initialised and manifest.get("cluster_id") not in (None, ours):
        raise BackupError(f"the backup is of the cluster {manifest['cluster_id']}; this portal is {ours}")
    known = health.scripts()[1]  # empty where no migrations folder is installed: nothing to compare
    newer = sorted(set(manifest.get("revisions", ())) - known) if known else []
    if newer:
        raise BackupError(f"the backup's database is at migration {', '.join(newer)}, which this code does not have: "
                          f"install the Passerelle release that took it (or a newer one), then restore")
    dump = os.path.join(folder, manifest["database"])
    db.session.remove()
    db.engine.dispose()  # no pooled connection may outlive the old database
    if kind == "sqlite":
        os.makedirs(os.path.dirname(os.path.abspath(url.database)), mode=0o700, exist_ok=True)  # a new machine's
        sqlite_copy(dump, url.database)
    else:
        pg_restore(url, dump)
    # At once: restored records under the old epoch would look, to peers past them, already
    # pulled (if copying the instance files fails below, the new epoch still stands).
    epoch = new_epoch()
    if kind == "postgresql":
        drop_tables_not_in(dump, epoch)
    if with_instance:
        source = os.path.join(folder, manifest["instance"])
        try:
            copy_back(source, current_app.instance_path)
        except OSError as error:
            raise BackupError(f"the database is restored (new epoch {epoch}) but not the instance files: {error}. "
                              f"Mend that and restore again, or copy {source} into "
                              f"{current_app.instance_path} by hand") from error
    return epoch


def copy_back(source, instance):
    """Put the backup's instance files back, over the current ones (others are kept)."""
    if os.path.isdir(source):
        shutil.copytree(source, instance, dirs_exist_ok=True)


def drop_tables_not_in(dump, epoch):
    """Drop the tables of the dump's schemas that the dump does not hold, as SQLite's copy does.

    `pg_restore --clean` drops only what the dump holds: a table made since the backup by a
    newer migration stayed, and `db upgrade` then failed on it ("relation ... already exists")."""
    held = pg_tables(dump)
    schemas = sorted({schema for schema, _ in held})
    quote = db.engine.dialect.identifier_preparer.quote
    found = db.session.execute(text("SELECT schemaname, tablename FROM pg_tables WHERE schemaname = ANY(:schemas)"),
                               {"schemas": schemas}).all()
    strays = sorted(set(map(tuple, found)) - held)
    try:
        for schema, name in strays:
            db.session.execute(text(f"DROP TABLE IF EXISTS {quote(schema)}.{quote(name)} CASCADE"))
        db.session.commit()
    except SQLAlchemyError as error:
        db.session.rollback()
        names = ", ".join(f"{schema}.{name}" for schema, name in strays)
        raise BackupError(f"the database is restored (new epoch {epoch}) but the tables the backup does not hold "
                          f"({names}) could not be dropped: {error}. Drop them by hand before `db upgrade`") from error
    return strays


def pg_tables(dump):
    """The (schema, table) pairs a pg_dump custom-format file holds, from `pg_restore --list`."""
    result = subprocess.run([pg_tool("pg_restore"), "--list", dump], capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed: {result.stderr.strip()}")
    entries = re.finditer(r"^\d+; \d+ \d+ TABLE (?!DATA )(\S+) (\S+)(?: |$)", result.stdout, re.M)
    return {(entry[1], entry[2]) for entry in entries}


def new_epoch():
    """A fresh federation epoch: peers that see it pull this portal again from 0."""
    epoch = secrets.token_hex(16)
    setting = db.session.get(Setting, "epoch")
    if setting is None:
        db.session.add(Setting(key="epoch", value=epoch))
    else:
        setting.value = epoch
    db.session.commit()
    return epoch


def pg_tool(name):
    """pg_dump or pg_restore: PG_BIN_DIR when set (and nowhere else), else PATH, else the newest
    Debian install."""
    configured = current_app.config.get("PG_BIN_DIR")
    if configured:
        found = shutil.which(name, path=configured)
        if found is None:
            raise BackupError(f"no {name} in PG_BIN_DIR ({configured}): set it (portal.toml or PORTAL_PG_BIN_DIR) "
                              f"to the folder of the PostgreSQL client programs, or leave it unset to search PATH")
        return found
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
                        key=lambda p: int(p.split("/")[4]) if p.split("/")[4].isdigit() else 0)
    if candidates:
        return candidates[-1]
    raise BackupError(f"{name} not found: install the PostgreSQL client or set PG_BIN_DIR")


def libpq(url):
    """The libpq connection string and environment: the password goes by PGPASSWORD, not argv."""
    env = dict(os.environ, PGOPTIONS="-c lock_timeout=60000")
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    conninfo = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    return conninfo, env


def run(command, env):
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{os.path.basename(command[0])} failed: {result.stderr.strip()}")


def pg_dump(url, target):
    conninfo, env = libpq(url)
    run([pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
         f"--file={target}", f"--dbname={conninfo}"], env)


def pg_restore(url, dump):
    conninfo, env = libpq(url)
    run([pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges",
         "--single-transaction", "--exit-on-error", f"--dbname={conninfo}", dump], env)


def prune(root, keep):
    """Delete all but the `keep` newest complete backups of this cluster under `root`.

    Only folders named exactly as `backup` names this cluster's (another cluster's id may
    start with this one's, "photonics" and "photonics-bretagne"), oldest first by their UTC
    time and then their -2, -3 within one second.
    """
    name = re.compile(re.escape(current_app.config["CLUSTER_ID"]) + r"-(\d{8}-\d{6})(?:-(\d+))?")
    found = []
    for entry in os.scandir(root):
        match = name.fullmatch(entry.name)
        if match and entry.is_dir() and os.path.exists(os.path.join(entry.path, MANIFEST)):
            found.append((match[1], int(match[2] or 1), entry.path))
    folders = [path for _, _, path in sorted(found)]
    doomed = folders[:-keep] if keep > 0 else []
    for path in doomed:
        shutil.rmtree(path)
    return doomed
