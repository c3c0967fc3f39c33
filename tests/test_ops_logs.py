"""One log line per request: method, path, status, duration; no query, body or address."""
import json
import logging

import pytest

from portal import create_app


@pytest.fixture
def request_log(caplog, monkeypatch):
    """The lines of `portal.request`, caught on the logger itself (it may not propagate)."""
    logger = logging.getLogger("portal.request")
    monkeypatch.setattr(logger, "propagate", False)
    logger.addHandler(caplog.handler)
    yield lambda: [r.getMessage() for r in caplog.records if r.name == "portal.request"]
    logger.removeHandler(caplog.handler)


def test_production_lines_are_bare_and_printed_once(app_config, monkeypatch, capfd):
    """Outside tests the line goes to stderr by itself: no Flask prefix, no second copy."""
    monkeypatch.setenv("PORTAL_INSTANCE", app_config["INSTANCE_FOR_TESTS"])
    logger = logging.getLogger("portal.request")
    monkeypatch.setattr(logger, "handlers", [])
    monkeypatch.setattr(logger, "propagate", True)
    app = create_app(dict(app_config, TESTING=False))
    app.logger.info("Flask's own handler is installed now")
    app.test_client().get("/brand.css")
    lines = [line for line in capfd.readouterr().err.splitlines() if "path=/brand.css" in line]
    assert lines == [lines[0]] and lines[0].startswith("method=GET path=/brand.css status=200 ")


def test_one_line_per_request_without_query_string(client, request_log):
    client.get("/?q=anne.legoff@example.org&page=2")
    [line] = request_log()
    assert line.startswith("method=GET path=/ status=200 duration_ms=")
    assert "?" not in line and "anne" not in line and "example.org" not in line


def test_form_bodies_and_addresses_stay_out(client, request_log):
    client.post("/language", data={"lang": "fr", "next": "/private?email=x@example.org"},
                environ_base={"REMOTE_ADDR": "198.51.100.23"})
    [line] = request_log()
    assert line.startswith("method=POST path=/language status=302 ")
    assert "example.org" not in line and "198.51.100.23" not in line and "fr" not in line


def test_errors_are_logged_with_their_status(client, request_log):
    client.get("/no/such/page?token=abc")
    assert request_log()[0].startswith("method=GET path=/no/such/page status=404 ")


def test_secret_url_variables_are_masked(app, client, request_log):
    app.add_url_rule("/_reset/<token>", "probe_reset", lambda token: "ok")
    app.add_url_rule("/_feed/<person>/<token>.ics", "probe_feed", lambda person, token: "ok")
    client.get("/_reset/s3cr3t-t0ken")
    client.get("/_feed/anne/c4l3nd4r.ics")  # the whole segment holding the secret
    reset, feed = request_log()
    assert "path=/_reset/*** status=200" in reset and "s3cr3t" not in reset
    assert "path=/_feed/anne/*** status=200" in feed and "c4l3nd4r" not in feed


@pytest.mark.parametrize("log_requests", [True, False])
def test_an_unhandled_error_is_logged_with_secrets_masked(app_config, monkeypatch, caplog, log_requests):
    """The error's line names the path as the request log does (with or without that log): a reset
    token in it would work for an hour, a calendar feed's for good."""
    monkeypatch.setenv("PORTAL_INSTANCE", app_config["INSTANCE_FOR_TESTS"])
    # As in production: the error page, and the log line.
    app = create_app(dict(app_config, LOG_REQUESTS=log_requests, PROPAGATE_EXCEPTIONS=False))
    app.add_url_rule("/_broken/<token>", "probe_broken", lambda token: 1 / 0)
    with caplog.at_level(logging.ERROR, logger="portal"), app.app_context():
        assert app.test_client().get("/_broken/s3cr3t-t0ken").status_code == 500
    [line] = [r.getMessage() for r in caplog.records if r.getMessage().startswith("unhandled error")]
    assert line == "unhandled error on GET /_broken/***"


def test_json_lines_when_configured(app_config, monkeypatch, request_log):
    monkeypatch.setenv("PORTAL_INSTANCE", app_config["INSTANCE_FOR_TESTS"])
    app = create_app(dict(app_config, LOG_FORMAT="json"))
    app.test_client().get("/brand.css?v=2")
    [line] = request_log()
    fields = json.loads(line)
    assert {k: fields[k] for k in ("method", "path", "status")} == {
        "method": "GET", "path": "/brand.css", "status": 200}
    assert isinstance(fields["duration_ms"], float)
