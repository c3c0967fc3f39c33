"""The directory in headless Chromium: live search with history, and publishing an offer through the form."""
import re
from datetime import date, timedelta

import pytest

from tests.browser.conftest import page_violations

pytestmark = pytest.mark.browser


def cards(page):
    return page.locator("#results .listing-card")


def test_live_search_narrows_as_you_type_and_back_restores(browser_page, live_server, make_organisation,
                                                            make_listing):
    from playwright.sync_api import expect

    org = make_organisation(name="Lumiwave Photonics")
    for title in ("Laser welding cell", "Laser marking station", "Cold plasma torch"):
        make_listing(title=title, organisation_uid=org.uid, summary="", keywords=[])
    page = browser_page
    page.goto(live_server("/directory"))
    expect(cards(page)).to_have_count(3)

    search = page.locator("input[name=q]")
    search.press_sequentially("laser", delay=40)
    expect(cards(page)).to_have_count(2)
    expect(page).to_have_url(re.compile(r"/directory\?q=laser$"))  # no empty kind=&sector=…
    expect(page.locator("#results mark").first).to_have_text(re.compile("laser", re.IGNORECASE))

    entries = page.evaluate("history.length")
    with page.expect_response(re.compile(r"/directory\?q=laser")):
        search.press("Enter")  # what live search already shows: no second history entry
    assert page.evaluate("history.length") == entries

    search.press_sequentially(" weld", delay=40)
    expect(cards(page)).to_have_count(1)
    expect(cards(page).first).to_contain_text("Laser welding cell")
    expect(page).to_have_url(re.compile(r"q=laser\+weld"))

    page.go_back()
    expect(page).to_have_url(re.compile(r"/directory\?q=laser(&|$)"))
    expect(cards(page)).to_have_count(2)
    expect(page.locator("input[name=q]")).to_have_value("laser")
    page.go_back()
    expect(page).to_have_url(re.compile(r"/directory$"))
    expect(cards(page)).to_have_count(3)

    page.locator("details.directory-filters summary").click()
    page.select_option("select[name=sort]", "newest")
    expect(page).to_have_url(re.compile(r"sort=newest"))
    assert page_violations(page) == []


def test_a_misspelt_search_offers_the_correction_as_you_type(browser_page, live_server, make_listing):
    from playwright.sync_api import expect

    make_listing(title="Laser welding cell", summary="", keywords=[])
    make_listing(title="Cold plasma torch", summary="", keywords=[])
    page = browser_page
    page.goto(live_server("/directory"))
    page.locator("input[name=q]").press_sequentially("lazer weld", delay=40)
    expect(cards(page)).to_have_count(0)
    suggestion = page.locator("#results a.suggestion")
    expect(suggestion).to_have_text("laser weld")
    assert page_violations(page) == []
    suggestion.click()
    expect(page).to_have_url(re.compile(r"/directory\?q=laser\+weld$"))
    expect(page.locator("input[name=q]")).to_have_value("laser weld")
    expect(cards(page)).to_have_count(1)


def test_the_trl_range_says_what_is_wrong_with_what_is_in_it_now(browser_page, live_server, make_listing):
    """Out of 1 to 9, the range still goes to the server, whose message replaces the last one
    (the browser's own min/max check had kept the request, and a stale message, back)."""
    from playwright.sync_api import expect

    make_listing(title="Laser welding cell", trl=6)
    page = browser_page
    page.goto(live_server("/directory"))
    page.locator("details.directory-filters summary").click()
    page.fill("input[name=trl_min]", "4")
    page.fill("input[name=trl_max]", "2")
    page.press("input[name=trl_max]", "Tab")  # the form goes on change
    expect(page.locator("#trl-range")).to_contain_text("Choose 4 or more: the range starts at 4.")
    page.fill("input[name=trl_max]", "12")
    page.press("input[name=trl_max]", "Tab")
    expect(page.locator("#trl-range")).to_contain_text("between 1 and 9")
    expect(page.locator("#trl-range")).not_to_contain_text("Choose 4 or more")


def test_the_language_switch_keeps_the_live_search(browser_page, live_server, make_listing):
    from playwright.sync_api import expect

    make_listing(title="Laser welding cell")
    page = browser_page
    page.goto(live_server("/directory"))
    page.locator("input[name=q]").press_sequentially("laser", delay=40)
    expect(page).to_have_url(re.compile(r"/directory\?q=laser$"))  # pushed by htmx, after the page loaded
    page.get_by_role("button", name="Français").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page).to_have_url(re.compile(r"/directory\?q=laser$"))
    expect(page.locator("input[name=q]")).to_have_value("laser")


