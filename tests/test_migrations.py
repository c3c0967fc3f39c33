"""The schema comes from Alembic migrations: they must build exactly what the models say."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import select

from portal import create_app
from portal.directory.search_index import include_object
from portal.extensions import db
from portal.federation.models import Counter, Setting


def test_upgrade_from_empty_matches_models(databases, tmp_path, monkeypatch):
    monkeypatch.setenv("PORTAL_INSTANCE", str(tmp_path))
    app = create_app({"SQLALCHEMY_DATABASE_URI": databases.empty(), "SECRET_KEY": "x", "TESTING": True})
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"include_object": include_object, "compare_type": True})
            diff = compare_metadata(context, db.metadata)
        assert diff == []
        # The first migration seeds the federation epoch and the feed counter.
        assert len(db.session.scalar(select(Setting.value).where(Setting.key == "epoch"))) == 32
        assert db.session.scalar(select(Counter.value).where(Counter.name == "feed")) == 0
        db.engine.dispose()
