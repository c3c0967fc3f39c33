"""Directory pages: who may see and change organisations and listings, htmx fragments, escaping."""
import re
from datetime import date, timedelta

import pytest
from flask import g
from sqlalchemy import select, update

from portal.accounts.models import User
from portal.directory.models import Listing, Organisation
from portal.extensions import db
from portal.federation.models import Peer, Record

HTMX = {"HX-Request": "true"}


@pytest.fixture
def org(make_organisation):
    return make_organisation(name="Lumiwave Photonics")


@pytest.fixture
def people(org, make_user, make_organisation):
    """One user of each kind the guards tell apart."""
    other = make_organisation(name="Agri Sense")
    return {
        "pending": make_user(status="pending", organisation_uid=org.uid),
        "member": make_user(organisation_uid=org.uid, display_name="Anne Member"),
        "outsider": make_user(organisation_uid=other.uid),
        "admin": make_user(role="admin", organisation_uid=other.uid),
    }


@pytest.fixture
def as_user(client, login, people):
    def become(who):
        # The test's app context outlives requests, and Flask-Login caches the user in `g`.
        g.pop("_login_user", None)
        if who != "anonymous":
            login(people[who])
        return client
    return become


def listing_form(**overrides):
    values = {"kind": "offer", "title": "Hyperspectral camera for crop monitoring",
              "summary": "Detects water stress early.", "description": "Line-scan, 400-1000 nm.",
              "keywords": "hyperspectral, imaging", "sectors": ["photonics", "agrifood"], "trl": "7",
              "cooperation": ["licence"], "ipr": "patented", "valid_until": "", "person_uid": ""}
    values.update(overrides)
    return values


def error_beside(page, field_id):
    match = re.search(rf'<small id="{field_id}-error" class="field-error" role="alert">([^<]*)</small>', page)
    return match.group(1) if match else ""


def ledger_version(uid):
    return db.session.scalar(select(Record.version).where(Record.uid == uid))


# Reading -------------------------------------------------------------------------------------

@pytest.mark.parametrize("who", ["anonymous", "pending", "member", "outsider", "admin"])
def test_public_pages_are_open_to_everyone(who, as_user, org, make_listing):
    listing = make_listing(organisation_uid=org.uid)
    client = as_user(who)
    for url in ("/directory", "/organisations", f"/organisations/{org.uid}", f"/listings/{listing.uid}"):
        response = client.get(url)
        assert response.status_code == 200, url
    assert b"Fibre Bragg grating sensors" in client.get("/directory").data


def test_unknown_records_are_404(client):
    assert client.get("/listings/nope").status_code == 404
    assert client.get("/organisations/nope").status_code == 404


def test_search_page_and_fragment_share_a_url(client, make_listing):
    make_listing(title="Laser welding cell")
    page = client.get("/directory?q=laser")
    fragment = client.get("/directory?q=laser", headers=HTMX)
    assert page.status_code == fragment.status_code == 200
    assert b"<html" in page.data and b"<html" not in fragment.data
    assert b'id="results"' in page.data and fragment.data.lstrip().startswith(b'<section id="results"')
    assert b"<mark>Laser</mark> welding cell" in fragment.data
    assert "HX-Request" in page.headers["Vary"] and "HX-Request" in fragment.headers["Vary"]
    restore = client.get("/directory?q=laser", headers={**HTMX, "HX-History-Restore-Request": "true"})
    assert b"<html" in restore.data


def test_htmx_search_pushes_the_url_without_empty_or_default_parameters(client):
    fragment = client.get("/directory?q=laser+cell&kind=&sector=&trl_min=3&trl_max=&sort=relevance&page=1",
                          headers=HTMX)
    assert fragment.headers["HX-Push-Url"] == "/directory?q=laser+cell&trl_min=3"
    bare = client.get("/directory?q=&kind=&sort=newest&page=2", headers=HTMX)
    assert bare.headers["HX-Push-Url"] == "/directory?sort=newest"  # nothing to list: page 2 is page 1
    assert client.get("/directory?q=&kind=", headers=HTMX).headers["HX-Push-Url"] == "/directory"
    assert "HX-Push-Url" not in client.get("/directory?q=laser&kind=").headers


def test_title_with_markup_is_escaped_everywhere(client, make_listing):
    listing = make_listing(title="<script>alert(1)</script> sensor", summary="<b>bold</b>")
    for url in ("/directory", "/directory?q=sensor", f"/listings/{listing.uid}", "/"):
        body = client.get(url).get_data(as_text=True)
        assert "<script>alert(1)</script>" not in body, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body, url
        assert "<b>bold</b>" not in body


