"""Fixtures: an app on a fresh database per test, its client and runner, and factories."""
import os

import pytest
import sqlalchemy as sa
from flask import g

from portal import create_app
from portal.extensions import db
from portal.mail.models import OutboxMessage
from tests.dbs import ON_POSTGRES, TemplateDatabases

CLUSTER_ID = "test-cluster"


def pytest_report_header(config):
    return f"database: {'PostgreSQL' if ON_POSTGRES else 'SQLite'}"


@pytest.fixture(scope="session")
def databases(tmp_path_factory):
    pool = TemplateDatabases(str(tmp_path_factory.mktemp("databases")))
    pool.build_template(build_schema)
    yield pool
    pool.drop_all()


def build_schema(url):
    """The schema from the models, plus what the first migration seeds (epoch, counter)."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "build", "TESTING": True})
    with app.app_context():
        db.create_all()
        seed_database()
        db.session.commit()
        db.engine.dispose()


def seed_database():
    from portal.federation.models import Counter, Setting

    db.session.add(Setting(key="epoch", value=os.urandom(16).hex()))
    db.session.add(Counter(name="feed", value=0))


def make_instance(path, cluster_id=CLUSTER_ID):
    """An instance folder with a key pair, as `init` writes it."""
    from portal.federation import keys

    os.makedirs(path, exist_ok=True)
    keys.generate(str(path))
    return str(path)


@pytest.fixture
def app_config(databases, tmp_path):
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": databases.fresh(),
        "CLUSTER_ID": CLUSTER_ID,
        "CLUSTER_NAME": "Test Cluster",
        "BASE_URL": "http://test-cluster.example",
        "WTF_CSRF_ENABLED": False,
        "PASSWORD_METHOD": "pbkdf2:sha256:1000",  # fast hashes: tests are not about their cost
        "RATELIMIT_ENABLED": False,
        "NOTIFY_PEERS": False,
        "MAIL_BACKGROUND": False,  # tests deliver mail explicitly (deliver_due)
        "INSTANCE_FOR_TESTS": make_instance(tmp_path / "instance"),
    }


@pytest.fixture
def app(app_config, monkeypatch):
    monkeypatch.setenv("PORTAL_INSTANCE", app_config["INSTANCE_FOR_TESTS"])
    app = create_app(app_config)
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make_organisation(app):
    from portal.directory.models import Organisation

    def make(**overrides):
        values = {"name": "Lumiwave Photonics", "kind": "technology_provider", "country": "FR",
                  "city": "Lannion", "sectors": ["photonics"]}
        values.update(overrides)
        org = Organisation(**values)
        db.session.add(org)
        db.session.commit()
        return org
    return make


@pytest.fixture
def make_person(app, make_organisation):
    from portal.directory.models import Person

    def make(**overrides):
        if "organisation_uid" not in overrides:
            overrides["organisation_uid"] = make_organisation().uid
        values = {"display_name": "Anne Le Goff", "job_title": "CTO", "share_profile": True}
        values.update(overrides)
        person = Person(**values)
        db.session.add(person)
        db.session.commit()
        return person
    return make


@pytest.fixture
def make_user(app, make_person):
    from portal.accounts.models import User
    from portal.accounts.passwords import hash_password

    counter = iter(range(1, 10_000))

    def make(email=None, password="correct horse battery", role="member", status="active", **person):
        person_obj = make_person(**person)
        user = User(email=email or f"user{next(counter)}@example.org", role=role, status=status,
                    password_hash=hash_password(password), person_uid=person_obj.uid)
        db.session.add(user)
        db.session.commit()
        return user
    return make


@pytest.fixture
def make_listing(app, make_organisation):
    from portal.directory.models import Listing

    def make(**overrides):
        if "organisation_uid" not in overrides:
            overrides["organisation_uid"] = make_organisation().uid
        values = {"kind": "offer", "title": "Fibre Bragg grating sensors",
                  "summary": "Strain and temperature sensing for structural monitoring.",
                  "keywords": ["fibre sensing"], "sectors": ["photonics"], "trl": 6}
        values.update(overrides)
        listing = Listing(**values)
        db.session.add(listing)
        db.session.commit()
        return listing
    return make


@pytest.fixture
def login(client):
    """Log a user in through the session, as Flask-Login would after a real login."""
    def do_login(user):
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
        # Requests share the test's app context, hence `g`: forget the user Flask-Login cached.
        g.pop("_login_user", None)
        return user
    return do_login


class SmtpCatcher:
    """What the `smtp_server` fixture yields: `.messages`, `.port`, and `fail_next()`."""

    def __init__(self):
        self.messages = []  # email.message.EmailMessage, in arrival order
        self.port = None
        self._failures = []  # SMTP replies for the next messages' DATA

    def fail_next(self, count=1, code=451):
        """Answer the next `count` messages with `code` (451: try later; 550: refused)."""
        text = "4.3.0 try again later" if code < 500 else "5.1.1 mailbox unavailable"
        self._failures.extend([f"{code} {text}"] * count)

    async def handle_DATA(self, server, session, envelope):
        import email
        import email.policy

        if self._failures:
            return self._failures.pop(0)
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 OK"


@pytest.fixture
def smtp_server(app):
    """A real SMTP server (aiosmtpd) on 127.0.0.1; the app is configured to send to it."""
    import socket

    from aiosmtpd.controller import Controller

    catcher = SmtpCatcher()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        catcher.port = probe.getsockname()[1]
    controller = Controller(catcher, hostname="127.0.0.1", port=catcher.port)
    controller.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=catcher.port, MAIL_USE_TLS=False,
                      MAIL_USERNAME=None, MAIL_TIMEOUT=10)
    yield catcher
    controller.stop()


# 2049: 2027's calendar (same weekdays, same DST Sundays), and decades ahead of the wall clock.
@pytest.fixture
def make_event(app):
    """An event led by this cluster (one day in Europe/Paris: 18 March 2049, or around now with
    `today`, when its door is open); overrides are its fields."""
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from portal.events import services
    from portal.federation.records import utcnow

    def make(template=None, today=False, **overrides):
        paris = ZoneInfo("Europe/Paris")
        starts_at = utcnow() - timedelta(hours=1) if today else datetime(2049, 3, 18, 9, tzinfo=paris)
        values = {"title": "Photonics meets agrifood", "topic": "Sensing in the field",
                  "description": "A day of needs, offers and meetings.",
                  "starts_at": starts_at, "ends_at": starts_at + timedelta(hours=8), "timezone": "Europe/Paris",
                  "venue_name": "Le Quartz", "venue_address": "60 rue du Château", "venue_city": "Brest",
                  "venue_country": "FR", "co_hosts": [], "registration_open": True, "capacity": 50}
        values.update(overrides)
        event = services.create_event(values, template=template)
        db.session.commit()
        return event
    return make


@pytest.fixture
def make_replica(app):
    """A record as received from peer `origin`: stored, then its after-apply hook run."""
    def make(model, origin, **fields):
        record = model(origin=origin, version=fields.pop("version", 1), **fields)
        db.session.add(record)
        db.session.flush()
        record.fed_after_apply(db.session)
        db.session.commit()
        return record
    return make


@pytest.fixture
def make_peer(app):
    """A peer portal row (confirmed unless told otherwise)."""
    from portal.federation.models import Peer

    def make(cluster_id, name=None, state="confirmed"):
        peer = Peer(cluster_id=cluster_id, name=name or cluster_id.title(), base_url=f"http://{cluster_id}.example",
                    public_key="A" * 44, fingerprint="SHA256:test", state=state)
        db.session.add(peer)
        db.session.commit()
        return peer
    return make


@pytest.fixture
def make_b2b_event(make_event):
    """An event led here with a B2B block: 14:00-16:00 Paris, 20-minute slots (6), 2 tables."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    def make(**overrides):
        paris = ZoneInfo("Europe/Paris")
        values = {"b2b_enabled": True, "b2b_starts_at": datetime(2049, 3, 18, 14, tzinfo=paris),
                  "b2b_ends_at": datetime(2049, 3, 18, 16, tzinfo=paris), "b2b_slot_minutes": 20,
                  "b2b_tables": 2}
        values.update(overrides)
        return make_event(**values)
    return make


