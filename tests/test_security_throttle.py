"""Failed log-ins: free mistakes, then an exponential delay capped at 15 minutes."""
from datetime import datetime, timedelta, timezone
from types import SimpleNamespace

from portal.accounts import throttle
from portal.extensions import db

NOW = datetime(2026, 11, 28, 20, 0, tzinfo=timezone.utc)


def account():
    return SimpleNamespace(failed_logins=0, locked_until=None)


def test_first_mistakes_cost_nothing():
    user = account()
    for _ in range(throttle.FREE_FAILURES):
        assert throttle.record_failure(user, now=NOW) == timedelta(0)
    assert throttle.delay_for(user, now=NOW) == timedelta(0)


def test_delay_doubles_then_stops_at_fifteen_minutes():
    user = account()
    waits = [throttle.record_failure(user, now=NOW) for _ in range(40)]
    paid = waits[throttle.FREE_FAILURES:]
    assert paid[0] == throttle.FIRST_DELAY and paid[1] == 2 * paid[0] and paid[2] == 4 * paid[0]
    assert max(waits) == timedelta(minutes=15) and waits[-1] == timedelta(minutes=15)
    assert throttle.delay_for(user, now=NOW) == timedelta(minutes=15)
    assert throttle.delay_for(user, now=NOW + timedelta(minutes=15)) == timedelta(0)


def test_success_resets_the_count():
    user = account()
    for _ in range(8):
        throttle.record_failure(user, now=NOW)
    throttle.record_success(user)
    assert (user.failed_logins, user.locked_until) == (0, None)
    assert throttle.record_failure(user, now=NOW) == timedelta(0)


def test_no_account_means_no_delay():
    assert throttle.delay_for(None) == timedelta(0)


def test_delay_survives_the_database_round_trip(make_user):
    user = make_user()
    for _ in range(throttle.FREE_FAILURES + 2):
        throttle.record_failure(user)
    db.session.commit()
    db.session.expire_all()  # SQLite gives naive datetimes back
    left = throttle.delay_for(user)
    assert timedelta(0) < left <= 2 * throttle.FIRST_DELAY


def test_an_address_without_an_account_is_slowed_down_as_an_account_is(client, make_user):
    """The answers to a run of wrong passwords are the same, account or not: "too many failed
    attempts" tells nobody which addresses have one."""
    from sqlalchemy import select

    from portal.accounts.models import UnknownAddress

    make_user(email="anne@example.org")

    def answers(email):
        found = []
        for _ in range(throttle.FREE_FAILURES + 2):
            page = client.post("/login", data={"email": email, "password": "not the passphrase"}).text
            found.append("Too many failed attempts" in page)
        return found

    assert answers("anne@example.org") == answers("nobody@example.org") == [False] * 4 + [True]
    kept = db.session.scalars(select(UnknownAddress)).all()
    assert len(kept) == 1 and "nobody" not in kept[0].address_digest  # a digest, not the address
