"""Sign-up in a real browser: htmx swaps the 422 form with errors beside the fields, the
new-organisation fields follow the choice, success lands on the account page, log-out works;
an administrator approves and disables members in place, and finds one as they type."""
from playwright.sync_api import expect

from tests.browser.conftest import page_violations


def test_signup_with_htmx(browser_page, live_server, make_organisation):
    make_organisation(name="Lumiwave Photonics")
    page = browser_page
    page.goto(live_server("/signup"))
    new_org = page.locator("[data-new-organisation]")
    expect(new_org).to_be_visible()
    page.select_option("#organisation_uid", label="Lumiwave Photonics")
    expect(new_org).to_be_hidden()
    page.select_option("#organisation_uid", value="")
    expect(new_org).to_be_visible()

    page.fill("#email", "not-an-address")
    page.fill("#display_name", "Nolwenn <b>Tanguy</b>")
    page.fill("#password", "short")
    page.fill("#confirm", "short")
    page.click("#signup-form button[type=submit]")
    expect(page.locator("#email-error")).to_contain_text("e-mail address")
    expect(page.locator("#password-error")).to_contain_text("10")
    expect(page.locator("#organisation_name-error")).to_be_visible()
    expect(page.locator("#display_name")).to_have_value("Nolwenn <b>Tanguy</b>")
    assert page.url == live_server("/signup")
    # The first field in error has the focus (keyboard and screen-reader users land on it).
    assert page.evaluate("""document.activeElement === document.querySelector('main [aria-invalid="true"]')""")
    assert page.evaluate("document.activeElement.id") in ("email", "password", "organisation_name")

    page.fill("#email", "nolwenn@example.org")
    page.fill("#password", "a sturdy passphrase")
    page.fill("#confirm", "a sturdy passphrase")
    page.fill("#organisation_name", "Kerlum Optics")
    page.click("#signup-form button[type=submit]")
    page.wait_for_url(live_server("/account"))
    expect(page.locator(".notice-pending").first).to_contain_text("waiting for an administrator")
    expect(page.locator("h1")).to_have_text("My account")

    page.click("header details.dropdown:last-of-type summary")  # the member's own menu
    page.click("text=Log out")
    page.wait_for_url(live_server("/"))
    expect(page.locator("nav >> text=Log in")).to_be_visible()
    assert page_violations(page) == []


def test_admin_approves_and_disables_in_place(browser_page, live_server, make_user):
    make_user(email="admin@example.org", password="a sturdy passphrase", role="admin", display_name="Ada Admin")
    make_user(email="pat@example.org", status="pending", display_name="Pat Pending")
    page = browser_page
    page.goto(live_server("/login"))
    page.fill("#email", "admin@example.org")
    page.fill("#password", "a sturdy passphrase")
    page.click("#login-form button[type=submit]")
    page.wait_for_url(live_server("/"))  # the home page, with what is coming for them
    page.goto(live_server("/admin/members"))
    page.click('.filters a[href$="status=pending"]')
    page.wait_for_url(live_server("/admin/members?status=pending"))
    row = page.locator("tr", has_text="pat@example.org")
    row.locator("button", has_text="Approve").click()
    expect(row).to_contain_text("Active")
    page.once("dialog", lambda dialog: dialog.accept())
    row.locator("button", has_text="Disable").click()
    expect(row).to_contain_text("Disabled")
    assert page_violations(page) == []


def test_admin_pages_through_pending_members(browser_page, live_server, login_as, make_user, make_person):
    """Next page through htmx keeps the status filter in the URL; approving a member on
    page 2 updates the row and the tab counts in place; Back returns to page 1."""
    from portal.accounts.models import User
    from portal.extensions import db

    admin = make_user(email="admin@example.org", role="admin", display_name="Ada Admin")
    for i in range(25):  # page size 20: two pages of pending members
        person = make_person(display_name=f"Pending {i:02d}")
        db.session.add(User(email=f"pending{i:02d}@example.org", status="pending", password_hash=admin.password_hash,
                            person_uid=person.uid))
    db.session.commit()
    page = browser_page
    login_as(page, admin)
    page.goto(live_server("/admin/members?status=pending"))
    expect(page.locator(".members-table tbody tr")).to_have_count(20)
    expect(page.locator(".pagination")).to_contain_text("Page 1 of 2")

    page.click(".pagination a[rel=next]")
    page.wait_for_url(live_server("/admin/members?status=pending&page=2"))
    expect(page.locator(".members-table tbody tr")).to_have_count(5)
    expect(page.locator(".pagination")).to_contain_text("Page 2 of 2")
    expect(page.locator("#announcer")).to_contain_text("Page 2 of 2")  # the page changed under the reader
    expect(page.locator('#member-filters a[href$="status=pending"]')).to_contain_text("(25)")

    row = page.locator(".members-table tbody tr").first
    row.locator("button", has_text="Approve").click()
    expect(row).to_contain_text("Active")
    expect(page.locator('#member-filters a[href$="status=pending"]')).to_contain_text("(24)")
    expect(page.locator('#member-filters a[href$="status=pending"]')).to_have_attribute("aria-current", "true")

    page.go_back()
    page.wait_for_url(live_server("/admin/members?status=pending"))
    expect(page.locator(".pagination")).to_contain_text("Page 1 of 2")
    assert page_violations(page) == []


