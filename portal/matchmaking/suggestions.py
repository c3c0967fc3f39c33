"""Meeting suggestions: complementary listings compared by TF-IDF, plus sector overlap (pure Python).

Plain data in and out, no Flask: a participant is a dict
``{"id", "organisation_id", "sectors": [str], "listings": [listing]}`` and a listing a dict
``{"id", "kind": "offer"|"need", "title", "summary", "description", "keywords": [str],
"sectors": [str]}``. An offer answers a need and a need is answered by an offer; each
suggestion carries the pairs of listings that made it, with the terms they share.

A pair's score is the cosine of the two listings' TF-IDF vectors, the IDF taken over every
listing of the event: a word most listings use weighs almost nothing, a word two listings
share weighs a lot. A pair below MIN_PAIR_SCORE is no reason to meet, and a person with
no such pair is not suggested at all. Reasons list only the terms that carry the score.
Everything is sorted with a tie-break, so the same input always gives the same output.
"""
import math
import re
import unicodedata
from dataclasses import dataclass, field

#: How much each field of a listing counts (a word in the keywords counts three times).
FIELD_WEIGHTS = (("keywords", 3), ("title", 2), ("summary", 1), ("description", 1))
#: Below this cosine two listings have too little in common to be a reason to meet.
MIN_PAIR_SCORE = 0.12
#: A shared term is shown only if it carries at least this share of its pair's score.
MIN_TERM_SHARE = 0.08
#: Score added per sector both sides work in (a cosine is at most 1: sectors only break near-ties).
SECTOR_BONUS = 0.05
#: Listing pairs counted per suggestion, and shared terms shown per pair.
PAIRS_COUNTED, TERMS_SHOWN = 3, 4

COMPLEMENT = {"offer": "need", "need": "offer"}

#: Words that say nothing about a listing: common English and French words, number
#: words, and words every listing of a technology cluster uses (trl, ready, system...).
#: They are dropped before scoring, so they neither rank nor explain a suggestion.
STOPWORDS = frozenset("""
a about above after again against all almost along already also although always am among an
and another any anyone anything are around as at away back be because been before being below
between both but by can cannot could did do does doing done down during each either else end
enough even ever every few first for from further get gets getting give go good got had has have
having he her here hers him his how however i if in into is it its itself just last least less
let like made main make makes many may me might mine more most much must my near need needs
neither never next no nor not now of off often on once one only onto or other others otherwise
our ours out over own per perhaps rather really same several shall she should since so some
something still such than that the their theirs them then there these they thing things this
those though through thus to together too toward towards under until up upon us use used uses
using very via want was way ways we well were what whatever when where whether which while who
whole whom whose why will with within without would yet you your yours
two three four five six seven eight nine ten eleven twelve hundred thousand million second third
au aucun aussi autre autres aux avec avoir bien ce ceci cela celle celles celui ces cet cette
chaque chez comme comment dans de des deja depuis dont du elle elles en encore entre est et etre
etait eux fait faire ici il ils je la le les leur leurs lui ma mais me meme mes moi mon ne ni nos
notre nous on ont ou par pas peu peut plus pour pourquoi quand que quel quelle quelles quels qui
sa sans se selon ses si son sont sous sur ta te tes toi ton tous tout toute toutes tres tu un une
vers via vos votre vous deux trois quatre cinq sept huit neuf dix
trl ready readiness system systems solution solutions new based high low able approach level
levels looking seek seeking offer offers offering provide provides providing project projects
partner partners company companies etc eg ie
number numbers product products shared share site sites free run runs running take takes taken
form forms cooperation support technical condition conditions europe european collaborative year
years month months week weeks day days hour hours minute minutes time times team teams unit units
work works working development joint mature result results application applications successful
purchase access demonstrated nda protected regional value values user users tested real roll anr
horizon call calls lie lies know method methods filed core validated host hosts hosted step steps
agreement agreements study studies supply evaluation operational available small large early late
adapt adapted look wider wide standard willing start started week proprietary slot commercial
commercially including include includes contract contracts customer customers keep interested
subcontract trained representative relevant pre rate rates per cent percent free kind kinds type
types part parts lot lots range way today currently current able possible various specific sent send
numero nombre produit produits site libre an ans annee annees mois semaine semaines jour jours
heure heures minute temps travail travaux equipe equipes client clients projet projets essai
support technique techniques developpement collaboratif collaborative resultat resultats methode
etude etudes acces disponible petit petite grand grande nouveau nouvelle nouveaux premier premiere
besoin besoins offre offres entreprise entreprises societe partenaire partenaires cherchons
recherchons proposons souhaitons permet permettant permettre ainsi afin lors plusieurs tout tres
solution solutions systeme systemes niveau type cadre partie mise place faire fait etre avoir
""".split())
#: Singular words that end like an English plural.
NOT_PLURAL = frozenset({"series", "species", "gas", "lens", "process", "analysis", "diagnosis"})