def test_web_addresses_in_a_description_are_links_and_nothing_else_is(client, make_listing, make_event):
    from portal.directory.template_filters import linked

    text = 'Details: https://lumiwave.example/fbg?x=1&y=<b>2</b>. Not javascript:alert(1) nor "https://e.example/" x'
    assert str(linked(text)) == (
        'Details: <a href="https://lumiwave.example/fbg?x=1&amp;y=" rel="nofollow noopener noreferrer">'
        'https://lumiwave.example/fbg?x=1&amp;y=</a>&lt;b&gt;2&lt;/b&gt;. Not javascript:alert(1) nor &#34;'
        '<a href="https://e.example/" rel="nofollow noopener noreferrer">https://e.example/</a>&#34; x')
    assert str(linked("(https://en.wikipedia.org/wiki/Fibre_(optics)), then http:// alone")) == (
        '(<a href="https://en.wikipedia.org/wiki/Fibre_(optics)" rel="nofollow noopener noreferrer">'
        'https://en.wikipedia.org/wiki/Fibre_(optics)</a>), then http:// alone')  # its own brackets kept
    listing = make_listing(title="FBG", description="Data sheet (https://lumiwave.example/fbg.pdf).\n\nAsk us.")
    page = client.get(f"/listings/{listing.uid}").text
    assert ('<p>Data sheet (<a href="https://lumiwave.example/fbg.pdf" rel="nofollow noopener noreferrer">'
            'https://lumiwave.example/fbg.pdf</a>).</p><p>Ask us.</p>') in page
    from portal.directory.template_filters import paragraphs

    # A line break within a paragraph stays one (a list typed line by line), escaped as the rest.
    assert str(paragraphs("Context:\n- <b>bullet</b> a \n- bullet b\n\nBudget.")) == (
        "<p>Context:<br>\n- &lt;b&gt;bullet&lt;/b&gt; a<br>\n- bullet b</p><p>Budget.</p>")
    event = make_event(description="Programme: https://cluster.example/programme")
    assert '<a href="https://cluster.example/programme" rel="nofollow' in client.get(f"/events/{event.uid}").text


def test_search_form_is_not_a_pico_input_group(client):
    # Pico lays out any [role=search] as one rounded row: the filters would be squeezed into it.
    body = client.get("/directory").get_data(as_text=True)
    form = body[body.index('<form id="directory-search"'):]
    assert "<search>" in body and 'role="search"' not in form[:form.index(">")]
    assert '<div><label for="sector"' in body


def test_organisation_filters_keep_each_label_with_its_field(client):
    body = client.get("/organisations").get_data(as_text=True)
    assert all(f'<div><label for="{name}"' in body for name in ("kind", "country", "cluster"))


def test_the_directory_names_its_organisation_type_filter(client):
    body = client.get("/directory").get_data(as_text=True)
    label = body.split('<label for="organisation_kind"', 1)[1].split("</label>", 1)[0]
    assert "Organisation type" in label


def test_search_highlights_terms_with_mark(client, make_listing):
    make_listing(title="Laser welding cell", summary="Welding <thin> sheets")
    body = client.get("/directory?q=weld", headers=HTMX).get_data(as_text=True)
    assert "Laser <mark>weld</mark>ing cell" in body
    assert "<mark>Weld</mark>ing &lt;thin&gt; sheets" in body
    assert "listing-excerpt" not in body  # the card's own words show the match


def test_a_card_found_by_words_it_does_not_show_says_where_they_are(client, make_listing):
    make_listing(title="Sensing cell", summary="For bridges", description="Fibre Bragg gratings & 40 channels",
                 keywords=["structural health"])
    make_listing(title="Welding cell", summary="", description="Laser cutting", keywords=["Tube bending", "<x>"])
    body = client.get("/directory?q=bragg", headers=HTMX).get_data(as_text=True)
    assert '<p class="listing-excerpt">Fibre <mark>Bragg</mark> gratings &amp; 40 channels</p>' in body
    body = client.get("/directory?q=bend", headers=HTMX).get_data(as_text=True)
    assert '<p class="listing-excerpt">Tube <mark>bend</mark>ing, &lt;x&gt;</p>' in body  # the keywords
    assert "listing-excerpt" not in client.get("/directory?q=bending+cell", headers=HTMX).get_data(as_text=True)


def test_result_cards_say_what_the_filters_say(app, make_organisation, make_listing):
    """The search's cards take their words from CardText, once per page; the filters of the
    same names, which other pages use, must keep saying the same in every language."""
    from portal.directory import search_cards, template_filters as filters

    organisation = make_organisation(name="Laser & <Co>", country="DE")
    uid = make_listing(organisation_uid=organisation.uid, kind="need", title="Laser <b>welding</b>",
                       summary="", sectors=["photonics", "a-peer-slug"], trl=4).uid
    with app.test_request_context(headers={"Accept-Language": "fr"}):
        card = search_cards.load([uid])[0]
        words = filters.CardText(["las"]).of(card)
        assert words.kind == filters.listing_kind_label("need")
        assert words.title == filters.highlight(card.title, ["las"]) == "<mark>Las</mark>er &lt;b&gt;welding&lt;/b&gt;"
        assert words.summary == ""
        assert words.organisation == filters.highlight(organisation.name, ["las"])
        assert words.country == filters.country_name("DE") == "Allemagne"
        assert words.trl == filters.trl_label(4)
        assert words.sectors == filters.vocabulary_labels(card.sectors, "sectors")
        assert words.sectors.endswith(", a-peer-slug")


@pytest.mark.parametrize("query", ['"', "laser\" OR \"", "AND", "NEAR(", "*", "'; DROP TABLE listing; --",
                                   "laser AND OR NOT", "(((", "^laser", "title:laser", "-laser", "💡",
                                   "x" * 500, "laser*"])
def test_search_syntax_never_breaks(client, make_listing, query):
    make_listing(title="Laser welding cell")
    response = client.get("/directory", query_string={"q": query})
    assert response.status_code == 200
    assert Listing.__tablename__ and db.session.scalar(select(Listing.title)) == "Laser welding cell"


def test_injection_like_query_still_finds_its_words(client, make_listing):
    make_listing(title="Laser welding cell")
    make_listing(title="Cold plasma")
    body = client.get("/directory", query_string={"q": "laser' OR 1=1; --"}).get_data(as_text=True)
    assert "welding cell" not in body  # "1" is also a required word
    body = client.get("/directory", query_string={"q": '"laser" AND ("weld'}).get_data(as_text=True)
    assert "<mark>Laser</mark> <mark>weld</mark>ing cell" in body and "Cold plasma" not in body


