"""`flask backup DIR` and `flask restore BACKUP_DIR`: database and instance back, new epoch."""
import json
import os

import pytest
from sqlalchemy import select

from portal import create_app
from portal.directory.models import Listing
from portal.extensions import db
from portal.ops import backup as backups
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
    old_epoch = backups.current_epoch()

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
    new_epoch = backups.current_epoch()
    assert new_epoch != old_epoch and new_epoch in result.output
    with open(marker) as source:
        assert source.read() == "before"


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
