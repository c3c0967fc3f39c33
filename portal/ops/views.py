"""Operations endpoints: `GET /healthz` for load balancers and monitoring."""
from flask import Blueprint, jsonify

from portal.ops import health
from portal.security import access

bp = Blueprint("ops", __name__)


@bp.get("/healthz")
@access("public")
def healthz():
    """200 when the database answers and its schema is current, 503 otherwise."""
    report, healthy = health.check()
    response = jsonify(report)
    response.status_code = 200 if healthy else 503
    response.headers["Cache-Control"] = "no-store"
    return response
