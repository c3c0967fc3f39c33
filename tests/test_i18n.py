"""English and French: the French catalogue is complete and compiled, pages follow the browser, the switch sticks."""
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from babel.support import Translations
from flask import render_template_string
from flask_babel import refresh

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "portal" / "translations"
FRENCH_PO = TRANSLATIONS / "fr" / "LC_MESSAGES" / "messages.po"
FRENCH = {"Accept-Language": "fr-FR,fr;q=0.9,en;q=0.5"}
#: `%(name)s`-style and `{name}`-style placeholders.
SEARCH, LANGUAGE = "/directory", "/language"
PLACEHOLDER = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[sdifr]|\{\w+\}")


def fetch(client, path, headers=None):
    """GET a page as text, choosing its language afresh (the test's requests share one `g`)."""
    refresh()
    return client.get(path, headers=headers or {}).get_data(as_text=True)


def french_catalogue():
    with open(FRENCH_PO, "rb") as fh:
        return read_po(fh, locale="fr")


def messages(catalogue):
    return [m for m in catalogue if m.id]


def ids(message):
    return message.id if isinstance(message.id, tuple) else (message.id,)


def strings(message):
    return message.string if isinstance(message.string, tuple) else (message.string,)


def test_every_french_entry_is_translated_and_reviewed():
    catalogue = french_catalogue()
    assert len(messages(catalogue)) > 500
    untranslated = [m.id for m in messages(catalogue) if not all(strings(m))]
    fuzzy = [m.id for m in messages(catalogue) if m.fuzzy]
    assert untranslated == []
    assert fuzzy == []


def test_french_keeps_every_placeholder():
    wrong = []
    for message in messages(french_catalogue()):
        wanted = sorted(set(PLACEHOLDER.findall(" ".join(ids(message)))))
        for string in strings(message):
            if sorted(set(PLACEHOLDER.findall(string))) != wanted:
                wrong.append((message.id, string))
    assert wrong == []


def test_babel_finds_no_error_in_the_french_catalogue():
    """Babel's own checks (each form's placeholders against its English form) pass: `pybabel
    compile`, and so `make translations`, would report the entry and fail."""
    errors = [(message.id, [str(error) for error in found]) for message, found in french_catalogue().check()]
    assert errors == []


def test_french_puts_a_no_break_space_before_double_punctuation():
    """"Dernier passage : 1 déc." with a plain space let a phone start a line with the colon."""
    plain = [string for message in messages(french_catalogue()) for string in strings(message)
             if re.search(r"\S [:;?!](?!\S)", string)]
    assert plain == []


#: Placeholders that hold a date, a time or a number ("le 1er déc.", "de 12 jours"): French
#: elides nothing before a digit or a day's name.
DATES_AND_NUMBERS = {"when", "before", "date", "num", "days", "capacity", "minutes", "slot", "pulled", "pushed"}


def test_french_elides_no_word_before_a_name_it_cannot_know():
    """"la demande de Anaïs", "l'événement de Agrifood Ouest": a name, title or address may open
    on a vowel or on a consonant, so no "de", "le", "que"… sits right before one."""
    before_name = re.compile(r"(?i)\b(?:de|du|le|la|que|ce|je|me|te|se|ne|si)\s+(?:«\s*)?%\((\w+)\)")
    wrong = [string for message in messages(french_catalogue()) for string in strings(message)
             if any(name not in DATES_AND_NUMBERS for name in before_name.findall(string))]
    assert wrong == []


def test_french_quotes_a_title_after_a():
    """An event's title may open on an article ("Les Rencontres …"), which "à" contracts with
    ("aux Rencontres"): after "à", a title stands in guillemets ("à « Les Rencontres … »")."""
    bare = re.compile(r"\bà\s+%\((?:title|event)\)s")
    wrong = [string for message in messages(french_catalogue()) for string in strings(message) if bare.search(string)]
    assert wrong == []


