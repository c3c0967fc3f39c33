"""`flask backup DIR` and `flask restore BACKUP_DIR`: database and instance back, new epoch."""
import json
import os
from datetime import datetime

import flask_migrate
import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, select, text

from portal import create_app
from portal.directory.models import Listing
from portal.extensions import db
from portal.federation.queries import epoch
from portal.ops import backup as backups
from portal.ops import health
from tests.dbs import ON_POSTGRES


def titles():
    db.session.remove()
    return set(db.session.scalars(select(Listing.title)))


def only_backup(root):
    [name] = [n for n in os.listdir(root) if not n.startswith(".")]
    return os.path.join(root, name)


def test_backup_then_restore_brings_back_database_and_instance(app, runner, make_listing, tmp_path):
    kept = make_listing(title="Kept")
    marker = os.path.join(app.instance_path, "marker.txt")
    with open(marker, "w") as out:
        out.write("before")
    old_epoch = epoch()

    result = runner.invoke(args=["backup", str(tmp_path / "backups")])
    assert result.exit_code == 0, result.output
    folder = only_backup(tmp_path / "backups")
    assert os.path.basename(folder).startswith("test-cluster-")
    with open(os.path.join(folder, "manifest.json")) as source:
        manifest = json.load(source)
    assert manifest["engine"] == ("postgresql" if ON_POSTGRES else "sqlite")
    assert os.path.getsize(os.path.join(folder, manifest["database"])) > 0
    assert os.path.exists(os.path.join(folder, "instance", "keys", "ed25519.pem"))

    make_listing(title="Added after the backup")
    kept.title = "Changed after the backup"
    db.session.commit()
    with open(marker, "w") as out:
        out.write("after")

    refused = runner.invoke(args=["restore", folder], input="n\n")
    assert refused.exit_code != 0 and len(titles()) == 2

    result = runner.invoke(args=["restore", folder, "--yes"])
    assert result.exit_code == 0, result.output
    assert titles() == {"Kept"}
    new_epoch = epoch()
    assert new_epoch != old_epoch and new_epoch in result.output
    with open(marker) as source:
        assert source.read() == "before"


def test_a_restore_that_fails_after_the_database_still_gives_a_new_epoch(app, runner, monkeypatch, tmp_path):
    """Peers past the backup's feed must pull again: the epoch changes with the database."""
    runner.invoke(args=["backup", str(tmp_path / "b")])
    old_epoch = epoch()

    def unwritable(source, instance):
        raise PermissionError("portal.toml: Operation not permitted")

    monkeypatch.setattr(backups, "copy_back", unwritable)
    result = runner.invoke(args=["restore", only_backup(tmp_path / "b"), "--yes"])
    assert result.exit_code == 1 and "the database is restored (new epoch" in result.output
    assert "Operation not permitted" in result.output and "Traceback" not in result.output
    db.session.remove()
    assert epoch() not in (None, old_epoch)


def test_a_restore_drops_the_tables_made_since_the_backup_so_upgrading_again_works(app, runner, tmp_path):
    """Rolling back an upgrade: a table a newer migration made would stay beside the restored
    ones (pg_restore --clean drops only what the dump holds), and `db upgrade` failed on it."""
    runner.invoke(args=["backup", str(tmp_path / "b")])
    db.session.execute(text("CREATE TABLE made_by_a_newer_migration (id integer PRIMARY KEY)"))
    db.session.commit()

    result = runner.invoke(args=["restore", only_backup(tmp_path / "b"), "--yes"])
    assert result.exit_code == 0, result.output
    db.session.remove()
    assert "made_by_a_newer_migration" not in inspect(db.engine).get_table_names()
    assert "listing" in inspect(db.engine).get_table_names()


