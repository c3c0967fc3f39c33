"""The photonics technology cluster: its fictional members, mostly technology providers."""
from .compose import org

CLUSTER = {"cluster_id": "photonics-bretagne", "name": "Photonics Bretagne", "sector": "technology",
           "colour": "#1d4e89", "city": "Lannion"}
MEMBER_KIND = "technology_provider"
TARGET_LISTINGS = 150
#: Listings per organisation, by kind: (fewest, most).
LISTINGS = {"technology_provider": (3, 5), "integrator": (2, 3), "research": (3, 4), "end_user": (2, 3)}

TP, INT, RES, EU = "technology_provider", "integrator", "research", "end_user"
HOSPITAL_ROLES = (("Head of biomedical engineering", "Director of innovation and research"),
                  ("Consultant surgeon", "Head of infection prevention", "Urologist", "Senior nurse manager"))
FOOD_ROLES = (("Plant manager", "Innovation manager"),
              ("Quality and food safety manager", "Maintenance manager", "Process engineer", "Production manager"))
NAVAL_ROLES = (("Head of open innovation", "Technical director, sensors and weapons"),
               ("Optronics architect", "Naval systems engineer", "Buyer, electro-optical equipment"))

ORGANISATIONS = [
    org("Lumiwave Photonics", TP, "Lannion", 64, "designs and manufactures pulsed and single-frequency fibre lasers "
        "for industry, sensing and research", ["photonics", "manufacturing", "defence"], ["sources", "processing"],
        founded=2009),
    org("Armor Fibre Sensing", TP, "Lannion", 18, "develops fibre Bragg grating sensors and interrogators for "
        "structural and energy asset monitoring", ["photonics", "energy", "construction"], ["fbg", "distributed"],
        founded=2016, domain="armorfibre"),
    org("Kerlaser Systems", TP, "Brest", 35, "builds pulsed laser cleaning systems for surface preparation in "
        "naval, nuclear and aerospace maintenance", ["photonics", "maritime", "energy", "manufacturing"],
        ["cleaning"], founded=2012, domain="kerlaser"),
    org("Optirance", TP, "Rennes", 12, "is an optical design office that turns system specifications into "
        "manufacturable lenses, freeform optics and optomechanics", ["photonics", "space", "medtech", "defence"],
        ["optics"], founded=2015),
    org("Spectralis Ouest", TP, "Quimper", 22, "develops hyperspectral cameras and classification software for "
        "sorting food and recycled materials", ["photonics", "agrifood", "environment"], ["hyperspectral", "vision"],
        founded=2014, domain="spectralis"),
    org("Iroise LiDAR", TP, "Brest", 27, "designs eye-safe LiDAR sensors and point-cloud software for maritime "
        "surveillance and coastal survey", ["photonics", "maritime", "defence", "environment"], ["lidar"],
        founded=2013),
    org("Trégor Photonic Circuits", TP, "Lannion", 15, "designs and packages photonic integrated circuits on "
        "silicon nitride and indium phosphide", ["photonics", "telecom", "health", "mobility"], ["pic"],
        founded=2018, domain="tpcircuits"),
    org("UVenta", TP, "Vannes", 9, "develops UV-C LED disinfection modules for food plants, care settings and "
        "water treatment", ["photonics", "agrifood", "health"], ["uvc"], founded=2020),
    org("Aberwave Communications", TP, "Lannion", 14, "develops free-space optical terminals for high-throughput, "
        "licence-free links", ["photonics", "telecom", "defence", "space"], ["fso"], founded=2017,
        domain="aberwave"),
    org("Quantiq Bretagne", TP, "Lannion", 7, "builds quantum key distribution systems and single-photon "
        "detection modules", ["photonics", "telecom", "defence"], ["qkd"], founded=2021, domain="quantiq"),
    org("Thermovision Atlantique", TP, "Lorient", 48, "designs and assembles uncooled thermal imaging cores and "
        "ruggedised infrared cameras", ["photonics", "defence", "maritime", "energy"], ["thermal"], founded=2004,
        domain="thermovision"),
    org("Spectrolab Goëlo", TP, "Saint-Brieuc", 11, "develops NIR and Raman analysers for inline food and feed "
        "quality control", ["photonics", "agrifood"], ["spectro"], founded=2016, domain="spectrolab-goelo"),
    org("Octavis Imaging", TP, "Rennes", 16, "develops optical coherence tomography systems for dermatology and "
        "industrial inspection", ["photonics", "health", "medtech", "manufacturing"], ["oct"], founded=2015,
        domain="octavis"),
    org("Verres et Fibres du Trégor", TP, "Lannion", 29, "draws specialty optical fibres - chalcogenide, fluoride, "
        "radiation-hardened - for demanding environments", ["photonics", "space", "defence", "health"], ["fibres"],
        founded=2008, domain="vftregor", short="VFT"),
    org("Breizh Optique de Précision", TP, "Quimper", 56, "polishes and coats precision optics, from germanium "
        "lenses to laser mirrors", ["photonics", "defence", "space", "manufacturing"], ["optics"], founded=1991,
        domain="bop-optique", short="BOP"),
    org("Rayonnance", TP, "Nantes", 10, "develops mid-infrared laser gas analysers for environmental and "
        "agricultural emissions", ["photonics", "environment", "agrifood"], ["gas"], founded=2019),
    org("Neodyme Laser Services", TP, "Saint-Brieuc", 32, "runs a laser job shop for welding, cutting and marking, "
        "from prototypes to series", ["photonics", "manufacturing", "medtech", "mobility"], ["processing"],
        founded=2006, domain="neodyme-laser"),
    org("Fotonika Sensing", TP, "Brest", 13, "builds distributed acoustic and temperature sensing interrogators for "
        "cables, pipelines and perimeters", ["photonics", "energy", "maritime", "telecom"], ["distributed"],
        founded=2018, domain="fotonika"),
    org("Mirabelle Biophotonics", TP, "Rennes", 8, "develops fluorescence and Raman imaging tools that guide "
        "surgeons in real time", ["photonics", "health", "medtech"], ["biophotonics"], founded=2020,
        domain="mirabelle-bio"),
    org("Lidaria", TP, "Nantes", 24, "develops solid-state LiDAR and photonic chips for mobility and agriculture",
        ["photonics", "mobility", "agrifood"], ["lidar", "pic"], founded=2017),
    org("Kerlux Éclairage", TP, "Morlaix", 19, "designs LED luminaires and light recipes for greenhouses, "
        "livestock buildings and care settings", ["photonics", "agrifood", "health"], ["lighting"], founded=2011,
        domain="kerlux"),
    org("Optopolis Test & Mesure", TP, "Lannion", 40, "designs test and measurement equipment for fibre networks "
        "and photonic components", ["photonics", "telecom"], ["pic", "distributed"], founded=2002,
        domain="optopolis", short="Optopolis"),
    org("Vigie Optronique", TP, "Brest", 120, "designs optronic surveillance systems combining thermal cameras, "
        "lasers and image processing", ["photonics", "defence", "maritime"], ["thermal", "lidar"], founded=1998),
    org("Astrolase", TP, "Caen", 21, "develops laser communication terminals and space-qualified optics for small "
        "satellites", ["photonics", "space", "telecom"], ["fso", "optics"], founded=2016),
    org("Photonéo Santé", TP, "Rennes", 6, "develops a handheld OCT and Raman probe for skin cancer diagnosis",
        ["photonics", "health", "medtech"], ["oct", "biophotonics"], founded=2022, domain="photoneo-sante"),
    org("Armorique Vision Industrielle", TP, "Vannes", 26, "builds 3D and deep-learning vision systems for quality "
        "inspection", ["photonics", "agrifood", "manufacturing", "digital"], ["vision"], founded=2010,
        domain="armorique-vision", short="AVI"),
    org("Sensolux", TP, "Lorient", 5, "develops laser-based sensors for gas emissions at sea and in ports",
        ["photonics", "maritime", "environment"], ["gas"], founded=2023),
    org("Ultrafast Ouest", TP, "Rennes", 17, "builds femtosecond and picosecond lasers for micromachining and "
        "biomedical imaging", ["photonics", "manufacturing", "health"], ["sources"], founded=2014),
    org("Héliotrope Networks", TP, "Lannion", 420, "is the Lannion design centre of an optical networking group, "
        "developing coherent transceivers and optical modules", ["photonics", "telecom"], ["pic", "fso"],
        founded=1987, domain="heliotrope-networks"),
    org("Saale Photonik GmbH", TP, "Jena", 85, "manufactures hyperspectral and spectroscopic instruments for "
        "industry and research", ["photonics", "agrifood", "manufacturing"], ["hyperspectral", "spectro"],
        country="DE", founded=2001, domain="saale-photonik", short="Saale Photonik"),
    org("Lumitec Liège", TP, "Liège", 38, "designs UV-C and visible LED systems for disinfection and horticulture",
        ["photonics", "health", "agrifood"], ["uvc", "lighting"], country="BE", founded=2010, domain="lumitec"),
    org("Óptica Levante SL", TP, "Valencia", 28, "develops thermal and multispectral cameras for agriculture and "
        "industry", ["photonics", "agrifood", "energy"], ["thermal", "hyperspectral"], country="ES", founded=2012,
        short="Óptica Levante"),
    org("Photonova BV", TP, "Eindhoven", 45, "designs and packages indium phosphide photonic chips for sensing and "
        "telecom", ["photonics", "telecom", "health"], ["pic"], country="NL", founded=2013, short="Photonova"),
    org("Atelier Automatismes du Léon", INT, "Landerneau", 45, "integrates vision, robotics and automation on "
        "food-processing lines", ["agrifood", "manufacturing"], ["vision", "hyperspectral"], founded=1994,
        domain="aal-automatismes", short="AAL"),
    org("Intégral Systèmes Navals", INT, "Lorient", 70, "integrates sensor suites, communications and control "
        "systems on naval and commercial ships", ["maritime", "defence"], ["thermal", "fso"], founded=1989,
        domain="isn-navals", short="ISN"),
    org("Arvor Robotique", INT, "Rennes", 33, "designs robotic laser cells for welding, cleaning and marking",
        ["manufacturing", "mobility"], ["processing", "cleaning"], founded=2008),
    org("Celtis Instrumentation", INT, "Saint-Brieuc", 24, "installs and maintains monitoring systems on bridges, "
        "dams and energy assets", ["construction", "energy"], ["fbg", "distributed"], founded=2003, domain="celtis"),
    org("Institut Photon Armor", RES, "Lannion", 180, "is a public research laboratory working on optical fibres, "
        "lasers, integrated optics and optical communications", ["photonics", "telecom", "health"],
        ["fibres", "pic", "qkd", "sources"], domain="photon-armor", short="IPA",
        extra="A joint unit of two universities and the national research centre, it hosts the regional "
              "fibre-drawing platform and a clean room open to companies."),
    org("Centre d'Études Photoniques de la Mer", RES, "Brest", 60, "develops optical instruments for ocean "
        "observation: underwater imaging, bathymetric LiDAR and in-situ sensors", ["photonics", "maritime",
                                                                                  "environment"],
        ["lidar", "spectro"], domain="cepm-mer", short="CEPM"),
    org("Institut d'Ingénierie Photonique du Trégor", RES, "Lannion", 95, "is an engineering school and research "
        "centre that trains photonics engineers and runs applied projects with industry",
        ["photonics", "telecom", "manufacturing"], ["optics", "vision"], domain="i2pt", short="I2PT"),
    org("Laboratoire Lumière et Vivant", RES, "Rennes", 45, "studies light-tissue interaction and develops optical "
        "methods for diagnosis and therapy", ["photonics", "health", "medtech"], ["biophotonics", "oct"],
        domain="lumiere-vivant", short="LLV"),
    org("Naval Atlantique Défense", EU, "Lorient", 3800, "designs and builds surface ships and submarines for "
        "navies in Europe and beyond", ["defence", "maritime"], ["naval_sensing", "secure_link", "hull"],
        guest=True, founded=1961, domain="nad-naval", short="NAD", roles=NAVAL_ROLES,
        ctx={"platform": ["frigates", "offshore patrol vessels", "submarines in surface transit"],
             "fleet": ["twelve frigates under through-life support", "a class of offshore patrol vessels in "
                       "service"]}),
    org("Énergies de l'Ouest Atlantique", EU, "Nantes", 5200, "produces and distributes electricity and renewable "
        "energy across western France", ["energy"], ["wind", "grid"], guest=True, founded=1946,
        domain="eoa-energies", short="EOA"),
    org("Éoliennes du Ponant", EU, "Saint-Nazaire", 140, "develops and operates offshore and floating wind farms "
        "along the Atlantic coast", ["energy", "maritime"], ["wind"], founded=2011, domain="eoliennes-ponant"),
    org("Légumiers de la Côte d'Émeraude", EU, "Saint-Malo", 260, "is a cooperative that packs and markets "
        "cauliflowers, artichokes and shallots from 600 member growers", ["agrifood"], ["sorting", "yield"],
        founded=1972, domain="legumiers-emeraude", short="the cooperative", roles=FOOD_ROLES,
        ctx={"product+defect": ["cauliflowers ; yellowing and black spots", "artichokes ; bract browning and "
                                "frost damage", "shallots ; sprouting and neck rot"],
             "crop": ["cauliflowers", "artichokes", "shallots"], "area": ["600 growers", "7,500 hectares"]}),
    org("Conserverie Penn Ar Bed", EU, "Douarnenez", 180, "cans sardines, mackerel and tuna caught along the "
        "Breton coast", ["agrifood", "maritime"], ["foreign_bodies", "seafood", "seals"], founded=1921,
        domain="penn-ar-bed", short="Penn Ar Bed", roles=FOOD_ROLES,
        ctx={"product": ["sardine fillets", "mackerel fillets", "tuna loins"],
             "contaminant": ["residual bones", "pieces of blue glove", "fragments of fishing net"],
             "fish+check": ["sardines ; freshness", "mackerel ; parasite infestation",
                            "tuna loins ; species and origin"],
             "pack": ["easy-open cans", "glass jars of fish spreads"]}),
    org("Laiterie du Porhoët", EU, "Loudéac", 320, "collects milk from 450 farms and makes butter, cream and milk "
        "powder", ["agrifood"], ["composition", "uv_surfaces"], founded=1965, domain="laiterie-porhoet",
        roles=FOOD_ROLES,
        ctx={"product+param": ["raw milk ; fat and protein", "butter ; moisture and salt", "cream ; fat"],
             "surface": ["butter packing conveyors", "cheese ripening boards", "returnable milk crates"]}),
    org("Centre Hospitalier de la Rade", EU, "Brest", 2900, "is a general hospital with 900 beds covering surgery, "
        "emergency medicine and oncology", ["health"], ["rooms", "surgical"], founded=1972,
        domain="ch-rade", short="the hospital", roles=HOSPITAL_ROLES),
    org("Ports et Rades de Bretagne Ouest", EU, "Brest", 210, "manages commercial, fishing and leisure ports in "
        "western Brittany", ["maritime", "environment"], ["port_watch", "emissions"], founded=2007,
        domain="ports-rades", short="PRBO"),
    org("Armement Iroise Pêche", EU, "Lorient", 95, "operates a fleet of 18 trawlers and sells at the Lorient fish "
        "auction", ["maritime", "agrifood"], ["hull", "seafood"], founded=1983, domain="iroise-peche",
        ctx={"fleet": ["a fleet of 18 trawlers"],
             "fish+check": ["hake and monkfish ; freshness", "langoustines ; freshness",
                            "pollack ; parasite infestation"]}),
    org("Réseau Fibre Armor", EU, "Saint-Brieuc", 150, "builds and operates the public FTTH network of the "
        "Côtes-d'Armor", ["telecom"], ["network"], founded=2015, domain="fibre-armor"),
    org("Ouvrages d'Art de l'Ouest", EU, "Rennes", 75, "inspects and maintains bridges, tunnels and quay walls for "
        "public owners", ["construction"], ["civil"], founded=1996, domain="oao-ouvrages", short="OAO"),
    org("Chantiers Navals du Blavet", EU, "Lorient", 230, "builds and repairs fishing vessels, ferries and "
        "workboats", ["maritime", "manufacturing"], ["shopfloor", "hull"], founded=1954, domain="cn-blavet",
        short="the shipyard"),
    org("Photonics Bretagne", "cluster", "Lannion", 14, "is the photonics technology cluster of Brittany",
        ["photonics"], founded=2003, domain="photonics-bretagne"),
    org("Fonds Armor Innovation", "other", "Rennes", 9, "invests in deep-tech start-ups in Brittany, from seed to "
        "series A", ["digital", "photonics"], founded=2014, domain="armor-innovation"),
]
