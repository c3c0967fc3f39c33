"""Administrators see and export each person's consent and when they gave it; members do not."""
from datetime import datetime, timezone

from flask_babel import refresh

CONSENT = datetime(2026, 5, 6, 7, 8, tzinfo=timezone.utc)


def test_consent_page_and_csv(client, login, make_user, make_person):
    make_person(display_name="Anne Le Goff", share_profile=True, consent_changed_at=CONSENT)
    make_person(display_name="=Bruno", share_profile=False)
    login(make_user(role="admin", display_name="Admin"))
    html = client.get("/admin/members/consents").get_data(as_text=True)
    assert "Anne Le Goff" in html and "6 May 2026, 07:08 UTC" in html  # the site's date style
    refresh()  # the test's requests share one `g`: choose the language afresh
    html = client.get("/admin/members/consents", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "6 mai 2026, 07:08 UTC" in html
    refresh()
    response = client.get("/admin/members/consents.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")  # or Excel reads the accents wrong
    assert response.headers["Content-Disposition"] == 'attachment; filename="consents.csv"'
    lines = text[1:].splitlines()
    assert lines[0] == "Person ID,Person,Organisation,Shares their profile with partner clusters,Since"
    anne = next(line for line in lines if "Anne Le Goff" in line)
    assert anne.endswith(",yes,2026-05-06T07:08:00Z")
    assert any(",'=Bruno," in line and line.endswith(",no,") for line in lines)


def test_consents_are_in_alphabetical_order_accents_and_case_aside(client, login, make_user, make_person):
    for name in ("Aïcha Diallo", "Audrey Even", "Élodie Bertrand", "Zoé Marchand", "andré Colin"):
        make_person(display_name=name)
    login(make_user(role="admin", display_name="Admin"))
    html = client.get("/admin/members/consents").get_data(as_text=True)
    names = ["Admin", "Aïcha Diallo", "andré Colin", "Audrey Even", "Élodie Bertrand", "Zoé Marchand"]
    assert sorted(names, key=html.index) == names
    csv = client.get("/admin/members/consents.csv").get_data(as_text=True)
    assert sorted(names, key=csv.index) == names


def test_members_get_403(client, login, make_user):
    login(make_user())
    assert client.get("/admin/members/consents").status_code == 403
    assert client.get("/admin/members/consents.csv").status_code == 403
