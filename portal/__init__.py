"""Passerelle: a cluster's portal, federated with its partner clusters."""
import os
import tomllib

from flask import Flask

#: Blueprints by feature; each module exposes `bp`.
BLUEPRINTS = (
    "portal.main.views",
    "portal.accounts.views",
    "portal.directory.views",
    "portal.events.views",
    "portal.events.admin_views",
    "portal.meetings.views",
    "portal.meetings.admin_views",
    "portal.surveys.views",
    "portal.surveys.admin_views",
    "portal.impact.views",
    "portal.federation.admin_views",
    "portal.federation.api",
    "portal.ops.views",
    "portal.privacy.views",
)

#: Modules exposing `register_cli(app)`.
CLI_MODULES = (
    "portal.cli",
    "portal.accounts.cli",
    "portal.mail.cli",
    "portal.directory.cli",
    "portal.events.cli",
    "portal.federation.cli",
    "portal.meetings.cli",
    "portal.surveys.cli",
    "portal.demo.cli",
    "portal.ops.cli",
)


def create_app(test_config=None):
    """Build the portal application; never touches the database or the network."""
    app = Flask(
        __name__,
        template_folder="../templates",
        static_folder="../static",
        instance_path=instance_path(),
        instance_relative_config=True,
    )
    load_config(app, test_config)
    init_extensions(app)
    register_blueprints(app)
    init_security(app)
    init_confirmations(app)
    register_cli(app)
    register_error_handlers(app)
    register_templating(app)
    return app


def instance_path():
    """The instance folder: PORTAL_INSTANCE, or ./instance, always absolute."""
    return os.path.abspath(os.environ.get("PORTAL_INSTANCE", "instance"))


def load_config(app, test_config):
    """Defaults, then the instance's portal.toml, then PORTAL_* variables, then tests."""
    app.config.from_object("portal.config")
    app.config.from_file("portal.toml", load=tomllib.load, text=False, silent=True)
    app.config.from_prefixed_env("PORTAL")
    if test_config:
        app.config.from_mapping(test_config)
    app.config.setdefault(
        "SQLALCHEMY_DATABASE_URI",
        "sqlite:///" + os.path.join(app.instance_path, "portal.db"),
    )


def init_extensions(app):
    from portal import extensions

    extensions.init_app(app)


def register_blueprints(app):
    from importlib import import_module

    from portal.security import DatabaseIntConverter

    app.url_map.converters["int"] = DatabaseIntConverter  # before the rules that use it
    for name in BLUEPRINTS:
        app.register_blueprint(import_module(name).bp)


def init_security(app):
    """Headers, cookies, proxy, abuse limits and request logs (after the blueprints)."""
    from portal import security

    security.init_app(app)


def init_confirmations(app):
    """A button that cannot be taken back asks first, also without JavaScript (after the CSRF check)."""
    from portal import confirmation

    confirmation.init_app(app)


def register_cli(app):
    from importlib import import_module

    for name in CLI_MODULES:
        import_module(name).register_cli(app)


def register_templating(app):
    from portal import templating

    templating.register(app)


def register_error_handlers(app):
    from portal import errors

    errors.register(app)