@pytest.fixture
def make_participant(make_user, make_organisation, make_listing):
    """A local member registered for an event's B2B meetings, with optional listings.

    `listings` is a list of dicts for make_listing (their organisation is the member's).
    """
    from portal.events.registrations import register

    counter = iter(range(1, 10_000))

    def make(event, name=None, organisation=None, listings=(), email=None, **registration):
        n = next(counter)
        org = organisation or make_organisation(name=f"Organisation {n}")
        user = make_user(email=email, display_name=name or f"Participant {n}", organisation_uid=org.uid)
        for values in listings:
            make_listing(**dict(values, organisation_uid=org.uid, person_uid=user.person_uid))
        register(event, user.person_uid, b2b=True, **registration)
        db.session.commit()
        # The participant read their "your place is confirmed" mail long ago: tests of
        # meetings and surveys count only the mails they cause themselves.
        db.session.execute(sa.delete(OutboxMessage).where(OutboxMessage.dedupe_key.like("event-decision:%")))
        db.session.commit()
        return user
    return make


@pytest.fixture
def portals(databases, tmp_path):
    """Start real portals: `portals("photonics", "agrifood", server="flask")` -> [Portal, ...]."""
    from tests.portals import Portal

    started = []

    def start(*cluster_ids, server="flask", config=None, run=True):
        made = [Portal(str(tmp_path / "portals"), cid, databases.fresh(), server=server, config=config)
                for cid in cluster_ids]
        started.extend(made)
        for portal in made:
            if run:
                portal.start()
        return made
    yield start
    for portal in started:
        portal.close()


