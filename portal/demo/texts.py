"""Shared sentence pools for demo organisations and the closing lines of listings."""
from .compose import compose, fill

MARKETS = {
    "photonics": "photonics integrators and OEMs",
    "agrifood": "food processors and agricultural cooperatives",
    "health": "hospitals and clinical laboratories",
    "medtech": "medical device manufacturers",
    "defence": "defence primes and naval shipyards",
    "maritime": "shipowners, ports and oceanographic fleets",
    "energy": "utilities and offshore wind operators",
    "environment": "water utilities and environmental agencies",
    "manufacturing": "aerospace and automotive manufacturers",
    "space": "satellite makers and ground-station operators",
    "telecom": "telecom operators and network equipment makers",
    "mobility": "rail operators and automotive suppliers",
    "construction": "infrastructure owners and civil engineering firms",
    "digital": "software and data-platform companies",
}

_ORG = {
    "technology_provider": {
        "small": ["[Founded|Created] in {founded} [as a spin-off of a public laboratory|by former engineers of a "
                  "telecom equipment maker|after ten years of research in a university lab|with the support of "
                  "a regional incubator], the start-up now employs {size} people in {city}."],
        "mid": ["Founded in {founded}, the company employs {size} people in {city} and [exports about {export} % "
                "of its production|makes {export} % of its turnover outside France|has doubled its headcount "
                "since {later}]."],
        "large": ["The {city} site, [part of an international group|the group's centre of excellence for "
                  "photonics], employs {size} people [in R&D, production and support|including an R&D team "
                  "of {rd}]."],
        "then": [["Its customers are mainly {markets}.", "It [supplies|works with] {markets}.",
                  "Most of its [systems|products] go to {markets}."],
                 ["?A cluster member since {joined}, it is looking for [application partners|end users ready to "
                  "host pilots|integrators and distributors] in new markets.",
                  "?It [joined the cluster in {joined}|has been a cluster member since {joined}] to meet end users "
                  "outside its historical markets."]],
    },
    "integrator": {
        "small": ["Founded in {founded}, the company employs {size} people in {city} and has commissioned "
                  "[more than|over] {lines} [installations|lines|systems] [in western France|in France and abroad]."],
        "then": [["It [designs, installs and maintains|designs and commissions] [turnkey systems|complete "
                  "solutions] for {markets}.", "Its engineers combine mechanics, automation, optics and software "
                  "for {markets}."],
                 ["?It scouts sensor and imaging technologies it can integrate into [its customers' lines|the "
                  "systems it delivers]."]],
    },
    "end_user": {
        "small": ["With {size} employees in {city}, it [works closely with|is supported by] [its cooperative "
                  "members|a network of local producers|a handful of regional partners]."],
        "mid": ["It employs {size} people [at its {city} site|in {city} and two satellite sites] and [has invested "
                "in a new building in {later}|runs [two|three|four] shifts a day]."],
        "large": ["The group employs {size} people [across {sites} sites in western France|on {sites} sites], "
                  "[with its head office in|including its largest site in] {city}."],
        "then": [["Its innovation team [follows|screens] technologies that improve [quality, yield and working "
                  "conditions|process control and traceability|safety and energy efficiency]."],
                 ["?It joined the cluster to [meet technology providers able to answer concrete needs|test new "
                  "sensing and imaging technologies on its own sites]."]],
    },
    "research": {
        "small": ["The [laboratory|institute|centre] gathers about {size} researchers, engineers and PhD students "
                  "[in {city}|on its {city} campus]."],
        "then": [["Its technology transfer team offers [collaborative projects, PhD co-supervision and access to "
                  "its platforms|contract research and access to shared equipment|joint laboratories with industry "
                  "and short feasibility studies]."],
                 ["?It works with {markets} [on regional, national and European projects|through collaborative "
                  "projects]."]],
    },
    "cluster": {
        "small": ["The association brings together {members} members - companies, research laboratories and end "
                  "users - [across western France|in Brittany and the Pays de la Loire]."],
        "then": [["Its team of {size} runs working groups, technology-meets-application days and European "
                  "projects."]],
    },
    "other": {
        "small": ["Based in {city}, its team of {size} [has backed|supports] [more than|over] {lines} "
                  "[companies|projects] [since {founded}|in the region]."],
        "then": [["It [attends|co-organises] the cluster's business days to meet [project leaders|founders] early."]],
    },
}

_GUEST = ["{name} takes part in the cluster's technology-meets-application days as a special guest[, presenting "
          "its innovation roadmap and open challenges| and hosts a table of engineers and buyers]."]