def test_an_htmx_click_after_the_session_ended_opens_the_login_page_and_comes_back(browser_page, live_server, login_as,
                                                                                   make_user):
    from portal.extensions import db

    admin = make_user(email="admin@example.org", password="a sturdy passphrase", role="admin")
    make_user(email="pat@example.org", status="pending")
    page = browser_page
    login_as(page, admin)
    page.goto(live_server("/admin/members"))
    admin.session_token = "logged-out-elsewhere"  # the session this page has ends
    db.session.commit()
    page.click('#member-filters a[href$="status=pending"]')
    page.wait_for_url(live_server("/login?next=%2Fadmin%2Fmembers"))
    expect(page.locator("#login-form")).to_have_count(1)  # the whole page, not a form inside the table
    page.fill("#email", "admin@example.org")
    page.fill("#password", "a sturdy passphrase")
    page.click("#login-form button[type=submit]")
    page.wait_for_url(live_server("/admin/members"))


def test_an_error_answered_to_an_htmx_form_shows_above_the_page_and_keeps_the_form(browser_page, live_server):
    page = browser_page
    page.goto(live_server("/login"))
    page.fill("#email", "ada@example.org")
    # The form's CSRF token has expired (the page stayed open too long): the server answers 400.
    page.evaluate("""() => {
        document.querySelector('#login-form [name=csrf_token]').value = 'expired';
        document.body.setAttribute('hx-headers:inherited', '{"X-CSRFToken": "expired"}');
    }""")
    page.click("#login-form button[type=submit]")
    expect(page.locator("#flashes [role=alert]")).to_contain_text("400")
    expect(page.locator("#login-form")).to_have_count(1)  # not a whole error page inside the form
    expect(page.locator("header")).to_have_count(1)
    assert page.input_value("#email") == "ada@example.org"


def test_an_administrator_finds_a_member_as_they_type(browser_page, live_server, login_as, make_user):
    """The list narrows as the words are typed; the box keeps its focus and its words (morphed)."""
    import re

    for n in range(3):
        make_user(display_name=f"Person {n}", email=f"p{n}@example.org")
    make_user(display_name="Zoé Zed", email="zoe@example.org")
    page = browser_page
    login_as(page, make_user(role="admin", display_name="Olivia Admin"))
    page.goto(live_server("/admin/members"))
    page.locator("#member-q").press_sequentially("zoe", delay=60)
    expect(page.locator(".members-table tbody tr")).to_have_count(1)
    expect(page).to_have_url(re.compile(r"/admin/members\?q=zoe$"))
    expect(page.locator("#member-q")).to_be_focused()
    expect(page.locator("#member-q")).to_have_value("zoe")


def test_an_error_under_a_help_text_is_spaced_and_the_help_keeps_its_colour(browser_page, live_server):
    """Sign-up with a short password: its help text stays grey (Pico turns the small after an invalid
    input red), and the error under it keeps its distance from the next field's label."""
    page = browser_page
    page.goto(live_server("/signup"))
    grey = page.eval_on_selector("#password-help", "help => getComputedStyle(help).color")
    page.fill("#password", "short")
    page.click("#signup-form button[type=submit]")
    expect(page.locator("#password-error")).to_contain_text("10")
    found = page.evaluate("""() => {
        const help = document.querySelector("#password-help"), error = document.querySelector("#password-error");
        const next = document.querySelector("label[for=confirm]");
        return {help: getComputedStyle(help).color, red: getComputedStyle(error).color,
                under: error.getBoundingClientRect().top - help.getBoundingClientRect().bottom,
                space: next.getBoundingClientRect().top - error.getBoundingClientRect().bottom};
    }""")
    assert found["help"] == grey and found["red"] != grey
    assert found["under"] >= 0 and found["space"] >= 12  # a line apart, not touching


def test_the_member_search_box_shows_its_whole_placeholder_on_a_phone_in_french(chromium, live_server, login_as,
                                                                                make_user):
    """'Trouver un membre' sat beside the box in Pico's search group, leaving it too narrow for
    'Nom ou adresse e-mail' at 375 pixels ('Nom ou adresse e-m'): the label goes above the box."""
    admin = make_user(role="admin")
    context = chromium.new_context(locale="fr-FR", viewport={"width": 375, "height": 812})
    page = context.new_page()
    login_as(page, admin)
    page.goto(live_server("/admin/members"))
    found = page.evaluate("""() => {
        const box = document.querySelector('#member-q'), label = document.querySelector('label[for=member-q]');
        const style = getComputedStyle(box), context = document.createElement('canvas').getContext('2d');
        context.font = `${style.fontSize} ${style.fontFamily}`;
        const room = box.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
        return {placeholder: box.placeholder, text: context.measureText(box.placeholder).width, room,
                above: label.getBoundingClientRect().bottom <= box.getBoundingClientRect().top};
    }""")
    context.close()
    assert found["placeholder"] == "Nom ou adresse e-mail"
    assert found["text"] <= found["room"] and found["above"]
