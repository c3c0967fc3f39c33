"""Account services: sign-up, approval, roles, log-in, reset tokens, consent and the feed."""
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from portal.accounts import services
from portal.accounts.models import User
from portal.accounts.passwords import ResetTokenError, make_reset_token
from portal.directory.models import Organisation, Person
from portal.extensions import db
from portal.federation import feed
from portal.mail.models import OutboxMessage

NEW_ORG = {"name": "Kerlum Optics", "kind": "technology_provider", "country": "FR", "city": "Lannion"}


def outbox(to=None):
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    if to:
        query = query.where(OutboxMessage.to == to)
    return db.session.scalars(query).all()


def feed_item(uid):
    return {c["uid"]: c for c in feed.changes("partner", 0, 1000)["changes"]}.get(uid)


def sign_up(email="new@example.org", **extra):
    values = {"new_organisation": dict(NEW_ORG)}
    values.update(extra)
    user = services.sign_up(email, "a sturdy passphrase", "Nolwenn Tanguy", "Photonics engineer", **values)
    db.session.commit()
    return user


def test_sign_up_with_a_new_organisation(make_user):
    admin = make_user(role="admin", email="admin@example.org")
    user = sign_up("Nolwenn@Example.org")
    assert (user.email, user.status, user.role) == ("nolwenn@example.org", "pending", "member")
    assert user.can_publish is False and user.session_token
    person = db.session.get(Person, user.person_uid)
    assert person.display_name == "Nolwenn Tanguy" and person.share_profile is False
    organisation = db.session.get(Organisation, person.organisation_uid)
    assert organisation.name == "Kerlum Optics" and organisation.city == "Lannion" and organisation.is_local
    [notice] = outbox(admin.email)
    assert "Nolwenn Tanguy" in notice.subject and "/admin/members?status=pending" in notice.body
    assert notice.body.count("http://test-cluster.example/") == 1


def test_sign_up_joins_an_existing_local_organisation(make_organisation):
    organisation = make_organisation(name="Lumiwave")
    user = sign_up(organisation_uid=organisation.uid, new_organisation=None)
    assert user.person.organisation_uid == organisation.uid
    assert db.session.scalar(select(db.func.count()).select_from(Organisation)) == 1


def test_a_colleague_signing_up_before_the_approval_joins_the_new_organisation_instead_of_a_second_one(make_user):
    admin = make_user(role="admin")
    first = sign_up("nolwenn@example.org")
    second = sign_up("yann@example.org", new_organisation=dict(NEW_ORG, name=" kerlum  OPTICS", city="Brest"))
    assert second.person.organisation_uid == first.person.organisation_uid
    assert len(db.session.scalars(select(Organisation).where(Organisation.pending.is_(True))).all()) == 1
    services.approve_member(first, admin)
    services.refuse_member(second, admin)  # the organisation stays with its other member
    db.session.commit()
    organisation = db.session.get(Organisation, first.person.organisation_uid)
    assert organisation.name == "Kerlum Optics" and organisation.city == "Lannion" and not organisation.pending


def test_sign_up_refuses_a_remote_or_unknown_organisation(make_organisation):
    remote = Organisation(uid="0f0f0f0f-0000-4000-8000-000000000001", origin="agrifood", version=1, name="Far")
    db.session.add(remote)
    db.session.commit()
    for uid in (remote.uid, "no-such-uid"):
        with pytest.raises(services.AccountError) as refused:
            services.sign_up("x@example.org", "a sturdy passphrase", "X", organisation_uid=uid)
        assert refused.value.field == "organisation_uid"


def test_sign_up_refuses_a_duplicate_address_whatever_its_case(app):
    sign_up("anne@example.org")
    with pytest.raises(services.AccountError) as refused:
        sign_up("ANNE@example.org ")
    assert refused.value.field == "email"


