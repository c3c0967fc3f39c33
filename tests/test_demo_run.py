"""`make demo`'s launcher: the ports issue 3 names, and no reuse of a demo made for other ports."""
import pytest

from portal.demo import run


def test_three_portals_on_5001_to_5003():
    assert [portal[4] for portal in run.PORTALS] == [5001, 5002, 5003]  # DEMO_PORT unset in tests


def test_a_demo_made_for_other_ports_is_not_reused(tmp_path, monkeypatch):
    monkeypatch.setattr(run, "DEMO_DIR", str(tmp_path))
    portal = run.PORTALS[0]
    folder = tmp_path / portal[1]
    folder.mkdir()
    (folder / "portal.toml").write_text('BASE_URL = "http://127.0.0.1:5000"\n')
    with pytest.raises(SystemExit, match="made for http://127.0.0.1:5000, not http://127.0.0.1:5001"):
        run.set_up(portal)


def test_a_demo_made_for_these_ports_is_reused_and_upgraded(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(run, "DEMO_DIR", str(tmp_path))
    commands = []
    monkeypatch.setattr(run, "flask", lambda instance, *args: commands.append(args))
    portal = run.PORTALS[0]
    folder = tmp_path / portal[1]
    folder.mkdir()
    (folder / "portal.toml").write_text(f'BASE_URL = "{run.base_url(portal[4])}"\n')
    run.set_up(portal)
    assert "reusing" in capsys.readouterr().out
    assert commands == [("db", "upgrade")]  # not initialised nor filled again


def test_a_new_demo_portal_is_a_french_cluster(tmp_path, monkeypatch):
    monkeypatch.setattr(run, "DEMO_DIR", str(tmp_path))
    commands = []
    monkeypatch.setattr(run, "flask", lambda instance, *args: commands.append(args) or "")
    run.set_up(run.PORTALS[0])
    init = commands[0]
    assert init[0] == "init" and init[init.index("--language") + 1] == "fr"  # its members' mail in French
