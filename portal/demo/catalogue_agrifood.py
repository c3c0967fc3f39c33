"""The agrifood application cluster: processors, cooperatives and growers with needs, and their suppliers."""
from .compose import org

CLUSTER = {"cluster_id": "agrifood-ouest", "name": "Agrifood Ouest", "sector": "application",
           "colour": "#3d7a2a", "city": "Rennes"}
MEMBER_KIND = "end_user"
TARGET_LISTINGS = 90
LISTINGS = {"technology_provider": (2, 3), "integrator": (2, 3), "research": (2, 3), "end_user": (3, 4)}

TP, INT, RES, EU = "technology_provider", "integrator", "research", "end_user"
COOP_ROLES = (("Director of industrial operations", "Innovation manager"),
              ("Head of agronomy", "Quality and food safety manager", "Packing station manager",
               "Maintenance manager", "Field adviser"))
PLANT_ROLES = (("Plant manager", "Innovation manager", "Industrial director"),
               ("Quality and food safety manager", "Maintenance manager", "Process engineer",
                "Production manager", "Purchasing manager"))
#: Job titles by kind where this cluster's members differ from the defaults.
ROLES = {"end_user": PLANT_ROLES}

ORGANISATIONS = [
    org("Laiteries Réunies de l'Ouest", EU, "Laval", 4200, "is a dairy group making fresh desserts, cheese, butter "
        "and milk powders from the milk of 3,800 farms", ["agrifood"], ["composition", "cold_chain",
                                                                        "cleaning_check", "shelf_life"],
        guest=True, founded=1968, domain="lro-laiteries", short="LRO", roles=PLANT_ROLES,
        ctx={"product+param": ["milk ; fat and protein", "butter ; moisture and salt", "yoghurt mix ; dry matter "
                               "and sugar"], "product": ["fresh cream desserts", "drinking yoghurts",
                                                         "fresh dairy products"]}),
    org("Fromagerie du Val de Rance", EU, "Dinan", 85, "makes raw-milk tomme, raclette and grated cheese",
        ["agrifood"], ["uv_surfaces", "foreign_bodies", "seals"], founded=1952, domain="fromagerie-rance",
        short="the dairy", ctx={"surface": ["cheese ripening boards", "slicer blades", "brining racks"],
                                "germ": ["Listeria monocytogenes", "moulds"], "product": ["grated cheese",
                                                                                        "cheese cubes"]}),
    org("Légumes du Léon", EU, "Saint-Pol-de-Léon", 380, "is a cooperative of 900 growers packing cauliflowers, "
        "artichokes, tomatoes and shallots", ["agrifood"], ["sorting", "yield", "water"], founded=1961,
        domain="legumes-leon", short="the cooperative", roles=COOP_ROLES,
        ctx={"product+defect": ["cauliflowers ; yellowing and black spots", "artichokes ; bract browning",
                                "shallots ; sprouting and neck rot"], "crop": ["field vegetables", "shallots"],
             "area": ["900 growers", "11,000 hectares"]}),
    org("Maraîchers Nantais Associés", EU, "Nantes", 140, "grows and packs lamb's lettuce, radishes and leeks for "
        "French and German retailers", ["agrifood"], ["sorting", "foreign_bodies", "water", "shelf_life"],
        founded=1978, domain="maraichers-nantais", short="MNA",
        ctx={"product+defect": ["lamb's lettuce ; yellow leaves and weeds", "leeks ; rust spots and damage",
                                "radishes ; cracks and pithiness"], "product": ["lamb's lettuce", "bagged salads"],
             "contaminant": ["insects", "weed leaves", "soft plastic fragments"]}),
    org("Vergers de Cornouaille", EU, "Quimper", 60, "presses cider apples from 140 orchards into juice, cider and "
        "vinegar", ["agrifood"], ["sorting", "yield", "composition"], founded=1988, domain="vergers-cornouaille",
        ctx={"product+defect": ["cider apples ; rot and bruising", "dessert apples ; internal browning"],
             "crop": ["cider apples"], "product+param": ["apple juice ; sugar content and acidity",
                                                         "fermenting cider ; residual sugar"]}),
    org("Marée Bigoudène", EU, "Le Guilvinec", 120, "fillets and packs fresh fish landed at the Bigouden ports",
        ["agrifood", "maritime"], ["seafood", "cold_chain", "foreign_bodies"], founded=1976,
        domain="maree-bigoudene", ctx={"product": ["white fish fillets", "breaded fish portions"],
                                       "contaminant": ["residual pin bones", "pieces of blue glove"],
                                       "fish+check": ["hake and monkfish ; freshness", "pollack ; parasite infestation",
                                                      "whiting ; freshness"]}),
    org("Conserverie de la Baie d'Audierne", EU, "Douarnenez", 150, "cans sardines, mackerel and fish soups",
        ["agrifood", "maritime"], ["seals", "seafood", "water"], founded=1910, domain="conserverie-audierne",
        ctx={"pack": ["easy-open cans", "glass jars of fish soup"],
             "fish+check": ["sardines ; freshness", "mackerel ; parasite infestation"]}),
    org("Groupe Viandes Armor", EU, "Loudéac", 1900, "slaughters and cuts pigs and cattle and makes minced and "
        "processed meat", ["agrifood"], ["foreign_bodies", "composition", "uv_surfaces", "water"], founded=1964,
        domain="viandes-armor", short="GVA", roles=PLANT_ROLES,
        ctx={"product": ["minced meat", "diced pork"], "contaminant": ["bone fragments", "pieces of glove",
                                                                        "plastic from crates"],
             "product+param": ["minced meat ; fat content", "pork trimmings ; lean ratio"],
             "surface": ["cutting-room conveyors", "knives and steels", "returnable crates"]}),
    org("Malterie de la Vilaine", EU, "Redon", 110, "malts barley from western France for brewers and "
        "distillers", ["agrifood"], ["grain", "water", "yield"], founded=1932, domain="malterie-vilaine",
        ctx={"grain": ["malting barley"], "crop": ["malting barley"]}),
    org("Volailles du Maine", EU, "Sablé-sur-Sarthe", 650, "raises and processes free-range chickens and ducks",
        ["agrifood"], ["sorting", "foreign_bodies", "uv_surfaces", "cold_chain"], founded=1959,
        domain="volailles-maine", roles=PLANT_ROLES,
        ctx={"product+defect": ["chicken breasts ; woody breast", "whole chickens ; bruises and broken wings"],
             "product": ["chicken fillets", "poultry sausages"], "contaminant": ["bone fragments", "feathers"]}),
    org("Boulangerie Atlantique", EU, "Angers", 280, "bakes frozen viennoiseries and breads for supermarkets and "
        "restaurants", ["agrifood"], ["foreign_bodies", "cleaning_check", "seals"], founded=1985,
        domain="boulangerie-atlantique", ctx={"product": ["frozen croissants", "breakfast cereals"]}),
    org("Huîtres de la Baie de Quiberon", EU, "Carnac", 25, "farms, purifies and ships oysters and clams",
        ["agrifood", "maritime"], ["water", "cold_chain", "seafood"], founded=1990, domain="huitres-quiberon",
        ctx={"fish+check": ["oysters ; freshness", "clams ; freshness"], "product": ["live oysters"],
             "water": ["seawater supplying our purification tanks"]}),
    org("Œufs du Méné", EU, "Saint-Brieuc", 70, "collects and packs free-range and organic eggs from 60 farms",
        ["agrifood"], ["sorting", "uv_surfaces"], founded=1998, domain="oeufs-mene",
        ctx={"product+defect": ["eggs ; hairline cracks and dirt", "eggs ; blood spots"],
             "surface": ["egg conveyor rollers", "egg trays"],
             "rate": ["120,000 eggs per hour", "60,000 eggs per hour"]}),
    org("Biscuiterie des Abers", EU, "Lannilis", 90, "bakes butter biscuits and galettes", ["agrifood"],
        ["foreign_bodies", "cleaning_check", "seals"], founded=1936, domain="biscuiterie-abers",
        ctx={"product": ["butter biscuits"], "pack": ["flow-wrapped biscuit packs"]}),
    org("Serres du Pays Nantais", EU, "Nantes", 200, "grows tomatoes and cucumbers in 40 hectares of heated "
        "greenhouses", ["agrifood", "energy"], ["yield", "water", "sorting"], founded=1982,
        domain="serres-nantaises", ctx={"crop": ["greenhouse tomatoes"], "product+defect": [
            "tomatoes ; cracking and blotchy ripening", "cucumbers ; misshapes and soft ends"],
            "water": ["drain water from fertigation"]}),
    org("Charcuteries de Vitré", EU, "Vitré", 340, "makes cooked ham, rillettes and sausages", ["agrifood"],
        ["shelf_life", "cleaning_check", "uv_surfaces", "seals"], founded=1947, domain="charcuteries-vitre",
        ctx={"product": ["cooked ham slices", "rillettes"], "surface": ["slicer blades", "conveyor belts"]}),
    org("Cidres du Bessin", EU, "Bayeux", 35, "makes cider, pommeau and calvados from its own orchards",
        ["agrifood"], ["composition", "water", "sorting"], founded=1924, domain="cidres-bessin",
        ctx={"product+param": ["apple must ; sugar content", "cider ; residual sugar and alcohol"],
             "product+defect": ["cider apples ; rot and bruising"]}),
    org("Champignonnières du Saumurois", EU, "Saumur", 120, "grows button mushrooms in limestone caves",
        ["agrifood"], ["sorting", "shelf_life", "cold_chain"], founded=1955, domain="champignons-saumur",
        ctx={"product+defect": ["mushrooms ; browning and open veils", "mushrooms ; bruises and spots"],
             "product": ["fresh button mushrooms", "sliced mushrooms"]}),
    org("Source des Monts d'Arrée", EU, "Huelgoat", 55, "bottles spring water and flavoured waters",
        ["agrifood", "environment"], ["water", "seals"], founded=1975, domain="source-arree",
        ctx={"water": ["spring water before bottling", "process water we want to recycle"],
             "pack": ["PET bottles with sports caps"]}),
    org("Agri-Méca Ouest", INT, "Pontivy", 160, "builds and integrates harvesting, sorting and storage equipment "
        "for vegetable growers", ["agrifood", "manufacturing"], ["vision", "lidar", "yield"], founded=1971,
        domain="agrimeca-ouest"),
    org("Convoyage et Tri de l'Ouest", INT, "Angers", 55, "designs and installs conveying, sorting and packing "
        "lines for food plants", ["agrifood", "manufacturing"], ["vision", "hyperspectral"], founded=1993,
        domain="ct-ouest", short="CTO"),
    org("Laboratoire Analyses Alimentaires de l'Ouest", RES, "Quimper", 110, "is an accredited food-safety "
        "laboratory for microbiology, chemistry and shelf-life studies", ["agrifood"], ["lab_services"],
        founded=1984, domain="laao-labo", short="LAAO"),
    org("Centre National de Recherche Agronomique et Alimentaire", RES, "Rennes", 620, "is the Rennes centre of "
        "the national agronomy research institute, working on livestock, food processing and the environment",
        ["agrifood", "environment"], ["gas", "spectro", "lab_services"], guest=True, domain="cnraa",
        short="CNRAA"),
    org("École Supérieure d'Agro-Ingénierie de l'Ouest", RES, "Angers", 140, "trains agronomy and food "
        "engineers and runs applied research on crops and food quality", ["agrifood"], ["hyperspectral",
                                                                                       "field_sensing"],
        domain="esai-ouest", short="ESAI Ouest"),
    org("Vigi-Froid Connect", TP, "Rennes", 14, "makes connected temperature labels and a cold-chain platform",
        ["agrifood", "digital", "health"], ["cold_tags"], founded=2017, domain="vigifroid"),
    org("Agrivue", TP, "Tours", 11, "turns drone and satellite images into yield forecasts for growers and "
        "cooperatives", ["agrifood", "digital"], ["field_sensing"], founded=2018),
    org("Aqualyse Capteurs", TP, "Lorient", 9, "makes optical water-quality probes for food plants and "
        "aquaculture", ["environment", "agrifood", "maritime"], ["water_probe"], founded=2019, domain="aqualyse"),
    org("Claritas UV", TP, "Vannes", 12, "designs UV-C and pulsed-light treatment units for food surfaces and "
        "packaging", ["photonics", "agrifood"], ["uvc"], founded=2016, domain="claritas-uv"),
    org("Kernel Vision Alimentaire", TP, "Angers", 20, "develops AI vision and hyperspectral inspection for food "
        "lines", ["agrifood", "digital"], ["vision", "hyperspectral"], founded=2015, domain="kernel-vision",
        short="Kernel Vision"),
    org("Hanse Spektral GmbH", TP, "Bremen", 60, "builds NIR and Raman process analysers for food and feed",
        ["photonics", "agrifood"], ["spectro"], country="DE", founded=1999, short="Hanse Spektral"),
    org("Visión Alimentaria SL", TP, "Valencia", 30, "builds optical sorters for fruit and vegetables",
        ["agrifood"], ["hyperspectral", "vision"], country="ES", founded=2008, short="Visión Alimentaria"),
    org("Polderlicht BV", TP, "Wageningen", 40, "designs LED lighting and light recipes for greenhouse growers",
        ["agrifood", "energy"], ["lighting"], country="NL", founded=2011, short="Polderlicht"),
    org("Agritech Gembloux", TP, "Gembloux", 18, "develops crop sensing from drones and tractors",
        ["agrifood", "digital"], ["field_sensing"], country="BE", founded=2016, domain="agritech-gembloux"),
    org("Agrifood Ouest", "cluster", "Rennes", 12, "is the agrifood innovation cluster of western France",
        ["agrifood"], founded=2006, domain="agrifood-ouest"),
    org("Agri Invest Ouest", "other", "Nantes", 7, "invests in agrifood and agritech companies in western "
        "France", ["agrifood", "digital"], founded=2012, domain="agri-invest"),
]
