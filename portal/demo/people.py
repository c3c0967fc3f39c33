"""Names, job titles, bios and contact details for demo people."""
from .compose import ascii_fold, compose, domain_of

_FR_F = ("Marie Camille Claire Anne Sophie Julie Émilie Nathalie Isabelle Céline Aurélie Laure Élodie Hélène "
         "Sandrine Gwenaëlle Maëlle Nolwenn Solenn Morgane Anaïs Léa Chloé Manon Pauline Mathilde Charlotte "
         "Lucie Margaux Clémence Audrey Valérie Christine Delphine Agnès Gaëlle Soizic Katell Armelle Yasmine "
         "Nadia Inès Sarah Amandine Virginie Estelle Florence Juliette Élise Ophélie Anne-Sophie Marie-Laure")
_FR_M = ("Pierre Jean Nicolas Thomas Julien Guillaume Mathieu Sébastien Laurent Olivier Philippe Christophe "
         "Stéphane Yann Erwan Gwénaël Loïc Ronan Tanguy Goulven Maël Gaël Killian Corentin Antoine Hugo Louis "
         "Benoît François Vincent Arnaud Damien Fabrice Hervé Alain Bruno Denis Jérôme Xavier Yannick Karim "
         "Mehdi Samir Adrien Baptiste Quentin Romain Florian Étienne Jean-Marc Pierre-Yves Jean-Luc")
_FR_LAST = ("Le Gall|Le Goff|Le Bihan|Le Roux|Le Guen|Le Floch|Le Corre|Le Moal|Le Bras|Le Meur|Tanguy|Morvan|"
            "Cariou|Jaouen|Quéméner|Kerhervé|Guivarc'h|Le Berre|Hamon|Prigent|Riou|Guillou|Caradec|Kervella|"
            "Abgrall|Pennec|Le Saux|Nédélec|Salaün|Madec|Le Floc'h|Bourhis|Jégou|Even|Martin|Bernard|Dubois|"
            "Durand|Lefebvre|Moreau|Simon|Michel|Leroy|Roux|David|Bertrand|Morel|Fournier|Girard|Bonnet|"
            "Lambert|Fontaine|Rousseau|Muller|Faure|André|Mercier|Guérin|Boyer|Garnier|Chevalier|Legrand|"
            "Gauthier|Perrin|Robin|Clément|Morin|Henry|Roussel|Masson|Marchand|Duval|Dumont|Lemaire|Noël|"
            "Meunier|Brun|Blanchard|Giraud|Joly|Rivière|Brunet|Gaillard|Barbier|Renaud|Picard|Aubert|Colin|"
            "Caron|Renard|Besnard|Chauvin|Pichon|Gicquel|Boucher|Haddad|Benali|Nguyen|Tran|Da Silva|Ferreira|"
            "Lebreton|Gourvès|Thépaut|Derrien|Cadiou|Rolland|Launay|Gallou|Piriou|Le Lay")
_WORLD = (("Priya", "Raman", "f"), ("Wei", "Zhang", "m"), ("Lucas", "Oliveira", "m"), ("Aïcha", "Diallo", "f"),
          ("Andrei", "Popescu", "m"), ("Giulia", "Bianchi", "f"), ("Ravi", "Subramanian", "m"),
          ("Elena", "Petrova", "f"), ("Tomasz", "Kowalski", "m"), ("Hiroshi", "Tanaka", "m"))
_FOREIGN = {
    "DE": ("Katrin Anja Julia Sabine Miriam Lena", "Matthias Stefan Jens Tobias Florian Markus",
           "Schneider|Fischer|Weber|Hoffmann|Becker|Schäfer|Richter|Wolf|Krüger|Zimmermann"),
    "NL": ("Anouk Sanne Femke Lotte Marieke", "Joost Pieter Sander Bram Niels Ruud",
           "de Vries|van Dijk|Bakker|Visser|Smit|Jansen|van den Berg|Mulder|de Jong"),
    "ES": ("Lucía Marta Elena Carmen Núria", "Javier Alejandro Pablo Sergio Jordi",
           "García|Martínez|López|Sánchez|Fernández|Romero|Navarro|Puig|Ortega"),
    "BE": ("Elke Griet Sophie Charlotte Amélie", "Wouter Koen Thibault Maxime Cédric",
           "Peeters|Janssens|Maes|Claes|Dubois|Lambert|Wouters|Dupont|Mertens|Goossens"),
}