def test_member_publishes_an_offer_and_finds_it(browser_page, live_server, login_as, make_organisation, make_user):
    from playwright.sync_api import expect

    org = make_organisation(name="Lumiwave Photonics")
    member = make_user(organisation_uid=org.uid, display_name="Anne Le Goff")
    page = browser_page
    login_as(page, member)
    page.goto(live_server("/listings/new"))

    # A first try with no title: htmx swaps the 422 form in, the error beside the field.
    page.fill("#summary", "Compact pulsed source for micromachining.")
    page.click("#listing-form button[type=submit]")
    expect(page.locator("#title-error")).to_be_visible()
    expect(page.locator("#summary")).to_have_value("Compact pulsed source for micromachining.")

    page.fill("#title", "Femtosecond fibre laser")
    page.fill("#keywords", "ultrafast, micromachining")
    page.check("input[name=sectors][value=photonics]")
    page.select_option("#trl", "6")
    page.click("#listing-form button[type=submit]")
    expect(page.locator("h1")).to_have_text("Femtosecond fibre laser")
    expect(page).to_have_url(re.compile(r"/listings/[0-9a-f-]{36}$"))
    expect(page.locator(".flash")).to_contain_text("Listing published.")

    page.goto(live_server("/directory"))
    page.locator("input[name=q]").press_sequentially("femto", delay=40)
    expect(cards(page)).to_have_count(1)
    expect(cards(page).first).to_contain_text("Femtosecond fibre laser")
    expect(cards(page).first).to_contain_text("Lumiwave Photonics")
    assert page_violations(page) == []


def test_changing_language_over_a_typed_form_asks_first(browser_page, live_server, login_as, make_organisation,
                                                        make_user):
    """What is typed into a form that saves goes with the page when it changes language."""
    from playwright.sync_api import expect

    member = make_user(organisation_uid=make_organisation(name="Lumiwave Photonics").uid)
    page = browser_page
    login_as(page, member)
    page.goto(live_server("/listings/new"))
    asked = []

    def answer(dialog, accept):
        asked.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.fill("#title", "Femtosecond fibre laser")
    page.once("dialog", lambda dialog: answer(dialog, accept=False))
    page.get_by_role("button", name="Français").click()
    expect(page.locator("#title")).to_have_value("Femtosecond fibre laser")  # stayed, nothing lost
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert len(asked) == 1 and "is not saved yet" in asked[0]
    page.once("dialog", lambda dialog: answer(dialog, accept=True))
    page.get_by_role("button", name="Français").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    assert len(asked) == 2
    page.get_by_role("button", name="English").click()  # nothing typed since: no question
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert len(asked) == 2


def test_a_text_area_with_a_limit_counts_its_characters(browser_page, live_server, login_as, make_organisation,
                                                        make_user):
    """A paste the browser cut at the limit went unseen: the count under the field shows it."""
    from playwright.sync_api import expect

    member = make_user(organisation_uid=make_organisation(name="Lumiwave Photonics").uid)
    page = browser_page
    login_as(page, member)
    page.goto(live_server("/listings/new"))
    counter = page.locator("#summary-count")
    expect(counter).to_have_text("0 / 500")
    assert "summary-count" in page.locator("#summary").get_attribute("aria-describedby")
    page.fill("#summary", "x" * 600)  # the browser keeps the first 500
    expect(counter).to_have_text("500 / 500")
    expect(counter).to_have_class(re.compile(r"\bnear\b"))
    # A form htmx swaps back (a 422 without a title) gets its counters again, with what was typed.
    page.click("#listing-form button[type=submit]")
    expect(page.locator("#title-error")).to_be_visible()
    expect(page.locator("#summary-count")).to_have_text("500 / 500")
    expect(page.locator("#description-count")).to_have_text("0 / 10,000")
    assert page_violations(page) == []


def test_the_directory_search_box_takes_the_phone_s_whole_width(chromium, live_server, make_listing):
    """At 375 pixels 'Rechercher' stood beside the box and left it 150 to 210 pixels, so the French
    placeholder read 'Technologie, mot': the button goes under the box, which takes the row."""
    make_listing(title="Laser welding")
    context = chromium.new_context(locale="fr-FR", viewport={"width": 375, "height": 812})
    page = context.new_page()
    page.goto(live_server("/directory"))
    found = page.evaluate("""() => {
        const row = document.querySelector('.search-box').getBoundingClientRect();
        const box = document.querySelector('#q').getBoundingClientRect();
        const button = document.querySelector('.search-box button').getBoundingClientRect();
        return {row: row.width, box: box.width, under: button.top >= box.bottom, wide: document.documentElement.scrollWidth};
    }""")
    context.close()
    assert found["box"] >= found["row"] - 1 and found["under"]
    assert found["wide"] <= 375


