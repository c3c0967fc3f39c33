"""Password hashing (Werkzeug; scrypt unless the configuration says otherwise)."""
from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash


def hash_password(password):
    return generate_password_hash(password, method=current_app.config["PASSWORD_METHOD"])


def verify_password(password_hash, password):
    return bool(password_hash) and check_password_hash(password_hash, password)
