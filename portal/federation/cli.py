"""Federation commands: peers, sync."""


def register_cli(app):
    pass