_CARE_OPENING = {
    "small": ["Its team of {size} [works closely with the regional hospitals|serves patients across the area]."],
    "mid": ["It employs {size} staff [at its {city} site|in {city} and two satellite sites]."],
    "large": ["It employs {size} staff [on its {city} campus and {few} other sites|across {few} sites around "
              "{city}]."],
}
_CARE_THEN = [
    ["Its biomedical engineering and innovation teams assess technologies that improve [diagnosis, patient safety "
     "and care pathways|patient comfort and infection prevention]."],
    ["?It joined the cluster to [work with medtech companies on clinical evaluations|give clinicians a direct line "
     "to technology providers]."],
]


def _size_band(kind, size):
    return "small" if size <= 20 else "mid" if size <= (1000 if kind == "end_user" else 150) else "large"


def describe_organisation(entry, rng):
    """A 3-5 sentence description built from the entry's own focus line and pools per kind."""
    pools = _ORG[entry["kind"]]
    band = _size_band(entry["kind"], entry["size"])
    care = entry["kind"] == "end_user" and "health" in entry["sectors"] and "manufacturing" not in entry["sectors"]
    opening = _CARE_OPENING[band] if care else pools.get(band) or pools["small"]
    then = _CARE_THEN if care else pools["then"]
    founded = entry["founded"]
    binding = {"name": entry["name"], "city": entry["city"], "size": f"{entry['size']:,}", "founded": founded,
               "export": rng.choice([20, 30, 35, 40, 55, 60, 70]),
               "later": rng.randint(max(min(founded + 2, 2024), 2008), 2024),
               "rd": max(6, entry["size"] // rng.choice([4, 5, 6])), "sites": rng.randint(3, 14),
               "few": rng.randint(2, 5),
               "joined": rng.randint(max(founded, 2003), 2025), "members": rng.randint(95, 160),
               "lines": rng.choice([40, 60, 120, 150, 200]),
               "markets": _markets(entry["sectors"], rng)}
    parts = [f"{entry['name']} {entry['focus']}.", compose([opening] + then, binding, rng)]
    if entry["extra"]:
        parts.append(entry["extra"])
    if entry["guest"]:
        parts.append(fill(rng.choice(_GUEST), binding, rng))
    return " ".join(parts)


def _markets(sectors, rng):
    phrases = [MARKETS[s] for s in sectors if s in MARKETS and s != "photonics"] or [MARKETS["photonics"]]
    phrases = phrases[:2] if rng.random() < 0.7 else phrases[:1]
    return ", as well as ".join(phrases)


_TRL_OFFER = [
    (3, ["The [principle|concept] has been [demonstrated|validated] at laboratory scale (TRL {trl}) and the next "
         "step is a first functional prototype.", "This is early-stage work (TRL {trl}): the physics is proven on "
         "the bench and we want an application partner to shape the first prototype."]),
    (4, ["A laboratory prototype (TRL 4) has been validated on representative samples.",
         "A breadboard version (TRL 4) [runs in our lab in {city}|can be demonstrated in our lab in {city}]."]),
    (6, ["A [pre-series|field] prototype (TRL {trl}) has been [tested|validated] in a relevant environment "
         "[during a {months}-month trial|on a partner site].", "We have demonstrated the system (TRL {trl}) [on "
         "a partner site|in representative conditions] and are now [industrialising it|preparing a pre-series]."]),
    (7, ["The system has been demonstrated in operational conditions (TRL 7) and first units ship [in {next_year}|"
         "within six months of order]."]),
    (9, ["The product is commercially available (TRL {trl}) [and installed at more than {sites} sites|with "
         "{sites} systems in operation in Europe|and manufactured in {city}].", "It is a mature product (TRL "
         "{trl}) [with {sites} units in the field|backed by a two-year warranty and on-site support]."]),
]

_COOP_OFFER = {
    "commercial_agreement": ["distributors in [Germany and Benelux|northern Europe|Spain and Portugal]",
                             "end users ready for a commercial agreement"],
    "technical_cooperation": ["technical partners to adapt the system to new applications",
                              "an industrial partner for joint technical development"],
    "licence": ["a manufacturer interested in a licence for volume production",
                "licensees outside our core markets"],
    "joint_venture": ["a partner for a joint venture [for series production|on the export market]"],
    "research_cooperation": ["partners for a collaborative R&D project (ANR, Horizon Europe or regional calls)"],
    "subcontracting": ["companies that want to subcontract [development work|tests and studies|small-series "
                       "production] to us"],
    "pilot": ["end users willing to host a [three-month|six-month] pilot on their site", "a first pilot site"],
    "supply": ["OEMs looking for a [second-source|European] supplier", "a supply agreement with integrators"],
}

_COOP_NEED = {
    "commercial_agreement": "a purchase after a successful trial",
    "technical_cooperation": "joint technical development",
    "licence": "a licence to use the technology",
    "joint_venture": "a joint venture",
    "research_cooperation": "a collaborative research project",
    "subcontracting": "subcontracted development",
    "pilot": "a pilot on our site",
    "supply": "a supply contract",
}

_IPR = {
    "patented": ["The core [design|method] is protected by [a European patent|two granted patents|a patent family "
                 "filed in Europe and the US]."],
    "patent_pending": ["A patent application was filed in {pyear}.",
                       "[The key|Our] method is patent pending (application filed in {pyear})."],
    "know_how": ["The value lies in [our process know-how|proprietary calibration and processing know-how], "
                 "shared under NDA."],
    "copyright": ["The [processing|analysis] software is protected by copyright and licensed per site."],
    "none": ["[No IP restriction applies|There is no IP restriction] to a first collaboration."],
}

_NEED_TRL = ["We are looking for solutions at TRL {trl} or above[ that could run on site within a year|].",
             "Solutions should be mature enough (TRL {trl} or more) to be tested in real conditions."]
_NEED_OPEN = ["Early-stage ideas are welcome: we can help shape the specification.",
              "We are open to any maturity level, including a research partnership."]
_NEED_WHEN = {
    "agrifood": ["A first trial could run [during the {next_year} season|in spring {next_year}|before the end of "
                 "{next_year}], on one line before wider roll-out.", "We would like to test a solution [within "
                 "six months|before the next peak season] and roll it out to [our other sites|all lines] if it works."],
    "health": ["An evaluation could start [in {next_year}|within a year], [within a clinical study|first on a small "
               "group of patients].", "We would like to [launch a first evaluation|test a prototype] [in {next_year}|"
               "within twelve months], with the support of our clinical research unit."],
    "default": ["A first trial could start [in {next_year}|within six months] on one site before a wider "
                "deployment.", "We have [a budget for|internal support for] a pilot [in {next_year}|next year] and "
                "would scale up if results are conclusive."],
}
_NEED_OFFER = {
    "agrifood": ["We can provide [samples|product samples all year round], access to [the line|our line] for "
                 "trials and the support of our quality team.", "We can offer a test slot on the line and "
                 "[co-funding for a pilot|production data from the last two seasons]."],
    "health": ["We can provide access to a clinical team for evaluation, [anonymised data|a test room] and "
               "support with the ethics and regulatory steps.", "Our clinicians are ready to co-design the "
               "protocol and [host an evaluation|test a prototype] in the department."],
    "default": ["We can provide [a test site|access to our installations], [operational data|test specimens] and "
                "the support of our engineering team.", "We can host trials and share [operating data|incident "
                "records] under NDA."],
}


def _join(items):
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def offer_closing(trl, cooperation, ipr, binding, rng):
    """TRL, partner and IP sentences that end an offer."""
    binding = dict(binding, trl=trl, months=rng.choice([3, 4, 6, 9, 12]), sites=rng.choice([12, 25, 40, 80]),
                   pyear=binding["next_year"] - rng.choice([4, 3, 2, 1]))
    pool = next(p for top, p in _TRL_OFFER if trl <= top) if trl else []
    sentences = [fill(rng.choice(pool), binding, rng)] if pool else []
    wanted = [fill(rng.choice(_COOP_OFFER[c]), binding, rng) for c in cooperation]
    sentences.append(f"We are looking for {_join(wanted)}.")
    if ipr and (ipr != "none" or rng.random() < 0.5):
        sentences.append(fill(rng.choice(_IPR[ipr]), binding, rng))
    return " ".join(sentences)


def need_closing(trl, cooperation, domain, binding, rng):
    """Maturity, what the end user brings and the cooperation it expects."""
    binding = dict(binding, trl=trl)
    first = rng.choice(_NEED_TRL) if trl else rng.choice(_NEED_OPEN)
    sentences = [fill(first, binding, rng),
                 fill(rng.choice(_NEED_WHEN.get(domain, _NEED_WHEN["default"])), binding, rng),
                 fill(rng.choice(_NEED_OFFER.get(domain, _NEED_OFFER["default"])), binding, rng)]
    sentences.append(f"Cooperation could take the form of {_join([_COOP_NEED[c] for c in cooperation])}.")
    return " ".join(sentences)
