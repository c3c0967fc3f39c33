"""Import and export: all or nothing with the bad row named, idempotent on uid, round trips."""
import csv
import json

import pytest
from sqlalchemy import func, select

from portal import create_app
from portal.accounts.models import User
from portal.directory import transfer, transfer_files
from portal.directory.models import Listing, Organisation, Person
from portal.extensions import db
from portal.federation.models import Record

ORG = "6b0f3f0e-58b1-4c39-9d7e-3c7c1b7a0001"
PERSON = "6b0f3f0e-58b1-4c39-9d7e-3c7c1b7a0002"
LISTINGS = [f"6b0f3f0e-58b1-4c39-9d7e-3c7c1b7a01{n:02d}" for n in range(3)]


def sample():
    return {
        "organisations": [{"uid": ORG, "name": "  Lumiwave Photonics ", "kind": "technology_provider",
                           "country": "fr", "city": "Lannion", "website": "https://lumiwave.example",
                           "description": "Fibre lasers.", "sectors": ["photonics"], "special_guest": False}],
        "people": [{"uid": PERSON, "organisation_uid": ORG, "display_name": "Anne Le Goff", "job_title": "CTO",
                    "bio": "", "topics": ["lasers"], "email": "Anne@Lumiwave.example", "phone": "+33 2 96",
                    "share_profile": True}],
        "listings": [{"uid": uid, "kind": "offer", "organisation_uid": ORG, "person_uid": PERSON,
                      "title": f"Fibre laser {n}", "summary": "Pulsed.", "description": "", "keywords": ["fibre"],
                      "sectors": ["photonics"], "trl": 7, "cooperation": ["licence"], "ipr": "patented",
                      "valid_until": "2031-01-31", "status": "open"} for n, uid in enumerate(LISTINGS)],
    }


def count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_import_creates_everything(app):
    report = transfer.import_data(sample())
    db.session.commit()
    assert report.ok, report.problems
    assert (report.created["organisations"], report.created["people"], report.created["listings"]) == (1, 1, 3)
    org = db.session.get(Organisation, ORG)
    assert (org.name, org.country, org.origin, org.version) == ("Lumiwave Photonics", "FR", "test-cluster", 1)
    listing = db.session.get(Listing, LISTINGS[0])
    assert listing.valid_until.isoformat() == "2031-01-31" and listing.trl == 7 and listing.person_uid == PERSON
    person = db.session.get(Person, PERSON)
    assert (person.phone, person.share_profile) == ("+33 2 96", True)
    user = db.session.scalars(select(User)).one()
    assert (user.email, user.status, user.role, user.password_hash, user.person_uid) == (
        "anne@lumiwave.example", "active", "member", None, PERSON)
    assert report.accounts_created == 1
    assert report.summary().endswith('; 1 member account created, without a password: each member sets one '
                                     'with "Forgotten password?" on the log-in page')


def test_a_consent_changed_by_import_publishes_the_persons_listings_anew(app):
    from portal.federation import feed

    def published(uid):
        return {c["uid"]: c for c in feed.changes("partner", 0, 1000)["changes"]}[uid]

    transfer.import_data(sample())
    db.session.commit()
    named = published(LISTINGS[0])
    assert named["data"]["person_uid"] == PERSON
    data = sample()
    data["people"][0]["share_profile"] = False
    report = transfer.import_data(data)
    db.session.commit()
    assert report.ok and report.updated["people"] == 1
    unnamed = published(LISTINGS[0])
    assert unnamed["data"]["person_uid"] is None and unnamed["version"] > named["version"]
    assert db.session.get(Person, PERSON).consent_changed_at is not None


def test_an_export_names_a_listings_person_who_does_not_share(app):
    data = sample()
    data["people"][0]["share_profile"] = False  # peers get no person_uid, the export does
    transfer.import_data(data)
    db.session.commit()
    exported = transfer.export_data()
    assert {item["person_uid"] for item in exported["listings"]} == {PERSON}


