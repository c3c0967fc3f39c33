"""Health facts: database reachable, migrations current, sync worker heartbeat age."""
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from portal.extensions import db
from portal.federation import queries as federation_queries
from portal.timeutil import utcnow


def check():
    """The health report and whether the portal is healthy (the worker is informative)."""
    report = {"database": "unreachable", "migrations": "unknown",
              "worker": {"heartbeat": None, "age_seconds": None}}
    try:
        db.session.execute(text("SELECT 1"))
        report["database"] = "ok"
        report["migrations"] = migrations_state()
        if report["migrations"] in ("current", "none"):  # else its table may not be there yet
            report["worker"] = worker_heartbeat()
    except SQLAlchemyError:
        current_app.logger.warning("health check: database unreachable")
    finally:
        db.session.rollback()
    healthy = report["database"] == "ok" and report["migrations"] in ("current", "none")
    report["status"] = "ok" if healthy else "unhealthy"
    return report, healthy


def scripts():
    """(heads, every revision) of the migration scripts, read once per process."""
    cache = current_app.extensions.setdefault("portal_ops", {})
    if "scripts" not in cache:
        config = Config()
        config.set_main_option("script_location", current_app.extensions["migrate"].directory)
        try:
            directory = ScriptDirectory.from_config(config)
            cache["scripts"] = (frozenset(directory.get_heads()),
                                frozenset(script.revision for script in directory.walk_revisions()))
        except Exception:  # no migrations folder in this deployment
            cache["scripts"] = (frozenset(), frozenset())
    return cache["scripts"]


def script_heads():
    return scripts()[0]


def migrations_state():
    """none: no migration written yet; current; behind: not stamped, or at an older revision
    (run `db upgrade`); unknown: a revision these scripts do not have (older code)."""
    heads, known = scripts()
    if not heads:
        return "none"
    applied = applied_heads()
    if applied == heads:
        return "current"
    return "behind" if applied <= known else "unknown"


def applied_heads():
    """The migration revisions the database is stamped at (empty: not stamped)."""
    return frozenset(MigrationContext.configure(db.session.connection()).get_current_heads())


def worker_heartbeat():
    """When the sync worker last said it was alive, and how long ago."""
    beat = federation_queries.worker_heartbeat()
    if beat is None:
        return {"heartbeat": None, "age_seconds": None}
    return {"heartbeat": beat.isoformat(), "age_seconds": max(0, int((utcnow() - beat).total_seconds()))}
