"""The directory's vocabularies: fixed protocol values and the editable sector, cooperation and IPR lists.

Sectors, cooperation types and IPR statuses are slugs with translatable labels. An
instance replaces a list with `VOCABULARY_SECTORS`, `VOCABULARY_COOPERATION` or
`VOCABULARY_IPR` in its portal.toml (a table of slug = "Label"); see docs/vocabulary.md.
Peers may send slugs we do not know: they are kept and shown as they came.
"""
from flask import current_app, has_app_context, has_request_context
from flask_babel import get_locale, gettext, lazy_gettext as _l

# Values fixed by PROTOCOL.md: every portal knows them.
ORGANISATION_KINDS = ("technology_provider", "end_user", "integrator", "research", "cluster", "other")
LISTING_KINDS = ("offer", "need")
LISTING_STATUSES = ("open", "closed")

KIND_LABELS = {
    "technology_provider": _l("Technology provider"),
    "end_user": _l("End user"),
    "integrator": _l("Integrator"),
    "research": _l("Research organisation"),
    "cluster": _l("Cluster"),
    "other": _l("Other"),
}

STATUS_LABELS = {"open": _l("Open"), "closed": _l("Closed")}

LISTING_KIND_LABELS = {"offer": _l("Offer"), "need": _l("Need")}

SECTORS = {
    "photonics": _l("Photonics"),
    "agrifood": _l("Agrifood"),
    "health": _l("Health"),
    "medtech": _l("Medical technology"),
    "defence": _l("Defence"),
    "maritime": _l("Maritime"),
    "energy": _l("Energy"),
    "environment": _l("Environment"),
    "manufacturing": _l("Manufacturing"),
    "space": _l("Space"),
    "telecom": _l("Telecommunications"),
    "mobility": _l("Mobility"),
    "construction": _l("Construction"),
    "digital": _l("Digital"),
}

COOPERATION = {
    "commercial_agreement": _l("Commercial agreement"),
    "technical_cooperation": _l("Technical cooperation"),
    "licence": _l("Licence agreement"),
    "joint_venture": _l("Joint venture"),
    "research_cooperation": _l("Research cooperation"),
    "subcontracting": _l("Subcontracting"),
    "pilot": _l("Pilot or demonstration"),
    "supply": _l("Supply agreement"),
}

IPR = {
    "patented": _l("Patented"),
    "patent_pending": _l("Patent pending"),
    "know_how": _l("Secret know-how"),
    "copyright": _l("Copyright"),
    "none": _l("No IPR"),
}

#: Vocabulary name to (its defaults, the configuration key that replaces them).
VOCABULARIES = {
    "sectors": (SECTORS, "VOCABULARY_SECTORS"),
    "cooperation": (COOPERATION, "VOCABULARY_COOPERATION"),
    "ipr": (IPR, "VOCABULARY_IPR"),
}


def vocabulary(name):
    """The slugs and labels of one vocabulary, in display order (the instance's if set)."""
    defaults, key = VOCABULARIES[name]
    configured = current_app.config.get(key) if has_app_context() else None
    if not configured:
        return defaults  # callers only read it
    # Configured labels are plain strings; gettext lets a catalogue translate them (a default
    # label kept as is stays translated, its msgid being in the catalogue already).
    return {str(slug): gettext(str(text)) for slug, text in configured.items()}


def choices(name):
    """(slug, label) pairs for a form field."""
    return list(labels(name).items())


def label(name, slug):
    """The label of `slug` in vocabulary `name`; an unknown slug (a peer's) shows as it came."""
    return labels(name).get(slug, slug)


def labels(name):
    """Slug to translated label (a plain string), translated once per application and language:
    the vocabularies and catalogues are fixed at start-up, and lists repeat the labels
    (translating the sectors took ~0.2 ms, on every request showing one)."""
    if not has_request_context():
        return _translated(name)
    translated = current_app.extensions.setdefault("vocabulary_labels", {})
    key = (str(get_locale()), name)
    if key not in translated:
        translated[key] = _translated(name)
    return translated[key]


def _translated(name):
    fixed = {"kinds": KIND_LABELS, "statuses": STATUS_LABELS, "listing_kinds": LISTING_KIND_LABELS}
    return {slug: str(text) for slug, text in (fixed.get(name) or vocabulary(name)).items()}