def test_approval_activates_and_tells_the_member(make_user):
    admin = make_user(role="admin")
    member = make_user(status="pending", email="pending@example.org")
    services.approve_member(member, admin)
    db.session.commit()
    assert member.status == "active" and member.can_publish and member.approved_at is not None
    [message] = outbox("pending@example.org")
    assert "approved" in message.subject and "http://test-cluster.example/account" in message.body
    assert message.body.startswith(f"Hello {member.person.display_name},")  # greeted by name
    services.approve_member(member, admin)  # approving twice queues nothing more
    db.session.commit()
    assert len(outbox("pending@example.org")) == 1


def test_re_enabling_a_disabled_account_does_not_tell_it_approved_again(make_user):
    admin = make_user(role="admin")
    member = make_user(status="pending", email="pending@example.org")
    services.approve_member(member, admin)
    member.approved_at = approved_at = datetime(2026, 5, 4, 9, 30, tzinfo=timezone.utc)  # some while ago
    services.disable_member(member, admin)
    services.approve_member(member, admin)
    db.session.commit()
    assert member.status == "active" and member.approved_at.date() == approved_at.date()  # the first approval's
    assert len(outbox("pending@example.org")) == 1


def test_an_administrator_cannot_act_on_their_own_account(make_user):
    admin = make_user(role="admin")
    for action in (services.approve_member, services.disable_member,
                   lambda user, by: services.set_role(user, "member", by)):
        with pytest.raises(services.AccountError):
            action(admin, admin)
    assert admin.is_admin


def test_roles(make_user):
    admin = make_user(role="admin")
    member = make_user()
    services.set_role(member, "admin", admin)
    assert member.is_admin
    services.set_role(member, "member", admin)
    assert not member.is_admin
    with pytest.raises(services.AccountError):
        services.set_role(member, "owner", admin)


def test_refusing_a_sign_up_deletes_its_account_person_and_new_organisation_unpublished(make_user):
    from portal.federation.models import Record

    admin = make_user(role="admin", email="admin@example.org")
    user = sign_up("spam@example.org")
    person_uid, organisation_uid = user.person_uid, user.person.organisation_uid
    assert outbox(admin.email)
    services.refuse_member(user, admin)
    db.session.commit()
    assert services.queries.user_by_email("spam@example.org") is None
    assert db.session.get(Person, person_uid) is None and db.session.get(Organisation, organisation_uid) is None
    assert outbox(admin.email) == []  # the notice named the person
    assert feed_item(person_uid) is None and feed_item(organisation_uid) is None
    ledger = db.session.scalars(select(Record).where(Record.uid.in_([person_uid, organisation_uid]))).all()
    assert all(row.data is None and not row.ever_shared for row in ledger)
    again = sign_up("spam@example.org")  # the address is free again; the administrators hear of it
    assert again.status == "pending" and len(outbox(admin.email)) == 1


def test_refusing_a_sign_up_keeps_an_organisation_with_other_people(make_user, make_person, make_organisation):
    admin = make_user(role="admin")
    user = sign_up()
    created = user.person.organisation_uid
    make_person(organisation_uid=created, display_name="Someone else")
    services.refuse_member(user, admin)
    joined = sign_up("joiner@example.org", organisation_uid=make_organisation(name="Lumiwave").uid,
                     new_organisation=None)
    services.refuse_member(joined, admin)
    db.session.commit()
    names = set(db.session.scalars(select(Organisation.name)))
    assert names >= {"Kerlum Optics", "Lumiwave"}


def test_only_a_pending_sign_up_can_be_refused(make_user):
    admin = make_user(role="admin")
    for member in (make_user(), make_user(status="disabled"), admin):
        with pytest.raises(services.AccountError):
            services.refuse_member(member, admin)
        assert db.session.get(User, member.id) is not None


def test_roles_change_only_for_active_accounts(make_user):
    admin = make_user(role="admin")
    for status in ("pending", "disabled"):
        member = make_user(status=status)
        with pytest.raises(services.AccountError):
            services.set_role(member, "admin", admin)
        assert member.role == "member"


