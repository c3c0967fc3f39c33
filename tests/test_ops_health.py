"""GET /healthz: database, migrations, sync worker heartbeat; 200 or 503."""
from datetime import datetime, timedelta, timezone

import flask_migrate
import pytest

from portal import create_app
from portal.extensions import db
from portal.federation.models import Setting
from portal.ops import health
from tests.dbs import ON_POSTGRES


def stamp_if_migrations_exist(app):
    """Tests build the schema with create_all: tell Alembic it is current when there are scripts."""
    if health.script_heads():
        flask_migrate.stamp()


def test_healthy_portal_answers_200(app, client):
    stamp_if_migrations_exist(app)
    response = client.get("/healthz")
    assert response.status_code == 200
    report = response.get_json()
    assert report["status"] == "ok" and report["database"] == "ok"
    assert report["migrations"] in ("none", "current")
    assert report["worker"] == {"heartbeat": None, "age_seconds": None}
    assert response.headers["Cache-Control"] == "no-store"


def test_worker_heartbeat_age_is_reported(app, client):
    stamp_if_migrations_exist(app)
    beat = datetime.now(timezone.utc) - timedelta(minutes=5)
    db.session.add(Setting(key="worker_heartbeat", value=beat.isoformat()))
    db.session.commit()
    worker = client.get("/healthz").get_json()["worker"]
    assert worker["heartbeat"] == beat.isoformat()
    assert 290 <= worker["age_seconds"] <= 3600


def test_database_down_answers_503(app_config, monkeypatch, tmp_path):
    monkeypatch.setenv("PORTAL_INSTANCE", app_config["INSTANCE_FOR_TESTS"])
    if ON_POSTGRES:  # nothing listens on port 1
        url = "postgresql+psycopg://nobody:nothing@127.0.0.1:1/none?connect_timeout=2"
    else:
        url = "sqlite:///" + str(tmp_path / "no-such-folder" / "portal.db")
    app = create_app(dict(app_config, SQLALCHEMY_DATABASE_URI=url))
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    report = response.get_json()
    assert report["status"] == "unhealthy" and report["database"] == "unreachable"
    assert "nobody" not in response.get_data(as_text=True)


def test_migrations_behind_answers_503(app, client, monkeypatch):
    monkeypatch.setattr(health, "scripts", lambda: (frozenset({"f00dcafe0001"}), frozenset({"f00dcafe0001"})))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["migrations"] == "behind"


def test_migrated_database_is_current_then_behind_when_unstamped(databases, app_config, monkeypatch):
    if not health_scripts_exist(app_config, monkeypatch):
        pytest.skip("no migration scripts yet")
    app = create_app(dict(app_config, SQLALCHEMY_DATABASE_URI=databases.empty()))
    with app.app_context():
        flask_migrate.upgrade()
        client = app.test_client()
        response = client.get("/healthz")
        assert response.status_code == 200 and response.get_json()["migrations"] == "current"
        heads, known = health.scripts()
        older = next(iter(known - heads))
        flask_migrate.stamp(revision=older)  # the code was upgraded, not yet the database
        response = client.get("/healthz")
        assert response.status_code == 503 and response.get_json()["migrations"] == "behind"
        flask_migrate.stamp(revision="base")
        response = client.get("/healthz")
        assert response.status_code == 503 and response.get_json()["migrations"] == "behind"
        db.session.remove()
        db.engine.dispose()


def health_scripts_exist(app_config, monkeypatch):
    monkeypatch.setenv("PORTAL_INSTANCE", app_config["INSTANCE_FOR_TESTS"])
    with create_app(app_config).app_context():
        return bool(health.script_heads())