@dataclass(frozen=True)
class Reason:
    """One complementary pair: my listing, theirs, and what they share."""

    my_listing_id: str
    my_kind: str
    my_title: str
    their_listing_id: str
    their_kind: str
    their_title: str
    score: float
    terms: tuple


@dataclass(frozen=True)
class Suggestion:
    person_id: str
    score: float
    reasons: tuple = ()
    sectors: tuple = ()
    met_before: bool = False
    extra: dict = field(default_factory=dict, compare=False)


def normalise(text):
    """Lower case without accents."""
    text = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


def stem(word):
    """A light English/French plural strip: sensors -> sensor, lasers -> laser."""
    if word in NOT_PLURAL:
        return word
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word[-1] in "sx" and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def tokens(text):
    """Significant stemmed words of a text."""
    words = (stem(w) for w in re.findall(r"[a-z0-9]+", normalise(text))
             if w not in STOPWORDS and len(w) > 1 and not w.isdigit())
    return [w for w in words if w not in STOPWORDS]


def phrase(text):
    """A keyword in comparable form (words stemmed, joined by one space)."""
    return " ".join(tokens(text))


def listing_terms(listing):
    """The weighted bag of words of a listing (field weights applied by repetition)."""
    bag = {}
    for name, weight in FIELD_WEIGHTS:
        value = listing.get(name) or ""
        text = " ".join(value) if isinstance(value, (list, tuple)) else value
        for word in tokens(text):
            bag[word] = bag.get(word, 0) + weight
    return bag


class Idf:
    """Inverse document frequency over a set of documents (each a bag of words).

    Smoothed, ln((N + 1) / df): never zero, so that two listings alone can still match,
    and ever smaller for a word more listings use.
    """

    def __init__(self, documents):
        self.count = len(documents)
        self.frequency = {}
        for bag in documents:
            for word in bag:
                self.frequency[word] = self.frequency.get(word, 0) + 1

    def __getitem__(self, word):
        return math.log((self.count + 1) / self.frequency.get(word, 1))


def vector(bag, idf):
    """A listing's TF-IDF vector (sublinear term frequency) and its length."""
    weights = {word: (1 + math.log(tf)) * idf[word] for word, tf in bag.items() if tf > 0}
    return weights, math.sqrt(sum(w * w for w in weights.values()))


def similarity(first, second):
    """The cosine of two (vector, length) pairs, and what each shared word brings to it."""
    (a, norm_a), (b, norm_b) = first, second
    if not norm_a or not norm_b:
        return 0.0, {}
    matched = {word: a[word] * b[word] / (norm_a * norm_b) for word in a.keys() & b.keys()}
    return sum(matched.values()), matched


def _parts(listing):
    """A listing's texts that explain a match: each keyword, the title, summary and description."""
    fields = [listing.get(name) or "" for name in ("title", "summary", "description")]
    return list(listing.get("keywords") or []) + fields


def _text_of(listing):
    """All of a listing's words in order, padded with spaces for phrase lookup."""
    return " " + " ".join(tokens(" . ".join(_parts(listing)))) + " "


def shared_terms(mine, theirs, matched):
    """Why two listings match: keywords of either found in the other, then the strongest words.

    Only words that carry a fair share of the pair's score are shown (`matched`: what
    each shared word brings), so a word every listing uses never explains a match.
    """
    total = sum(matched.values())
    strong = {word for word, part in matched.items() if total and part >= MIN_TERM_SHARE * total}
    texts = {id(mine): _text_of(mine), id(theirs): _text_of(theirs)}
    shown, covered = [], set()
    for source, other in ((mine, theirs), (theirs, mine)):
        for keyword in source.get("keywords") or []:
            key = phrase(keyword)
            if key and key not in covered and set(key.split()) & strong and f" {key} " in texts[id(other)]:
                shown.append(" ".join(normalise(keyword).split()))
                covered.add(key)
                covered.update(key.split())
    ranked = [word for word, _ in sorted(matched.items(), key=lambda item: (-item[1], item[0]))
              if word in strong and word not in covered]
    written, runs = _as_written(mine, theirs), (_runs(mine), _runs(theirs))
    for word in ranked:
        if word in covered:
            continue
        # Two strong words side by side in both listings are one phrase ("dry matter").
        words = next(([first, second] for other in ranked if other not in covered and other != word
                      for first, second in ((word, other), (other, word))
                      if all(f" {first} {second} " in run for run in runs)), [word])
        shown.append(" ".join(written.get(w, w) for w in words))
        covered.update(words)
    return tuple(shown[:TERMS_SHOWN])