def test_a_listing_s_facts_keep_room_for_their_values_on_a_phone(chromium, live_server, make_listing):
    """The facts' names took their whole width (max-content): at 375 pixels the French 'Niveau de
    maturité technologique' left its values a column of 16 pixels, one letter a line, the listing a
    page 3000 pixels high. A name wraps past 40 % of the row, between its words."""
    listing = make_listing(keywords=["material transfer hatches", "UV-C disinfection"], trl=8)
    context = chromium.new_context(locale="fr-FR", viewport={"width": 375, "height": 812})
    page = context.new_page()
    page.goto(live_server(f"/listings/{listing.uid}"))
    found = page.evaluate("""() => {
        const facts = document.querySelector('.listing-facts').getBoundingClientRect();
        return {names: [...document.querySelectorAll('.listing-facts dt')].map(dt => dt.innerText),
                values: [...document.querySelectorAll('.listing-facts dd')].map(dd => dd.getBoundingClientRect().width),
                row: facts.width, broken: [...document.querySelectorAll('.listing-facts dt')].flatMap(dt => {
                    const text = dt.firstChild;
                    return [...text.data.matchAll(/\\S+/g)].filter(word => {
                        const range = document.createRange();
                        range.setStart(text, word.index); range.setEnd(text, word.index + word[0].length);
                        return range.getClientRects().length > 1;
                    }).map(word => word[0]);
                })};
    }""")
    context.close()
    assert "Niveau de maturité technologique" in found["names"]
    assert min(found["values"]) >= found["row"] / 2 and found["broken"] == []


def test_a_delete_asks_in_a_dialog_and_no_answer_posts_nothing(browser_page, live_server, login_as, make_user,
                                                                make_listing):
    """With JavaScript the question is a dialog, and the form it sends says it was answered: the
    server's own question page (for browsers without JavaScript) does not come up."""
    anne = make_user(display_name="Anne")
    listing = make_listing(organisation_uid=anne.person.organisation_uid, title="UV-C disinfection tunnel")
    page = browser_page
    login_as(page, anne)
    page.goto(live_server(f"/listings/{listing.uid}"))
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.get_by_role("button", name="Delete").click()
    page.wait_for_timeout(300)  # a dismissed dialog sends nothing: the page stays
    assert asked == ["Delete this listing for good?"] and page.url == live_server(f"/listings/{listing.uid}")
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.get_by_role("button", name="Delete").click()
    assert "Please confirm" not in page.locator("main").inner_text()
    assert page.goto(live_server(f"/listings/{listing.uid}")).status == 404


def test_a_cards_footer_closes_it_at_the_bottom_of_its_row(browser_page, live_server, make_organisation,
                                                          make_listing):
    """Beside a card with a long summary, a short one's footer band still reaches its foot."""
    org = make_organisation(name="Lumiwave Photonics")
    make_listing(title="Short", organisation_uid=org.uid, summary="Two words.", keywords=[])
    make_listing(title="Long", organisation_uid=org.uid, keywords=[],
                 summary="A summary long enough to wrap over many lines of its card. " * 6)
    page = browser_page
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server("/directory"))
    for card in cards(page).all():
        box, footer = card.bounding_box(), card.locator("footer").bounding_box()
        assert abs((box["y"] + box["height"]) - (footer["y"] + footer["height"])) < 2


def test_a_listings_owner_buttons_are_one_size(browser_page, live_server, login_as, make_organisation, make_user,
                                               make_listing):
    """Edit (a link) beside Close and Delete (small forms' buttons): they read as one row of equals."""
    org = make_organisation(name="Lumiwave Photonics")
    member = make_user(organisation_uid=org.uid)
    listing = make_listing(organisation_uid=org.uid)
    page = browser_page
    login_as(page, member)
    page.goto(live_server(f"/listings/{listing.uid}"))
    heights = {name: page.locator(f".owner-actions :is(a, button):text-is('{name}')").bounding_box()["height"]
               for name in ("Edit", "Close", "Delete")}
    assert max(heights.values()) - min(heights.values()) < 2, heights


def test_the_renew_notice_of_an_expired_listing_stands_apart_from_its_description(
        browser_page, live_server, login_as, make_organisation, make_user, make_listing):
    org = make_organisation(name="Lumiwave Photonics")
    member = make_user(organisation_uid=org.uid)
    listing = make_listing(organisation_uid=org.uid, valid_until=date.today() - timedelta(days=3),
                           description="What we look for, at length.")
    page = browser_page
    login_as(page, member)
    page.goto(live_server(f"/listings/{listing.uid}"))
    notice = page.locator(".renew-prompt").bounding_box()
    text = page.locator("p", has_text="What we look for, at length.").bounding_box()
    assert text["y"] - (notice["y"] + notice["height"]) >= 8
