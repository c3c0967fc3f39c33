"""Health facts: database reachable, migrations current, sync worker heartbeat age."""
from datetime import datetime, timezone

from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app
from sqlalchemy import select, text
from sqlalchemy.exc import SQLAlchemyError

from portal.extensions import db
from portal.federation.models import Setting

HEARTBEAT_KEY = "worker_heartbeat"


def check():
    """The health report and whether the portal is healthy (the worker is informative)."""
    report = {"database": "unreachable", "migrations": "unknown",
              "worker": {"heartbeat": None, "age_seconds": None}}
    try:
        db.session.execute(text("SELECT 1"))
        report["database"] = "ok"
        report["migrations"] = migrations_state()
        report["worker"] = worker_heartbeat()
    except SQLAlchemyError:
        current_app.logger.warning("health check: database unreachable")
    finally:
        db.session.rollback()
    healthy = report["database"] == "ok" and report["migrations"] in ("current", "none")
    report["status"] = "ok" if healthy else "unhealthy"
    return report, healthy


def script_heads():
    """The heads of the migration scripts, read once per process."""
    cache = current_app.extensions.setdefault("portal_ops", {})
    if "heads" not in cache:
        config = Config()
        config.set_main_option("script_location", current_app.extensions["migrate"].directory)
        try:
            cache["heads"] = frozenset(ScriptDirectory.from_config(config).get_heads())
        except Exception:  # no migrations folder in this deployment
            cache["heads"] = frozenset()
    return cache["heads"]


def migrations_state():
    """none: no migration written yet; current; behind (or not stamped); unknown: other heads."""
    heads = script_heads()
    if not heads:
        return "none"
    applied = frozenset(MigrationContext.configure(db.session.connection()).get_current_heads())
    if applied == heads:
        return "current"
    return "unknown" if applied - heads else "behind"


def worker_heartbeat():
    """When the sync worker last said it was alive (an ISO timestamp in `Setting`)."""
    value = db.session.scalar(select(Setting.value).where(Setting.key == HEARTBEAT_KEY))
    if not value:
        return {"heartbeat": None, "age_seconds": None}
    try:
        beat = datetime.fromisoformat(value)
    except ValueError:
        return {"heartbeat": value, "age_seconds": None}
    if beat.tzinfo is None:
        beat = beat.replace(tzinfo=timezone.utc)
    age = (datetime.now(timezone.utc) - beat).total_seconds()
    return {"heartbeat": value, "age_seconds": max(0, int(age))}
