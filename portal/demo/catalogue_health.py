"""The health and medtech application cluster: care providers with needs, and medtech suppliers."""
from .compose import org

CLUSTER = {"cluster_id": "sante-atlantique", "name": "Santé Atlantique Medtech", "sector": "application",
           "colour": "#a3245a", "city": "Nantes"}
MEMBER_KIND = "end_user"
TARGET_LISTINGS = 90
LISTINGS = {"technology_provider": (2, 3), "integrator": (1, 2), "research": (2, 3), "end_user": (3, 4)}

TP, INT, RES, EU = "technology_provider", "integrator", "research", "end_user"
HOSPITAL = (("Director of innovation and research", "Head of biomedical engineering", "Medical director"),
            ("Consultant surgeon", "Head of infection prevention", "Hospital pharmacist", "Radiologist",
             "Senior nurse manager", "Clinical research project manager", "Dermatologist", "Gastroenterologist"))
CARE = (("Director", "Medical director"), ("Head nurse", "Quality and risk manager", "Coordinating physician",
                                           "Physiotherapist"))
IMAGING = (("Managing radiologist", "Medical director"), ("Radiologist", "Ophthalmologist",
                                                          "Imaging technologist manager", "Orthoptist"))
LAB = (("Medical director", "Site director"), ("Biologist", "Quality manager", "Process engineer",
                                               "Validation manager", "Head of QC"))
MEDTECH = (("CEO and co-founder", "Managing director", "CTO and co-founder"),
           ("Clinical affairs manager", "Regulatory affairs manager", "Head of R&D", "Business developer",
            "Product manager"))

