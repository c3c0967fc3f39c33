"""Creating an instance folder: configuration, secret key, key pair, empty database."""
import os
import re
import secrets
from urllib.parse import urlsplit

from portal.main import brand

#: PROTOCOL.md section 2, matched whole (`$` alone would let a final newline through).
CLUSTER_ID = re.compile(r"^[a-z0-9][a-z0-9-]{1,39}$")
SECTORS = ("technology", "application", "mixed")


def is_cluster_id(value):
    return isinstance(value, str) and CLUSTER_ID.fullmatch(value) is not None


def is_base_url(value):
    """An http(s) address with a host, and no query nor fragment (links are made by appending paths)."""
    try:
        parts = urlsplit(value.strip())
        parts.port  # raises ValueError for a port that is no number
    except (AttributeError, ValueError):
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname) and not parts.query and not parts.fragment


class InstanceError(Exception):
    pass


def toml_value(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_instance(path, cluster_id, name, base_url, sector, database_url=None, colour="#1d4e89", language=None):
    """Create the folder's portal.toml and key pair; refuse to overwrite an existing one."""
    from portal.federation import keys

    if not is_cluster_id(cluster_id):
        raise InstanceError(f"cluster id {cluster_id!r} must match {CLUSTER_ID.pattern}")
    if sector not in SECTORS:
        raise InstanceError(f"sector must be one of {', '.join(SECTORS)}")
    if not is_base_url(base_url):  # every link of the portal's mail, and its peers' calls, start with it
        raise InstanceError(f"base URL {base_url!r} must be the http(s) address members and peers reach the "
                            "portal at, such as https://portal.example.org or http://127.0.0.1:5000")
    if brand.parse(colour) is None:  # /brand.css would serve the default colour without a word
        raise InstanceError(f"colour {colour!r} must be a CSS hex colour such as #2f6b2f")
    config_file = os.path.join(path, "portal.toml")
    if os.path.exists(config_file) or os.path.exists(os.path.join(path, keys.PRIVATE_FILE)):
        raise InstanceError(f"{path} already holds an instance; refusing to overwrite it")
    os.makedirs(path, exist_ok=True)
    os.chmod(path, 0o700)  # the secret key, the private key and the SQLite database: the service account's only
    settings = {
        "CLUSTER_ID": cluster_id, "CLUSTER_NAME": name, "BASE_URL": base_url.strip().rstrip("/"),
        "SECTOR": sector, "BRAND_COLOUR": colour, "SECRET_KEY": secrets.token_hex(32),
        "MAIL_FROM": f"noreply@{cluster_id}.example",
    }
    if language:
        settings["BABEL_DEFAULT_LOCALE"] = language
    if database_url:
        settings["SQLALCHEMY_DATABASE_URI"] = database_url
    lines = ["# Passerelle portal instance. Keep this file private: it holds the secret key.",
             "# Mail: set MAIL_SERVER (and MAIL_PORT, MAIL_USERNAME, MAIL_PASSWORD, MAIL_USE_TLS)."]
    lines += [f"{key} = {toml_value(value)}" for key, value in settings.items()]
    fd = os.open(config_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write("\n".join(lines) + "\n")
    keys.generate(path)
    return config_file
