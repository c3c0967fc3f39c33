"""The federation API (JSON only): PROTOCOL.md section 3."""
from flask import Blueprint

bp = Blueprint("federation", __name__, url_prefix="/federation/v1")
