"""Pages with JavaScript turned off: htmx and the page scripts only enhance, every flow works without them."""
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

pytestmark = pytest.mark.browser

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def no_script_page(chromium):
    context = chromium.new_context(java_script_enabled=False, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_a_button_only_a_script_works_is_left_out_without_javascript(chromium, no_script_page, live_server,
                                                                     login_as, make_user, make_b2b_event):
    """'Print' (and 'Copy', the agenda's speaker filter) did nothing with JavaScript off: it is not shown."""
    make_b2b_event(title="Day 2026", starts_at=datetime(2026, 5, 6, 9, tzinfo=PARIS),
                   ends_at=datetime(2026, 5, 6, 17, tzinfo=PARIS))
    admin = make_user(role="admin")
    login_as(no_script_page, admin)
    no_script_page.goto(live_server("/admin/impact/report/2026"))
    assert no_script_page.get_by_text("Back to the dashboard").is_visible()
    assert not no_script_page.locator("button[data-print]").is_visible()
    context = chromium.new_context(locale="en-GB")
    page = context.new_page()
    login_as(page, admin)
    page.goto(live_server("/admin/impact/report/2026"))
    shown = page.locator("button[data-print]").is_visible()
    context.close()
    assert shown


def test_without_javascript_the_invitations_preview_follows_the_segment_on_request(no_script_page, live_server,
                                                                                   login_as, make_user, make_event,
                                                                                   make_organisation):
    """The preview (and its button's count) followed the boxes ticked only through htmx: without it, a
    segment with nobody left to invite kept its button disabled whatever was ticked next."""
    event = make_event()
    farm = make_organisation(name="Ferme", kind="end_user", sectors=["agrifood"])
    lab = make_organisation(name="Lab", kind="research", sectors=["health"])
    make_user(email="farmer@example.org", organisation_uid=farm.uid)
    make_user(email="lab@example.org", organisation_uid=lab.uid)
    page = no_script_page
    login_as(page, make_user(role="admin"))
    page.goto(live_server(f"/admin/events/{event.uid}/invite?sectors=agrifood"))
    page.check("input[name=sectors][value=health]")
    page.uncheck("input[name=sectors][value=agrifood]")
    page.get_by_role("button", name="Update the preview").click()
    page.wait_for_load_state()
    assert "1 member in this segment" in page.locator("#invite-preview").inner_text()
    assert page.locator("input[name=sectors][value=health]").is_checked()
    page.get_by_role("button", name="Send 1 invitation").click()
    page.wait_for_load_state()  # the question the dialog asks with JavaScript, on a page of its own
    assert "Send 1 invitation e-mail now? It cannot be taken back." in page.locator("main").inner_text()
    page.get_by_role("button", name="Yes, go ahead").click()
    page.wait_for_load_state()
    assert "1 invitation queued;" in page.locator("main").inner_text()
    assert page.url.endswith(f"/admin/events/{event.uid}/invite?sectors=health")


def test_without_javascript_a_delete_asks_first_on_a_page_and_going_back_keeps_the_listing(
        no_script_page, live_server, login_as, make_user, make_listing):
    anne = make_user(display_name="Anne")
    listing = make_listing(organisation_uid=anne.person.organisation_uid, title="Fibre Bragg sensors")
    page = no_script_page
    login_as(page, anne)
    page.goto(live_server(f"/listings/{listing.uid}"))
    page.get_by_role("button", name="Delete").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Please confirm"
    assert "Delete this listing for good?" in page.locator("main").inner_text()
    page.get_by_role("button", name="No, go back").click()
    page.wait_for_load_state()
    assert page.url == live_server(f"/listings/{listing.uid}") and page.locator("h1").inner_text() == "Fibre Bragg sensors"
    page.get_by_role("button", name="Delete").click()
    page.get_by_role("button", name="Yes, go ahead").click()
    page.wait_for_load_state()
    assert page.goto(live_server(f"/listings/{listing.uid}")).status == 404  # gone