def test_bad_filters_are_dropped_not_fatal(client, make_listing):
    make_listing(title="Laser welding cell", trl=5)
    response = client.get("/directory?trl_min=12&trl_max=abc&sector=nope&page=-3&kind=both&cluster=x")
    assert response.status_code == 200
    assert b"Laser welding cell" in response.data


@pytest.mark.parametrize("language, message", [("en", "Choose a country from the list."),
                                               ("fr", "Choisissez un pays dans la liste.")])
def test_an_unknown_country_is_named_in_one_short_sentence(client, make_listing, language, message):
    make_listing(title="Laser welding cell")
    body = client.get("/directory?country=ZZ", headers={"Accept-Language": language}).get_data(as_text=True)
    assert message in body and "Laser welding cell" in body
    assert ", FR," not in body  # not WTForms' list of every accepted code


def test_a_reversed_trl_range_is_named_beside_the_field_and_keeps_the_values(client, make_listing):
    make_listing(title="Laser welding cell", trl=5)
    make_listing(title="Production line", trl=9)
    body = client.get("/directory?trl_min=9&trl_max=1").get_data(as_text=True)
    assert "Choose 9 or more: the range starts at 9." in error_beside(body, "trl_max")
    assert 'id="trl_min" inputmode="numeric" name="trl_min" type="number" value="9"' in body
    assert 'name="trl_max" type="number" value="1"' in body
    assert "Production line" in body and "Laser welding cell" not in body  # the valid bound still filters
    fragment = client.get("/directory?trl_min=9&trl_max=1", headers=HTMX).get_data(as_text=True)
    assert 'id="trl-range" hx-swap-oob="outerMorph"' in fragment and "the range starts at 9" in fragment
    cleared = client.get("/directory?trl_min=&trl_max=&q=", headers=HTMX).get_data(as_text=True)
    assert 'id="trl-range" hx-swap-oob' in cleared and "the range starts" not in cleared  # the error goes
    # A request without the range (a page link, a shared search) has no fields to update.
    assert 'id="trl-range"' not in client.get("/directory?q=laser&page=1", headers=HTMX).get_data(as_text=True)


def test_expired_listings_hidden_unless_asked(client, make_listing):
    make_listing(title="Old offer", valid_until=date.today() - timedelta(days=1))
    make_listing(title="Current offer", valid_until=date.today())
    default = client.get("/directory").get_data(as_text=True)
    assert "Current offer" in default and "Old offer" not in default
    assert "Old offer" in client.get("/directory?show_expired=y").get_data(as_text=True)


def test_home_counts_agree_with_the_directory(client, make_listing):
    make_listing(title="Old offer", valid_until=date.today() - timedelta(days=1))
    make_listing(title="Current offer", valid_until=date.today())
    make_listing(title="Closed offer", status="closed")
    make_listing(title="Old need", kind="need", valid_until=date.today() - timedelta(days=30))
    home = client.get("/").get_data(as_text=True)
    assert "<strong>1</strong> open offer ·" in home and "<strong>0</strong> open needs" in home
    assert "1 offer or need" in client.get("/directory").get_data(as_text=True)


