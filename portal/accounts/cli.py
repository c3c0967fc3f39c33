"""Account commands."""


def register_cli(app):
    pass
