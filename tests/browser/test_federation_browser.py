"""Federation administration in headless Chromium: the peers table fits a 1280 px screen, "Sync now"."""
from datetime import datetime, timezone

import pytest

from portal.extensions import db
from portal.federation.models import Peer
from tests.portals import FakePublisher, change, organisation_data

pytestmark = pytest.mark.browser


def test_peers_table_fits_without_sideways_scrolling(browser_page, live_server, login_as, make_user):
    db.session.add(Peer(cluster_id="arvor-photonics", name="Arvor Photonics cluster",
                        base_url="https://portal.arvor-photonics.example", public_key="k",
                        fingerprint="SHA256:" + "Zm9vYmFyYmF6" * 4, state="confirmed", cursor=12345, head=12400,
                        received=12345, last_pull_at=datetime.now(timezone.utc),
                        last_error="timed out after 60 s while reading the change feed",
                        last_error_at=datetime.now(timezone.utc), failures=3))
    db.session.commit()
    page = browser_page
    page.set_viewport_size({"width": 1280, "height": 900})
    login_as(page, make_user(role="admin"))
    page.goto(live_server("/admin/federation"))
    table = page.locator("table.fed-peers")
    assert table.is_visible()
    overflow = page.evaluate("() => { const box = document.querySelector('table.fed-peers').parentElement;"
                             " return box.scrollWidth - box.clientWidth; }")
    assert overflow <= 0
    actions = page.get_by_role("button", name="Remove")
    assert actions.bounding_box()["x"] + actions.bounding_box()["width"] <= 1280


def test_sync_now_shows_progress_then_the_fresh_row_without_a_reload(browser_page, live_server, login_as,
                                                                      make_user):
    publisher = FakePublisher("peer-b").start()
    try:
        publisher.pin(db.session, base_url=publisher.base_url)
        publisher.changes = [change(i, f"00000000-0000-4000-8000-{i:012d}", "organisation",
                                    data=organisation_data(name=f"Org {i}")) for i in range(1, 4)]
        page = browser_page
        login_as(page, make_user(role="admin"))
        page.goto(live_server("/admin/federation"))
        row = page.locator("#peer-peer-b")
        assert "Changes received: 0" in row.inner_text()
        row.get_by_role("button", name="Sync now").click()
        # The progress polls until the pull ends, then the whole row comes back with its new figures.
        row.get_by_text("Changes received: 3").wait_for(timeout=15_000)
        assert "Feed position: 3" in row.inner_text() and "In sync" in row.inner_text()
        assert page.locator("#peer-peer-b").count() == 1 and not page.locator("[hx-trigger='every 1s']").count()
    finally:
        publisher.stop()