def test_disabling_ends_sessions_and_withdraws_the_shared_profile(make_user):
    admin = make_user(role="admin")
    member = make_user(share_profile=True)
    old_id = member.get_id()
    assert feed_item(member.person_uid)["deleted"] is False
    services.disable_member(member, admin)
    db.session.commit()
    assert member.status == "disabled" and member.get_id() != old_id
    assert feed_item(member.person_uid)["deleted"] is True
    assert services.authenticate(member.email, "correct horse battery") == (None, "disabled")


def test_authenticate_and_throttle(make_user):
    member = make_user(email="anne@example.org")
    user, problem = services.authenticate("Anne@Example.org", "correct horse battery")
    assert user is member and problem is None and member.last_login_at is not None
    assert services.authenticate("nobody@example.org", "whatever") == (None, "invalid")
    for _ in range(4):
        assert services.authenticate("anne@example.org", "wrong password")[1] == "invalid"
    assert member.failed_logins == 4
    # Past the free mistakes, even the right password must wait.
    assert services.authenticate("anne@example.org", "correct horse battery") == (None, "wait")



@pytest.mark.parametrize("seconds, wait", [(0.3, "wait 1 second,"), (2, "wait 2 seconds,"), (59, "wait 59 seconds,"),
                                           (59.5, "wait 1 minute,"), (64, "wait 2 minutes,"),
                                           (900, "wait 15 minutes,")])
def test_a_throttled_account_is_told_the_real_wait_rounded_up(app, seconds, wait):
    assert wait in services.too_many_failures(timedelta(seconds=seconds))


def test_log_out_everywhere_gives_a_new_session_token(make_user):
    member = make_user()
    before = member.get_id()
    services.log_out_everywhere(member)
    assert member.get_id() != before


def test_password_reset_sets_the_password_once(make_user):
    member = make_user(email="anne@example.org")
    assert services.request_password_reset("ANNE@example.org") is True
    db.session.commit()
    [message] = outbox("anne@example.org")
    link = next(line for line in message.body.splitlines() if "/password/reset/" in line).strip()
    assert link.startswith("http://test-cluster.example/password/reset/")
    token = link.rsplit("/", 1)[1]
    old_session = member.get_id()
    services.reset_password(token, "a brand new passphrase")
    db.session.commit()
    assert services.authenticate("anne@example.org", "a brand new passphrase")[0] is member
    assert member.get_id() != old_session
    with pytest.raises(ResetTokenError) as reused:
        services.reset_password(token, "yet another passphrase")
    assert reused.value.reason == "used"


def test_reset_request_for_unknown_or_disabled_accounts_sends_nothing(make_user):
    make_user(email="gone@example.org", status="disabled")
    assert services.request_password_reset("nobody@example.org") is False
    assert services.request_password_reset("gone@example.org") is False
    assert outbox() == []


def test_reset_token_expired(make_user, monkeypatch):
    import time

    from itsdangerous.timed import TimestampSigner

    member = make_user()
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: int(time.time()) - 7200)
    token = make_reset_token(member)
    monkeypatch.undo()
    with pytest.raises(ResetTokenError) as expired:
        services.reset_password(token, "a brand new passphrase")
    assert expired.value.reason == "expired"


def test_reset_token_tampered(make_user):
    member = make_user()
    token = make_reset_token(member)
    for bad in (token[:-2] + ("AA" if not token.endswith("AA") else "BB"), "nonsense", token + "x"):
        with pytest.raises(ResetTokenError) as refused:
            services.reset_password(bad, "a brand new passphrase")
        assert refused.value.reason == "invalid"


def test_reset_token_of_another_secret_is_invalid(app, make_user):
    member = make_user()
    token = make_reset_token(member)
    app.config["SECRET_KEY"] = "another-secret"
    with pytest.raises(ResetTokenError):
        services.reset_password(token, "a brand new passphrase")