def test_one_bad_row_imports_nothing_and_is_named(app):
    data = sample()
    data["listings"][1]["trl"] = 12
    data["listings"][2]["title"] = "x" * 201
    report = transfer.import_data(data, source="demo.json")
    assert not report.ok
    problems = [str(p) for p in report.problems]
    assert problems == ["demo.json: listings[1]: trl: Must be greater than or equal to 1 and less than or equal to 9.",
                        "demo.json: listings[2]: title: Length must be between 1 and 200."]
    db.session.commit()
    assert count(Organisation) == count(Person) == count(Listing) == count(User) == 0


def test_a_misspelt_column_or_key_is_named_and_nothing_imported(app, tmp_path):
    """A `sector` column would otherwise import its rows without their sectors, silently."""
    data = sample()
    data["listings"][1]["sector"] = ["photonics"]
    report = transfer.import_data(data, source="demo.json")
    assert [str(p) for p in report.problems] == [
        "demo.json: listings[1]: unknown column 'sector' (expected uid, kind, organisation_uid, person_uid, title, "
        "summary, description, keywords, sectors, trl, cooperation, ipr, valid_until, status)"]
    folder = write_csv_files(tmp_path / "in", sample())
    listings = folder / "listings.csv"
    listings.write_text(listings.read_text(encoding="utf-8").replace(",sectors,", ",sector,", 1), encoding="utf-8")
    report = transfer.import_path(str(folder))
    assert [str(p) for p in report.problems] == [
        "listings.csv: line 1: unknown column 'sector' (expected uid, kind, organisation_uid, person_uid, title, "
        "summary, description, keywords, sectors, trl, cooperation, ipr, valid_until, status)"]
    db.session.commit()
    assert count(Organisation) == count(Listing) == 0


def test_a_json_file_names_the_line_each_bad_item_starts_on(app, tmp_path):
    data = sample()
    data["listings"][0]["title"] = ""
    data["listings"][1]["trl"] = 12
    path = tmp_path / "members.json"
    text = json.dumps(data, indent=2, ensure_ascii=False)
    path.write_text(text, encoding="utf-8")
    lines = text.splitlines()
    first = lines.index('  "listings": [') + 2  # the item's "{" is on the line after the list's "["
    second = [n for n, line in enumerate(lines, 1) if line == "    {"][-2]
    report = transfer.import_path(str(path))
    assert [str(p) for p in report.problems] == [
        f"members.json: listings[0], line {first}: title: Length must be between 1 and 200.",
        f"members.json: listings[1], line {second}: trl: Must be greater than or equal to 1 and less "
        "than or equal to 9."]
    compact = tmp_path / "one-line.json"
    compact.write_text('{"listings": [{"kind": "offer"}, {"kind": "gift"}], "organisations": []}')
    assert all(", line 1:" in str(p) for p in transfer.import_path(str(compact)).problems)


def test_item_lines_walks_only_the_top_object():
    text = '{\n "note": {"listings": [1, 2]},\n "listings": [\n  {"title": "a [b] {c}"},\n\n  {"x": [1,\n 2]}, 3\n ]\n}'
    assert transfer_files.item_lines(text) == {("listings", 0): 4, ("listings", 1): 6, ("listings", 2): 7}
    assert transfer_files.item_lines("[1, 2]") == {}


NOBODY = "00000000-0000-4000-8000-000000000000"


@pytest.mark.parametrize("mutate,reason", [
    (lambda d: d["listings"][0].update(kind="gift"), "kind: Must be one of: offer, need."),
    (lambda d: d["listings"][0].update(trl="seven"), "trl: Not a valid integer."),
    (lambda d: d["listings"][0].update(keywords=["k"] * 21), "keywords: Longer than maximum length 20."),
    (lambda d: d["listings"][0].update(sectors=["astrology"]), "sectors: unknown value astrology"),
    (lambda d: d["listings"][0].update(organisation_uid="nope"), "organisation_uid: Not a UUID."),
    (lambda d: d["listings"][0].update(organisation_uid=NOBODY), f"organisation_uid: no record {NOBODY}"),
    (lambda d: d["listings"][0].pop("title"), "title: Missing data for required field."),
    (lambda d: d["organisations"][0].update(country="XX"), "country: Not an ISO 3166-1"),
    (lambda d: d["organisations"][0].update(website="javascript:alert(1)"), "website: Must start with http"),
    (lambda d: d["people"][0].update(email="not-an-email"), "email: Not a valid email address."),
    (lambda d: d["listings"].append(dict(d["listings"][0])), "also at listings[0]"),
    (lambda d: d.update(events=[]), "unknown key"),
    (lambda d: d["listings"].append("text"), "expected an object"),
])
def test_each_kind_of_bad_row_is_explained(app, mutate, reason):
    data = sample()
    mutate(data)
    report = transfer.import_data(data)
    assert not report.ok and any(reason in str(p) for p in report.problems), report.problems
    assert count(Listing) == 0


