"""Answering the survey from the e-mail's link on a phone-sized screen, in a real browser."""
import os
import re
import threading
from datetime import datetime, timezone

import pytest

from portal import create_app

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => window.__violations.push(e.violatedDirective));
"""
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
ENDED = datetime(2027, 3, 18, 16, tzinfo=timezone.utc)


@pytest.fixture
def browser():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing and CI=true: browser tests must run")
        pytest.skip(f"*** {CHROMIUM} is missing: browser tests SKIPPED (apt-get install chromium) ***")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def server(app_config, monkeypatch):
    """The portal on a free port of 127.0.0.1 with CSRF on; links in mails point to it."""
    from werkzeug.serving import make_server

    from portal.extensions import db

    monkeypatch.setenv("PORTAL_INSTANCE", app_config["INSTANCE_FOR_TESTS"])
    app = create_app(dict(app_config, WTF_CSRF_ENABLED=True))
    http = make_server("127.0.0.1", 0, app, threaded=True)
    app.config["BASE_URL"] = f"http://127.0.0.1:{http.server_port}"
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    yield app
    http.shutdown()
    http.server_close()
    with app.app_context():
        db.engine.dispose()


def mailed_link(app):
    """Anne took part in an event with one B2B meeting; the survey mail is queued: its link."""
    from datetime import datetime as dt
    from zoneinfo import ZoneInfo

    from sqlalchemy import select

    from portal.accounts.models import User
    from portal.directory.models import Organisation, Person
    from portal.events.registrations import register
    from portal.events.services import create_event
    from portal.extensions import db
    from portal.mail.models import OutboxMessage
    from portal.meetings.models import Meeting
    from portal.surveys.sending import run_due

    paris = ZoneInfo("Europe/Paris")
    with app.app_context():
        event = create_event({"title": "Photonics meets agrifood", "starts_at": dt(2027, 3, 18, 9, tzinfo=paris),
                              "ends_at": dt(2027, 3, 18, 17, tzinfo=paris), "timezone": "Europe/Paris",
                              "capacity": 10, "co_hosts": []})
        people = []
        for name, org in (("Anne", "Lumiwave"), ("Bruno", "Agri Co")):
            organisation = Organisation(name=org, kind="other", country="FR")
            db.session.add(organisation)
            db.session.flush()
            person = Person(display_name=name, organisation_uid=organisation.uid, share_profile=True)
            db.session.add(person)
            db.session.flush()
            db.session.add(User(email=f"{name.lower()}@example.org", status="active", person_uid=person.uid,
                                password_hash="!"))
            register(event, person.uid, b2b=True)
            people.append(person.uid)
        db.session.add(Meeting(event_uid=event.uid, request_uid="00000000-0000-4000-8000-000000000001",
                               person_uids=people, starts_at=dt(2027, 3, 18, 14, tzinfo=paris),
                               ends_at=dt(2027, 3, 18, 14, 20, tzinfo=paris), table="3", status="held"))
        db.session.commit()
        run_due(ENDED)
        body = db.session.scalars(select(OutboxMessage.body).where(OutboxMessage.to == "anne@example.org")).one()
        db.engine.dispose()
    return re.search(r"(http://127\.0\.0\.1:\d+/surveys/\S+)", body).group(1)


def responses(app):
    from sqlalchemy import select

    from portal.extensions import db
    from portal.surveys.models import SurveyResponse

    with app.app_context():
        found = [r.answers for r in db.session.scalars(select(SurveyResponse))]
        db.engine.dispose()
    return found


def test_answer_from_the_mail_link_on_a_phone(browser, server):
    from playwright.sync_api import expect

    link = mailed_link(server)
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.add_init_script(RECORD_VIOLATIONS)
    page.goto(link)
    expect(page.locator("h1")).to_have_text("Photonics meets agrifood")
    expect(page.locator(".survey-contact > legend")).to_contain_text("Your meeting with Bruno")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # no sideways scrolling

    page.fill("#q-new_contacts", "2")
    page.locator("#survey-form").evaluate("form => form.noValidate = true")  # let the server judge
    page.locator("#survey-form button[type=submit]").tap()
    expect(page.locator("#q-satisfaction-error")).to_contain_text("Please answer this question.")
    expect(page.locator("#q-new_contacts")).to_have_value("2")  # kept as typed
    assert responses(server) == []

    page.locator(".survey-scale label", has_text="4").tap()
    page.locator("#q-come_again label", has_text="Yes").tap()
    contact = page.locator(".survey-contact")
    contact.locator("label", has_text="Yes").tap()
    contact.locator("select").select_option("quote")
    box = page.locator(".survey-scale label").first.bounding_box()
    assert box["height"] >= 40  # a comfortable target for a thumb
    page.locator("#survey-form button[type=submit]").tap()
    expect(page.locator(".survey-thanks")).to_contain_text("Thank you!")
    [answers] = responses(server)
    assert answers["satisfaction"] == 4 and answers["come_again"] is True and answers["new_contacts"] == 2
    assert {k.rsplit(".", 1)[1]: v for k, v in answers.items() if k.startswith("meeting.")} \
        == {"useful": True, "next_step": "quote"}

    page.goto(link)
    expect(page.locator("body")).to_contain_text("This link has been used")
    assert page.evaluate("window.__violations") == []
    context.close()