ROLES = {
    "technology_provider": (("CEO and co-founder", "Managing director", "CTO and co-founder"),
                            ("Head of R&D", "Business development manager", "Sales engineer", "Senior optical "
                             "engineer", "Product manager", "Application engineer", "Key account manager")),
    "integrator": (("Managing director", "Technical director"),
                   ("Project manager", "Automation engineer", "Technical sales manager", "Vision engineer")),
    "end_user": (("Innovation manager", "Technical director", "Head of operations"),
                 ("Maintenance manager", "Asset manager", "Engineering manager", "Purchasing manager",
                  "R&D project manager", "Operations manager")),
    "research": (("Head of technology transfer", "Research director", "Deputy director"),
                 ("Associate professor", "Research engineer", "Platform manager", "Partnership manager",
                  "CNRS research scientist")),
    "cluster": (("Innovation project manager", "Head of business development"), ("Project officer",)),
    "other": (("Investment manager", "Partner"), ("Innovation adviser", "Analyst")),
}

_PREVIOUS = {
    "technology_provider": ["a telecom equipment maker in Lannion", "a defence optronics group", "a CNRS "
                            "laboratory", "a semiconductor fab near Grenoble", "a German laser manufacturer",
                            "a start-up in Sophia Antipolis", "an aerospace supplier in Toulouse"],
    "integrator": ["an automation integrator in Nantes", "a packaging machine builder", "an automotive supplier",
                   "a robotics start-up"],
    "end_user": ["a large dairy cooperative", "an automotive plant", "a consulting firm in Paris", "a shipyard in "
                 "Saint-Nazaire", "a pharmaceutical group", "a French Navy dockyard"],
    "research": ["a university in Québec", "a national research institute", "an optics laboratory in Bordeaux",
                 "a laboratory in Germany", "a European research infrastructure"],
    "cluster": ["a regional development agency", "a chamber of commerce", "an industrial start-up"],
    "other": ["a venture capital fund in Paris", "a regional bank", "a technology transfer office"],
}
_PREVIOUS_USERS = {
    "health": ["a regional hospital", "a university hospital in Paris", "a medical device company", "a "
               "pharmaceutical group", "a clinical research organisation"],
    "agrifood": ["a large dairy cooperative", "an international food group", "a meat processing group", "a "
                 "packaging machine builder", "a consulting firm in Paris"],
}
DEGREES = {
    "photonics": ["a PhD in optics", "a PhD in laser physics", "an engineering degree in telecommunications",
                  "a master's degree in materials science", "an engineering degree in electronics"],
    "agrifood": ["an engineering degree in food science", "a master's degree in agronomy", "a PhD in "
                 "microbiology", "an engineering degree in process engineering"],
    "health": ["a medical degree", "a PhD in biophysics", "an engineering degree in biomedical engineering",
               "a doctorate in pharmacy", "a PhD in cell biology"],
}

_BIO = [
    ["{first} joined {short} as {role} in {year}[ after {n} years at {prev}|, coming from {prev}].",
     "{first} has been {role} at {short} since {year}.",
     "Before joining {short} in {year}, {first} spent {n} years at {prev}."],
    ["{Pron} [works on|focuses on|is in charge of projects on] {t1} and {t2}.",
     "{Pron} is the main contact for [partnerships|projects] on {t1}.",
     "{Pron} [has a particular interest in|closely follows] {t1} and {t2}."],
    ["{Pron} holds {degree}.",
     "?[Happy|Always happy] to [discuss|talk about] {t2} at the B2B meetings.",
     "{Pron} speaks French, English and {lang}."],
]
_FOUNDER = "{first} [co-founded|founded] {short} in {founded} after [{degree}|{n} years at {prev}]."


def pick_name(country, rng):
    """A (first name, last name, gender) triple fitting the organisation's country."""
    if country in _FOREIGN:
        female, male, last = _FOREIGN[country]
    elif rng.random() < 0.06:
        return rng.choice(_WORLD)
    else:
        female, male, last = _FR_F, _FR_M, _FR_LAST
    gender = rng.choice("fm")
    first = rng.choice((female if gender == "f" else male).split())
    return first, rng.choice(last.split("|")), gender


