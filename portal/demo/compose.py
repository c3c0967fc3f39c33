"""Template filling for demo texts: slots, inline alternatives and sector tags."""
import re
import unicodedata

_ALTERNATIVES = re.compile(r"\[([^\[\]]*\|[^\[\]]*)\]")
#: "a" before a lower-case vowel sound, as slot values can produce ("a optical phased array").
_ARTICLE = re.compile(r"\b([Aa]) (?=[aeio]|u(?!ni|s|r))")


def split_tags(value):
    """Split a slot value "offshore wind farms @energy maritime" into text and sector tags."""
    text, _, tags = value.partition(" @")
    return text, tags.split()


def bind(slots, rng):
    """Choose one value per slot; return the texts and the sector tags they carry.

    A slot named "gas+where" holds linked values "ammonia ; livestock buildings", so that
    the words that must agree are always chosen together.
    """
    texts, tags = {}, []
    for name in sorted(slots):
        text, value_tags = split_tags(rng.choice(slots[name]))
        names = name.split("+")
        parts = text.split(" ; ") if len(names) > 1 else [text]
        if len(parts) != len(names):
            raise ValueError(f"slot {name!r}: {text!r} does not have {len(names)} parts")
        texts.update(zip(names, parts))
        tags += [t for t in value_tags if t not in tags]
    return texts, tags


def fill(template, binding, rng):
    """Put slot values into a template, then resolve its [a|b|c] alternatives."""
    text, previous = template.format_map(binding), None
    while text != previous:  # inner alternatives first, then the ones around them
        previous, text = text, _ALTERNATIVES.sub(lambda m: rng.choice(m.group(1).split("|")), text)
    return _ARTICLE.sub(r"\1n ", text)


def compose(groups, binding, rng):
    """One sentence per group; a group with a variant starting with "?" is optional."""
    sentences = []
    for group in groups:
        if any(variant.startswith("?") for variant in group):
            if rng.random() < 0.4:
                continue
            group = [variant.removeprefix("?") for variant in group]
        sentences.append(capitalise(fill(rng.choice(group), binding, rng)))
    return " ".join(sentences)


def domain_of(sectors):
    """Which family of wording suits an organisation: "health", "agrifood" or "photonics" (the rest)."""
    if {"health", "medtech"} & set(sectors):
        return "health"
    return "agrifood" if "agrifood" in sectors else "photonics"


def capitalise(text):
    """Upper-case the first letter only: "mid-infrared analyser" becomes "Mid-infrared analyser"."""
    return text[:1].upper() + text[1:]


def ascii_fold(text):
    """Drop accents: "Quéméner" becomes "Quemener"."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def slug(text, words=2):
    """A short domain-style slug from a name: "Lumiwave Photonics SAS" gives "lumiwave-photonics"."""
    stop = {"de", "du", "des", "la", "le", "les", "l", "d", "et", "sas", "sa", "sarl",
            "gmbh", "bv", "nv", "sl", "srl", "the", "of", "and", "en"}
    tokens = re.findall(r"[a-z0-9]+", ascii_fold(text).lower())
    return "-".join([t for t in tokens if t not in stop][:words])


def org(name, kind, city, size, focus, sectors, topics=(), **extra):
    """A catalogue entry for one fictional organisation; `focus` is a verb phrase."""
    entry = {"name": name, "kind": kind, "city": city, "size": size, "focus": focus,
             "sectors": list(sectors), "topics": list(topics), "country": "FR",
             "guest": False, "domain": None, "ctx": {}, "founded": None, "extra": "", "roles": None,
             "short": name}
    unknown = set(extra) - set(entry)
    if unknown:
        raise TypeError(f"unknown organisation fields: {sorted(unknown)}")
    entry.update(extra)
    return entry
