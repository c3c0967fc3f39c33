"""Names, job titles, bios and contact details for demo people."""
from .compose import ascii_fold, compose

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
    "end_user": (("Innovation manager", "Plant manager", "Head of industrial performance"),
                 ("Quality manager", "Maintenance manager", "Process engineer", "Purchasing manager",
                  "R&D project manager", "Industrial engineering manager")),
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
                 "Saint-Nazaire", "a pharmaceutical group", "a regional hospital", "the French Navy"],
    "research": ["a university in Québec", "a national research institute", "an optics laboratory in Bordeaux",
                 "a post-doc in Germany", "a European research infrastructure"],
    "cluster": ["a regional development agency", "a chamber of commerce", "an industrial start-up"],
    "other": ["a venture capital fund in Paris", "a regional bank", "a technology transfer office"],
}
_AREAS = {
    "technology_provider": ["product development", "sales for Europe", "the optical design team", "application "
                            "development", "customer projects"],
    "integrator": ["customer projects", "the vision and automation team", "after-sales"],
    "end_user": ["the innovation programme", "quality and food safety", "maintenance and new equipment projects",
                 "the continuous improvement programme"],
    "research": ["technology transfer", "the characterisation platform", "industrial partnerships", "a team of "
                 "twelve"],
    "cluster": ["working groups and business days", "European projects"],
    "other": ["deep-tech investments", "innovation funding"],
}
FIELDS = {"photonics": ["optics", "laser physics", "telecommunications", "materials science", "electronics"],
          "agrifood": ["food science", "agronomy", "process engineering", "microbiology"],
          "health": ["biomedical engineering", "medicine", "biophysics", "pharmacy", "biology"]}

_BIO = [
    ["{first} joined {short} in {year} [after {n} years at {prev}|from {prev}].",
     "{first} has worked at {short} since {year}, where {pron} leads {area}.",
     "Before joining {short} in {year}, {first} spent {n} years at {prev}."],
    ["{Pron} [works on|focuses on|is in charge of projects on] {t1} and {t2}.",
     "{Pron} is the main contact for [partnerships|projects] on {t1}.",
     "{Pron} [has a particular interest in|follows closely] {t1}[, especially for {t2}|]."],
    ["?{Pron} holds [a PhD|a master's degree|an engineering degree] in {field}.",
     "[Happy|Always happy] to [discuss|talk about] {t2} at the B2B meetings.",
     "{Pron} speaks French, English and {lang}."],
]
_FOUNDER = "{first} [co-founded|founded] {short} in {founded} after [a PhD in {field}|{n} years at {prev}]."


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
_SOUTH_WEST = {"Bordeaux", "Poitiers", "La Rochelle", "Niort", "Angoulême", "Limoges", "Pau"}


def phone(city, rng):
    """A landline in the city's numbering zone: +33 2 for the north-west, +33 5 for the south-west."""
    if city in _FOREIGN_DIAL:
        number = "".join(str(rng.randint(0, 9)) for _ in range(7))
        return f"{_FOREIGN_DIAL[city]} {number[:3]} {number[3:]}"
    zone = "5" if city in _SOUTH_WEST else "2"
    return f"+33 {zone} " + " ".join(f"{rng.randint(10, 99)}" for _ in range(4))


def job_title(entry, index, rng):
    leads, others = entry.get("roles") or ROLES[entry["kind"]]
    if index == 0:
        return rng.choice(leads)
    return rng.choice(others)


def bio(entry, person, topics, domain, rng):
    """One to three sentences; founders of small companies get a founding line."""
    kind = entry["kind"]
    binding = {"first": person["first"], "short": entry["short"], "pron": person["pron"],
               "Pron": person["pron"].capitalize(), "year": rng.randint(2008, 2025), "n": rng.randint(3, 15),
               "prev": rng.choice(_PREVIOUS[kind]), "area": rng.choice(_AREAS[kind]),
               "t1": topics[0], "t2": topics[-1], "field": rng.choice(FIELDS[domain]),
               "lang": rng.choice(["Spanish", "German", "Breton", "Italian", "Portuguese"]),
               "founded": entry["founded_year"]}
    groups = [list(g) for g in _BIO]
    if "founder" in person["job_title"]:
        groups[0] = [_FOUNDER]
    return compose(groups, binding, rng)