def test_restore_database_only_leaves_instance_alone(app, runner, tmp_path):
    runner.invoke(args=["backup", str(tmp_path / "b")])
    marker = os.path.join(app.instance_path, "later.txt")
    with open(os.path.join(app.instance_path, "portal.toml"), "w") as out:
        out.write("# changed after the backup\n")
    open(marker, "w").close()
    result = runner.invoke(args=["restore", only_backup(tmp_path / "b"), "--yes", "--database-only"])
    assert result.exit_code == 0, result.output
    with open(os.path.join(app.instance_path, "portal.toml")) as source:
        assert source.read() == "# changed after the backup\n"


def test_sqlite_database_inside_the_instance_is_copied_once(app_config, monkeypatch, tmp_path):
    instance = app_config["INSTANCE_FOR_TESTS"]
    monkeypatch.setenv("PORTAL_INSTANCE", instance)
    url = "sqlite:///" + os.path.join(instance, "portal.db")
    app = create_app(dict(app_config, SQLALCHEMY_DATABASE_URI=url))
    with app.app_context():
        db.create_all()
        folder = backups.backup(os.path.join(instance, "backups"))  # even inside the instance
        db.engine.dispose()
    assert sorted(os.listdir(folder)) == ["database.sqlite3", "instance", "manifest.json"]
    copied = os.listdir(os.path.join(folder, "instance"))
    assert "portal.db" not in copied and "backups" not in copied and "keys" in copied


def test_keep_prunes_older_backups(app, runner, tmp_path):
    for _ in range(3):
        result = runner.invoke(args=["backup", str(tmp_path / "b"), "--keep", "2"])
        assert result.exit_code == 0, result.output
    assert len(os.listdir(tmp_path / "b")) == 2


def test_restore_refuses_a_folder_that_is_not_a_backup(runner, tmp_path):
    result = runner.invoke(args=["restore", str(tmp_path), "--yes"])
    assert result.exit_code != 0 and "not a Passerelle backup" in result.output


def test_restore_refuses_another_engine(app, tmp_path):
    folder = tmp_path / "other"
    folder.mkdir()
    other = "sqlite" if ON_POSTGRES else "postgresql"
    (folder / "manifest.json").write_text(json.dumps(
        {"format": 1, "engine": other, "database": "x", "instance": "instance"}))
    with pytest.raises(backups.BackupError, match="configured for"):
        backups.restore(str(folder))


def fake_backup(root, name, cluster_id="test-cluster"):
    folder = root / name
    folder.mkdir(parents=True)
    (folder / "manifest.json").write_text(json.dumps({"format": 1, "cluster_id": cluster_id}))
    return folder


def test_keep_prunes_only_this_clusters_backups_oldest_first(app, runner, tmp_path):
    root = tmp_path / "shared"
    other = fake_backup(root, "test-cluster-a-20300101-000000", "test-cluster-a")  # an id that starts like ours
    fake_backup(root, "test-cluster-20200101-000000-10")
    newer_in_that_second = fake_backup(root, "test-cluster-20200101-000000-2")
    newer_in_that_second.rename(root / "test-cluster-20200101-000000-3")
    result = runner.invoke(args=["backup", str(root), "--keep", "2"])
    assert result.exit_code == 0, result.output
    written = result.output.split("Backup written to ")[1].split()[0]
    kept = sorted(os.listdir(root))
    assert os.path.basename(written) in kept and other.name in kept  # never the one just written, nor theirs
    assert "test-cluster-20200101-000000-10" in kept and "test-cluster-20200101-000000-3" not in kept  # -10 after -3


def test_restore_refuses_another_clusters_backup_once_initialised(app, tmp_path):
    folder = fake_backup(tmp_path, "photonics-20300101-000000", "photonics")
    (folder / "manifest.json").write_text(json.dumps(
        {"format": 1, "cluster_id": "photonics", "engine": "postgresql" if ON_POSTGRES else "sqlite",
         "database": "x", "instance": "instance"}))
    with open(os.path.join(app.instance_path, "portal.toml"), "w") as out:
        out.write('CLUSTER_ID = "test-cluster"\n')
    with pytest.raises(backups.BackupError, match="of the cluster photonics; this portal is test-cluster"):
        backups.restore(str(folder))