def test_a_row_gets_every_reason_at_once(app):
    # An unknown sector beside a field the schema refuses: both are named in one run.
    data = sample()
    data["organisations"][0].update(kind="guild", sectors=["astrology"])
    problem = str(transfer.import_data(data).problems[0])
    assert "organisations[0]" in problem and "kind: Must be one of" in problem
    assert "sectors: unknown value astrology" in problem


def test_reimport_is_idempotent(app):
    transfer.import_data(sample())
    db.session.commit()
    seqs = dict(db.session.execute(select(Record.uid, Record.seq)).all())
    report = transfer.import_data(sample())
    db.session.commit()
    assert report.ok and sum(report.created.values()) == sum(report.updated.values()) == 0
    assert report.unchanged == {"organisations": 1, "people": 1, "listings": 3} and report.accounts_created == 0
    assert dict(db.session.execute(select(Record.uid, Record.seq)).all()) == seqs
    assert {r.version for r in db.session.scalars(select(Listing))} == {1}
    assert count(User) == 1


def test_reimport_with_a_change_updates_only_that_record(app):
    transfer.import_data(sample())
    db.session.commit()
    data = sample()
    data["listings"][0]["title"] = "Fibre laser, 2 kW"
    report = transfer.import_data(data)
    db.session.commit()
    assert report.updated["listings"] == 1 and report.unchanged["listings"] == 2
    assert db.session.get(Listing, LISTINGS[0]).version == 2 and db.session.get(Listing, LISTINGS[1]).version == 1


def test_records_of_other_clusters_are_not_overwritten(app, make_organisation):
    make_organisation(uid=ORG, origin="agri-west", version=3)
    report = transfer.import_data(sample())
    assert any("record of cluster agri-west" in str(p) for p in report.problems)


def test_a_peers_deleted_record_keeps_its_uid(app):
    """A tombstone of agri-west's listing: importing that uid would publish what peers never pull."""
    db.session.add(Record(type="listing", uid=LISTINGS[0], origin="agri-west", version=2, deleted=True))
    db.session.commit()
    report = transfer.import_data(sample())
    assert [str(p) for p in report.problems] == [
        f"data: listings[0]: uid {LISTINGS[0]} is a record of cluster agri-west: read-only here"]
    assert count(Listing) == 0


def test_email_of_another_account_is_refused(app, make_user):
    make_user(email="anne@lumiwave.example")
    report = transfer.import_data(sample())
    assert [str(p) for p in report.problems] == ["data: people[0]: email: used by another account"]


def test_deleted_uid_comes_back_above_its_tombstone(app):
    transfer.import_data(sample())
    db.session.commit()
    db.session.delete(db.session.get(Listing, LISTINGS[0]))
    db.session.commit()
    transfer.import_data(sample())
    db.session.commit()
    ledger = db.session.scalars(select(Record).where(Record.uid == LISTINGS[0])).one()
    assert (ledger.deleted, ledger.version) == (False, 3)


def write_csv_files(folder, data):
    transfer_files.write_csv(data, str(folder))
    return folder


def test_csv_bad_row_names_file_and_line(app, tmp_path):
    data = sample()
    data["listings"][0]["trl"] = 12  # the first row, on the line after the header
    data["listings"][1]["title"] = ""
    data["listings"][2]["description"] = "Two lines:\nthe row ends on the next one."
    data["listings"].append(dict(data["listings"][2], uid=None, title="After a two-line row", trl=0))
    folder = write_csv_files(tmp_path / "in", data)
    report = transfer.import_path(str(folder))
    assert [str(p) for p in report.problems] == [
        "listings.csv: line 2: trl: Must be greater than or equal to 1 and less than or equal to 9.",
        "listings.csv: line 3: title: Missing data for required field.",
        "listings.csv: line 6: trl: Must be greater than or equal to 1 and less than or equal to 9."]
    assert count(Organisation) == 0