def test_compiled_catalogue_matches_the_po_file():
    """The committed .mo is the compiled .po (`make translations` compiles it)."""
    with open(TRANSLATIONS / "fr" / "LC_MESSAGES" / "messages.mo", "rb") as fh:
        compiled = Translations(fh)
    stale = []
    for message in messages(french_catalogue()):
        if isinstance(message.id, tuple):
            got = compiled.unpgettext(message.context, *message.id, 5) if message.context \
                else compiled.ungettext(*message.id, 5)
            expected = message.string[-1]
        else:
            got = compiled.upgettext(message.context, message.id) if message.context \
                else compiled.ugettext(message.id)
            expected = message.string
        if got != expected:
            stale.append(message.id)
    assert stale == []


def makefile_keywords():
    """The extraction keywords `make translations` uses (one list for both)."""
    found = re.search(r"^BABEL_KEYWORDS\s*:?=\s*(.+)$", (ROOT / "Makefile").read_text(), re.MULTILINE)
    assert found, "Makefile: BABEL_KEYWORDS is gone"
    return shlex.split(found.group(1))


def test_every_string_in_the_code_has_a_french_translation(tmp_path):
    """Extract afresh: a new string that nobody translated yet fails here (run `make translations`)."""
    pot = tmp_path / "fresh.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "-q", "extract",
                    "-F", str(ROOT / "portal" / "babel.cfg"), *makefile_keywords(), "-o", str(pot), "."],
                   cwd=ROOT, check=True, capture_output=True)
    with open(pot, "rb") as fh:
        fresh = read_po(fh)
    catalogue = french_catalogue()
    missing = sorted(str(m.id) for m in messages(fresh)
                     if catalogue.get(m.id, m.context) is None or not all(strings(catalogue.get(m.id, m.context))))
    assert len(messages(fresh)) > 500
    assert missing == [], f"{len(missing)} strings without French: run `make translations` and translate them"


def test_a_french_browser_gets_french_pages(client):
    page = fetch(client, SEARCH, FRENCH)
    assert '<html lang="fr"' in page
    assert "<h1>Offres et besoins</h1>" in page
    assert ">Annuaire</a>" in page and ">Événements</a>" in page
    assert ">Se connecter</a>" in page
    assert "Offers and needs" not in page


def test_an_english_or_unknown_browser_gets_english(client):
    for headers in ({"Accept-Language": "en-GB,en;q=0.8"}, {"Accept-Language": "de-DE"}, {}):
        page = fetch(client, SEARCH, headers)
        assert '<html lang="en"' in page
        assert "<h1>Offers and needs</h1>" in page
        assert ">Directory</a>" in page


def test_the_switch_sticks_in_the_session(client):
    answer = client.post(LANGUAGE, data={"lang": "fr", "next": SEARCH})
    assert answer.status_code == 302
    assert answer.headers["Location"].endswith(SEARCH)
    with client.session_transaction() as session:
        assert session["lang"] == "fr"
    # The visitor's choice wins over the browser's preference, on every later page.
    page = fetch(client, "/", {"Accept-Language": "en"})
    assert '<html lang="fr"' in page and ">Annuaire</a>" in page

    client.post(LANGUAGE, data={"lang": "en", "next": "/"})
    page = fetch(client, "/", FRENCH)
    assert '<html lang="en"' in page and ">Directory</a>" in page


def test_the_switch_ignores_unknown_languages_and_foreign_targets(client):
    answer = client.post(LANGUAGE, data={"lang": "xx", "next": "//evil.example/"})
    assert answer.headers["Location"] in ("/", "http://localhost/")
    with client.session_transaction() as session:
        assert "lang" not in session
    # A tab after the slash: werkzeug drops it from Location, which then names another site.
    for target in ("/\t/evil.example", "/\\evil.example", "https://evil.example/"):
        answer = client.post(LANGUAGE, data={"lang": "fr", "next": target})
        assert answer.headers["Location"] in ("/", "http://localhost/"), target
    assert client.post(LANGUAGE, data={"lang": "fr", "next": "/directory?q=laser"}).headers["Location"].endswith(
        "/directory?q=laser")


