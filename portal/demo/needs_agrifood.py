"""Need templates for food processors, cooperatives and growers; organisations fill in their own products."""

SORTING = {
    "sectors": ["agrifood"], "trl": (6, 9), "coop": ["pilot", "commercial_agreement", "technical_cooperation"],
    "keywords": ["optical sorting", "defect detection", "quality grading", "machine vision", "hyperspectral",
                 "packing line", "food waste reduction", "automation"],
    "slots": {
        "product+defect": ["apples ; internal bruising", "potatoes ; greening and hollow heart", "cauliflowers ; "
                           "yellowing and black spots", "carrots ; cracks and misshapes"],
        "rate": ["12 t/h", "8 t/h", "20,000 pieces per hour", "5 t/h"], "staff": ["six", "eight", "twelve", "four"],
    },
    "titles": ["Automatic detection of {defect} on {product}",
               "Grading {product} for {defect} at {rate}",
               "Replacing manual sorting of {product}",
               "Inline sorting of {product} with {defect}"],
    "summaries": ["We sort {product} by hand for {defect}; we want an automated solution working at {rate} that "
                  "matches the judgement of our best operators.", "Our packing line handles {rate} of {product} "
                  "and the current camera sorter still misses {defect}."],
    "body": [["{staff} operators per shift currently remove {product} with {defect} by hand, and it is "
              "increasingly hard to recruit for these jobs.", "Customers reject lots as soon as a few percent of "
              "the products show {defect}, which our current RGB sorter cannot see reliably."],
             ["The solution must work at {rate}, on wet and dirty products, and keep false rejects under 2 %.",
              "We need detection of {defect} at line speed ({rate}) with reject rules we can set per customer."],
             ["?The equipment has to fit in the existing line, be washable with a foam gun and run in a 4 °C "
              "environment."]],
}

FOREIGN_BODIES = {
    "sectors": ["agrifood"], "trl": (6, 9), "coop": ["pilot", "commercial_agreement", "technical_cooperation"],
    "keywords": ["foreign body detection", "contamination", "food safety", "X-ray", "hyperspectral",
                 "product recall", "low-density contaminants", "inline inspection"],
    "slots": {
        "product": ["frozen vegetables", "minced meat", "breakfast cereals", "grated cheese"],
        "contaminant": ["soft plastic fragments", "pieces of glove", "insects", "wood splinters"],
        "rate": ["6 t/h", "3 t/h", "10 t/h"],
    },
    "titles": ["Detecting {contaminant} in {product}",
               "Inline detection of low-density contaminants ({contaminant}) in {product}",
               "Beyond X-ray: finding {contaminant} in {product}"],
    "summaries": ["X-ray and metal detection miss {contaminant} in {product}; we are looking for an inline "
                  "technology that catches them at {rate}.", "Two customer complaints about {contaminant} in "
                  "{product} last year: we need a detection step that closes this gap."],
    "body": [["Our lines are equipped with metal detectors and X-ray, which do not see {contaminant} because their "
              "density is too close to the product.", "Complaints about {contaminant} in {product} are rare but "
              "every one of them threatens a customer listing and can trigger a recall."],
             ["We are looking for a solution working at {rate}, before packing, with automatic ejection.",
              "Surface and near-surface detection would already cover most cases, since {product} travel in a "
              "thin layer on the belt."],
             ["?A detection rate above 90 % for fragments larger than 5 mm would be a major step."]],
}

SHELF_LIFE = {
    "sectors": ["agrifood"], "trl": (4, 8), "coop": ["research_cooperation", "pilot", "technical_cooperation"],
    "keywords": ["shelf life", "freshness indicator", "smart packaging", "food waste", "spoilage detection",
                 "modified atmosphere", "predictive microbiology", "use-by date"],
    "slots": {
        "product": ["fresh fish fillets", "cooked ham slices", "fresh pasta", "bagged salads", "fresh cream "
                    "desserts"],
        "days": ["7", "12", "21", "35"], "loss": ["4 %", "6 %", "3 %"],
    },
    "titles": ["Real-time freshness monitoring of {product}",
               "Predicting the remaining shelf life of {product}",
               "Non-destructive spoilage detection for {product}"],
    "summaries": ["Our {product} carry a {days}-day use-by date set with wide safety margins; we want to measure "
                  "actual freshness and cut waste.", "About {loss} of our {product} are discarded at the use-by "
                  "date although still fit to eat: we look for a reliable freshness indicator."],
    "body": [["The use-by date of {days} days is defined from worst-case challenge tests, so most packs are "
              "discarded while still perfectly safe.", "Retailers return unsold {product} close to their "
              "use-by date, which represents {loss} of volume."],
             ["We are interested in sensors in the pack (colour indicators, gas sensors) or non-destructive "
              "measurements through the film.", "An indicator readable by a phone or by the retailer's scanner "
              "would let us move to dynamic dating."],
             ["?Any solution must be food-contact compliant and cost less than two cents per pack at scale."]],
}