def test_consent_publishes_and_withdrawal_publishes_a_tombstone(make_user):
    member = make_user(share_profile=False, phone="+33 2 96 48 00 00")
    person = member.person
    assert feed_item(person.uid) is None
    services.set_consent(member, True)
    db.session.commit()
    shared = feed_item(person.uid)
    assert shared["deleted"] is False and shared["data"]["display_name"] == person.display_name
    assert person.consent_changed_at is not None
    services.set_consent(member, False)
    db.session.commit()
    withdrawn = feed_item(person.uid)
    assert withdrawn["deleted"] is True and withdrawn["data"] is None
    assert withdrawn["version"] > shared["version"]


def test_a_listing_names_its_person_to_peers_only_while_they_share(make_user, make_listing):
    member = make_user(share_profile=False)
    listing = make_listing(organisation_uid=member.person.organisation_uid, person_uid=member.person_uid)
    unnamed = feed_item(listing.uid)
    assert unnamed["data"]["person_uid"] is None and unnamed["data"]["title"] == listing.title
    services.set_consent(member, True)
    db.session.commit()
    named = feed_item(listing.uid)  # consent publishes the listing anew, naming its person
    assert named["data"]["person_uid"] == member.person_uid and named["version"] > unnamed["version"]
    services.set_consent(member, False)
    db.session.commit()
    withdrawn = feed_item(listing.uid)
    assert withdrawn["data"]["person_uid"] is None and withdrawn["version"] > named["version"]
    assert listing.person_uid == member.person_uid  # this portal still knows whose it is


def test_pending_members_cannot_share_yet(make_user):
    member = make_user(status="pending", share_profile=False)
    with pytest.raises(services.AccountError) as refused:
        services.set_consent(member, True)
    assert refused.value.field == "share_profile"
    services.set_consent(member, False)  # saying no is always possible, and recorded
    assert member.person.consent_changed_at is not None


def test_email_and_phone_never_in_any_feed_payload(make_user):
    member = make_user(email="secret.address@example.org", phone="+33 6 12 34 56 78", share_profile=False)
    services.set_consent(member, True)
    services.update_profile(member.person, "Anne Le Goff", "CTO", "Lasers.", ["lidar"], "+33 6 12 34 56 78")
    db.session.commit()
    page = repr(feed.changes("partner", 0, 1000))
    assert "secret.address" not in page and "12 34 56 78" not in page
    assert feed_item(member.person_uid)["data"]["topics"] == ["lidar"]


def test_update_profile(make_user):
    member = make_user()
    person = services.update_profile(member.person, "Anne", "", "", ["optics", "lidar"], "")
    assert (person.display_name, person.topics, person.phone) == ("Anne", ["optics", "lidar"], None)


def test_create_admin_creates_then_promotes(app):
    user, created = services.create_admin("Boss@Example.org", "a sturdy passphrase", "Cluster team", "Cluster HQ")
    db.session.commit()
    assert created and user.is_admin and user.email == "boss@example.org"
    assert user.person.display_name == "Cluster team" and user.person.organisation.name == "Cluster HQ"
    again, created = services.create_admin("boss@example.org", "another passphrase")
    assert not created and again is user
    assert db.session.scalar(select(db.func.count()).select_from(User)) == 1


def test_account_mail_speaks_each_recipients_language(app, make_user):
    french_admin = make_user(role="admin", email="admin.fr@example.org")
    french_admin.language = "fr"
    english_admin = make_user(role="admin", email="admin.en@example.org")
    db.session.commit()
    with app.test_request_context(headers={"Accept-Language": "fr"}):  # the newcomer browses in French
        newcomer = sign_up("nolwenn@example.org")
        services.request_password_reset("nolwenn@example.org")
    db.session.commit()
    assert outbox(french_admin.email)[0].subject == "Nouveau membre en attente de validation\u00a0: Nolwenn Tanguy"
    assert outbox(english_admin.email)[0].subject == "New member waiting for approval: Nolwenn Tanguy"
    assert outbox(newcomer.email)[0].subject == "Reset your password on Test Cluster"  # chose nothing: the default
    newcomer.language = "fr"
    services.approve_member(newcomer, english_admin)
    db.session.commit()
    assert outbox(newcomer.email)[-1].subject == "Votre compte sur Test Cluster est validé"
