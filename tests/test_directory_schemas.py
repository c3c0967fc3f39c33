"""The directory's protocol schemas: exactly PROTOCOL.md's data fields and limits, trimmed, unknown fields ignored."""
import pytest
from marshmallow import ValidationError

from portal.directory.models import Listing, Organisation, Person
from portal.directory.schemas import ImportListingSchema, ImportOrganisationSchema, ListingSchema, OrganisationSchema, PersonSchema

ORG = "6f1c2a4e-1b2c-4d3e-8f00-000000000001"


def listing_data(**overrides):
    data = {"kind": "offer", "organisation_uid": ORG, "person_uid": None, "title": "Laser", "summary": "",
            "description": "", "keywords": [], "sectors": [], "trl": None, "cooperation": [], "ipr": None,
            "valid_until": None, "status": "open"}
    data.update(overrides)
    return data


def errors(schema, data):
    with pytest.raises(ValidationError) as info:
        schema().load(data)
    return info.value.messages


def test_models_validate_peers_data_with_these_schemas():
    assert (Organisation.fed_schema, Person.fed_schema, Listing.fed_schema) == (
        OrganisationSchema, PersonSchema, ListingSchema)


def test_our_own_feed_data_passes_our_schemas(make_listing, make_person):
    listing = make_listing(valid_until=None, trl=None, ipr=None, person_uid=None)
    person = make_person()
    assert Listing.fed_receiving_schema().load(listing.fed_data())["title"] == listing.title
    assert Organisation.fed_receiving_schema().load(listing.organisation.fed_data())["name"] == listing.organisation.name
    assert Person.fed_receiving_schema().load(person.fed_data())["display_name"] == person.display_name


def test_listing_limits():
    assert "title" in errors(ListingSchema, listing_data(title="x" * 201))
    assert "title" in errors(ListingSchema, listing_data(title="   "))
    assert "summary" in errors(ListingSchema, listing_data(summary="x" * 501))
    assert "description" in errors(ListingSchema, listing_data(description="x" * 10001))
    assert "keywords" in errors(ListingSchema, listing_data(keywords=["k"] * 21))
    assert "keywords" in errors(ListingSchema, listing_data(keywords=["k" * 61]))
    assert "trl" in errors(ListingSchema, listing_data(trl=12))
    assert "trl" in errors(ListingSchema, listing_data(trl="7"))  # peers send JSON numbers
    assert "kind" in errors(ListingSchema, listing_data(kind="gift"))
    assert "status" in errors(ListingSchema, listing_data(status="draft"))
    assert "valid_until" in errors(ListingSchema, listing_data(valid_until="soon"))
    assert "organisation_uid" in errors(ListingSchema, {k: v for k, v in listing_data().items()
                                                         if k != "organisation_uid"})


def test_listing_trims_ignores_unknown_fields_and_loads_dates():
    loaded = ListingSchema().load(listing_data(title="  Laser  ", keywords=[" a ", ""], valid_until="2030-05-01",
                                               future_field={"x": 1}, trl=9))
    assert loaded["title"] == "Laser" and loaded["keywords"] == ["a"] and "future_field" not in loaded
    assert loaded["valid_until"].isoformat() == "2030-05-01" and loaded["trl"] == 9


def test_organisation_and_person_limits():
    org = {"name": "Org", "kind": "research", "country": "de", "city": "", "website": "", "description": "",
           "sectors": [], "special_guest": True}
    assert OrganisationSchema().load(org)["country"] == "DE"
    assert "country" in errors(OrganisationSchema, dict(org, country="XX"))
    assert "kind" in errors(OrganisationSchema, dict(org, kind="company"))
    assert "description" in errors(OrganisationSchema, dict(org, description="x" * 5001))
    assert "special_guest" in errors(OrganisationSchema, dict(org, special_guest="perhaps"))
    person = {"organisation_uid": ORG, "display_name": "Anne", "job_title": "", "bio": "", "topics": []}
    assert "display_name" in errors(PersonSchema, dict(person, display_name="x" * 121))
    assert "bio" in errors(PersonSchema, dict(person, bio="x" * 2001))
    assert "email" not in PersonSchema().load(dict(person, email="a@b.example", phone="1"))


def test_only_the_limits_protocol_md_gives_quarantine_a_peers_record():
    """A city, website, job title, ipr or list item of any length, and a website that is
    no web address, come in as they are (our import keeps our forms' limits)."""
    org = {"name": "Org", "kind": "research", "country": "FR", "city": "c" * 150, "website": "www.org.example",
           "sectors": ["s" * 120], "special_guest": False}
    assert OrganisationSchema().load(org)["city"] == "c" * 150
    assert OrganisationSchema().load(dict(org, website="javascript:alert(1)"))["website"] == "javascript:alert(1)"
    assert {"city", "website", "sectors"} <= set(errors(ImportOrganisationSchema, org))
    person = {"organisation_uid": ORG, "display_name": "Anne", "job_title": "j" * 250, "topics": ["t" * 150]}
    assert PersonSchema().load(person)["job_title"] == "j" * 250
    listing = listing_data(ipr="Patent pending, licence available on request", cooperation=["c" * 120])
    assert ListingSchema().load(listing)["ipr"] == listing["ipr"]
    assert {"ipr", "cooperation"} <= set(errors(ImportListingSchema, dict(listing, organisation_uid=ORG)))


@pytest.mark.parametrize("value", ["yes", "false", 1, 0, None])
def test_a_boolean_is_json_true_or_false(value):
    org = {"name": "Org", "kind": "research", "country": "FR", "special_guest": value}
    assert "special_guest" in errors(OrganisationSchema, org)


@pytest.mark.parametrize("value", ["abc", "o-1", "", "6f1c2a4e1b2c4d3e8f00000000000001", ORG + "0"])
def test_references_are_uuids(value):
    assert "organisation_uid" in errors(ListingSchema, listing_data(organisation_uid=value))
    if value == "":  # an optional reference left blank reads as null
        assert ListingSchema().load(listing_data(person_uid=value))["person_uid"] is None
    else:
        assert "person_uid" in errors(ListingSchema, listing_data(person_uid=value))


@pytest.mark.parametrize("code", ["IC", "EA", "XK", "AC", "CP", "CQ", "DG", "TA"])
def test_a_country_is_an_iso_3166_1_alpha_2_code(code):
    """Babel names regions that ISO 3166-1 only reserves (the Canary Islands' IC) or that are user-assigned
    (Kosovo's XK): a strict peer refuses them, so neither our forms nor our receiver take them."""
    from portal.forms import country_choices

    org = {"name": "Org", "kind": "research", "country": code, "city": "", "website": "", "description": "",
           "sectors": [], "special_guest": False}
    assert "country" in errors(OrganisationSchema, org)
    assert code not in {choice.value for choice in country_choices()}