@pytest.fixture
def demo_portals(portals):
    """The three demo portals, loaded, peered and synced; `build_world` then runs the demo's stages."""
    from tests.portals import start_demo_portals

    return start_demo_portals(portals)


@pytest.fixture
def demo_world():
    """A small demo world (six people a cluster at each event), scheduled within a second."""
    from portal.demo.world import World

    return World(people=6, time_limit=1.0)


@pytest.fixture
def make_meeting(app):
    """A B2B meeting between two people at an event we lead (the lead writes meetings)."""
    from datetime import timedelta

    from portal.meetings.models import Meeting

    counter = iter(range(10_000))

    def make(event, first_uid, second_uid, status="held", table="1"):
        slot = next(counter)
        starts = (event.b2b_starts_at or event.starts_at) + timedelta(minutes=20 * slot)
        meeting = Meeting(event_uid=event.uid, request_uid=f"00000000-0000-4000-8000-{slot:012d}",
                          person_uids=[first_uid, second_uid], starts_at=starts,
                          ends_at=starts + timedelta(minutes=20), table=table, status=status)
        db.session.add(meeting)
        db.session.commit()
        return meeting
    return make


@pytest.fixture
def proposed_french(app, monkeypatch):
    """proposed_french(*entries): every page in French as the catalogue has it plus `entries`,
    strings the translators have not had yet: (msgid, msgstr, context or None), a plural's
    msgid a (singular, plural) pair and its msgstr the three French forms (0-1, millions, other)."""
    from io import BytesIO

    import flask_babel
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po
    from babel.support import Translations

    def use(*entries):
        with open(os.path.join(app.root_path, "translations", "fr", "LC_MESSAGES", "messages.po"), "rb") as po:
            catalogue = read_po(po, locale="fr")
        for msgid, msgstr, context in entries:
            catalogue.add(msgid, msgstr, context=context)
        mo = BytesIO()
        write_mo(mo, catalogue)
        mo.seek(0)
        translations = Translations(mo)
        monkeypatch.setattr(flask_babel.Domain, "get_translations", lambda self: translations)
        flask_babel.refresh()
    return use