@pytest.mark.skipif(ON_POSTGRES, reason="a SQLite file's folder; PostgreSQL restores into a server")
def test_restore_on_a_new_machine_creates_the_databases_folder(app, app_config, make_listing, monkeypatch,
                                                               tmp_path):
    make_listing(title="Brought back")
    folder = backups.backup(str(tmp_path / "b"))
    fresh = tmp_path / "new-machine" / "instance"  # nothing there yet
    monkeypatch.setenv("PORTAL_INSTANCE", str(fresh))
    config = dict(app_config, SQLALCHEMY_DATABASE_URI=f"sqlite:///{fresh}/portal.db")
    with create_app(config).app_context():
        backups.restore(folder)
        assert titles() == {"Brought back"}
        db.engine.dispose()


def test_backup_skips_a_socket_in_the_instance_folder(app, runner, tmp_path):
    """gunicorn's control socket lives in the instance folder while the portal runs (and stays
    there after a crash): the backup copies the files around it, not the socket."""
    import socket

    path = os.path.join(app.instance_path, "gunicorn.ctl")
    server = socket.socket(socket.AF_UNIX)
    server.bind(path)
    try:
        result = runner.invoke(args=["backup", str(tmp_path / "backups")])
    finally:
        server.close()
        os.unlink(path)
    assert result.exit_code == 0, result.output
    copied = os.path.join(only_backup(tmp_path / "backups"), "instance")
    assert os.path.exists(os.path.join(copied, "keys", "ed25519.pem"))
    assert not os.path.lexists(os.path.join(copied, "gunicorn.ctl"))


def test_pg_bin_dir_wins_over_path_and_a_wrong_one_is_named(app, tmp_path):
    """A wrong setting ended the backup in a traceback (FileNotFoundError); a right one is
    used even when PATH has the programs too."""
    app.config["PG_BIN_DIR"] = str(tmp_path / "nonexistent")
    with pytest.raises(backups.BackupError, match=r"^no pg_restore in PG_BIN_DIR \(.*nonexistent\): set it"):
        backups.pg_tool("pg_restore")
    tool = tmp_path / "bin" / "pg_dump"
    tool.parent.mkdir()
    tool.write_text("#!/bin/sh\n")
    tool.chmod(0o755)
    app.config["PG_BIN_DIR"] = str(tool.parent)
    assert backups.pg_tool("pg_dump") == str(tool)


def test_backups_of_the_same_second_at_the_same_time_both_complete(app, monkeypatch, tmp_path):
    """Two runs in one second shared one temporary folder: the second emptied the first's, which
    died (FileNotFoundError). Here a second backup runs whole while the first copies its files."""
    class Frozen(datetime):
        @classmethod
        def now(cls, tz=None):
            return datetime(2030, 1, 2, 3, 4, 5, tzinfo=tz)

    root = str(tmp_path / "b")
    monkeypatch.setattr(backups, "datetime", Frozen)
    copy_instance, inner = backups.copy_instance, []

    def copy_during_another_backup(*args, **kwargs):
        monkeypatch.setattr(backups, "copy_instance", copy_instance)  # the other one copies as usual
        inner.append(backups.backup(root))
        copy_instance(*args, **kwargs)

    monkeypatch.setattr(backups, "copy_instance", copy_during_another_backup)
    outer = backups.backup(root)
    assert inner == [os.path.join(root, "test-cluster-20300102-030405")]
    assert outer == os.path.join(root, "test-cluster-20300102-030405-2")
    assert sorted(os.listdir(root)) == ["test-cluster-20300102-030405", "test-cluster-20300102-030405-2"]
    for folder in (inner[0], outer):
        assert backups.read_manifest(folder)["cluster_id"] == "test-cluster"


