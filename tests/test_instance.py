"""`init`'s instance folder: the settings it writes."""
import os
import stat
import tomllib

from portal.instance import write_instance


def settings_of(path, **options):
    with open(write_instance(str(path), "photonics-bretagne", "Photonics Bretagne", "https://portal.example/",
                             "technology", **options), "rb") as toml:
        return tomllib.load(toml)


def test_init_sets_the_portals_default_language_when_asked(tmp_path):
    assert settings_of(tmp_path / "fr", language="fr")["BABEL_DEFAULT_LOCALE"] == "fr"
    assert "BABEL_DEFAULT_LOCALE" not in settings_of(tmp_path / "default")  # config.py's English


def test_init_makes_the_folder_private_to_the_service_account(tmp_path):
    folder = tmp_path / "instance"
    folder.mkdir(mode=0o755)  # as a checkout's ./instance may be
    settings_of(folder)
    assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(folder / "portal.toml").st_mode) == 0o600
