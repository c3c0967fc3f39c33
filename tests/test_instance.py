"""`init`'s instance folder: the settings it writes."""
import os
import stat
import tomllib

import pytest

from portal import create_app
from portal.instance import InstanceError, is_cluster_id, write_instance


def settings_of(path, **options):
    with open(write_instance(str(path), "photonics-bretagne", "Photonics Bretagne", "https://portal.example/",
                             "technology", **options), "rb") as toml:
        return tomllib.load(toml)


def run_init(app_config, monkeypatch, folder, *options):
    """`flask init` for Photonics Bretagne into `folder`, with more `options`: the CLI's result."""
    monkeypatch.setenv("PORTAL_INSTANCE", str(folder))
    app = create_app(app_config)
    with app.app_context():
        return app.test_cli_runner().invoke(args=[
            "init", "--cluster-id", "photonics-bretagne", "--name", "Photonics Bretagne",
            "--base-url", "https://portal.example/", "--sector", "technology", *options])


def test_init_sets_the_portals_default_language_when_asked(tmp_path):
    assert settings_of(tmp_path / "fr", language="fr")["BABEL_DEFAULT_LOCALE"] == "fr"
    assert "BABEL_DEFAULT_LOCALE" not in settings_of(tmp_path / "default")  # config.py's English


def test_init_makes_the_folder_private_to_the_service_account(tmp_path):
    folder = tmp_path / "instance"
    folder.mkdir(mode=0o755)  # as a checkout's ./instance may be
    settings_of(folder)
    assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(folder / "portal.toml").st_mode) == 0o600


def test_init_prints_the_fingerprint_partners_must_be_given(app_config, monkeypatch, tmp_path):
    """Peering starts by giving partners our fingerprint: init says it, as /federation/v1/info does."""
    from portal.federation import keys

    result = run_init(app_config, monkeypatch, tmp_path / "new")
    assert result.exit_code == 0, result.output
    with create_app().app_context():
        fingerprint = keys.fingerprint(keys.public_key_b64())
    assert f"Key fingerprint: {fingerprint} " in result.output


def test_init_help_names_the_folder_it_initialises(app):
    """"Initialise this instance folder" left a newcomer to guess which one."""
    text = " ".join(app.test_cli_runner().invoke(args=["init", "--help"]).output.split())  # unwrapped
    assert "PORTAL_INSTANCE names (default ./instance)" in text
    assert "(never change it once peered)" in text and "the address members and peers reach" in text


@pytest.mark.parametrize("colour", ["green", "#2f6b2", "rgb(47, 107, 47)", ""])
def test_init_refuses_a_colour_the_stylesheet_cannot_use_and_writes_nothing(app_config, monkeypatch, tmp_path,
                                                                            colour):
    """/brand.css would serve the default colour instead, without a word."""
    folder = tmp_path / "new"
    result = run_init(app_config, monkeypatch, folder, "--colour", colour)
    assert result.exit_code == 1 and "Error: colour" in result.output and "such as #2f6b2f" in result.output
    assert "Traceback" not in result.output and not folder.exists()


@pytest.mark.parametrize("value,valid", [("photonics-bretagne", True), ("a1", True), ("a" * 40, True),
                                         ("a", False), ("a" * 41, False), ("-abc", False), ("Abc", False),
                                         ("abc\n", False), ("ab c", False), ("", False), (None, False)])
def test_a_cluster_id_is_matched_whole(value, valid):
    """PROTOCOL.md section 2's pattern, for init, a peer's `info` and an event's `co_hosts`
    (whose strings are trimmed first, as every string of a record)."""
    from portal.events.schemas import EventSchema

    assert is_cluster_id(value) is valid
    errors = EventSchema().validate({"co_hosts": [value]}, partial=True)
    assert ("co_hosts" in errors) is not (valid or value == "abc\n")


@pytest.mark.parametrize("base_url", ["127.0.0.1:5000", "portal.example.org", "ftp://portal.example.org",
                                      "https://", "https://portal.example.org/?x=1", "http://127.0.0.1:port"])
def test_init_refuses_a_base_url_links_cannot_start_with_and_writes_nothing(tmp_path, base_url):
    """"127.0.0.1:5000" was written as it was: every link of the portal's mail was broken."""
    with pytest.raises(InstanceError, match="must be the http.s. address"):
        write_instance(str(tmp_path / "new"), "photonics-bretagne", "P", base_url, "technology")
    assert not (tmp_path / "new").exists()


def test_init_takes_an_http_address_with_a_port_or_a_final_slash(tmp_path):
    assert settings_of(tmp_path / "a")["BASE_URL"] == "https://portal.example"
    with open(write_instance(str(tmp_path / "b"), "clu-b", "B", "http://127.0.0.1:5005", "application"), "rb") as toml:
        assert tomllib.load(toml)["BASE_URL"] == "http://127.0.0.1:5005"
    with open(write_instance(str(tmp_path / "c"), "clu-c", "C", " https://c.example/ ", "mixed"), "rb") as toml:
        assert tomllib.load(toml)["BASE_URL"] == "https://c.example"  # as pasted, spaces and all


def test_init_refuses_a_cluster_id_with_a_final_newline(tmp_path):
    with pytest.raises(InstanceError, match="must match"):
        write_instance(str(tmp_path / "new"), "photonics\n", "P", "https://portal.example/", "technology")
    assert not (tmp_path / "new").exists()