def _runs(listing):
    """A listing's stemmed words in order, with "|" where a phrase cannot run on: a field's or a
    keyword's end, punctuation, a stop word."""
    words = []
    for part in _parts(listing):
        for word in re.findall(r"[a-z0-9]+|[^a-z0-9\s-]", normalise(part)):
            key = stem(word)
            significant = word.isalnum() and len(word) > 1 and not word.isdigit()
            words.append(key if significant and word not in STOPWORDS and key not in STOPWORDS else "|")
        words.append("|")
    return " " + " ".join(words) + " "


def _as_written(*listings):
    """Each stem's word as the listings write it most often (a stem such as "viruse" is no word)."""
    counts = {}
    for listing in listings:
        for word in re.findall(r"[a-z0-9]+", normalise(" ".join(_parts(listing)))):
            forms = counts.setdefault(stem(word), {})
            forms[word] = forms.get(word, 0) + 1
    return {key: min(forms, key=lambda form: (-forms[form], len(form), form)) for key, forms in counts.items()}


def suggest(me, participants, met=(), include_met=False, limit=20):
    """Ranked suggestions of people for `me` to meet among `participants`.

    People of my own organisation and myself are never suggested; people in `met`
    (already met at an earlier event) only when `include_met` is true.
    """
    met = set(met)
    others = [p for p in participants
              if p["id"] != me["id"]
              and not (me.get("organisation_id") and p.get("organisation_id") == me["organisation_id"])
              and (include_met or p["id"] not in met)]
    vectors = _vectors(me, others)
    my_sectors = set(me.get("sectors") or ())
    results = []
    for person in others:
        reasons = _reasons(me, person, vectors)
        if not reasons:
            continue
        text_score = sum(r.score for r in reasons[:PAIRS_COUNTED])
        common = tuple(sorted(my_sectors & set(person.get("sectors") or ())))
        score = text_score + SECTOR_BONUS * len(common)
        results.append(Suggestion(person["id"], round(score, 4), tuple(reasons[:PAIRS_COUNTED]),
                                  common, person["id"] in met))
    results.sort(key=lambda s: (-s.score, s.person_id))
    return results[:limit]


def why_none(me, participants, met=(), include_met=False):
    """Why `suggest` found nobody for `me`, as one code a page can put in words:

    "no_listings": I have no offer or need to compare; "alone": nobody of another
    organisation takes part; "met_only": only people I met before (hidden) would be
    suggested; "no_match": no one's listings complement mine closely enough.
    """
    if not me.get("listings"):
        return "no_listings"
    others = [p for p in participants if p["id"] != me["id"]
              and not (me.get("organisation_id") and p.get("organisation_id") == me["organisation_id"])]
    if not others:
        return "alone"
    if not include_met and suggest(me, participants, met=met, include_met=True):
        return "met_only"
    return "no_match"


def _vectors(me, others):
    """Every listing's TF-IDF vector, keyed (person id, listing id); IDF over all of them."""
    bags = {}
    for person in [me, *others]:
        for listing in person.get("listings") or []:
            bags[(person["id"], listing["id"])] = listing_terms(listing)
    idf = Idf(list(bags.values()))
    return {key: vector(bag, idf) for key, bag in bags.items()}


def _reasons(me, person, vectors):
    """The complementary pairs between my listings and theirs scoring enough, best first."""
    found = []
    for mine in me.get("listings") or []:
        wanted = COMPLEMENT.get(mine.get("kind"))
        if wanted is None:
            continue
        for theirs in person.get("listings") or []:
            if theirs.get("kind") != wanted:
                continue
            score, matched = similarity(vectors[(me["id"], mine["id"])], vectors[(person["id"], theirs["id"])])
            if score >= MIN_PAIR_SCORE:
                found.append(Reason(mine["id"], mine["kind"], mine.get("title", ""), theirs["id"],
                                    theirs["kind"], theirs.get("title", ""), round(score, 4),
                                    shared_terms(mine, theirs, matched)))
    found.sort(key=lambda r: (-r.score, r.my_listing_id, r.their_listing_id))
    return found


def explain(reason, template="your {my_kind} {mine} and their {their_kind} {theirs} share: {terms}",
            kinds=None):
    """A sentence saying why; `template` and `kinds` let the caller translate it."""
    kinds = kinds or {}
    return template.format(my_kind=kinds.get(reason.my_kind, reason.my_kind), mine=reason.my_title,
                           their_kind=kinds.get(reason.their_kind, reason.their_kind),
                           theirs=reason.their_title, terms=", ".join(reason.terms))