COLD_CHAIN = {
    "sectors": ["agrifood"], "trl": (7, 9), "coop": ["pilot", "commercial_agreement", "supply"],
    "keywords": ["cold chain", "temperature monitoring", "data logger", "traceability", "IoT", "logistics", "HACCP",
                 "temperature abuse"],
    "slots": {
        "product": ["fresh dairy products", "chilled meat", "live shellfish", "frozen seafood"],
        "route": ["deliveries to 300 supermarkets", "export shipments to Spain and Italy", "overnight transport "
                  "to the Rungis market", "pick-ups from 40 farms"],
    },
    "titles": ["End-to-end temperature tracking of {product} during {route}",
               "Cold-chain monitoring for {route}",
               "Proving cold-chain compliance for {product}"],
    "summaries": ["We need continuous, tamper-proof temperature records for {product} during {route}, with "
                  "alerts when limits are exceeded.", "Temperature abuse during {route} causes disputes and "
                  "losses on {product}; we want shared, trustworthy data."],
    "body": [["Today temperatures during {route} are read from truck loggers that we cannot access in real "
              "time.", "When {product} arrive too warm after {route}, nobody can tell where the break "
              "happened."],
             ["We look for low-cost sensors per pallet or per crate, readable without opening the packaging, "
              "with data shared with carriers and customers.", "Alerts should reach the driver and our "
              "logistics team within minutes, and records must be accepted in HACCP audits."]],
}

UV_SURFACES = {
    "sectors": ["agrifood"], "trl": (6, 9), "coop": ["pilot", "commercial_agreement"],
    "keywords": ["UV-C", "surface decontamination", "Listeria", "hygiene", "chemical-free disinfection",
                 "conveyor belt", "biofilm", "food safety"],
    "slots": {
        "surface": ["conveyor belts", "slicer blades", "cheese ripening boards", "filling nozzles",
                    "crates returning from customers"],
        "germ": ["Listeria monocytogenes", "moulds", "Salmonella", "Pseudomonas"],
    },
    "titles": ["Continuous UV decontamination of {surface}",
               "Reducing {germ} on {surface} without chemicals",
               "Light-based treatment of {surface}"],
    "summaries": ["We want to reduce {germ} on {surface} between cleaning cycles, without chemicals and without "
                  "stopping production.", "Looking for a validated UV-C or pulsed-light treatment of {surface} "
                  "against {germ}."],
    "body": [["Environmental sampling regularly finds {germ} on {surface}, despite daily cleaning and "
              "disinfection.", "Cleaning of {surface} takes about an hour per shift and uses products our "
              "customers want us to reduce."],
             ["A treatment applied continuously or between batches, with proof of the dose delivered, would "
              "strengthen our HACCP plan.", "We need data on log reduction for {germ} and on any effect on "
              "materials and product quality."],
             ["?Operator safety is essential: the installation must be fully enclosed or interlocked."]],
}

YIELD = {
    "sectors": ["agrifood", "environment"], "trl": (6, 9), "coop": ["pilot", "commercial_agreement",
                                                                  "research_cooperation"],
    "keywords": ["yield mapping", "precision agriculture", "remote sensing", "drone imaging", "multispectral",
                 "crop monitoring", "harvest forecasting", "nitrogen management"],
    "slots": {
        "crop": ["field vegetables", "cider apples", "malting barley", "forage maize", "shallots"],
        "area": ["4,500 hectares", "1,200 hectares", "900 growers", "11,000 hectares"],
    },
    "titles": ["Yield forecasting for {crop} across {area}",
               "Field-by-field yield mapping of {crop}",
               "Early crop monitoring of {crop} for harvest planning"],
    "summaries": ["We collect {crop} from {area} and need reliable yield forecasts four to six weeks before "
                  "harvest to plan the plant.", "Looking for remote sensing or on-machine sensors to map "
                  "{crop} yield across {area}."],
    "body": [["Forecasts for {crop} currently rely on growers' estimates, with errors of 20 % or more.",
              "Harvest peaks on {crop} overload our reception and storage; better forecasts would smooth them."],
             ["Satellite, drone or machine-mounted sensors are all of interest, provided results come as maps "
              "our field advisers can use.", "We expect a forecast error below 10 % at field level and a tool "
              "our agronomists can use without a specialist."]],
}

