"""Template filling for demo texts: slots, inline alternatives and sector tags."""
import re
import unicodedata

_ALTERNATIVES = re.compile(r"\[([^\[\]]*\|[^\[\]]*)\]")


def split_tags(value):
    """Split a slot value "offshore wind farms @energy maritime" into text and sector tags."""
    text, _, tags = value.partition(" @")
    return text, tags.split()


def bind(slots, rng):
    """Choose one value per slot; return the texts and the sector tags they carry."""
    texts, tags = {}, []
    for name in sorted(slots):
        text, value_tags = split_tags(rng.choice(slots[name]))
        texts[name] = text
        tags += [t for t in value_tags if t not in tags]
    return texts, tags


def fill(template, binding, rng):
    """Put slot values into a template, then resolve its [a|b|c] alternatives."""
    text = template.format_map(binding)
    return _ALTERNATIVES.sub(lambda m: rng.choice(m.group(1).split("|")), text)


def compose(groups, binding, rng):
    """One sentence per group; a group whose first variant starts with "?" is optional."""
    sentences = []
    for group in groups:
        if group[0].startswith("?"):
            if rng.random() < 0.4:
                continue
            group = [group[0][1:]] + list(group[1:])
        sentences.append(fill(rng.choice(group), binding, rng))
    return " ".join(sentences)


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
             "guest": False, "domain": None, "ctx": {}, "founded": None, "extra": "", "roles": None}
    unknown = set(extra) - set(entry)
    if unknown:
        raise TypeError(f"unknown organisation fields: {sorted(unknown)}")
    entry.update(extra)
    return entry
