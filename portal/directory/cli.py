"""Directory commands: import and export."""


def register_cli(app):
    pass
