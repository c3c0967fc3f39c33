"""Static URLs carry their file's content hash (`?v=`), so a proxy may cache them for long."""
import hashlib
import os
import re

from flask import url_for


def test_pages_name_static_files_with_their_content_hash(app, client):
    page = client.get("/").get_data(as_text=True)
    found = dict(re.findall(r'/static/(css/portal\.css|js/portal\.js)\?v=([0-9a-f]+)"', page))
    assert set(found) == {"css/portal.css", "js/portal.js"}
    for name, version in found.items():
        with open(os.path.join(app.static_folder, name), "rb") as source:
            assert version == hashlib.sha256(source.read()).hexdigest()[:10]
        served = client.get(f"/static/{name}?v={version}")
        assert served.status_code == 200 and served.data


def test_a_missing_file_or_a_given_version_is_left_alone(app):
    with app.test_request_context():
        assert url_for("static", filename="no/such.css") == "/static/no/such.css"
        assert url_for("static", filename="css/portal.css", v="x") == "/static/css/portal.css?v=x"