def test_a_backup_holds_the_database_file_alone_and_private_even_once_restored(app, runner, tmp_path):
    """A SQLite copy was in WAL mode like the portal's database, and reading it (a restore) left
    -wal and -shm files in the backup; every file of a backup is the service account's only."""
    runner.invoke(args=["backup", str(tmp_path / "b")])
    folder = only_backup(tmp_path / "b")
    result = runner.invoke(args=["restore", folder, "--yes"])
    assert result.exit_code == 0, result.output
    database = backups.read_manifest(folder)["database"]
    assert sorted(os.listdir(folder)) == sorted([database, "instance", "manifest.json"])
    for parent, folders, files in os.walk(folder):
        assert {oct(os.stat(os.path.join(parent, name)).st_mode & 0o777) for name in files} <= {"0o600"}
        assert {oct(os.stat(os.path.join(parent, name)).st_mode & 0o777) for name in folders} <= {"0o700"}


@pytest.mark.skipif(ON_POSTGRES, reason="SQLite's journal mode")
def test_a_restored_sqlite_database_stays_in_wal_mode(app, runner, tmp_path):
    runner.invoke(args=["backup", str(tmp_path / "b")])
    runner.invoke(args=["restore", only_backup(tmp_path / "b"), "--yes"])
    db.session.remove()
    assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"


def test_a_backup_names_its_migration_and_a_restore_says_when_to_upgrade(app, runner, tmp_path):
    """Restoring a backup taken before an upgrade (rolling back, say) leaves the database behind
    the code: the restore says to run `db upgrade`."""
    [head] = health.scripts()[0]
    previous = ScriptDirectory(app.extensions["migrate"].directory).get_revision(head).down_revision
    flask_migrate.stamp(revision=previous)
    runner.invoke(args=["backup", str(tmp_path / "b")])
    folder = only_backup(tmp_path / "b")
    with open(os.path.join(folder, "manifest.json")) as source:
        assert json.load(source)["revisions"] == [previous]
    flask_migrate.stamp(revision=head)
    result = runner.invoke(args=["restore", folder, "--yes"])
    assert result.exit_code == 0, result.output
    assert "run `flask --app portal db upgrade` before starting the services" in result.output
    flask_migrate.stamp(revision=head)
    runner.invoke(args=["backup", str(tmp_path / "current")])
    result = runner.invoke(args=["restore", only_backup(tmp_path / "current"), "--yes"])
    assert result.exit_code == 0 and "db upgrade" not in result.output


def test_restore_refuses_a_backup_from_newer_code_and_touches_nothing(app, runner, make_listing, tmp_path):
    make_listing(title="Kept")
    runner.invoke(args=["backup", str(tmp_path / "b")])
    folder = only_backup(tmp_path / "b")
    manifest_path = os.path.join(folder, "manifest.json")
    with open(manifest_path) as source:
        manifest = json.load(source)
    manifest["revisions"] = ["0099_from_a_newer_release"]
    with open(manifest_path, "w") as out:
        json.dump(manifest, out)
    make_listing(title="Added after the backup")
    db.session.commit()
    result = runner.invoke(args=["restore", folder, "--yes"])
    assert result.exit_code == 1
    assert "at migration 0099_from_a_newer_release, which this code does not have" in result.output
    assert titles() == {"Kept", "Added after the backup"}


def test_a_deployment_without_migration_scripts_restores_a_backup_that_names_its_migration(app, runner,
                                                                                         monkeypatch, tmp_path):
    """With no migrations folder installed this code knows no revision at all: it cannot tell a
    newer backup, and refused every one that named its migration."""
    runner.invoke(args=["backup", str(tmp_path / "b")])
    folder = only_backup(tmp_path / "b")
    manifest_path = os.path.join(folder, "manifest.json")
    with open(manifest_path) as source:
        manifest = json.load(source)
    with open(manifest_path, "w") as out:
        json.dump(dict(manifest, revisions=["0017_closed_by_hand"]), out)
    monkeypatch.setattr(health, "scripts", lambda: (frozenset(), frozenset()))
    result = runner.invoke(args=["restore", folder, "--yes"])
    assert result.exit_code == 0, result.output