def test_the_switch_needs_the_csrf_token(app, client):
    app.config["WTF_CSRF_ENABLED"] = True
    refresh()
    refused = client.post(LANGUAGE, data={"lang": "fr", "next": "/"}, headers=FRENCH)
    assert refused.status_code == 400
    # The error page speaks the visitor's language and says it plainly (no "CSRF token").
    assert "Requête incorrecte" in refused.get_data(as_text=True)
    assert "CSRF token" not in refused.get_data(as_text=True)
    with client.session_transaction() as session:
        assert "lang" not in session

    page = fetch(client, "/")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    answer = client.post(LANGUAGE, data={"lang": "fr", "next": "/", "csrf_token": token})
    assert answer.status_code == 302
    with client.session_transaction() as session:
        assert session["lang"] == "fr"


def test_error_pages_are_translated(client):
    refresh()
    page = client.get("/no-such-page", headers=FRENCH)
    assert page.status_code == 404
    assert "Page introuvable" in page.get_data(as_text=True)
    assert "Not Found" not in page.get_data(as_text=True)


@pytest.mark.parametrize("template, expected", [
    ("{{ 'running' | meeting_run_status }}", "En cours"),
    ("{{ 'breaks' | meeting_run_phase }}", "Le moins de temps morts"),
    ("{{ 'special_guest' | event_role_label }}", "Invité d'honneur"),
    ("{{ ['photonics', 'agrifood'] | vocabulary_labels('sectors') }}", "Photonique, Agroalimentaire"),
    ("{{ 'need' | listing_kind_label }}", "Besoin"),
])
def test_labels_of_stored_values_are_translated(app, template, expected):
    with app.test_request_context(headers=FRENCH):
        assert render_template_string(template) == expected


def test_peering_errors_shown_to_administrators_are_translated(app, make_peer):
    from portal.federation import services

    peer = make_peer("agrifood")
    with app.test_request_context(headers=FRENCH):
        with pytest.raises(services.PeeringError, match="L'empreinte ne correspond pas"):
            services.confirm_peer(peer, "SHA256:wrong")


def test_the_switch_saves_a_members_choice_on_their_account(client, login, make_user):
    anne = login(make_user(email="anne@example.org"))
    client.post(LANGUAGE, data={"lang": "fr", "next": "/"})
    assert anne.language == "fr"  # their mail and calendar feed follow it
    client.post(LANGUAGE, data={"lang": "en", "next": "/"})
    assert anne.language == "en"


def test_logging_in_does_not_override_the_accounts_language(client, make_user):
    from portal.extensions import db

    anne = make_user(email="anne@example.org")
    anne.language = "fr"
    db.session.commit()
    client.post(LANGUAGE, data={"lang": "en", "next": "/"})  # this browser's earlier pick
    assert anne.language == "fr"
    client.post("/login", data={"email": "anne@example.org", "password": "correct horse battery"})
    assert anne.language == "fr"
    assert '<html lang="fr"' in fetch(client, "/", {"Accept-Language": "en"})  # the account's choice, on any device


def test_a_members_saved_language_applies_to_a_session_that_has_none(client, login, make_user):
    from portal.extensions import db

    anne = make_user(email="anne@example.org")
    anne.language = "fr"
    db.session.commit()
    login(anne)  # as a remember-me cookie does: a session without "lang"
    assert '<html lang="fr"' in fetch(client, "/", {"Accept-Language": "en"})


def test_a_language_picked_before_logging_in_goes_to_an_account_without_one(client, make_user):
    bruno = make_user(email="bruno@example.org")
    client.post(LANGUAGE, data={"lang": "fr", "next": "/"})
    client.post("/login", data={"email": "bruno@example.org", "password": "correct horse battery"})
    assert bruno.language == "fr"


def test_rates_round_a_half_up_in_the_pages_language(app):
    from flask_babel import force_locale

    from portal.i18n import percent

    with app.test_request_context():
        assert percent(0.825) == "83%" and percent(None) == "–" and percent(1) == "100%"
        with force_locale("fr"):
            assert percent(0.825) == "83\u00a0%"


