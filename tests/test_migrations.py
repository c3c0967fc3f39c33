"""The schema comes from Alembic migrations: they must build exactly what the models say."""
from contextlib import contextmanager

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import JSON, DateTime, column, insert, select, table, text

from portal import create_app
from portal.directory.models import Listing, Organisation
from portal.directory.search import SearchQuery, search_listings
from portal.directory.search_index import include_object
from portal.extensions import db
from portal.federation.models import Counter, Setting
from portal.federation.records import new_uid, utcnow


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


@pytest.fixture
def database_at(databases, tmp_path, monkeypatch):
    """database_at(revision): an app context on an empty database upgraded to `revision`."""
    monkeypatch.setenv("PORTAL_INSTANCE", str(tmp_path))
    app = create_app({"SQLALCHEMY_DATABASE_URI": databases.empty(), "SECRET_KEY": "x", "TESTING": True})

    @contextmanager
    def at(revision):
        with app.app_context():
            upgrade(revision=revision)
            yield
            db.session.remove()
            db.engine.dispose()
    return at


# The organisation table as the first migration made it (the model has grown since).
ORGANISATION_0001 = table("organisation", *(column(name) for name in (
    "uid", "origin", "version", "name", "kind", "country", "city", "website", "description", "special_guest")),
    column("sectors", JSON), column("updated_at", DateTime(timezone=True)))


def add_listing(**fields):
    uid = new_uid()
    db.session.execute(insert(ORGANISATION_0001).values(
        uid=uid, origin="test-cluster", version=1, name="Optique Ouest", kind="technology_provider", country="FR",
        city="", website="", description="", special_guest=False, sectors=[], updated_at=utcnow()))
    db.session.add(Listing(kind="offer", organisation_uid=uid, **fields))
    db.session.commit()


def found(word):
    return [item.title for item in search_listings(SearchQuery(text=word)).items]


def test_keywords_stored_with_escapes_are_found_after_the_upgrade(database_at):
    with database_at("0001_initial"):
        add_listing(title="Inline inspection", summary="Vision", keywords=["x"])
        # What json.dumps stored before 0002 (the update trigger indexes it as it is).
        db.session.execute(text("UPDATE listing SET keywords = :k"), {"k": '["contr\\u00f4le qualit\\u00e9"]'})
        db.session.commit()
        if db.engine.dialect.name == "sqlite":
            assert found("contrôle") == []
        upgrade()
        assert found("contrôle") == found("qualité") == ["Inline inspection"]
        assert db.session.scalars(select(Listing.keywords)).all() == [["contrôle qualité"]]


def test_words_typed_without_accents_find_accented_listings_after_the_upgrade(database_at):
    with database_at("0002_keywords_text"):
        add_listing(title="Contrôle qualité", summary="Énergie", keywords=["sécurité"])
        if db.engine.dialect.name == "postgresql":
            # Before 0003 the documents kept their accents (and the new configuration is not there yet).
            plain = db.session.scalar(select(text("search_vector @@ to_tsquery('simple', 'controle')"))
                                      .select_from(Listing))
            assert plain is False
            db.session.rollback()  # the upgrade's ALTER TABLE (0006) waits for this read's lock
        upgrade()
        for word in ("controle", "contrôle", "qualite", "energie", "securite"):
            assert found(word) == ["Contrôle qualité"], word


def test_words_between_punctuation_are_found_after_the_upgrade(database_at):
    with database_at("0012_registrant_messages"):
        add_listing(title="Probe <fibre> kit", summary="contact@lumiwave.fr", keywords=["www.optique.org"])
        upgrade()
        for word in ("fibre", "lumiwave", "org"):
            assert found(word) == ["Probe <fibre> kit"], word


def test_organisations_made_before_pending_existed_stay_public(database_at):
    with database_at("0003_unaccent_search"):
        add_listing(title="Inline inspection")
        upgrade()
        assert db.session.scalars(select(Organisation.pending)).all() == [False]


def test_accounts_have_no_language_after_the_upgrade_and_the_downgrade_drops_it(database_at):
    from flask_migrate import downgrade

    with database_at("0004_pending_organisations"):
        db.session.execute(text("INSERT INTO \"user\" (email, role, status, created_at, failed_logins) "
                                "VALUES ('anne@example.org', 'member', 'active', CURRENT_TIMESTAMP, 0)"))
        db.session.commit()
        upgrade()
        assert db.session.execute(text("SELECT email, language FROM \"user\"")).all() == [("anne@example.org", None)]
        db.session.remove()
        downgrade(revision="0004_pending_organisations")
        assert db.session.execute(text("SELECT email FROM \"user\"")).scalars().all() == ["anne@example.org"]


def test_late_refusals_made_before_the_upgrade_are_recognised_by_their_message(database_at):
    with database_at("0018_longer_types"):
        for uid, status, message in (("late-en", "refused", "Registration closed on Monday, March 1, 2049, 18:00."),
                                     ("late-fr", "refused", "Inscriptions closes depuis le lundi 1 mars 2049, 18:00."),
                                     ("by-hand", "refused", "Not this time."),
                                     ("in", "confirmed", "")):
            db.session.execute(text(
                "INSERT INTO registration_decision (uid, origin, version, updated_at, event_uid, registration_uid, "
                "status, message, checked_in) VALUES (:uid, 'test-cluster', 1, CURRENT_TIMESTAMP, 'e', :uid, "
                ":status, :message, false)"), {"uid": uid, "status": status, "message": message})
        db.session.commit()
        upgrade()
        rows = db.session.execute(text("SELECT uid, refused_late FROM registration_decision ORDER BY uid")).all()
        assert [(uid, bool(late)) for uid, late in rows] == [
            ("by-hand", False), ("in", False), ("late-en", True), ("late-fr", True)]
