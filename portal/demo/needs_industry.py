"""Need templates for defence, maritime, energy, telecom, construction and manufacturing end users."""

NAVAL_SENSING = {
    "sectors": ["defence", "maritime"], "trl": (5, 8), "coop": ["technical_cooperation", "research_cooperation",
                                                                  "supply"],
    "keywords": ["naval optronics", "electro-optical sensors", "drone detection", "infrared search and track",
                 "small-target detection", "sensor fusion", "asymmetric threats", "SWaP"],
    "slots": {
        "platform": ["offshore patrol vessels", "frigates", "mine countermeasure vessels", "harbour tugs"],
        "threat": ["small drones flying below 100 m", "fast inshore attack craft", "swimmers and small unmanned "
                   "surface vehicles", "low-flying drones at night"],
        "range": ["3 km", "5 km", "1.5 km", "8 km"], "mass": ["15 kg", "25 kg", "8 kg"],
    },
    "titles": ["Electro-optical detection of {threat} for {platform}",
               "Compact optronic sensor for {platform} against {threat}",
               "Day and night detection of {threat} around {platform}"],
    "summaries": ["We are looking for compact electro-optical sensors that detect and classify {threat} at "
                  "{range} or more from {platform}.", "Detection of {threat} remains the weak spot of current "
                  "sensor suites on {platform}; we want to assess new optronic solutions."],
    "body": [["Current radars on {platform} struggle with {threat}, especially in sea clutter close to the ship.",
              "Crews on {platform} report that {threat} are detected too late by existing sensors to react "
              "calmly."],
             ["The target is detection at {range} or more and classification at half that distance, day and "
              "night, in sea state 4.", "We need a detection range of at least {range}, with automatic tracking "
              "and a false-alarm rate compatible with a small crew."],
             ["The sensor head must weigh less than {mass}, withstand naval shock and vibration standards and "
              "interface with the combat management system.", "Size, weight and power are critical: less than "
              "{mass} on the mast and 200 W at most."]],
}

SECURE_LINK = {
    "sectors": ["defence", "telecom"], "trl": (4, 7), "coop": ["research_cooperation", "technical_cooperation",
                                                                "pilot"],
    "keywords": ["secure communications", "anti-jamming", "free-space optics", "low probability of intercept",
                 "laser link", "quantum key distribution", "tactical network"],
    "slots": {
        "between": ["ships sailing in formation", "a ship and its boarding team", "two sites of a naval base",
                    "a command post and observation drones"],
        "rate": ["100 Mbit/s", "1 Gbit/s", "10 Mbit/s"], "dist": ["2 km", "10 km", "500 m"],
    },
    "titles": ["Jam-resistant optical link between {between}",
               "Low-probability-of-intercept communication between {between}",
               "Quantum-safe data exchange between {between}"],
    "summaries": ["We want to exchange data at {rate} over {dist} between {between} without radio emissions that "
                  "could be detected or jammed.", "Radio links between {between} are increasingly jammed; we "
                  "are exploring optical alternatives over {dist}."],
    "body": [["Exchanges between {between} currently rely on radio, which reveals positions and can be jammed.",
              "In emission-control situations, {between} have almost no means to exchange data."],
             ["The link should carry {rate} over {dist}, with automatic acquisition and tracking on moving "
              "platforms.", "A throughput of {rate} over {dist} would cover video and command data."],
             ["Candidate solutions include free-space optics, optical wireless or quantum key exchange over "
              "existing fibres.", "?Solutions must be eye-safe and compatible with the platform's electromagnetic "
              "constraints."]],
}

PORT_WATCH = {
    "sectors": ["maritime"], "trl": (6, 9), "coop": ["pilot", "commercial_agreement", "technical_cooperation"],
    "keywords": ["port security", "maritime surveillance", "oil spill detection", "vessel tracking",
                 "thermal camera", "LiDAR", "hyperspectral", "environmental monitoring"],
    "slots": {
        "what": ["oil and fuel spills in the harbour basins @environment", "small boats entering restricted "
                 "zones @defence", "people falling into the water along the quays", "illegal bilge discharges "
                 "at anchorage @environment", "drifting containers and debris"],
        "area": ["4 km of quays", "a 200-hectare anchorage", "the outer harbour and its channel",
                 "two marinas and a fishing port"],
    },
    "titles": ["Automatic detection of {what}",
               "Day and night monitoring of {what} over {area}",
               "Optical surveillance to detect {what}"],
    "summaries": ["We need to detect {what} automatically, day and night, over {area}.",
                  "Our port teams spot {what} too late; we are looking for optical sensors and analytics that "
                  "cover {area}."],
    "body": [["Today, detection of {what} relies on patrols and calls from the public.",
              "Incidents involving {what} are usually noticed hours later, when the response is much more "
              "costly."],
             ["The solution should cover {area} from a few masts, with alerts sent to the harbour master's "
              "office within a minute.", "We expect automatic alerts with a position and a picture, and a "
              "false-alarm rate low enough for a small team."],
             ["?Sensors must cope with salt spray, rain and glare on the water."]],
}