def test_an_account_without_a_language_keeps_the_one_it_logged_in_with(app, client, make_user):
    """A French portal's member who reads it in English gets their mail in English from their
    first log-in on, not in the portal's default; an account's own language stays."""
    app.config["BABEL_DEFAULT_LOCALE"] = "fr"
    bruno, anne = make_user(email="bruno@example.org"), make_user(email="anne@example.org")
    anne.language = "fr"
    refresh()
    client.post("/login", data={"email": "bruno@example.org", "password": "correct horse battery"},
                headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert bruno.language == "en"
    client.post("/logout")
    refresh()
    client.post("/login", data={"email": "anne@example.org", "password": "correct horse battery"},
                headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert anne.language == "fr"


def test_a_password_reset_is_written_in_the_page_it_was_asked_from_unless_the_account_has_a_language(
        app, client, make_user):
    from sqlalchemy import select

    from portal.extensions import db
    from portal.mail.models import OutboxMessage

    app.config["BABEL_DEFAULT_LOCALE"] = "fr"
    bruno, anne = make_user(email="bruno@example.org"), make_user(email="anne@example.org")
    anne.language = "fr"
    db.session.commit()
    for address in ("bruno@example.org", "anne@example.org"):
        refresh()
        client.post("/password/reset", data={"email": address}, headers={"Accept-Language": "en"})
    subjects = {m.to: m.subject for m in db.session.scalars(select(OutboxMessage))}
    assert subjects["bruno@example.org"].startswith("Reset your password")
    assert not subjects["anne@example.org"].startswith("Reset your password")  # her French
    assert bruno.language is None  # asking for a link is not choosing (anyone may type the address)


def test_french_writes_the_first_of_a_month_1er(app):
    from datetime import date, datetime, timezone

    from flask_babel import force_locale

    from portal.i18n import format_day, utc_minute

    first, second = date(2026, 12, 1), date(2026, 12, 2)
    assert format_day(first, "full", "fr") == "mardi 1er décembre 2026"
    assert format_day(first, "long", "fr") == "1er décembre 2026"
    assert format_day(first, "medium", "fr") == "1er déc. 2026"
    assert format_day(first, "short", "fr") == "01/12/2026"
    assert format_day(second, "medium", "fr") == "2 déc. 2026"
    assert format_day(first, "full", "en") == "Tuesday, 1 December 2026"
    with app.test_request_context():
        assert format_day(first) == "1 Dec 2026"
        with force_locale("fr"):
            assert format_day(first) == "1er déc. 2026"
            assert utc_minute(datetime(2026, 12, 1, 7, 8, tzinfo=timezone.utc)) == "1er déc. 2026, 07:08 UTC"
            for day in (first, datetime(2026, 12, 1, 7, 8, tzinfo=timezone.utc)):
                assert render_template_string("{{ day | dateformat }}", day=day) == "1er déc. 2026"


def test_english_dates_are_written_the_british_way_and_the_language_stays_english(app, client, make_event):
    """The portal's English is British, its dates too ("18 Mar 2049"; Babel's `en` writes
    "Mar 18, 2049"): only the formatting locale is en_GB, the page's language stays `en`."""
    from datetime import date, datetime, timezone

    from flask_babel import force_locale

    from portal.events.formatting import event_when
    from portal.i18n import format_day, formatting_locale, page_language, utc_minute
    from portal.meetings.times import event_time

    day, moment, event = date(2049, 3, 18), datetime(2049, 3, 18, 7, 8, tzinfo=timezone.utc), make_event()
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert (page_language(), formatting_locale()) == ("en", "en_GB")
        assert format_day(day, "full") == "Thursday, 18 March 2049"
        assert format_day(day) == render_template_string("{{ day | dateformat }}", day=day) == "18 Mar 2049"
        assert event_when(event) == "Thursday, 18 March 2049, 09:00–17:00 CET (Europe/Paris)"
        assert event_time(moment, event) == "18 Mar 2049, 08:08 CET"
        assert utc_minute(moment) == "18 Mar 2049, 07:08 UTC"
        with force_locale("fr"):
            assert (page_language(), formatting_locale()) == ("fr", "fr")
            assert format_day(day, "full") == "jeudi 18 mars 2049"
            assert format_day(day) == "18 mars 2049"
            assert event_when(event) == "jeudi 18 mars 2049, 09:00–17:00 CET (Europe/Paris)"
            assert utc_minute(moment) == "18 mars 2049, 07:08 UTC"
    html = fetch(client, f"/events/{event.uid}", {"Accept-Language": "en"})
    assert '<html lang="en"' in html and "Thursday, 18 March 2049" in html and "March 18" not in html