def email(first, last, domain):
    local = f"{ascii_fold(first)}.{ascii_fold(last)}".lower().replace("'", "").replace(" ", "")
    return f"{local}@{domain}.example"


_FOREIGN_DIAL = {"Jena": "+49 3641", "Aachen": "+49 241", "Bremen": "+49 421", "Berlin": "+49 30",
                 "Leuven": "+32 16", "Liège": "+32 4", "Gent": "+32 9", "Gembloux": "+32 81",
                 "Valencia": "+34 96", "Barcelona": "+34 93", "Bilbao": "+34 94", "Eindhoven": "+31 40",
                 "Delft": "+31 15", "Wageningen": "+31 317", "Nijmegen": "+31 24"}
#: The first digits of French landlines by city; 02 covers the north-west, 05 the south-west.
_AREA = {"96": "Lannion Dinan Saint-Brieuc Loudéac", "97": "Lorient Vannes Carnac Pontivy",
         "98": "Brest Quimper Morlaix Landerneau Lannilis Huelgoat Douarnenez Le-Guilvinec Saint-Pol-de-Léon",
         "99": "Rennes Vitré Saint-Malo Redon", "40": "Nantes Saint-Nazaire", "41": "Angers Saumur Cholet",
         "43": "Laval Sablé-sur-Sarthe", "31": "Caen Bayeux", "47": "Tours"}
_AREA_SW = {"Poitiers": "49", "La Rochelle": "46", "Bordeaux": "56"}


def phone(city, rng):
    """A landline in the city's numbering area: +33 2 96 for Lannion, +33 5 56 for Bordeaux."""
    if city in _FOREIGN_DIAL:
        number = "".join(str(rng.randint(0, 9)) for _ in range(7))
        return f"{_FOREIGN_DIAL[city]} {number[:3]} {number[3:]}"
    key = city.replace(" ", "-")
    area = next((a for a, cities in _AREA.items() if key in cities.split()), None)
    prefix = f"5 {_AREA_SW[city]}" if city in _AREA_SW else f"2 {area or rng.choice(['96', '97', '98', '99'])}"
    return f"+33 {prefix} " + " ".join(f"{rng.randint(0, 99):02d}" for _ in range(3))


def job_titles(entry, count, rng):
    """The lead's title then distinct others; founders only head young, small companies."""
    leads, others = entry["roles"] or ROLES[entry["kind"]]
    if entry["size"] > 60 or entry["founded"] < 2000:
        leads = [t for t in leads if "founder" not in t] or ["Managing director"]
    return [rng.choice(leads)] + rng.sample(others, min(count - 1, len(others)))


def _in_sentence(title):
    """"Plant manager" reads "plant manager" mid-sentence; "CTO" and "R&D ..." keep their capitals."""
    first = title.split()[0]
    return title if not first[1:].islower() else title[:1].lower() + title[1:]


def _role(title, lead):
    """A role as a sentence needs it: "a process engineer", but "head of R&D" or "managing director"."""
    unique = lead or title.startswith("Head") or "director" in title.lower()
    return ("" if unique else "a ") + _in_sentence(title)


def bio(entry, person, topics, rng):
    """Two or three sentences on a person's path and interests; founders get a founding line.

    `person` holds first, pron ("she" or "he"), job_title and lead (heads the organisation's staff list).
    """
    domain, title = domain_of(entry["sectors"]), person["job_title"]
    previous = _PREVIOUS_USERS.get(domain, _PREVIOUS["end_user"]) if entry["kind"] == "end_user" else None
    binding = {"first": person["first"], "short": entry["short"], "pron": person["pron"],
               "Pron": person["pron"].capitalize(), "year": rng.randint(max(entry["founded"], 2005), 2025),
               "n": rng.randint(3, 15), "role": _role(title, person["lead"]),
               "prev": rng.choice(previous or _PREVIOUS[entry["kind"]]),
               "t1": topics[0], "t2": topics[-1], "degree": rng.choice(DEGREES[domain]),
               "lang": rng.choice(["Spanish", "German", "Breton", "Italian", "Portuguese"]),
               "founded": entry["founded"]}
    if "founder" in title:
        return compose([[_FOUNDER], _BIO[1], [v for v in _BIO[2] if "{degree}" not in v]], binding, rng)
    return compose(_BIO, binding, rng)
