"""Event commands."""


def register_cli(app):
    pass