def test_the_count_names_what_the_kind_filter_keeps(client, make_listing):
    make_listing(title="An offer")
    make_listing(title="A need", kind="need")
    make_listing(title="Another need", kind="need")
    assert ">1 offer<" in client.get("/directory?kind=offer", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert ">2 needs<" in client.get("/directory?kind=need", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert ">3 offers and needs<" in client.get("/directory", headers={"HX-Request": "true"}).get_data(as_text=True)


def test_pagination_links_keep_the_query(app, client, make_organisation, make_listing):
    app.config["PAGE_SIZE"] = 2
    org = make_organisation()
    for n in range(5):
        make_listing(title=f"Laser {n}", organisation_uid=org.uid)
    body = client.get("/directory?q=laser").get_data(as_text=True)
    assert "Page 1 of 3" in body and "/directory?q=laser&amp;page=2" in body
    last = client.get("/directory?q=laser&page=3", headers=HTMX).get_data(as_text=True)
    assert last.count('class="listing-card') == 1


def test_a_page_past_the_last_shows_the_last_page(app, client, make_organisation, make_listing):
    app.config["PAGE_SIZE"] = 2
    org = make_organisation()
    for n in range(5):
        make_listing(title=f"Laser {n}", organisation_uid=org.uid)
    body = client.get("/directory?q=laser&page=999").get_data(as_text=True)
    assert body.count('class="listing-card') == 1 and "Page 3 of 3" in body
    assert "/directory?q=laser&amp;page=2" in body  # the link to the previous page
    fragment = client.get("/directory?q=laser&page=999", headers=HTMX)
    assert fragment.headers["HX-Push-Url"] == "/directory?q=laser&page=3"
    assert client.get("/directory?page=999").get_data(as_text=True).count('class="listing-card') == 1


def test_an_organisations_page_past_the_last_shows_the_last_page(app, client, make_organisation):
    app.config["PAGE_SIZE"] = 2
    for n in range(5):
        make_organisation(name=f"Optics {n}")
    body = client.get("/organisations?page=999").get_data(as_text=True)
    assert "Page 3 of 3" in body and "Optics 4" in body and "Optics 0" not in body
    assert "/organisations?page=2" in body  # the link to the previous page


def test_remote_listing_has_badge_and_home_link(client, make_listing, make_organisation):
    db.session.add(Peer(cluster_id="agri-west", name="Agri West", base_url="https://agri.example/",
                        public_key="k", fingerprint="f", state="confirmed"))
    org = make_organisation(name="Remote Org", origin="agri-west", version=1)
    listing = make_listing(title="Soil sensor need", kind="need", origin="agri-west", version=1,
                           organisation_uid=org.uid)
    assert client.get("/directory").get_data(as_text=True).count("Agri West") >= 1
    page = client.get(f"/listings/{listing.uid}").get_data(as_text=True)
    assert f"https://agri.example/listings/{listing.uid}" in page and "Agri West" in page
    org_page = client.get(f"/organisations/{org.uid}").get_data(as_text=True)
    assert f"https://agri.example/organisations/{org.uid}" in org_page
    assert "Agri West" in client.get("/directory?cluster=agri-west").get_data(as_text=True)
    assert "no longer a partner" not in page and "it can only be changed there" in page
    db.session.get(Peer, "agri-west").state = "removed"  # the partnership ended: what was received stays
    db.session.commit()
    page = client.get(f"/listings/{listing.uid}").get_data(as_text=True)
    assert "Agri West is no longer a partner of this portal: this listing is kept as it was on" in page
    assert "may have changed or closed since" in page and "it can only be changed there" not in page


def test_organisation_page_lists_only_consenting_people_and_no_contacts(as_user, org, make_person, make_listing):
    make_person(organisation_uid=org.uid, display_name="Public Paula", phone="+33 1 23", share_profile=True)
    make_person(organisation_uid=org.uid, display_name="Private Pierre", share_profile=False)
    make_listing(organisation_uid=org.uid, title="Open offer")
    make_listing(organisation_uid=org.uid, title="Closed offer", status="closed")
    body = as_user("anonymous").get(f"/organisations/{org.uid}").get_data(as_text=True)
    assert "Public Paula" in body and "Private Pierre" not in body and "+33 1 23" not in body
    assert "Open offer" in body and "Closed offer" not in body
    assert "Test Cluster" in body  # the local cluster's badge
    assert "Private Pierre" not in as_user("pending").get(f"/organisations/{org.uid}").text


def test_a_profile_kept_on_this_portal_shows_to_its_approved_members(as_user, org, people, make_person,
                                                                      make_listing):
    """Not shared with partner clusters, a profile stays on this portal: its approved members see the
    person among their organisation's people and as a listing's contact, as on the person's page."""
    pierre = make_person(organisation_uid=org.uid, display_name="Private Pierre", share_profile=False)
    listing = make_listing(organisation_uid=org.uid, person_uid=pierre.uid, title="Open offer")
    for who, sees in (("anonymous", False), ("pending", False), ("outsider", True), ("admin", True)):
        organisation = as_user(who).get(f"/organisations/{org.uid}").text
        page = as_user(who).get(f"/listings/{listing.uid}").text
        assert ("Private Pierre" in organisation) is sees, who
        assert ("Private Pierre" in page and "contact-card" in page) is sees, who


def test_a_listings_editors_are_told_why_its_contact_does_not_show(as_user, org, people, make_listing):
    member = people["member"]
    member.person.share_profile = False
    listing = make_listing(organisation_uid=org.uid, person_uid=member.person_uid)
    mine = "You are the contact person of this listing, but you do not share your profile"
    note = "Anne Member, the contact person of this listing, does not share their profile"
    page = as_user("anonymous").get(f"/listings/{listing.uid}").get_data(as_text=True)
    assert note not in page and "Anne Member" not in page  # a visitor sees neither
    page = as_user("member").get(f"/listings/{listing.uid}").get_data(as_text=True)
    assert mine in page and 'href="/account#consent-heading"' in page and "contact-card" in page
    page = as_user("admin").get(f"/listings/{listing.uid}").get_data(as_text=True)  # an editor, not the contact
    assert note in page and mine not in page
    page = as_user("outsider").get(f"/listings/{listing.uid}").get_data(as_text=True)
    assert note not in page and "contact-card" in page  # another member of this portal sees the contact
    member.person.share_profile = True
    db.session.commit()
    page = as_user("member").get(f"/listings/{listing.uid}").get_data(as_text=True)
    assert mine not in page and "contact-card" in page


def test_an_organisations_people_and_contact_choices_are_in_alphabetical_order(as_user, org, make_person):
    for name in ("Zoé Martin", "élodie Bertrand", "Fabien Nicol"):
        make_person(organisation_uid=org.uid, display_name=name, share_profile=True)
    order = ["élodie Bertrand", "Fabien Nicol", "Zoé Martin"]
    client = as_user("member")
    for page in (client.get(f"/organisations/{org.uid}").text, client.get("/listings/new").text):
        found = sorted((page.index(name), name) for name in order)
        assert [name for _, name in found] == order


def test_a_special_guests_listing_page_says_so_as_its_card_does(client, make_organisation, make_replica,
                                                                 make_peer):
    """A partner's special guest (a research centre) posts a need: its page carries the mark, as
    its card in the directory does."""
    from portal.directory.models import Listing, Organisation

    make_peer("peer-b", "Agrifood Ouest")
    guest = make_replica(Organisation, "peer-b", name="Centre National de Recherche", kind="research",
                         special_guest=True)
    need = make_replica(Listing, "peer-b", organisation_uid=guest.uid, kind="need", title="Mycotoxins in silos",
                        summary="Detect them early.")
    badge = '<span class="badge badge-guest">Special guest</span>'
    assert badge in client.get("/directory?special_guests=y").text
    assert badge in client.get(f"/listings/{need.uid}").text
    plain = make_replica(Listing, "peer-b", organisation_uid=make_replica(Organisation, "peer-b", name="Plain").uid,
                         kind="need", title="Plain need", summary="Nothing special.")
    assert badge not in client.get(f"/listings/{plain.uid}").text


def test_organisation_filters(client, make_organisation):
    make_organisation(name="Guest Org", special_guest=True, country="DE", kind="end_user")
    make_organisation(name="Plain Org", country="FR")
    assert "Plain Org" not in client.get("/organisations?special_guests=y").get_data(as_text=True)
    body = client.get("/organisations?country=DE&kind=end_user", headers=HTMX).get_data(as_text=True)
    assert "Guest Org" in body and "Plain Org" not in body and "<html" not in body


# Writing listings ----------------------------------------------------------------------------

@pytest.mark.parametrize("who,status", [("anonymous", 302), ("pending", 403), ("outsider", 403),
                                        ("member", 303), ("admin", 303)])
def test_who_may_create_a_listing_for_the_organisation(who, status, as_user, org):
    client = as_user(who)
    response = client.post(f"/listings/new?organisation={org.uid}", data=listing_form())
    assert response.status_code == status
    created = db.session.scalars(select(Listing)).all()
    assert len(created) == (1 if status == 303 else 0)
    if created:
        listing = created[0]
        assert (listing.organisation_uid, listing.trl, listing.keywords) == (org.uid, 7, ["hyperspectral", "imaging"])
        assert listing.sectors == ["photonics", "agrifood"] and listing.ipr == "patented"
        assert listing.origin == "test-cluster" and ledger_version(listing.uid) == 1


def test_pending_member_is_told_the_account_awaits_approval(as_user):
    response = as_user("pending").get("/listings/new")
    body = response.get_data(as_text=True)
    assert response.status_code == 403 and "Access refused" not in body
    assert "<h1>Your account is waiting for approval</h1>" in body and 'href="/account"' in body


def test_member_creates_for_own_organisation_by_default(as_user, org):
    client = as_user("member")
    assert client.get("/listings/new").status_code == 200
    response = client.post("/listings/new", data=listing_form(), headers=HTMX)
    listing = db.session.scalars(select(Listing)).one()
    assert response.status_code == 204 and response.headers["HX-Redirect"] == f"/listings/{listing.uid}"
    assert listing.organisation_uid == org.uid


def test_a_new_listing_is_valid_as_long_as_a_renewed_one_unless_its_date_is_cleared(as_user, org, app):
    client = as_user("member")
    offered = date.today() + timedelta(days=app.config["LISTING_RENEW_DAYS"])
    date_input = re.search(r'<input[^>]*name="valid_until"[^>]*>', client.get("/listings/new").text).group(0)
    assert f'value="{offered.isoformat()}"' in date_input
    client.post("/listings/new", data=listing_form(valid_until=""), headers=HTMX)
    assert db.session.scalars(select(Listing.valid_until)).one() is None


def test_a_listing_form_sent_twice_publishes_once(as_user, org):
    client = as_user("member")
    key = re.search(r'name="key" type="hidden" value="([0-9a-f-]{36})"', client.get("/listings/new").text).group(1)
    for _ in range(2):  # a double click
        response = client.post("/listings/new", data=dict(listing_form(), key=key), headers=HTMX)
        assert response.headers["HX-Redirect"] == f"/listings/{key}"
    assert db.session.scalars(select(Listing.uid)).all() == [key]


def test_a_deleted_listings_uid_sent_as_the_key_makes_a_new_listing(as_user, org, make_listing, make_organisation):
    """The key is the browser's to send: the uid of a deleted listing would restart its version at 1
    under its tombstone's higher one, which peers keep (they would never see the new listing)."""
    gone = make_listing(organisation_uid=make_organisation(name="Somebody Else").uid)
    uid = gone.uid
    gone.title = "Changed once"
    db.session.commit()
    db.session.delete(gone)
    db.session.commit()
    response = as_user("member").post("/listings/new", data=dict(listing_form(), key=uid))
    listing = db.session.scalars(select(Listing)).one()
    assert response.status_code == 303 and listing.uid != uid and ledger_version(listing.uid) == 1
    assert db.session.execute(select(Record.version, Record.deleted).where(Record.uid == uid)).one() == (3, True)


def test_a_peers_tombstone_uid_sent_as_the_key_makes_a_new_listing(as_user, org):
    """Else our member's listing would be stored under the peer's tombstone, as the peer's own record."""
    peer_uid = "11111111-2222-4333-8444-555555555555"
    db.session.add(Record(type="listing", uid=peer_uid, origin="agri-west", version=4, deleted=True))
    db.session.commit()
    as_user("member").post("/listings/new", data=dict(listing_form(), key=peer_uid))
    listing = db.session.scalars(select(Listing)).one()
    assert listing.uid != peer_uid and listing.origin == "test-cluster"
    assert db.session.execute(select(Record.origin, Record.version, Record.deleted)
                              .where(Record.uid == peer_uid)).one() == ("agri-west", 4, True)


def test_of_two_sendings_at_once_the_second_to_commit_finds_the_first(monkeypatch, make_listing):
    from portal import forms

    first = make_listing(title="Made by the first sending")
    uid = first.uid
    db.session.expunge(first)  # the first sending's session, not this one, made it
    real_get, calls = db.session.get, []

    def get_late(model, uid):  # the second sending looked before the first committed
        calls.append(uid)
        return None if len(calls) == 1 else real_get(model, uid)

    monkeypatch.setattr(db.session, "get", get_late)
    found, made = forms.create_once(Listing, uid, lambda key: make_listing(uid=key, title="Second"))
    assert (found.uid, found.title, made) == (uid, "Made by the first sending", False)


def test_remote_organisation_gets_no_local_listings(as_user, make_organisation):
    remote = make_organisation(origin="agri-west", version=1)
    assert as_user("admin").post(f"/listings/new?organisation={remote.uid}", data=listing_form()).status_code == 403


@pytest.mark.parametrize("field,value,message", [
    ("title", "", "This field is required."),
    ("title", "x" * 201, "Field cannot be longer than 200 characters."),
    ("summary", " ", "This field is required."),  # the directory's card says it: a card of a bare title is empty
    ("summary", "x" * 501, "Field cannot be longer than 500 characters."),
    ("description", "x" * 10001, "Field cannot be longer than 10000 characters."),
    ("trl", "12", "A TRL is between 1 and 9."),
    ("trl", "abc", "Invalid Choice"),
    ("keywords", ", ".join(f"k{n}" for n in range(21)), "At most 20 keywords."),
    ("keywords", "y" * 61, "Each keyword has at most 60 characters."),
    ("valid_until", "next week", "Not a valid date value."),
    ("valid_until", (date.today() - timedelta(days=1)).isoformat(), "This date is past: choose today or a later date."),
    ("sectors", ["astrology"], "is not a valid choice"),
    ("kind", "gift", "Not a valid choice"),
])
def test_bad_listing_input_answers_422_with_the_error_beside_the_field(as_user, field, value, message):
    client = as_user("member")
    typed = listing_form(**{field: value})
    response = client.post("/listings/new", data=typed, headers=HTMX)
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert body.lstrip().startswith("<form") and message in body
    assert f'id="{field}-error"' in body
    kept = "Detects water stress early." if field != "summary" else "Hyperspectral camera for crop monitoring"
    assert kept in body  # what was typed is kept
    assert db.session.scalars(select(Listing)).all() == []
    assert client.post("/listings/new", data=typed).status_code == 422  # without htmx: the full page


def test_an_expired_listing_may_keep_its_date_when_edited_but_not_take_another_past_one(as_user, org,
                                                                                       make_listing):
    expired = date.today() - timedelta(days=10)
    listing = make_listing(organisation_uid=org.uid, valid_until=expired)
    client = as_user("member")
    kept = client.post(f"/listings/{listing.uid}/edit", data=listing_form(valid_until=expired.isoformat()))
    assert kept.status_code == 303
    other = client.post(f"/listings/{listing.uid}/edit",
                        data=listing_form(valid_until=(expired - timedelta(days=1)).isoformat()), headers=HTMX)
    assert other.status_code == 422 and "This date is past" in error_beside(other.get_data(as_text=True), "valid_until")
    today = client.post("/listings/new", data=listing_form(valid_until=date.today().isoformat()))
    assert today.status_code == 303


def test_editing_a_listing_keeps_values_its_vocabulary_no_longer_has(as_user, org, make_listing):
    """A sector, cooperation type or IPR status retired from the vocabulary since the listing took
    it is still offered, ticked, on its edit form: saving dropped it unseen, or was refused."""
    listing = make_listing(organisation_uid=org.uid, sectors=["photonics", "retired-sector"],
                           cooperation=["retired-cooperation"], ipr="retired-ipr")
    client = as_user("member")
    body = client.get(f"/listings/{listing.uid}/edit").get_data(as_text=True)
    for value in ("retired-sector", "retired-cooperation"):
        assert " checked " in re.search(rf'<input[^>]*value="{value}"[^>]*>', body).group(), value
    assert "selected" in re.search(r'<option[^>]*value="retired-ipr"[^>]*>', body).group()
    saved = client.post(f"/listings/{listing.uid}/edit", data=listing_form(
        title="Renamed", sectors=["photonics", "retired-sector"], cooperation=["retired-cooperation"],
        ipr="retired-ipr"))
    assert saved.status_code == 303
    db.session.expire_all()
    listing = db.session.get(Listing, listing.uid)
    assert (listing.title, listing.sectors, listing.cooperation, listing.ipr) == (
        "Renamed", ["photonics", "retired-sector"], ["retired-cooperation"], "retired-ipr")
    offered = client.get("/listings/new").get_data(as_text=True)
    assert "retired-sector" not in offered and "retired-ipr" not in offered


def test_script_in_title_is_stored_as_text_and_escaped(as_user):
    client = as_user("member")
    client.post("/listings/new", data=listing_form(title="<script>alert('x')</script>"))
    listing = db.session.scalars(select(Listing)).one()
    body = client.get(f"/listings/{listing.uid}").get_data(as_text=True)
    assert listing.title == "<script>alert('x')</script>" and "<script>alert(" not in body


@pytest.mark.parametrize("who,allowed", [("anonymous", False), ("pending", False), ("outsider", False),
                                         ("member", True), ("admin", True)])
def test_who_may_edit_close_reopen_renew_and_delete(who, allowed, as_user, org, make_listing):
    listing = make_listing(organisation_uid=org.uid, title="Before", valid_until=date.today() - timedelta(days=3))
    uid = listing.uid
    client = as_user(who)
    denied = {302, 403}
    edit = client.post(f"/listings/{uid}/edit", data=listing_form(title="After"))
    close = client.post(f"/listings/{uid}/close")
    assert (edit.status_code in denied, close.status_code in denied) == (not allowed, not allowed)
    db.session.expire_all()
    listing = db.session.get(Listing, uid)
    if not allowed:
        assert (listing.title, listing.status, ledger_version(uid)) == ("Before", "open", 1)
        assert client.post(f"/listings/{uid}/delete").status_code in denied
        assert db.session.get(Listing, uid) is not None
        return
    assert (listing.title, listing.status) == ("After", "closed")
    assert client.post(f"/listings/{uid}/reopen").status_code == 303
    assert client.post(f"/listings/{uid}/renew").status_code == 303
    db.session.expire_all()
    listing = db.session.get(Listing, uid)
    assert listing.status == "open" and listing.valid_until == date.today() + timedelta(days=180)
    assert client.post(f"/listings/{uid}/delete").status_code == 303
    db.session.expire_all()
    assert db.session.get(Listing, uid) is None
    assert db.session.scalars(select(Record).where(Record.uid == uid)).one().deleted is True


def test_reopening_an_expired_listing_says_it_stays_hidden_until_renewed(as_user, org, make_listing):
    expired = make_listing(organisation_uid=org.uid, status="closed", valid_until=date(2020, 3, 1))
    current = make_listing(organisation_uid=org.uid, status="closed")
    client = as_user("member")
    page = client.post(f"/listings/{expired.uid}/reopen", follow_redirects=True).text
    assert "Listing reopened, but it expired on 1 March 2020: renew it to show it in the directory." in page
    page = client.post(f"/listings/{current.uid}/reopen", follow_redirects=True).text
    assert "Listing reopened." in page and "expired on" not in page


def test_edit_form_shows_current_values_and_remote_listing_is_read_only(as_user, org, make_listing):
    listing = make_listing(organisation_uid=org.uid, keywords=["fibre", "strain"])
    client = as_user("member")
    body = client.get(f"/listings/{listing.uid}/edit").get_data(as_text=True)
    assert 'value="fibre, strain"' in body
    assert f'<a href="/listings/{listing.uid}" role="button" class="secondary outline">Cancel</a>' in body  # a way back
    assert ">Cancel</a>" not in client.get("/listings/new").text
    remote = make_listing(organisation_uid=org.uid, origin="agri-west", version=1)
    assert client.get(f"/listings/{remote.uid}/edit").status_code == 403
    assert as_user("admin").post(f"/listings/{remote.uid}/delete").status_code == 403
    assert "/edit" not in client.get(f"/listings/{remote.uid}").get_data(as_text=True).split("<main")[1]


def test_owner_sees_renew_prompt_on_listing_and_my_listings(as_user, org, make_listing):
    expired = make_listing(organisation_uid=org.uid, title="Stale", valid_until=date.today() - timedelta(days=1))
    client = as_user("member")
    assert "Renew it" in client.get(f"/listings/{expired.uid}").get_data(as_text=True)
    mine = client.get("/account/listings").get_data(as_text=True)
    assert "Stale" in mine and f"/listings/{expired.uid}/renew" in mine
    assert "Renew it" not in as_user("outsider").get(f"/listings/{expired.uid}").get_data(as_text=True)


def test_a_listing_ending_within_the_reminder_days_offers_its_owners_to_renew_it(as_user, org, make_listing):
    """Its people are mailed LISTING_REMINDER_DAYS ahead and sent to its page: the button must be there already."""
    soon = make_listing(organisation_uid=org.uid, title="Soon", valid_until=date.today() + timedelta(days=14))
    later = make_listing(organisation_uid=org.uid, title="Later", valid_until=date.today() + timedelta(days=15))
    closed = make_listing(organisation_uid=org.uid, title="Closed", valid_until=date.today(), status="closed")
    client = as_user("member")
    page = client.get(f"/listings/{soon.uid}").get_data(as_text=True)
    assert "This listing leaves the directory after" in page and f"/listings/{soon.uid}/renew" in page
    assert f"/listings/{later.uid}/renew" not in client.get(f"/listings/{later.uid}").get_data(as_text=True)
    assert f"/listings/{closed.uid}/renew" not in client.get(f"/listings/{closed.uid}").get_data(as_text=True)
    mine = client.get("/account/listings").get_data(as_text=True)
    assert f"/listings/{soon.uid}/renew" in mine
    assert f"/listings/{later.uid}/renew" not in mine and f"/listings/{closed.uid}/renew" not in mine
    assert "leaves the directory" not in as_user("outsider").get(f"/listings/{soon.uid}").get_data(as_text=True)


def test_my_listings_tells_a_member_awaiting_approval_why_they_cannot_add_one(as_user, org):
    """Else the page of their menu shows no listing, no button and no word of why."""
    note = "once an administrator has approved your account"
    page = as_user("pending").get("/account/listings").get_data(as_text=True)
    assert note in page and "Add an offer or a need" not in page
    page = as_user("member").get("/account/listings").get_data(as_text=True)
    assert note not in page and "Add an offer or a need" in page


def test_my_listings_needs_login(client):
    assert client.get("/account/listings").status_code == 302


def test_csrf_is_required_on_listing_changes(app, as_user, org, make_listing):
    listing = make_listing(organisation_uid=org.uid)
    client = as_user("member")
    app.config["WTF_CSRF_ENABLED"] = True
    assert client.post(f"/listings/{listing.uid}/close").status_code == 400
    assert client.post("/listings/new", data=listing_form()).status_code in (400, 422)
    db.session.expire_all()
    assert db.session.get(Listing, listing.uid).status == "open"
    assert db.session.scalars(select(Listing)).all() == [listing]


# Organisations -------------------------------------------------------------------------------

@pytest.mark.parametrize("who,allowed", [("anonymous", False), ("pending", False), ("outsider", False),
                                         ("member", True), ("admin", True)])
def test_who_may_edit_the_organisation(who, allowed, as_user, org):
    client = as_user(who)
    data = {"name": "Lumiwave", "kind": "research", "country": "DE", "city": "Jena",
            "website": "https://lumiwave.example", "description": "Lasers.", "sectors": ["photonics"],
            "special_guest": "y"}
    response = client.post(f"/organisations/{org.uid}/edit", data=data)
    db.session.expire_all()
    saved = db.session.get(Organisation, org.uid)
    assert (response.status_code == 303) is allowed
    assert (saved.name == "Lumiwave") is allowed
    if allowed:
        # Only an administrator names special guests.
        assert saved.special_guest is (who == "admin")


def test_editing_an_organisation_keeps_a_sector_its_vocabulary_no_longer_has(as_user, org):
    org.sectors = ["photonics", "retired-sector"]
    db.session.commit()
    client = as_user("member")
    body = client.get(f"/organisations/{org.uid}/edit").get_data(as_text=True)
    assert " checked " in re.search(r'<input[^>]*value="retired-sector"[^>]*>', body).group()
    response = client.post(f"/organisations/{org.uid}/edit", data={
        "name": "Lumiwave", "kind": "research", "country": "FR", "sectors": ["photonics", "retired-sector"]})
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(Organisation, org.uid).sectors == ["photonics", "retired-sector"]


def test_organisation_form_refuses_bad_values(as_user, org):
    client = as_user("member")
    response = client.post(f"/organisations/{org.uid}/edit", headers=HTMX, data={
        "name": "", "kind": "alien", "country": "XX", "website": "javascript:alert(1)"})
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    for field in ("name", "kind", "country", "website"):
        assert f'id="{field}-error"' in body


def test_a_website_typed_without_its_scheme_is_completed(as_user, org):
    response = as_user("member").post(f"/organisations/{org.uid}/edit", data={
        "name": "Lumiwave", "kind": "research", "country": "FR", "website": " www.lumiwave.example "})
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(Organisation, org.uid).website == "https://www.lumiwave.example"


def test_admin_creates_an_organisation(as_user):
    client = as_user("admin")
    response = client.post("/organisations/new", data={"name": "New Co", "kind": "integrator", "country": "FR"})
    assert response.status_code == 303
    assert db.session.scalars(select(Organisation).where(Organisation.name == "New Co")).one()
    assert as_user("member").get("/organisations/new").status_code == 403


def test_a_new_organisation_starts_in_france_as_at_sign_up(as_user):
    """The country list starts at Afghanistan: an administrator who left it got "Brest, Afghanistan"."""
    page = as_user("admin").get("/organisations/new").get_data(as_text=True)
    assert re.search(r'<option selected value="FR">|<option value="FR" selected>', page)


def test_remote_organisation_is_read_only(as_user, make_organisation):
    remote = make_organisation(origin="agri-west", version=1)
    assert as_user("admin").get(f"/organisations/{remote.uid}/edit").status_code == 403


def test_groups_of_boxes_are_named_by_a_legend(client, login, make_user):
    """A label cannot name a list of check boxes: the group is a fieldset with a legend."""
    login(make_user())
    html = client.get("/listings/new").text
    for name in ("sectors", "cooperation"):
        assert re.search(rf'<fieldset class="checkboxes">\s*<legend>[^<]+</legend>\s*<ul id="{name}"', html), name
        assert f'<label for="{name}">' not in html


def test_the_home_page_tells_an_administrator_what_gets_the_portal_going(client, login, make_user, make_peer,
                                                                         make_event):
    admin = make_user(role="admin", email="admin@example.org")
    make_user(status="pending", email="waiting@example.org")
    login(admin)
    page = client.get("/").text
    assert "Getting the portal going" in page
    assert "Add a partner cluster" in page and "1 member awaits your approval" in page
    assert "Create a first event" in page
    make_peer("agrifood-ouest")
    make_event()
    page = client.get("/").text
    assert "Add a partner cluster" not in page and "Create a first event" not in page
    assert "1 member awaits your approval" in page
    db.session.execute(update(User).where(User.status == "pending").values(status="active"))
    db.session.commit()
    assert "Getting the portal going" not in client.get("/").text  # nothing left: the panel goes
    login(make_user(email="member@example.org"))
    page = client.get("/").text
    assert "Getting the portal going" not in page and "Add an offer or a need" in page


def test_organisations_are_listed_and_found_accents_and_case_aside(app, client, make_organisation):
    """In code-point order "École…", "Énergies…" and "Œufs…" came after Z, and "energie" found no
    "Énergies"; paging follows the same order."""
    app.config["PAGE_SIZE"] = 3
    for name in ("Zéphyr Lasers", "Énergies de l'Ouest", "Œufs du Méné", "école des Mines", "Ultrafast", "UVenta"):
        make_organisation(name=name)
    first = client.get("/organisations").text
    second = client.get("/organisations?page=2").text
    order = ["école des Mines", "Énergies de l&#39;Ouest", "Œufs du Méné", "Ultrafast", "UVenta", "Zéphyr Lasers"]
    assert [name for name in order if name in first] == order[:3]
    assert [name for name in order if name in second] == order[3:]
    assert first.index(order[0]) < first.index(order[1]) < first.index(order[2])
    assert second.index(order[3]) < second.index(order[4]) < second.index(order[5])
    found = client.get("/organisations?name=ENERGIE").text
    assert "Énergies de l&#39;Ouest" in found and "Ultrafast" not in found


def test_organisations_are_found_by_a_part_of_their_name(client, make_organisation):
    for name in ("Lumiwave Photonics", "Ferme du Lac", "100% Optique"):
        make_organisation(name=name)
    listed = client.get("/organisations?name=PHOTON").text
    assert "Lumiwave Photonics" in listed and "Ferme du Lac" not in listed
    fragment = client.get("/organisations?name=%25", headers={"HX-Request": "true"}).text  # "%" is a letter here
    assert "100% Optique" in fragment and "Lumiwave" not in fragment and "<html" not in fragment
    page = client.get("/organisations").text
    assert 'name="name"' in page and 'input changed delay:300ms from:"find input[name=name]"' in page
