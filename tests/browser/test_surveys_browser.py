"""Answering the survey from the e-mail's link on a phone-sized screen, in a real browser."""
import re
from datetime import datetime, timezone

from sqlalchemy import select

from portal.extensions import db
from portal.mail.models import OutboxMessage
from portal.surveys.models import SurveyResponse
from portal.surveys.sending import run_due
from tests.browser.conftest import RECORD_VIOLATIONS, page_violations

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True,
         "has_touch": True, "locale": "en-GB"}
ENDED = datetime(2049, 3, 18, 16, tzinfo=timezone.utc)


def mailed_link(live_server, make_b2b_event, make_participant, make_meeting):
    """Anne took part in an event with one B2B meeting with Bruno; the survey mail's link."""
    live_server.app.config["BASE_URL"] = live_server.url  # links in mail point to this server
    event = make_b2b_event()
    anne = make_participant(event, "Anne", email="anne@example.org")
    bruno = make_participant(event, "Bruno", email="bruno@example.org")
    make_meeting(event, anne.person_uid, bruno.person_uid, status="held")
    run_due(ENDED)
    body = db.session.scalars(select(OutboxMessage.body).where(OutboxMessage.to == "anne@example.org")).one()
    return re.search(r"(http://127\.0\.0\.1:\d+/surveys/\S+)", body).group(1)


def answers():
    db.session.expire_all()
    return [r.answers for r in db.session.scalars(select(SurveyResponse))]


def test_answer_from_the_mail_link_on_a_phone(chromium, live_server, make_b2b_event, make_participant,
                                               make_meeting):
    from playwright.sync_api import expect

    link = mailed_link(live_server, make_b2b_event, make_participant, make_meeting)
    context = chromium.new_context(**PHONE)
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(link)
    expect(page.locator("h1")).to_have_text("Photonics meets agrifood")
    expect(page.locator(".survey-contact > legend")).to_have_text("Your meeting with Bruno")
    inside = page.locator(".survey-contact > legend").evaluate(
        "legend => legend.getBoundingClientRect().top - legend.parentElement.getBoundingClientRect().top")
    assert inside >= 1  # inside the box, under its border, however many lines the name takes
    expect(page.locator(".survey-contact-facts")).to_contain_text("Organisation")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # no sideways scrolling

    page.fill("#q-new_contacts", "2")
    page.locator("#survey-form").evaluate("form => form.noValidate = true")  # let the server judge
    page.locator("#survey-form button[type=submit]").tap()
    expect(page.locator("#q-satisfaction-error")).to_contain_text("Please answer this question.")
    expect(page.locator("#q-new_contacts")).to_have_value("2")  # kept as typed
    assert answers() == []

    page.locator(".survey-scale label", has_text="4").tap()
    page.locator("#q-come_again label", has_text="Yes").tap()
    contact = page.locator(".survey-contact")
    contact.locator("label", has_text="Yes").tap()
    contact.locator("select").select_option("quote")
    assert page.locator(".survey-scale label").first.bounding_box()["height"] >= 40  # a thumb-sized target
    page.locator("#survey-form button[type=submit]").tap()
    expect(page.locator(".survey-thanks")).to_contain_text("Thank you!")
    [saved] = answers()
    assert saved["satisfaction"] == 4 and saved["come_again"] is True and saved["new_contacts"] == 2
    assert {k.rsplit(".", 1)[1]: v for k, v in saved.items() if k.startswith("meeting.")} \
        == {"useful": True, "next_step": "quote"}

    page.goto(link)
    expect(page.locator("body")).to_contain_text("This link has been used")
    assert page_violations(page) == []
    context.close()
