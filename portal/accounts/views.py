"""Account pages (placeholder until the accounts feature lands)."""
from flask import Blueprint, abort

bp = Blueprint("accounts", __name__)


@bp.get("/login")
def login():
    abort(404)


@bp.post("/logout")
def logout():
    abort(404)


@bp.get("/signup")
def signup():
    abort(404)