@pytest.mark.parametrize("cut, problem", [
    (lambda text: text.rstrip("\n").rsplit(",", 3)[0], "listings.csv: line 4: 11 cells where the header has 14"),
    (lambda text: text.rstrip("\n") + ',"extra', "listings.csv: (file): not valid CSV: unexpected end of data"),
    (lambda text: text.replace("Fibre laser 0", '"Fibre"x laser 0', 1), "listings.csv: (file): not valid CSV"),
    (lambda text: text + "0,1\n", "listings.csv: line 5: 2 cells where the header has 14")])
def test_a_csv_file_cut_short_or_misquoted_imports_nothing(app, tmp_path, cut, problem):
    """A row missing its last cells must not import with defaults in their place (a TRL turned null)."""
    transfer.import_data(sample())
    db.session.commit()
    folder = write_csv_files(tmp_path / "in", sample())
    path = folder / "listings.csv"
    path.write_text(cut(path.read_text(encoding="utf-8")), encoding="utf-8")
    report = transfer.import_path(str(folder))
    assert [str(p)[:len(problem)] for p in report.problems] == [problem]
    assert db.session.scalars(select(Listing.trl)).all() == [7, 7, 7]


def test_a_csv_file_separated_by_semicolons_imports(app, tmp_path):
    """A spreadsheet set to French saves its "CSV" with ";" between cells (its header read as
    "no known column"); a list cell holding ";" is quoted there, as in a comma-separated file."""
    transfer.import_data({"organisations": sample()["organisations"]})
    path = tmp_path / "listings.csv"
    path.write_text(f'kind;organisation_uid;title;keywords;trl\noffer;{ORG};Fibre laser;"fibre; laser";5\n',
                    encoding="utf-8")
    report = transfer.import_path(str(path))
    assert report.ok, report.problems
    listing = db.session.scalars(select(Listing)).one()
    assert (listing.title, listing.keywords, listing.trl) == ("Fibre laser", ["fibre", "laser"], 5)


def test_a_csv_file_in_another_encoding_says_how_to_save_it(app, tmp_path):
    path = tmp_path / "listings.csv"
    data = f"kind,organisation_uid,title\noffer,{ORG},Caméra\n".encode("latin-1")
    path.write_bytes(data)
    where = data.index("é".encode("latin-1"))
    assert [str(p) for p in transfer.import_path(str(path)).problems] == [
        f"listings.csv: (file): not UTF-8 text (byte {where}): save it as CSV UTF-8"]


def test_csv_lists_and_empty_cells(app, tmp_path):
    path = tmp_path / "listings.csv"
    transfer.import_data({"organisations": sample()["organisations"]})
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["kind", "organisation_uid", "title", "keywords", "trl", "valid_until", "person_uid"])
        writer.writerow(["need", ORG, "Cooling", "heat pipes ; thermal;", "", "", ""])
    report = transfer.import_path(str(path))
    assert report.ok, report.problems
    listing = db.session.scalars(select(Listing)).one()
    assert (listing.keywords, listing.trl, listing.valid_until, listing.person_uid) == (
        ["heat pipes", "thermal"], None, None, None)