WATER = {
    "sectors": ["agrifood", "environment"], "trl": (6, 9), "coop": ["pilot", "supply", "commercial_agreement"],
    "keywords": ["water quality", "water reuse", "online monitoring", "effluent", "optical sensor",
                 "UV-Vis spectroscopy", "turbidity", "organic load"],
    "slots": {
        "water": ["washing water for vegetables", "process water we want to recycle", "effluent sent to our "
                  "treatment plant", "seawater supplying our purification tanks", "drinking water for livestock "
                  "buildings"],
        "param": ["organic load (COD)", "turbidity and chlorine", "nitrates and phosphates", "E. coli and "
                  "norovirus indicators"],
        "volume": ["400 m³ per day", "1,200 m³ per day", "80 m³ per day"],
    },
    "titles": ["Online monitoring of {param} in {water}",
               "Real-time quality control of {water}",
               "Optical monitoring of {water}"],
    "summaries": ["We use {volume} of {water} and need continuous measurement of {param} instead of weekly lab "
                  "analyses.", "Looking for robust online sensors for {param} to manage {water} ({volume})."],
    "body": [["Laboratory results for {param} arrive days after sampling, too late to adjust treatment.",
              "Regulators and customers push us to reduce our water use, which means tighter control of "
              "{param}."],
             ["Sensors must run unattended for weeks in dirty water, with automatic cleaning.",
              "We need values every few minutes and an interface to our supervision system."]],
}

COMPOSITION = {
    "sectors": ["agrifood"], "trl": (7, 9), "coop": ["pilot", "commercial_agreement", "supply"],
    "keywords": ["inline measurement", "NIR spectroscopy", "process control", "composition analysis",
                 "standardisation", "giveaway reduction", "chemometrics"],
    "slots": {
        "product+param": ["milk ; fat and protein", "butter ; moisture and salt", "minced meat ; fat content",
                          "flour blends ; protein"],
        "gain": ["0.1 % of giveaway", "several hundred thousand euros a year", "two lab analyses per hour"],
    },
    "titles": ["Inline measurement of {param} in {product}",
               "Real-time {param} control for {product}"],
    "summaries": ["We want to measure {param} in {product} continuously on the line to tighten standardisation "
                  "and save {gain}.", "Lab analyses of {param} in {product} come too late to correct the "
                  "process; we look for an inline analyser."],
    "body": [["Samples of {product} are analysed for {param} every hour, so corrections come late and we keep "
              "large safety margins.", "Tighter control of {param} would save {gain}."],
             ["The analyser must be hygienic (EHEDG design), stable over a year and integrated with our "
              "control system.", "We expect accuracy close to the reference method and calibration support."]],
}

SEALS = {
    "sectors": ["agrifood"], "trl": (7, 9), "coop": ["pilot", "commercial_agreement"],
    "keywords": ["seal inspection", "leak detection", "modified atmosphere packaging", "packaging",
                 "thermal imaging", "vision inspection", "customer complaints"],
    "slots": {
        "pack": ["trays under modified atmosphere", "vacuum skin packs", "pouches", "cups with peelable lids"],
        "rate": ["120 packs per minute", "80 packs per minute", "200 packs per minute"],
    },
    "titles": ["100 % seal inspection of {pack} at {rate}",
               "Detecting leaking {pack} before shipping"],
    "summaries": ["Leaking {pack} cause spoilage and complaints; we want every seal checked inline at {rate}.",
                  "We look for an inline solution to detect product trapped in seals and micro-leaks on "
                  "{pack}."],
    "body": [["Today we check a few packs per hour with a destructive leak test, which misses intermittent "
              "defects.", "A seal defect on {pack} is usually discovered by the customer, days after "
              "packing."],
             ["The system must keep up with {rate}, reject faulty packs and log images for the quality team.",
              "We are open to thermal, optical or laser-based methods."]],
}

