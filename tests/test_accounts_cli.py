"""`flask users create-admin` and `flask users list`."""
from sqlalchemy import select

from portal.accounts.models import User
from portal.accounts.services import authenticate
from portal.extensions import db


def test_create_admin_with_options(runner):
    result = runner.invoke(args=["users", "create-admin", "Boss@Example.org", "--password", "a sturdy passphrase",
                                 "--name", "Cluster team", "--organisation", "Photonics Bretagne"])
    assert result.exit_code == 0, result.output
    assert "Created administrator boss@example.org" in result.output
    user = db.session.scalars(select(User)).one()
    assert user.is_admin and user.person.display_name == "Cluster team"
    assert user.person.organisation.name == "Photonics Bretagne"
    assert authenticate("boss@example.org", "a sturdy passphrase")[0] is not None


def test_create_admin_prompts_for_the_password(runner):
    result = runner.invoke(args=["users", "create-admin", "boss@example.org"],
                           input="a sturdy passphrase\na sturdy passphrase\n")
    assert result.exit_code == 0, result.output
    assert "a sturdy passphrase" not in result.output  # hidden input
    assert db.session.scalars(select(User)).one().person.display_name == "boss"


def test_create_admin_refuses_weak_passwords_and_bad_addresses(runner):
    weak = runner.invoke(args=["users", "create-admin", "boss@example.org", "--password", "password123"])
    assert weak.exit_code != 0 and "too common" in weak.output
    bad = runner.invoke(args=["users", "create-admin", "not-an-address", "--password", "a sturdy passphrase"])
    assert bad.exit_code != 0 and "e-mail" in bad.output
    assert db.session.scalars(select(User)).all() == []


def test_the_password_refusal_is_in_english_like_the_rest_of_the_command(app, runner, monkeypatch):
    monkeypatch.setattr(app.extensions["babel"], "default_locale", "fr")  # a French cluster's portal
    weak = runner.invoke(args=["users", "create-admin", "boss@example.org", "--password", "password123"])
    assert weak.exit_code != 0 and "too common" in weak.output
    mine = runner.invoke(args=["users", "create-admin", "boss@example.org", "--password", "Boss@Example.org"])
    assert mine.exit_code != 0 and "e-mail address" in mine.output


def test_create_admin_refuses_the_address_as_password(runner):
    result = runner.invoke(args=["users", "create-admin", "team.lead@example.org",
                                 "--password", "Team.Lead@example.org"])
    assert result.exit_code != 0 and "e-mail address" in result.output
    assert db.session.scalars(select(User)).all() == []


def test_create_admin_promotes_an_existing_account(runner, make_user):
    member = make_user(email="anne@example.org", status="pending")
    result = runner.invoke(args=["users", "create-admin", "anne@example.org", "--password", "a sturdy passphrase"])
    assert result.exit_code == 0 and "Promoted" in result.output
    db.session.refresh(member)
    assert member.is_admin


def test_create_admin_gives_an_existing_account_the_name_and_organisation(runner, make_user, make_organisation):
    """As for a new account: an administrator without an organisation could not post offers."""
    member = make_user(email="anne@example.org", organisation_uid=None, display_name="anne")
    photonics = make_organisation(name="Photonics Brétagne")
    # Matched as sign-up matches names: spaces, case and accents aside (not a second organisation).
    result = runner.invoke(args=["users", "create-admin", "anne@example.org", "--password", "a sturdy passphrase",
                                 "--name", "Anne Le Goff", "--organisation", "photonics  bretagne"])
    assert result.exit_code == 0 and "Promoted" in result.output
    db.session.refresh(member)
    assert member.person.display_name == "Anne Le Goff" and member.organisation_uid == photonics.uid
    runner.invoke(args=["users", "create-admin", "anne@example.org", "--password", "a sturdy passphrase",
                        "--organisation", "Lumiwave"])
    db.session.refresh(member)
    assert member.person.organisation.name == "Lumiwave" and member.person.display_name == "Anne Le Goff"


def test_create_admin_on_an_existing_account_keeps_its_password_unless_given(runner, make_user,
                                                                           make_organisation):
    """Run again to give an administrator their organisation, it asked for a password anyway
    and replaced theirs."""
    make_organisation(name="Photonics Bretagne")
    admin = make_user(email="anne@example.org", role="admin", organisation_uid=None)
    result = runner.invoke(args=["users", "create-admin", "anne@example.org", "--organisation", "Photonics Bretagne"])
    assert result.exit_code == 0 and "Promoted" in result.output, result.output
    assert "Password" not in result.output
    db.session.refresh(admin)
    assert admin.person.organisation.name == "Photonics Bretagne"
    assert authenticate("anne@example.org", "correct horse battery")[0] is not None


def test_create_admin_prompts_for_an_existing_account_without_a_password(runner, make_user):
    imported = make_user(email="pat@example.org", status="pending")
    imported.password_hash = None
    db.session.commit()
    result = runner.invoke(args=["users", "create-admin", "pat@example.org"],
                           input="a sturdy passphrase\na sturdy passphrase\n")
    assert result.exit_code == 0 and "Promoted" in result.output, result.output
    assert authenticate("pat@example.org", "a sturdy passphrase")[0] is not None


def test_a_password_given_to_an_existing_account_ends_its_other_sessions(runner, make_user):
    """As a password change or a reset does: a session opened with the old password stops working."""
    member = make_user(email="anne@example.org")
    member.session_token = "token-of-the-sessions-before"
    db.session.commit()
    result = runner.invoke(args=["users", "create-admin", "anne@example.org", "--password", "a sturdy passphrase"])
    assert result.exit_code == 0, result.output
    db.session.refresh(member)
    assert member.session_token and member.session_token != "token-of-the-sessions-before"
    assert authenticate("anne@example.org", "a sturdy passphrase")[0] is not None


def test_list(runner, make_user):
    make_user(email="anne@example.org", display_name="Anne Le Goff")
    make_user(email="pat@example.org", status="pending", display_name="Pat")
    listed = runner.invoke(args=["users", "list"])
    assert listed.exit_code == 0
    assert "anne@example.org\tmember\tactive\tAnne Le Goff\tLumiwave Photonics" in listed.output
    pending = runner.invoke(args=["users", "list", "--status", "pending"]).output
    assert "pat@example.org" in pending and "anne@example.org" not in pending
