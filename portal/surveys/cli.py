"""Survey commands."""


def register_cli(app):
    pass