def test_an_export_is_one_moment_of_the_database_while_members_write(app, monkeypatch):
    """An organisation and its listing committed between the export's reads of the two tables
    (another process): the export holds neither, and re-imports."""
    from sqlalchemy.orm import Session

    transfer.import_data(sample())
    db.session.commit()
    read_organisation = Organisation.local_data

    def and_meanwhile(self):
        if not meanwhile:
            with Session(db.engine) as other:
                org = Organisation(name="Created meanwhile", kind="other", country="FR")
                other.add(org)
                other.flush()
                other.add(Listing(kind="need", organisation_uid=org.uid, title="Listed meanwhile"))
                other.commit()
            meanwhile.append(org)
        return read_organisation(self)

    meanwhile = []
    monkeypatch.setattr(Organisation, "local_data", and_meanwhile)
    data = transfer.export_data()
    assert meanwhile and [o["name"] for o in data["organisations"]] == ["Lumiwave Photonics"]
    assert [item["title"] for item in data["listings"]] == ["Fibre laser 0", "Fibre laser 1", "Fibre laser 2"]
    assert count(Listing) == 4  # committed, and seen once the export is over


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_export_then_import_round_trip(app, app_config, databases, runner, tmp_path, fmt, monkeypatch,
                                       make_person, make_listing, make_organisation):
    transfer.import_data(sample())
    db.session.commit()
    make_listing(title='Quotes " and; semicolons', keywords=["a, b"], description="Line 1\nLine 2")
    # Formulas are defused in the CSV files (a leading quote) and read back as they were.
    make_listing(title='=HYPERLINK("http://evil.example")', summary="'=already quoted", keywords=["@home", "-40 °C"])
    make_person(share_profile=False, display_name="Private Pierre")
    make_listing(title="Remote", origin="agri-west", version=1)  # replicas are not exported
    out = tmp_path / "out"
    result = runner.invoke(args=["export", "--format", fmt, str(out)])
    assert result.exit_code == 0, result.output
    assert {oct(path.stat().st_mode & 0o777) for path in out.iterdir()} == {"0o600"}  # e-mails, phones
    first = transfer.export_data()
    assert "Remote" not in json.dumps(first)

    other = create_app({**app_config, "SQLALCHEMY_DATABASE_URI": databases.fresh()})
    with other.app_context():
        source = out / "directory.json" if fmt == "json" else out
        result = other.test_cli_runner().invoke(args=["import", str(source)])
        assert result.exit_code == 0, result.output
        assert "listings: 5 created" in result.output
        second = transfer.export_data()
        db.session.remove()
        db.engine.dispose()
    assert second == first
    if fmt == "csv":
        cells = (out / "listings.csv").read_text()
        assert "'=HYPERLINK(\"\"http://evil.example\"\")" in cells and "''=already quoted" in cells
        assert "'@home;-40 °C" in cells and "'+33 2 96" in (out / "people.csv").read_text()


def test_cli_says_plainly_when_the_database_refuses_the_write(app, runner, tmp_path, monkeypatch):
    from sqlalchemy.exc import OperationalError

    def locked():
        raise OperationalError("COMMIT", {}, Exception("database is locked"))

    path = tmp_path / "good.json"
    path.write_text(json.dumps(sample()))
    monkeypatch.setattr(db.session, "commit", locked)
    result = runner.invoke(args=["import", str(path)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.output == ("Error: nothing imported: the database refused the write (database is locked); "
                             "try again once it is free\n")
    monkeypatch.undo()
    assert count(Organisation) == 0


def test_cli_reports_problems_and_fails(app, runner, tmp_path):
    path = tmp_path / "bad.json"
    data = sample()
    data["people"][0]["display_name"] = ""
    path.write_text(json.dumps(data))
    result = runner.invoke(args=["import", str(path)])
    assert result.exit_code != 0
    assert "bad.json: people[0], line 1: display_name: Length must be between 1 and 120." in result.output
    assert result.output.endswith("Error: nothing imported: 4 problems\n")  # the person, and the listings naming them
    assert count(Organisation) == 0
    (tmp_path / "broken.json").write_text("{nope")
    assert "not valid JSON" in runner.invoke(args=["import", str(tmp_path / "broken.json")]).output


def test_a_reference_to_an_invalid_row_names_that_row(app):
    data = sample()
    data["organisations"][0]["country"] = "France"
    problems = [str(p) for p in transfer.import_data(data, source="demo.json").problems]
    assert problems[0].startswith("demo.json: organisations[0]: country:")
    assert f"demo.json: people[0]: organisation_uid: {ORG} is organisations[0], which is invalid" in problems
    assert f"demo.json: listings[2]: organisation_uid: {ORG} is organisations[0], which is invalid" in problems