HULL = {
    "sectors": ["maritime"], "trl": (5, 8), "coop": ["pilot", "technical_cooperation", "research_cooperation"],
    "keywords": ["hull inspection", "structural monitoring", "biofouling", "underwater imaging",
                 "fibre optic sensors", "predictive maintenance", "composite structures"],
    "slots": {
        "object": ["hull fouling on our fishing vessels", "fatigue cracks in aluminium superstructures",
                   "delamination in composite hulls", "corrosion of ballast tanks", "propeller and shaft "
                   "wear"],
        "fleet": ["a fleet of 18 trawlers", "six ferries", "about forty workboats", "three research vessels"],
    },
    "titles": ["Early detection of {object}",
               "In-service monitoring of {object}",
               "Non-destructive inspection of {object} without dry-docking"],
    "summaries": ["We are responsible for {fleet} and want to detect {object} early, without waiting for "
                  "dry-dock inspections.", "Looking for sensors or imaging methods that reveal {object} in service, "
                  "for {fleet}."],
    "body": [["For {fleet}, unplanned repairs caused by {object} cost several weeks of operation each year.",
              "Inspections of {object} happen only in dry dock every two to three years, which is too late."],
             ["We are interested in embedded sensors, underwater imaging or drone-based inspection, provided "
              "results are easy to read by maintenance crews.", "The ideal solution combines permanent sensors "
              "with periodic imaging and a simple health indicator per vessel."]],
}

EMISSIONS = {
    "sectors": ["maritime", "environment"], "trl": (6, 9), "coop": ["pilot", "commercial_agreement"],
    "keywords": ["emissions monitoring", "MARPOL", "SOx", "NOx", "scrubber", "laser spectroscopy",
                 "continuous emission monitoring", "black carbon"],
    "slots": {
        "gas": ["SO2 and CO2 after scrubbers", "NOx and ammonia slip", "methane slip from LNG engines",
                "black carbon particles"],
        "ships": ["ferries", "container feeder ships", "ro-ro vessels", "dredgers"],
    },
    "titles": ["Continuous monitoring of {gas} on {ships}",
               "Robust optical sensors for {gas} in ship exhausts"],
    "summaries": ["We need reliable, low-maintenance measurement of {gas} in the exhaust of our {ships} to prove "
                  "compliance and tune engines.", "Current extractive analysers for {gas} on our {ships} fail "
                  "too often; we want in-situ optical alternatives."],
    "body": [["Extractive analysers on our {ships} need weekly maintenance by specialists who are rarely on "
              "board.", "Regulators and charterers ask for continuous data on {gas}, which our equipment "
              "cannot provide reliably."],
             ["We look for in-situ optical sensors (laser absorption, UV or infrared) that run unattended for "
              "three months.", "Accuracy should meet MARPOL Annex VI requirements, with remote access to the "
              "data from shore."]],
}

WIND = {
    "sectors": ["energy"], "trl": (6, 9), "coop": ["pilot", "commercial_agreement", "technical_cooperation"],
    "keywords": ["wind energy", "condition monitoring", "offshore wind", "blade inspection", "leading edge erosion",
                 "export cable", "drone inspection", "thermography", "structural health monitoring"],
    "slots": {
        "object": ["leading-edge erosion of blades", "cracks in blade root bolts", "hot spots on export cables",
                   "scour around monopile foundations", "corrosion inside monopiles", "icing of blades"],
        "farm": ["our 62-turbine offshore wind farm", "onshore wind farms totalling 480 MW",
                 "a floating wind pilot farm"],
    },
    "titles": ["Monitoring of {object}",
               "Remote inspection of {object} at {farm}",
               "Reducing rope-access inspections of {object}"],
    "summaries": ["We want to detect {object} earlier and with fewer technician hours at sea, at {farm}.",
                  "Looking for sensors or remote imaging able to follow {object} continuously at {farm}."],
    "body": [["Inspections of {object} at {farm} still depend on rope-access technicians and weather windows.",
              "Each undetected case of {object} can mean weeks of lost production at {farm}."],
             ["We are interested in permanent sensors (fibre optics, vibration, thermal) or drone-borne imaging "
              "with automatic analysis.", "The solution should integrate with our SCADA and maintenance "
              "software and work for at least five years offshore."]],
}

