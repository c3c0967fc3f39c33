"""The directory's named template filters: highlighting, vocabulary labels, countries, safe links."""
import re

from flask import g
from flask_babel import format_decimal, gettext as _
from markupsafe import Markup

from portal.directory import vocabulary
from portal.directory.queries import cluster_names, country_names
from portal.directory.search import highlight


def vocabulary_labels(slugs, name):
    """Labels of a list of slugs, joined with commas."""
    labels = vocabulary.labels(name)
    return ", ".join(str(labels.get(slug, slug)) for slug in slugs or [])


def listing_kind_label(kind):
    """"Offer" or "Need", translated once per request (every result card shows one)."""
    return vocabulary.label("listing_kinds", kind)


def trl_label(trl):
    """"TRL 4": the format translated once per request (every result card shows one), then
    filled in as Jinja's own `_()` would (the translation as markup, the number escaped)."""
    if "trl_format" not in g:
        g.trl_format = Markup(_("TRL %(trl)s"))
    return g.trl_format % {"trl": trl}


def vocabulary_label(slug, name):
    return vocabulary.label(name, slug) if slug else ""


def country_name(code):
    return country_names([code]).get(code, code) if code else ""


def cluster_name(cluster_id):
    """A cluster's display name (looked up once per request)."""
    if "cluster_names" not in g:
        g.cluster_names = cluster_names()
    return g.cluster_names.get(cluster_id, cluster_id)


def number(value):
    return format_decimal(value)


def web_link(url):
    """The address if it is a web address we may link to (peers' data is not trusted), else None."""
    return url if url and re.match(r"https?://[^\s/]+", url, re.IGNORECASE) else None


def paragraphs(text):
    """Plain text as escaped paragraphs (blank lines split them)."""
    blocks = [block.strip() for block in re.split(r"\n\s*\n", text or "") if block.strip()]
    return Markup("").join(Markup("<p>{}</p>").format(block) for block in blocks)


def register(bp):
    bp.add_app_template_filter(highlight, "highlight")
    bp.add_app_template_filter(vocabulary_labels, "vocabulary_labels")
    bp.add_app_template_filter(vocabulary_label, "vocabulary_label")
    bp.add_app_template_filter(listing_kind_label, "listing_kind_label")
    bp.add_app_template_filter(trl_label, "trl_label")
    bp.add_app_template_filter(country_name, "country_name")
    bp.add_app_template_filter(web_link, "web_link")
    bp.add_app_template_filter(cluster_name, "cluster_name")
    bp.add_app_template_filter(number, "number")
    bp.add_app_template_filter(paragraphs, "paragraphs")
