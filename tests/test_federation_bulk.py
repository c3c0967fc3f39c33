"""Bulk inserts through the DBAPI cursor store exactly what a Core insert of the same rows stores."""
import datetime
import uuid

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, bindparam, event, insert, select, text

from portal.directory import search_index
from portal.directory.models import Listing, Organisation
from portal.directory.search import SearchQuery, search_listings
from portal.extensions import db
from portal.federation import bulk
from portal.federation.models import Record
from tests.dbs import ON_POSTGRES

NOW = datetime.datetime(2026, 11, 29, 7, 30, 15, 123456, tzinfo=datetime.timezone.utc)


def listing_row(**overrides):
    row = {"uid": str(uuid.uuid4()), "origin": "peer-b", "version": 3, "updated_at": NOW, "kind": "offer",
           "organisation_uid": str(uuid.uuid4()), "person_uid": None, "title": "Laser «fibre» ‘source’",
           "summary": "", "description": "Line one\nline two", "keywords": ["laser", "fibre optique", "é"],
           "sectors": [], "trl": 4, "cooperation": ["licensing"], "ipr": None,
           "valid_until": datetime.date(2049, 1, 31), "status": "open"}
    row.update(overrides)
    return row


def stored(table, uids, leave_out=()):
    """The rows as the database holds them (each column as text: JSON and dates as written), by uid."""
    names = [c.name for c in table.columns if c.name not in ("uid", *leave_out)]
    columns = ", ".join(f"CAST({name} AS TEXT)" for name in names)
    query = text(f"SELECT uid, {columns} FROM {table.name} WHERE uid IN :uids").bindparams(
        bindparam("uids", expanding=True))
    return {row[0]: dict(zip(names, row[1:])) for row in db.session.execute(query, {"uids": list(uids)})}


def same_rows(table, core_rows, bulk_rows, leave_out=()):
    core = stored(table, [r["uid"] for r in core_rows], leave_out)
    ours = stored(table, [r["uid"] for r in bulk_rows], leave_out)
    return [core[r["uid"]] for r in core_rows] == [ours[r["uid"]] for r in bulk_rows]


def twins(make, count=3):
    """Pairs of rows equal but for their uid: one for each way of inserting."""
    rows = [make(title=f"Listing {i}", trl=None if i == 1 else i) for i in range(count)]
    return rows, [dict(row, uid=str(uuid.uuid4())) for row in rows]


def test_listings_are_stored_as_a_core_insert_stores_them(app):
    core_rows, bulk_rows = twins(listing_row)
    db.session.execute(insert(Listing.__table__), core_rows)
    bulk.insert_rows(db.session, Listing.__table__, bulk_rows)
    db.session.commit()
    # created_at comes from the column's default, called per row by both
    assert same_rows(Listing.__table__, core_rows, bulk_rows, leave_out=("created_at",))
    created = db.session.scalars(select(Listing.created_at).where(
        Listing.uid.in_([r["uid"] for r in bulk_rows]))).all()
    assert len(created) == 3 and all(value is not None for value in created)
    back = db.session.get(Listing, bulk_rows[0]["uid"])
    assert back.keywords == ["laser", "fibre optique", "é"] and back.valid_until == datetime.date(2049, 1, 31)
    assert back.updated_at.replace(tzinfo=datetime.timezone.utc) == NOW


def test_ledger_rows_take_their_defaults_and_a_null_data(app):
    def ledger_row(uid=None):
        return {"type": "listing", "uid": uid or str(uuid.uuid4()), "origin": "peer-b", "version": 2,
                "deleted": False, "updated_at": NOW, "data": None, "epoch": "e1"}

    core_rows = [ledger_row(), dict(ledger_row(), deleted=True)]
    bulk_rows = [dict(row, uid=str(uuid.uuid4())) for row in core_rows]
    db.session.execute(insert(Record.__table__), core_rows)
    bulk.insert_rows(db.session, Record.__table__, bulk_rows)
    db.session.commit()
    assert same_rows(Record.__table__, core_rows, bulk_rows)
    record = db.session.get(Record, ("listing", bulk_rows[1]["uid"]))
    assert (record.deleted, record.shared, record.ever_shared, record.data) == (True, True, True, None)


def test_a_page_of_listings_written_by_fed_insert_is_found_by_the_search(app):
    org = {"uid": str(uuid.uuid4()), "origin": "peer-b", "version": 1, "updated_at": NOW, "name": "Kerlaser",
           "kind": "research", "country": "FR", "city": "Lannion", "website": "", "description": "",
           "sectors": ["photonics"], "special_guest": False}
    Organisation.fed_insert(db.session, [org])
    rows = [listing_row(organisation_uid=org["uid"], title=f"Quantum cascade {i}") for i in range(5)]
    Listing.fed_insert(db.session, rows)
    db.session.commit()
    found = search_listings(SearchQuery(text="kerlaser")).items
    assert {listing.uid for listing in found} == {row["uid"] for row in rows}


@pytest.mark.skipif(ON_POSTGRES, reason="SQLite's FTS5 index")
def test_a_page_of_listings_enters_the_index_unmerged_then_merging_is_back_on(app):
    statements = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        Listing.fed_insert(db.session, [listing_row(title=f"Quantum cascade {i}") for i in range(50)])
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    fts = [i for i, (sql, _) in enumerate(statements) if sql.startswith("INSERT INTO listing_fts(rowid")]
    assert len(fts) == 1 and "automerge" in statements[fts[0] - 1][0] and "automerge" in statements[fts[0] + 1][0]
    assert [statements[fts[0] - 1][1], statements[fts[0] + 1][1]] == [(0,), (search_index.FTS5_AUTOMERGE,)]
    db.session.commit()
    assert db.session.execute(text("SELECT v FROM listing_fts_config WHERE k = 'automerge'")).scalar() == 4
    db.session.execute(text("INSERT INTO listing_fts(listing_fts, rank) VALUES ('integrity-check', 1)"))
    assert search_listings(SearchQuery(text="quantum")).total == 50


def test_a_default_that_takes_the_execution_context_is_left_to_core(app):
    table = Table("bulk_probe", MetaData(), Column("id", String(36), primary_key=True),
                  Column("n", Integer, default=lambda context: 7), Column("m", Integer, default=5))
    assert bulk._make_plan(db.engine.dialect, table, ("id",)) is None
    assert bulk._make_plan(db.engine.dialect, table, ("id", "n")) is not None


def test_select_in_finds_what_a_core_select_finds(app):
    rows = [{"type": kind, "uid": str(uuid.uuid4()), "origin": f"peer-{i}", "version": i, "deleted": False,
             "updated_at": NOW, "data": None, "epoch": None if i % 2 else "e1"}
            for i, kind in enumerate(["listing", "listing", "organisation", "listing"])]
    bulk.insert_rows(db.session, Record.__table__, rows)
    uids = [row["uid"] for row in rows] + [str(uuid.uuid4())]
    found = bulk.select_in(db.session, Record.__table__, ("uid", "origin", "version", "epoch"), "uid", uids,
                           type="listing")
    core = db.session.execute(select(Record.uid, Record.origin, Record.version, Record.epoch).where(
        Record.type == "listing", Record.uid.in_(uids))).all()
    assert sorted(map(tuple, found)) == sorted(map(tuple, core)) and len(found) == 3
    assert {row.uid: row.epoch for row in found}[rows[0]["uid"]] == "e1"
    assert bulk.select_in(db.session, Record.__table__, ("uid",), "uid", []) == []
