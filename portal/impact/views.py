"""Impact pages for this portal's administrators: per event, across a year's events, printable, CSV."""
from flask import Blueprint, abort, render_template, request

from portal.accounts.auth import admin_required
from portal.events.formatting import event_file_name
from portal.events.queries import cluster_names, get_event_or_404
from portal.federation.records import utcnow
from portal.impact import dashboard, queries
from portal.impact.tables import csv_rows
from portal.security import access
from portal.spreadsheet import csv_response
from portal.surveys.queries import contacts_of, extra_labels

bp = Blueprint("impact", __name__, url_prefix="/admin/impact")
bp.add_app_template_filter(dashboard.cell, "impact_cell")


def chosen_year(text=None):
    """The year asked for, else the latest with an event that has ended, else this year; 404 for nonsense.

    A year holding only events to come would open on a page of zeros.
    """
    text = text if text is not None else request.args.get("year")
    if text:
        if not (text.isascii() and text.isdigit() and len(text) == 4):
            abort(404)
        return int(text)
    now = utcnow()
    return queries.latest_held_year(now) or now.year


def year_facts(year):
    """The figures of every event we hosted in `year`."""
    return queries.events_facts(queries.hosted_events(year))


def overview_context(year, facts, names):
    return {"year": year, "years": queries.event_years(), "events": [f.event for f in facts],
            "tables": dashboard.overview_tables(facts, names)}


def event_context(event):
    facts = queries.event_facts(event)
    own = queries.own_answers(event.uid)
    names = {person_uid: {c.key: c.name for c in found}
             for person_uid, found in contacts_of(event, [person.uid for person, _ in own if person]).items()}
    answers = dashboard.answers_tables(own, extra_labels(event.uid), names.__getitem__)
    return {"event": event, "facts": facts, "tables": dashboard.event_tables(facts, cluster_names()),
            "answers": answers}


def table_csv(table, name):
    return csv_response(csv_rows(table), f"{name}-{table.key}.csv")


def find_table(tables, key):
    found = next((t for t in tables if t.key == key), None)
    if found is None:
        abort(404)
    return found


@bp.get("/")
@access("admin")
@admin_required
def overview():
    year = chosen_year()
    return render_template("impact/overview.html", **overview_context(year, year_facts(year), cluster_names()))


@bp.get("/report/<year>")
@access("admin")
@admin_required
def year_report(year):
    year = chosen_year(year)
    facts, names = year_facts(year), cluster_names()
    context = overview_context(year, facts, names)  # each event's figures, read once for both
    context["event_tables"] = [(f.event, dashboard.event_tables(f, names)) for f in facts]
    return render_template("impact/year_report.html", **context)


@bp.get("/tables/<table_key>.csv")
@access("admin")
@admin_required
def overview_csv(table_key):
    year = chosen_year()
    tables = dashboard.overview_tables(year_facts(year), cluster_names())
    return table_csv(find_table(tables, table_key), f"impact-{year}")


@bp.get("/events/<event_uid>")
@access("admin")
@admin_required
def event_dashboard(event_uid):
    return render_template("impact/event.html", **event_context(get_event_or_404(event_uid, host=True)))


@bp.get("/events/<event_uid>/report")
@access("admin")
@admin_required
def event_report(event_uid):
    return render_template("impact/event_report.html", **event_context(get_event_or_404(event_uid, host=True)))


@bp.get("/events/<event_uid>/<table_key>.csv")
@access("admin")
@admin_required
def event_csv(event_uid, table_key):
    context = event_context(get_event_or_404(event_uid, host=True))
    table = find_table(context["tables"] + context["answers"], table_key)
    return table_csv(table, event_file_name("impact", context["event"]))
