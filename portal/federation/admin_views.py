"""Federation pages for administrators: peers, status, quarantine."""
from flask import Blueprint

bp = Blueprint("peers", __name__, url_prefix="/admin/federation")
