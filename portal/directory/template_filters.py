"""The directory's named template filters (highlighting, labels, countries, safe links) and its cards' words."""
import re
from dataclasses import dataclass

from flask import g
from flask_babel import format_decimal, gettext as _
from markupsafe import Markup, escape

from portal.directory import vocabulary
from portal.directory.queries import cluster_names, territories
from portal.directory.search import excerpt, highlight, matches


def vocabulary_labels(slugs, name):
    """Labels of a list of slugs, joined with commas."""
    return _joined(vocabulary.labels(name), slugs)


def _joined(labels, slugs):
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
    return territories().get(code, code) if code else ""


def cluster_name(cluster_id):
    """A cluster's display name (looked up once per request)."""
    if "cluster_names" not in g:
        g.cluster_names = cluster_names()
    return g.cluster_names.get(cluster_id, cluster_id)


@dataclass(frozen=True, slots=True)
class CardWords:
    """The words on one listing card, formatted and escaped (the template places them)."""

    kind: str
    title: Markup
    summary: Markup
    organisation: Markup
    country: str
    trl: Markup | str
    sectors: str
    excerpt: Markup | None = None  # where the search's words are, when the card's own words lack them


class CardText:
    """The words on a page of listing cards, in the visitor's language: `text = card_text(terms)`
    once per page, then `text.of(listing)` once per card. The language, its labels, its country
    names and the search terms are looked up once per page: as filters, some ten times per card, they took
    about half the rendering of a page of 20 cards."""

    def __init__(self, terms=()):
        self.terms = tuple(terms)
        self.kind_labels = vocabulary.labels("listing_kinds")
        self.sector_labels = vocabulary.labels("sectors")
        self.countries = territories()

    def of(self, listing):
        """`listing`'s words as trl_label and the filters listing_kind_label, highlight, country_name and
        vocabulary_labels write them."""
        organisation, country = listing.organisation, ""
        if organisation and organisation.country:
            country = self.countries.get(organisation.country, organisation.country)
        return CardWords(
            kind=self.kind_labels.get(listing.kind, listing.kind),
            title=highlight(listing.title, self.terms),
            summary=highlight(listing.summary, self.terms),
            organisation=highlight(organisation.name, self.terms) if organisation else Markup(""),
            country=country,
            trl=trl_label(listing.trl) if listing.trl else "",
            sectors=_joined(self.sector_labels, listing.sectors),
            excerpt=self.excerpt(listing))

    def excerpt(self, listing):
        """A search matched `listing` by its description or keywords alone: the words around
        the match, so that the card shows why it is there."""
        shown = (listing.title, listing.summary, listing.organisation.name if listing.organisation else "")
        if not self.terms or any(matches(value, self.terms) for value in shown):
            return None
        return excerpt(listing.description, self.terms) or excerpt(", ".join(listing.keywords or ()), self.terms)


def number(value):
    return format_decimal(value)


def web_link(url):
    """The address if it is a web address we may link to (peers' data is not trusted), else None."""
    return url if url and re.match(r"https?://[^\s/]+", url, re.IGNORECASE) else None


_ADDRESS = re.compile(r"""https?://[^\s<>"']+""", re.IGNORECASE)
_CLOSING = {")": "(", "]": "["}


def _address_in_sentence(found):
    """A web address without the punctuation after it in its sentence; a closing bracket stays
    when it closes one of the address's own ("…/Fibre_(optics)")."""
    while found and found[-1] in ".,;:!?)]":
        opening = _CLOSING.get(found[-1])
        if opening and found.count(opening) >= found.count(found[-1]):
            break
        found = found[:-1]
    return found


def linked(text):
    """Plain text escaped, its web addresses made links (a peer's text too: only http and https,
    the address escaped, and `nofollow`: the portal vouches for none of them)."""
    text, pieces, cut = text or "", [], 0
    for match in _ADDRESS.finditer(text):
        address = _address_in_sentence(match.group())
        if not address.partition("://")[2].strip("/"):  # a scheme alone is no address
            continue
        pieces += [escape(text[cut:match.start()]),
                   Markup('<a href="{0}" rel="nofollow noopener noreferrer">{0}</a>').format(address)]
        cut = match.start() + len(address)
    pieces.append(escape(text[cut:]))
    return Markup("").join(pieces)


def paragraphs(text):
    """Plain text as escaped paragraphs (blank lines split them; a single line break stays one),
    web addresses linked."""
    blocks = [block.strip() for block in re.split(r"\n\s*\n", text or "") if block.strip()]
    lines = (Markup("<br>\n").join(linked(line.strip()) for line in block.split("\n")) for block in blocks)
    return Markup("").join(Markup("<p>{}</p>").format(block) for block in lines)


def register(bp):
    bp.add_app_template_filter(highlight, "highlight")
    bp.add_app_template_filter(vocabulary_labels, "vocabulary_labels")
    bp.add_app_template_filter(vocabulary_label, "vocabulary_label")
    bp.add_app_template_filter(listing_kind_label, "listing_kind_label")
    bp.add_app_template_filter(country_name, "country_name")
    bp.add_app_template_filter(web_link, "web_link")
    bp.add_app_template_filter(cluster_name, "cluster_name")
    bp.add_app_template_filter(number, "number")
    bp.add_app_template_filter(paragraphs, "paragraphs")
    bp.add_app_template_filter(linked, "linked")
    bp.add_app_template_global(CardText, "card_text")
