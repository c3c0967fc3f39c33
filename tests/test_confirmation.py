"""A button that cannot be taken back asks first, also without JavaScript (portal/confirmation.py)."""
import re
from pathlib import Path

from sqlalchemy import select

from portal.directory.models import Listing
from portal.extensions import db

QUESTION = "Delete this listing for good?"


def test_without_its_answer_the_question_is_asked_on_a_page_that_sends_the_form_again(client, login, make_user,
                                                                                      make_listing):
    anne = make_user(display_name="Anne")
    listing = make_listing(organisation_uid=anne.person.organisation_uid)
    login(anne)
    delete = f"/listings/{listing.uid}/delete"
    page = client.get(f"/listings/{listing.uid}").text
    assert f'name="confirm_question" value="{QUESTION}"' in page  # the button carries its question

    asked = client.post(delete, data={"confirm_question": QUESTION}, headers={"Referer": f"http://localhost/listings/{listing.uid}"})
    assert asked.status_code == 200 and "<h1>Please confirm</h1>" in asked.text and f"<p>{QUESTION}</p>" in asked.text
    assert f'<form method="post" action="{delete}">' in asked.text
    assert '<input type="hidden" name="confirm_answer" value="yes">' in asked.text
    assert f'<a href="/listings/{listing.uid}" role="button"' in asked.text  # "No, go back"
    assert f'name="next" value="/listings/{listing.uid}"' in asked.text  # and so does a change of language
    assert db.session.get(Listing, listing.uid) is not None  # nothing done yet

    done = client.post(delete, data={"confirm_answer": "yes"})
    assert done.status_code == 303 and db.session.scalars(select(Listing)).all() == []


def test_every_field_goes_again_and_a_foreign_referrer_is_not_the_way_back(client, login, make_user):
    login(make_user(role="admin"))
    asked = client.post("/admin/members/1/disable?next=/admin/members", headers={"Referer": "https://evil.example/x"},
                        data={"confirm_question": "Disable <b>Bruno</b>?", "reason": ["a", "b & c"]})
    assert "<p>Disable &lt;b&gt;Bruno&lt;/b&gt;?</p>" in asked.text  # a question is text
    assert 'action="/admin/members/1/disable?next=/admin/members"' in asked.text
    assert re.findall(r'<input type="hidden" name="reason" value="([^"]*)">', asked.text) == ["a", "b &amp; c"]
    assert 'name="confirm_question"' not in asked.text.split("<form")[-1]  # asked once
    assert '<a href="/" role="button"' in asked.text


def test_htmx_requests_and_those_the_view_refuses_are_not_asked(client, login, make_user, make_listing):
    listing = make_listing()
    data = {"confirm_question": QUESTION}
    anonymous = client.post(f"/listings/{listing.uid}/delete", data=data)
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]  # the guard answers
    login(make_user(role="admin"))
    scripted = client.post(f"/listings/{listing.uid}/delete", data=data, headers={"HX-Request": "true"})
    assert "Please confirm" not in scripted.text and db.session.get(Listing, listing.uid) is None  # asked by the script


def test_a_forged_form_gets_no_page(app, client, login, make_user):
    app.config["WTF_CSRF_ENABLED"] = True
    login(make_user(role="admin"))
    forged = client.post("/admin/members/1/disable", data={"confirm_question": "Press here to win"})
    assert forged.status_code == 400 and "Press here to win" not in forged.text


def test_one_mechanism_asks_every_question():
    """Every page asks through the buttons' `confirm_question`, the one name the script reads."""
    root = Path(__file__).resolve().parent.parent
    templates = "\n".join(p.read_text() for p in (root / "templates").rglob("*.html"))
    script = (root / "static/js/portal.js").read_text()
    assert "data-confirm" not in templates and "hx-confirm" not in templates and "data-confirm" not in script
    assert templates.count('name="confirm_question"') >= 18 and "button[name=confirm_question]" in script