GRID = {
    "sectors": ["energy"], "trl": (6, 9), "coop": ["pilot", "supply", "commercial_agreement"],
    "keywords": ["asset management", "smart grid", "substation monitoring", "hydrogen leak detection",
                 "hot spot detection", "partial discharge", "gas sensing", "thermal imaging"],
    "slots": {
        "object+scale": ["hot spots in distribution substations ; about 1,200 substations",
                         "hydrogen leaks at electrolysers and storage ; three hydrogen production sites",
                         "partial discharges in cable joints ; 2,400 km of underground cables",
                         "oil degradation in power transformers ; 180 power transformers",
                         "vegetation close to overhead lines ; 2,400 km of lines",
                         "soiling and defects on solar panels ; solar farms totalling 300 MWp"],
    },
    "titles": ["Automated detection of {object}",
               "Low-cost sensing of {object} across {scale}",
               "Continuous monitoring of {object}"],
    "summaries": ["We are looking for affordable sensors that detect {object} before they cause outages, across "
                  "{scale}.", "Periodic inspections are no longer enough to follow {object}; we want continuous "
                  "monitoring across {scale}."],
    "body": [["We manage {scale} and today check {object} during periodic rounds.",
              "Across {scale}, failures linked to {object} are among the main causes of unplanned outages."],
             ["A sensor costing a few hundred euros per point, with wireless data transmission, would allow "
              "deployment at scale.", "The solution must be certified for use in live electrical environments "
              "or ATEX zones where needed."]],
}

NETWORK = {
    "sectors": ["telecom"], "trl": (6, 9), "coop": ["pilot", "commercial_agreement", "supply"],
    "keywords": ["FTTH", "fibre monitoring", "OTDR", "fault localisation", "network supervision",
                 "passive optical network", "predictive maintenance"],
    "slots": {
        "object": ["fibre breaks in the FTTH access network", "macro-bends in street cabinets",
                   "degradation of aerial fibre cables", "unauthorised work near our ducts"],
        "size": ["950,000 FTTH lines", "12,000 km of fibre", "4,800 street cabinets"],
    },
    "titles": ["Faster localisation of {object}",
               "Centralised monitoring of {object} across {size}"],
    "summaries": ["We need to locate {object} within metres, from the central office, across {size}.",
                  "Field teams lose hours finding {object}; we are looking for remote monitoring across {size}."],
    "body": [["Our network counts {size}, and locating {object} still needs a technician on site with a "
              "portable OTDR.", "Each case of {object} triggers customer complaints before our supervision "
              "sees it."],
             ["We are interested in embedded OTDR, reflective markers or distributed sensing, as long as they "
              "fit existing passive splitters.", "The target is localisation within 10 m and integration with our "
              "ticketing system."]],
}

CIVIL = {
    "sectors": ["construction"], "trl": (6, 9), "coop": ["pilot", "commercial_agreement"],
    "keywords": ["structural health monitoring", "bridge monitoring", "fibre optic sensors", "scour",
                 "civil engineering", "digital twin", "fatigue"],
    "slots": {
        "asset": ["a 1960s prestressed concrete bridge", "a suspension bridge over an estuary", "a 3 km road "
                  "tunnel", "quay walls built on timber piles", "a railway viaduct"],
        "issue": ["cable corrosion", "crack growth", "settlement", "scour of the foundations",
                  "traffic-induced fatigue"],
    },
    "titles": ["Long-term monitoring of {issue} on {asset}",
               "Sensors to follow {issue} on {asset}"],
    "summaries": ["We manage {asset} and want continuous monitoring of {issue} to plan repairs and avoid "
                  "traffic restrictions.", "Looking for a monitoring system able to follow {issue} on {asset} "
                  "for at least 20 years."],
    "body": [["Visual inspections of {asset} every six years do not show how {issue} evolves between visits.",
              "A recent inspection of {asset} raised questions about {issue} that we need to answer with data."],
             ["Sensors must survive outdoor conditions for decades and be installed without closing the structure "
              "for more than a night.", "We expect a dashboard with alert thresholds and data we can feed into "
              "our structural models."]],
}

SHOPFLOOR = {
    "sectors": ["manufacturing"], "trl": (6, 9), "coop": ["pilot", "commercial_agreement", "subcontracting"],
    "keywords": ["automation", "quality control", "surface preparation", "weld inspection", "laser cleaning",
                 "non-destructive testing", "occupational health"],
    "slots": {
        "task+volume": ["sandblasting of steel parts before painting ; 1,500 m² per month",
                        "manual inspection of weld seams ; 3,000 seams per week",
                        "chemical stripping of paint on repaired parts ; 600 m² per month",
                        "cleaning of moulds with dry ice ; about 40 moulds per week",
                        "visual inspection of machined surfaces ; about 400 parts per day"],
    },
    "titles": ["Replacing {task}",
               "Automating {task} for {volume}"],
    "summaries": ["We want to replace or automate {task} ({volume}), which is costly and hard on operators.",
                  "Looking for a cleaner, automatable alternative to {task} at a rate of {volume}."],
    "body": [["Today {task} mobilises several operators, produces waste and exposes staff to dust or "
              "chemicals.", "With {volume}, {task} has become a bottleneck and a source of quality "
              "complaints."],
             ["We are open to laser-based, optical or robotic solutions and would like a first test on our parts.",
              "A return on investment within three years is expected, including energy and waste costs."]],
}

TOPICS = {"naval_sensing": NAVAL_SENSING, "secure_link": SECURE_LINK, "port_watch": PORT_WATCH, "hull": HULL,
          "emissions": EMISSIONS, "wind": WIND, "grid": GRID, "network": NETWORK, "civil": CIVIL,
          "shopfloor": SHOPFLOOR}
