"""axe-core audits every kind of page of the demo world: a visitor, a member in French on a phone, an organiser.

The crawl starts at the home page of the lead portal of the demo's co-hosted events and
follows the links it finds, one page of each kind (`/events/<uid>/agenda` once, not per
event), so that a new page is audited as soon as something links to it. axe-core runs its
default rules (WCAG 2.0 to 2.2, A and AA, and best practices) on each page, and any
Content-Security-Policy violation counts too; either fails the test with the page, the rule
and the elements. The organiser's pages are audited on a desktop and on a phone, where wide
tables scroll (a scrolling region must take the keyboard's focus) and no page may scroll sideways.
"""
import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from tests.browser.conftest import RECORD_VIOLATIONS, log_in_with_the_form, page_violations
from tests.portals import DEMO_PASSWORD, build_world

pytestmark = pytest.mark.browser

AXE = Path(__file__).parents[1] / "vendor" / "axe-core-4.14.1.min.js"
LEAD = "photonics-bretagne"
MAX_PAGES = 90
DESKTOP, PHONE = {"width": 1280, "height": 800}, {"width": 390, "height": 844}  # on a phone, wide tables scroll
MIN_KINDS = {None: 15, "member_email": 20, "admin_email": 50}
UID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
NOT_PAGES = re.compile(r"\.(ics|csv|json|svg)$|^/(healthz|brand)|/poster$")  # files and print sheets
RUN_AXE = """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations.map(
    v => `${v.id} (${v.impact}): ${v.help}: ` + v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", "))"""


def page_kind(path):
    """One kind of page: uids and numbers replaced, so that each event's agenda counts once."""
    return re.sub(r"/\d+(?=/|$)", "/<n>", UID.sub("<uid>", path))


def mailed_pages(portal):
    """Pages only a mail links to: a survey of the past event (each stage) and the opt-out."""
    from sqlalchemy import select

    from portal.demo.world import PAST
    from portal.events.registration_models import Registration, RegistrationDecision
    from portal.surveys import tokens

    with portal.context() as session:
        registration = session.scalars(  # a confirmed participant: organisers are not surveyed
            select(Registration).join(RegistrationDecision, RegistrationDecision.registration_uid == Registration.uid)
            .where(Registration.event_uid == PAST.uid, Registration.origin == portal.cluster_id,
                   Registration.role != "organiser", RegistrationDecision.status == "confirmed")
            .order_by(Registration.uid)).first()
        return [f"/surveys/{PAST.uid}/{stage}/{tokens.survey_token(PAST.uid, stage, registration.uid)}"
                for stage in ("post_event", "six_months")] + [
            f"/surveys/opt-out/{tokens.opt_out_token(registration.person_uid)}"]


def audit(page, base, start):
    """Crawl from `start`; {path: [violation, ...]} for every page with any, and the kinds of page seen."""
    found, seen, queue = {}, set(), list(start)
    while queue and len(seen) < MAX_PAGES:
        target = queue.pop(0)
        path = urlsplit(target).path
        kind = page_kind(path)
        if kind in seen or NOT_PAGES.search(path):
            continue
        seen.add(kind)
        response = page.goto(base + target)
        assert response.ok, f"{target} answered {response.status}"
        if "text/html" not in response.headers["content-type"]:
            continue
        violations = page.evaluate(RUN_AXE) + [f"CSP {directive}" for directive in page_violations(page)]
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > page.viewport_size["width"]:
            violations.append(f"the page scrolls sideways: {width} px wide")
        if violations:
            found[target] = violations
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"):
            link = urlsplit(urljoin(page.url, href))
            if f"{link.scheme}://{link.netloc}" == base and not link.fragment:
                queue.append(link.path + (f"?{link.query}" if link.query else ""))
    return found, seen


@pytest.mark.parametrize("who, locale, viewport", [
    (None, "en-GB", DESKTOP), ("member_email", "fr-FR", PHONE), ("admin_email", "en-GB", DESKTOP),
    ("admin_email", "en-GB", PHONE)], ids=["visitor", "member-fr-phone", "organiser", "organiser-phone"])
def test_every_kind_of_page_passes_axe(chromium, demo_portals, demo_world, who, locale, viewport):
    from portal.demo.generate import demo_accounts
    from portal.demo.world import PROFILE_OF

    build_world(demo_portals, demo_world)
    base = demo_portals[LEAD].url
    context = chromium.new_context(locale=locale, viewport=viewport)
    context.add_init_script(RECORD_VIOLATIONS)
    context.add_init_script(path=str(AXE))  # as the browser's own script: the pages' CSP stays on
    page = context.new_page()
    page.set_default_timeout(20_000)
    if who:
        log_in_with_the_form(page, base, demo_accounts(PROFILE_OF[LEAD])[who], DEMO_PASSWORD)
    try:
        found, seen = audit(page, base, ["/"] + ([] if who else mailed_pages(demo_portals[LEAD])))
    finally:
        context.close()
    assert len(seen) >= MIN_KINDS[who], sorted(seen)  # fewer than the demo world links to: the crawl broke
    assert not found, "\n".join(f"{path}\n  " + "\n  ".join(violations) for path, violations in found.items())
