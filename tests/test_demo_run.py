"""`make demo`'s launcher: the ports issue 3 names, no reuse of a demo made for other ports, one anchor day."""
from datetime import date

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
        run.set_up(portal, "2026-12-02")


def test_a_demo_made_for_these_ports_is_reused_and_upgraded(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(run, "DEMO_DIR", str(tmp_path))
    commands = []
    monkeypatch.setattr(run, "flask", lambda instance, *args: commands.append(args))
    portal = run.PORTALS[0]
    folder = tmp_path / portal[1]
    folder.mkdir()
    (folder / "portal.toml").write_text(f'BASE_URL = "{run.base_url(portal[4])}"\n')
    run.set_up(portal, "2026-12-02")
    assert "reusing" in capsys.readouterr().out
    assert commands == [("db", "upgrade")]  # not initialised nor filled again


def test_a_new_demo_portal_is_a_french_cluster(tmp_path, monkeypatch):
    monkeypatch.setattr(run, "DEMO_DIR", str(tmp_path))
    commands = []
    monkeypatch.setattr(run, "flask", lambda instance, *args: commands.append(args) or "")
    run.set_up(run.PORTALS[0], "2026-12-02")
    init, load = commands
    assert init[0] == "init" and init[init.index("--language") + 1] == "fr"  # its members' mail in French
    assert load[:2] == ("demo", "load") and load[load.index("--anchor") + 1] == "2026-12-02"


def test_the_anchor_is_chosen_once_and_kept(tmp_path, monkeypatch):
    monkeypatch.setattr(run, "DEMO_DIR", str(tmp_path))
    monkeypatch.delenv("DEMO_ANCHOR", raising=False)
    today = date.today().isoformat()
    assert run.demo_anchor() == today and (tmp_path / "anchor").read_text() == today + "\n"
    (tmp_path / "anchor").write_text("2026-12-02\n")  # as if first built that day
    assert run.demo_anchor() == "2026-12-02"  # a later run, another day: the same dates


def test_demo_anchor_dates_a_new_demo_and_not_an_existing_one(tmp_path, monkeypatch):
    monkeypatch.setattr(run, "DEMO_DIR", str(tmp_path))
    monkeypatch.setenv("DEMO_ANCHOR", "2027-12-02")
    assert run.demo_anchor() == "2027-12-02"
    assert (tmp_path / "anchor").read_text() == "2027-12-02\n"
    assert run.demo_anchor() == "2027-12-02"
    monkeypatch.setenv("DEMO_ANCHOR", "2028-01-06")
    with pytest.raises(SystemExit, match="dated from 2027-12-02, not DEMO_ANCHOR=2028-01-06"):
        run.demo_anchor()


def test_a_demo_anchor_that_is_no_day_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(run, "DEMO_DIR", str(tmp_path))
    monkeypatch.setenv("DEMO_ANCHOR", "02/12/2026")
    with pytest.raises(SystemExit, match="not a day such as"):
        run.demo_anchor()
    assert not (tmp_path / "anchor").exists()
