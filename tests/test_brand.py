"""The cluster's colour as Pico variables (portal/main/brand.py), without an app; its logo."""
import os

import pytest

from portal.main import brand

WHITE = (255, 255, 255)


def test_css_sets_pico_primary_variables_with_a_selector_more_specific_than_picos():
    css = brand.css("#2f6b2f")
    assert "html:root:not([data-theme=dark])" in css
    for name in ("--pico-primary:", "--pico-primary-background:", "--pico-primary-hover:",
                 "--pico-primary-underline:", "--pico-primary-focus:", "--pico-primary-border:",
                 "--pico-primary-hover-background:"):
        assert name in css
    assert "--pico-primary: #2f6b2f;" in css and "--brand: #2f6b2f;" in css


def test_a_pale_colour_is_darkened_to_readable_contrast_and_a_bad_one_falls_back():
    css = brand.css("#ffcc00")
    primary = css.split("--pico-primary: ")[1][:7]
    assert brand.contrast(brand.parse(primary), WHITE) >= 4.5
    assert "--pico-primary: #1d4e89;" in brand.css("red; } body { display: none")
    assert brand.parse("#abc") == (0xaa, 0xbb, 0xcc)


@pytest.mark.parametrize("setting, served", [("logo.svg", True), ("../logo.svg", True), ("settings.toml", False),
                                             ("keys/settings.toml", False), (None, False)])
def test_the_logo_setting_serves_only_a_picture_of_the_instance_folder(app, client, setting, served):
    """A mistaken setting naming the configuration (its secret key) or a key serves nothing."""
    for name, text in (("logo.svg", '<svg xmlns="http://www.w3.org/2000/svg"/>'), ("settings.toml", 'SECRET_KEY = "x"')):
        with open(os.path.join(app.instance_path, name), "w") as f:
            f.write(text)
    app.config["LOGO"] = setting
    response = client.get("/brand/logo")
    assert response.status_code == (200 if served else 404)
    assert b"SECRET_KEY" not in response.data


def test_every_page_title_names_the_page_then_the_cluster(app, client, make_listing):
    """Among several portals' tabs, the cluster tells them apart; a page's own name, from a user's
    text too, comes first, escaped."""
    cluster = app.config["CLUSTER_NAME"]
    listing = make_listing(title="Lasers <b>& co</b>")
    for path, title in (("/", f"{cluster} · Passerelle"),
                        ("/directory", f"Offers and needs · {cluster} · Passerelle"),
                        ("/events", f"Events · {cluster} · Passerelle"),
                        (f"/listings/{listing.uid}", f"Lasers &lt;b&gt;&amp; co&lt;/b&gt; · {cluster} · Passerelle")):
        page = client.get(path, headers={"Accept-Language": "en"}).get_data(as_text=True)
        assert f"<title>{title}</title>" in page, path