SEAFOOD = {
    "sectors": ["agrifood", "maritime"], "trl": (5, 9), "coop": ["pilot", "research_cooperation",
                                                                  "commercial_agreement"],
    "keywords": ["seafood quality", "non-destructive testing", "fish freshness", "species identification",
                 "parasite detection", "spectroscopy", "fraud prevention", "auction"],
    "slots": {
        "fish+check": ["hake and monkfish ; freshness", "sardines ; freshness", "scallops ; water content",
                       "mackerel ; parasite infestation", "tuna loins ; species and origin"],
    },
    "titles": ["Fast, objective assessment of {check} for {fish}",
               "Non-destructive check of {check} for {fish}"],
    "summaries": ["We need an objective, non-destructive measurement of {check} for {fish}, fast enough for the "
                  "auction and the processing line.", "Assessing {check} of {fish} still relies on "
                  "experienced staff; we want a measurement that everyone trusts."],
    "body": [["Buyers and sellers disagree on {check} of {fish}, and disputes cost time and money.",
              "Sensory assessment of {check} depends on a handful of experienced graders who will retire soon."],
             ["A handheld or inline device giving a result in seconds, without damaging the fish, would fit our "
              "process.", "Results should be recorded with the batch number for traceability."]],
}

GRAIN = {
    "sectors": ["agrifood"], "trl": (5, 9), "coop": ["pilot", "research_cooperation", "commercial_agreement"],
    "keywords": ["grain quality", "rapid testing", "mycotoxins", "germination", "malting", "spectroscopy",
                 "storage monitoring"],
    "slots": {
        "grain": ["malting barley", "wheat", "buckwheat", "maize"],
        "check": ["germination energy", "mycotoxin contamination", "protein content", "insect infestation in "
                  "silos"],
    },
    "titles": ["Rapid screening of {check} in {grain}",
               "Measuring {check} of {grain} at intake"],
    "summaries": ["We receive {grain} from hundreds of farms during a short harvest window and need a fast "
                  "measurement of {check} at intake.", "Lab tests for {check} in {grain} take days; we want "
                  "results within minutes."],
    "body": [["During harvest, up to 150 trucks of {grain} arrive each day and samples wait for the lab.",
              "Lots of {grain} with poor {check} end up mixed with good ones, which is costly downstream."],
             ["A test in under five minutes per truck, usable by intake staff, would let us segregate lots.",
              "We are interested in optical, spectroscopic or imaging methods, with calibration on our own "
              "samples."]],
}

CLEANING_CHECK = {
    "sectors": ["agrifood"], "trl": (6, 9), "coop": ["pilot", "commercial_agreement"],
    "keywords": ["cleaning verification", "hygiene", "allergen", "ATP", "fluorescence", "CIP", "sanitation",
                 "audit"],
    "slots": {
        "what": ["allergen residues after product changeovers", "organic residues in CIP circuits",
                 "biofilms on hard-to-reach surfaces", "cleaning of slicers and mixers"],
        "freq": ["eight changeovers a day", "three CIP cycles a day", "every night"],
    },
    "titles": ["Instant verification of {what}",
               "Rapid, non-contact checking of {what}"],
    "summaries": ["We clean {freq} and need a quick, objective check of {what} before restarting production.",
                  "Swab tests for {what} take too long; we look for an instant, imaging-based check."],
    "body": [["With {freq}, waiting for swab results is not possible and restart decisions rely on visual "
              "checks.", "Auditors ask for evidence on {what} that our current methods do not give."],
             ["Fluorescence imaging, portable spectroscopy or inline sensors are all options we would test.",
              "The result must be clear enough for line operators and stored for audits."]],
}

TOPICS = {"sorting": SORTING, "foreign_bodies": FOREIGN_BODIES, "shelf_life": SHELF_LIFE, "cold_chain": COLD_CHAIN,
          "uv_surfaces": UV_SURFACES, "yield": YIELD, "water": WATER, "composition": COMPOSITION,
          "seals": SEALS, "seafood": SEAFOOD, "grain": GRAIN, "cleaning_check": CLEANING_CHECK}