ORGANISATIONS = [
    org("CHU de l'Estuaire", EU, "Nantes", 12500, "is the university hospital of the Loire estuary, with 2,800 "
        "beds, a cancer institute and a clinical investigation centre", ["health"],
        ["diagnosis", "surgical", "rooms", "endoscopy", "wearables"], guest=True, founded=1958,
        domain="chu-estuaire", short="the university hospital", roles=HOSPITAL),
    org("Hôpital Ker Avel", EU, "Quimper", 1800, "is a general hospital serving south-west Finistère",
        ["health"], ["rooms", "wearables", "wounds"], founded=1971, domain="ker-avel", short="the hospital",
        roles=HOSPITAL),
    org("Centre Hospitalier des Marches de l'Ouest", EU, "Laval", 2100, "provides acute, rehabilitation and "
        "geriatric care for the Mayenne", ["health"], ["rooms", "biosensors", "eye_oct"], founded=1968,
        domain="ch-marches", short="the hospital", roles=HOSPITAL),
    org("Clinique Chirurgicale des Dunes", EU, "La Rochelle", 420, "is a private surgical clinic specialised in "
        "urology, digestive and orthopaedic surgery", ["health"], ["surgical", "rooms", "endoscopy"],
        founded=1979, domain="clinique-dunes", short="the clinic", roles=HOSPITAL),
    org("Polyclinique du Val d'Ille", EU, "Rennes", 650, "performs 30,000 surgical and endoscopic procedures a "
        "year", ["health"], ["surgical", "endoscopy", "rooms"], founded=1986, domain="val-ille",
        short="the polyclinic", roles=HOSPITAL),
    org("Institut de Cancérologie Loire-Océan", EU, "Angers", 900, "is a comprehensive cancer centre for "
        "diagnosis, treatment and research", ["health"], ["diagnosis", "surgical", "biobank"], founded=1923,
        domain="iclo", short="ICLO", roles=HOSPITAL),
    org("Centre de Rééducation de Kerlaouen", EU, "Lorient", 230, "provides rehabilitation after surgery, "
        "stroke and cardiac events", ["health"], ["wearables", "wounds"], founded=1964, domain="kerlaouen",
        short="the centre", roles=CARE),
    org("Résidences Les Hortensias", EU, "Vannes", 380, "runs eleven nursing homes in Morbihan", ["health"],
        ["rooms", "wearables", "wounds"], founded=1993, domain="les-hortensias", short="the group", roles=CARE),
    org("Atlantique Imagerie Médicale", EU, "Nantes", 120, "runs six imaging centres with MRI, CT, ultrasound and "
        "retinal imaging", ["health"], ["diagnosis", "eye_oct"], founded=1990, domain="aim-imagerie",
        short="AIM", roles=IMAGING),
    org("Imagerie du Bocage", EU, "Cholet", 45, "is an imaging centre serving the Mauges and the Bocage",
        ["health"], ["diagnosis", "eye_oct"], founded=2001, domain="imagerie-bocage", roles=IMAGING),
    org("Institut de la Vision de Touraine", EU, "Tours", 80, "is an ophthalmology centre performing 9,000 "
        "cataract and retina procedures a year", ["health"], ["eye_oct", "surgical"], founded=1997,
        domain="vision-touraine", short="the institute", roles=IMAGING),
    org("BioOuest Laboratoires", EU, "Caen", 600, "runs 45 medical biology laboratories in Normandy and "
        "Brittany", ["health"], ["biosensors", "biobank"], founded=1999, domain="bioouest", roles=LAB),
    org("Laboratoires Pharmaceutiques de la Loire", EU, "Saint-Nazaire", 450, "manufactures tablets, "
        "injectables and freeze-dried products for pharmaceutical companies", ["health", "manufacturing"],
        ["pharma", "rooms"], founded=1974, domain="lpl-pharma", short="LPL", roles=LAB,
        ctx={"room": ["cleanroom airlocks", "filling-line isolators", "material transfer hatches"]}),
    org("Biobanque Régionale de l'Ouest", EU, "Rennes", 30, "stores and distributes biological samples for "
        "clinical research", ["health"], ["biobank"], founded=2006, domain="biobanque-ouest",
        short="the biobank", roles=LAB),
    org("Ambulances de l'Erdre", EU, "Nantes", 60, "provides emergency and scheduled patient transport",
        ["health", "mobility"], ["rooms", "biosensors"], founded=1988, domain="ambulances-erdre", roles=CARE,
        ctx={"room": ["ambulances"]}),
    org("Centres Dentaires de l'Ouest", EU, "Bordeaux", 150, "runs twelve dental centres in Nouvelle-Aquitaine",
        ["health"], ["rooms", "diagnosis"], founded=2009, domain="dentaires-ouest", roles=CARE,
        ctx={"room": ["dental surgeries"], "condition+dept": ["oral cancer ; oral surgery", "oral leukoplakia ; "
                                                              "oral medicine"]}),
    org("Dermaspec", TP, "Nantes", 12, "develops Raman and OCT tools that help dermatologists diagnose skin "
        "cancer", ["medtech", "health", "photonics"], ["biophotonics", "oct"], founded=2018, roles=MEDTECH),
    org("Cardiolux", TP, "Angers", 15, "makes optical wearables for remote monitoring of cardiac patients",
        ["medtech", "health", "digital"], ["wearable"], founded=2017, roles=MEDTECH),
    org("Endolumen", TP, "Rennes", 22, "develops single-use endoscopes with advanced imaging", ["medtech",
                                                                                              "health"],
        ["endoscope"], founded=2016, roles=MEDTECH),
    org("Asepta UV", TP, "Brest", 18, "builds autonomous UV-C disinfection robots for healthcare",
        ["medtech", "health", "photonics"], ["uvc"], founded=2019, domain="asepta", roles=MEDTECH),
    org("Biosentis", TP, "Tours", 9, "develops photonic biosensors for point-of-care diagnosis", ["medtech",
                                                                                                 "health"],
        ["poc_reader", "pic"], founded=2020, roles=MEDTECH),
    org("Laserix Médical", TP, "Lannion", 35, "designs surgical laser systems for urology, phlebology and "
        "dentistry", ["medtech", "health", "photonics"], ["surgical_laser"], founded=2007, domain="laserix",
        roles=MEDTECH),
    org("Rétinalys", TP, "Poitiers", 10, "develops a low-cost OCT for eye screening outside hospitals",
        ["medtech", "health"], ["oct"], founded=2021, roles=MEDTECH),
    org("Fluoroguide", TP, "Bordeaux", 14, "develops fluorescence imaging for image-guided surgery",
        ["medtech", "health", "photonics"], ["biophotonics"], founded=2018, roles=MEDTECH),
    org("Oxymétrix", TP, "Laval", 7, "makes a ring-shaped oximeter for home monitoring", ["medtech", "health"],
        ["wearable"], founded=2022, roles=MEDTECH),
    org("MedOptik Jena GmbH", TP, "Jena", 70, "manufactures OCT engines and laser sources for medical devices",
        ["medtech", "photonics"], ["oct", "sources"], country="DE", founded=2004, domain="medoptik-jena",
        short="MedOptik"),
    org("Biophotonics Leuven NV", TP, "Leuven", 25, "develops photonic chips for diagnostics and "
        "spectroscopy", ["medtech", "photonics"], ["pic", "biophotonics"], country="BE", founded=2015,
        domain="biophotonics-leuven", short="Biophotonics Leuven"),
    org("Salud Óptica SL", TP, "Barcelona", 20, "designs flexible endoscopes and imaging modules", ["medtech",
                                                                                                  "health"],
        ["endoscope"], country="ES", founded=2012, short="Salud Óptica"),
    org("Lichtmedisch BV", TP, "Nijmegen", 30, "designs UV-C and circadian lighting for hospitals", ["health",
                                                                                                    "photonics"],
        ["uvc", "lighting"], country="NL", founded=2014, short="Lichtmedisch"),
    org("Biomed Intégration Ouest", INT, "Nantes", 40, "installs and maintains biomedical equipment and "
        "telemonitoring solutions for hospitals and care homes", ["health", "digital"], ["wearable", "uvc"],
        founded=2000, domain="biomed-io", short="BIO"),
    org("Laboratoire d'Imagerie Biophotonique de l'Ouest", RES, "Rennes", 55, "develops optical imaging for "
        "diagnosis and surgery, from physics to clinical studies", ["health", "photonics", "medtech"],
        ["biophotonics", "oct"], domain="libo", short="LIBO"),
    org("Institut de Recherche en Santé Atlantique", RES, "Nantes", 300, "gathers teams in immunology, "
        "cardiology and biomedical engineering", ["health", "medtech"], ["poc_reader", "wearable"],
        domain="irsa-sante", short="IRSA"),
    org("Santé Atlantique Medtech", "cluster", "Nantes", 11, "is the health and medtech innovation cluster of "
        "the Atlantic regions", ["health", "medtech"], founded=2008, domain="sante-atlantique"),
    org("Fonds Santé Innovation Ouest", "other", "Nantes", 6, "invests in medtech and e-health start-ups",
        ["medtech", "digital"], founded=2015, domain="fsio"),
]
