"""Offer templates for photonic sensing: fibre sensors, hyperspectral, spectroscopy, thermal, gas, vision."""

FBG = {
    "sectors": ["photonics"], "trl": (5, 9), "ipr": ["patented", "know_how", "patent_pending"],
    "coop": ["commercial_agreement", "pilot", "technical_cooperation", "supply"],
    "keywords": ["fibre Bragg grating", "FBG", "structural health monitoring", "strain sensing",
                 "temperature sensing", "wavelength multiplexing", "optical interrogator",
                 "predictive maintenance", "EMI immunity", "fatigue monitoring"],
    "slots": {
        "asset": ["prestressed concrete bridges @construction", "offshore wind monopiles @energy maritime",
                  "railway overhead lines @mobility", "composite ship hulls @maritime defence",
                  "high-voltage power transformers @energy", "tidal turbine blades @energy maritime",
                  "road tunnel linings @construction mobility", "mooring lines of floating platforms @maritime energy",
                  "grain silos and storage bins @agrifood construction", "aircraft composite panels @manufacturing"],
        "n": ["16", "24", "32", "40", "64"], "rate": ["1 kHz", "2.5 kHz", "100 Hz", "10 kHz", "500 Hz"],
        "res": ["0.5 µε", "1 µε", "0.2 µε", "2 µε"], "temp": ["-40 °C to +120 °C", "-20 °C to +300 °C",
                                                            "-55 °C to +85 °C"],
        "length": ["10 km", "25 km", "2 km", "5 km"],
    },
    "titles": ["Multiplexed fibre Bragg grating strain sensors for {asset}",
               "FBG structural health monitoring of {asset}",
               "Ruggedised FBG [interrogator|sensing chain] at {rate} for {asset}",
               "[Embedded|Surface-mounted] fibre-optic strain and temperature sensing for {asset}",
               "Passive, EMI-immune fibre sensor network for {asset}",
               "{n}-point Bragg grating sensor lines for {asset}"],
    "summaries": ["Fibre Bragg grating sensors read {n} strain and temperature points per fibre at {rate}, with no "
                  "electrical power at the measurement point. Designed for {asset}.",
                  "A complete FBG chain - sensors, up to {length} of lead fibre and interrogator - that monitors "
                  "{asset} with {res} resolution and feeds your supervision software.",
                  "Long-term strain, vibration and temperature monitoring of {asset} with passive optical "
                  "sensors that need no recalibration."],
    "body": [["Each fibre carries {n} Bragg gratings written at distinct wavelengths in the C-band, so a single "
              "interrogator channel reads every point simultaneously at {rate}.",
              "Our gratings are written through the coating with a femtosecond laser, which keeps the full "
              "mechanical strength of the fibre and allows {n} sensors on one line."],
             ["Strain resolution reaches {res} over {temp}, with temperature compensation by a strain-free "
              "reference grating.", "The sensors work over {temp} and resolve {res}; packaging in stainless steel "
              "or glass-fibre composite is chosen per installation."],
             ["Because the measurement point is passive, it can sit up to {length} from the electronics, in "
              "explosive atmospheres or next to high-voltage equipment.",
              "No copper reaches the structure: lightning, EMI and corrosion of cabling are no longer a concern."],
             ["?Data is streamed over Modbus TCP or MQTT; alarm thresholds and rainflow fatigue counting run at "
              "the edge.", "A web dashboard shows trends, alarms and remaining-life estimates for {asset}."]],
}

DISTRIBUTED = {
    "sectors": ["photonics"], "trl": (6, 9), "ipr": ["know_how", "patented", "copyright"],
    "coop": ["commercial_agreement", "pilot", "technical_cooperation"],
    "keywords": ["distributed fibre sensing", "optical fibre sensor", "distributed acoustic sensing", "DAS",
                 "distributed temperature sensing", "DTS", "Rayleigh backscattering", "Raman OTDR",
                 "perimeter security", "pipeline monitoring", "dark fibre", "intrusion detection"],
    "slots": {
        "asset+event": ["subsea export cables of offshore wind farms ; anchor drags and burial depth changes "
                        "@energy maritime", "subsea export cables of offshore wind farms ; cable strumming and "
                        "free spans @energy maritime", "naval base and port perimeters ; footsteps, vehicles and "
                        "divers @defence maritime", "gas and hydrogen pipelines ; third-party digging and leaks "
                        "@energy", "railway tracks and level crossings ; train positions and rock falls @mobility",
                        "power cables in urban tunnels ; hot spots and fire starts @energy construction",
                        "telecom backbone routes ; digging near the cable and fibre tampering @telecom",
                        "dikes and levees ; seepage and ground movement @environment construction"],
        "reach": ["40 km", "50 km", "25 km", "70 km with one amplifier"], "res": ["1 m", "2 m", "5 m", "50 cm"],
        "acc": ["0.1 °C", "0.5 °C", "0.05 °C"],
    },
    "titles": ["Distributed acoustic sensing over {reach} of fibre for {asset}",
               "[Raman DTS|Distributed temperature sensing] with {res} resolution for {asset}",
               "Turning existing [dark fibre|telecom fibre] into a sensor for {asset}",
               "DAS-based detection of {event} along {asset}",
               "Combined DAS/DTS interrogator for {asset}"],
    "summaries": ["Our interrogator turns a standard single-mode fibre into thousands of virtual sensors over "
                  "{reach}, spotting {event} along {asset}.",
                  "Continuous temperature and vibration profiles every {res} along {asset}, from one rack-mounted "
                  "unit and a fibre you may already own."],
    "body": [["Phase-sensitive OTDR measures the Rayleigh backscatter along the fibre and localises acoustic events "
              "to within {res} over {reach}.", "A Raman DTS channel gives temperature every {res} with {acc} "
              "accuracy, alongside the acoustic channel on the same fibre."],
             ["Machine-learning classifiers trained on field data separate {event} from background noise, which "
              "keeps false alarms to a few per month.", "Events are classified on the unit itself; only alarms "
              "and compressed waterfalls leave the site."],
             ["The system works on fibres already laid in {asset}, which avoids new civil works.",
              "?One unit covers both directions of a {reach} route, so a typical deployment needs a single rack "
              "position at each end."]],
}

HYPERSPECTRAL = {
    "sectors": ["photonics"], "trl": (4, 9), "ipr": ["know_how", "patent_pending", "copyright"],
    "coop": ["pilot", "commercial_agreement", "technical_cooperation", "licence"],
    "keywords": ["hyperspectral imaging", "chemometrics", "SWIR", "VNIR", "optical sorting", "machine learning",
                 "food quality", "line-scan camera", "spectral unmixing", "non-destructive testing"],
    "slots": {
        "target+defect": ["potatoes ; greening, rot and stones @agrifood", "carrots ; cracks and cavity spot "
                          "@agrifood", "apples and pears ; bruises under the skin @agrifood",
                          "shallots and onions ; sprouting and neck rot @agrifood", "white fish fillets ; "
                          "blood spots and parasites @agrifood maritime", "recycled plastic flakes ; polymer type "
                          "and black plastics @environment manufacturing", "malting barley ; fusarium-damaged "
                          "kernels @agrifood", "leafy salads ; foreign leaves and insects @agrifood",
                          "coated tablets ; coating defects and wrong active ingredient @health",
                          "fresh poultry cuts ; bone fragments and woody breast @agrifood"],
        "band": ["400-1000 nm", "900-1700 nm", "1000-2500 nm", "450-950 nm"], "bands": ["224", "120", "256", "96"],
        "speed": ["3 m/s", "2.5 m/s", "1.8 m/s", "600 mm/s"], "tons": ["8 t/h", "12 t/h", "20 t/h", "5 t/h"],
        "acc": ["98 %", "97.5 %", "99 %", "96 %"],
    },
    "titles": ["Hyperspectral sorting of {target} at {tons}",
               "{band} hyperspectral line-scan inspection for {target}",
               "Inline detection of {defect} in {target} by hyperspectral imaging",
               "[Turnkey|Compact] hyperspectral camera and classifier for {target}",
               "SWIR chemical imaging to grade {target}",
               "Hyperspectral quality map of {target} on the conveyor"],
    "summaries": ["A {bands}-band hyperspectral camera ({band}) with on-board classification detects {defect} in "
                  "{target} at belt speeds up to {speed}.",
                  "Chemical imaging that sees what RGB cameras miss: {defect} in {target}, measured inline with "
                  "{acc} correct classification on customer samples.",
                  "Grade {target} product by product at {tons}, with spectral models built on your own samples."],
    "body": [["The push-broom camera records {bands} spectral bands over {band} for every pixel across a 1.2 m "
              "belt, at belt speeds up to {speed}.", "Our line-scan imager covers {band} with {bands} bands and "
              "2 mm spatial resolution on the belt, under halogen or LED broadband lighting."],
             ["Classification models (PLS-DA and convolutional networks) are trained on your own batches and reach "
              "{acc} correct detection of {defect} in blind tests.", "Spectral signatures of {defect} are "
              "separated from natural variability of {target}, with {acc} accuracy on a reference set of 5,000 "
              "items."],
             ["The ejection signal drives standard air jets or flaps, so the unit retrofits on existing lines "
              "running {tons}.", "Throughput reaches {tons} on a single lane; results feed the plant MES for "
              "batch-level traceability."],
             ["?The enclosure is IP69K and designed for daily wash-down.", "?Calibration takes five minutes per "
              "shift with a built-in white reference."]],
}

SPECTRO = {
    "sectors": ["photonics"], "trl": (5, 9), "ipr": ["know_how", "patented", "copyright"],
    "coop": ["commercial_agreement", "pilot", "supply", "technical_cooperation"],
    "keywords": ["inline spectroscopy", "process analytical technology", "near-infrared spectroscopy", "NIR",
                 "Raman spectroscopy", "inline measurement", "chemometrics", "food composition",
                 "fluorescence spectroscopy", "quality control", "portable spectrometer"],
    "slots": {
        "product+param": ["milk and cream ; fat, protein and lactose @agrifood", "minced meat ; fat content "
                          "and lean ratio @agrifood", "cereal flours ; protein, ash and moisture @agrifood",
                          "cider and apple juice ; sugar content and acidity @agrifood", "fish meal ; protein, "
                          "fat and oxidation markers @agrifood maritime", "cheese curd ; dry matter and fat "
                          "@agrifood", "pet food kibbles ; moisture and fat coating @agrifood",
                          "pharmaceutical powder blends ; blend uniformity and active content @health",
                          "malt and barley ; moisture and protein @agrifood"],
        "err": ["0.2 %", "0.1 %", "0.3 %", "0.5 %"], "time": ["2 s", "5 s", "10 s", "30 s"],
        "tech": ["Raman", "NIR", "NIR"],
    },
    "titles": ["Inline {tech} analyser for {param} of {product}",
               "Handheld {tech} spectrometer to check {product} at reception",
               "Real-time {param} measurement in {product}",
               "{tech} process analyser for {product}, ATEX and IP69K versions",
               "Lab-grade {tech} spectroscopy at line speed for {product}"],
    "summaries": ["A {tech} probe mounted on the process line measures {param} of {product} every {time}, with "
                  "an error below {err} against reference lab methods.",
                  "Check incoming {product} in seconds instead of waiting for the lab: {param} measured by {tech} "
                  "spectroscopy, calibrated on your own samples."],
    "body": [["The sensor head sits behind a sapphire window in the pipe or above the belt and takes a spectrum "
              "every {time}.", "A fibre-coupled probe connects the process point to an analyser cabinet up to 50 m "
              "away, so only glass and stainless steel touch {product}."],
             ["Calibration models for {param} reach a standard error of prediction of {err} and are maintained by "
              "our chemometrics team.", "We deliver calibrations for {param}, validated against Kjeldahl, Soxhlet "
              "or oven methods on at least 200 of your samples, with an error below {err}."],
             ["Results go to the PLC over OPC UA to trim dosing, blending or standardisation in closed loop.",
              "Operators see trends and out-of-spec alarms on a touch screen; every batch keeps its spectra for "
              "audits."],
             ["?A portable version for goods-in inspection shares the same calibrations."]],
}

THERMAL = {
    "sectors": ["photonics"], "trl": (5, 9), "ipr": ["know_how", "patented", "none"],
    "coop": ["commercial_agreement", "supply", "pilot", "subcontracting"],
    "keywords": ["thermal imaging", "infrared camera", "LWIR", "MWIR", "microbolometer", "radiometric",
                 "condition monitoring", "night vision", "temperature mapping", "optronics"],
    "slots": {
        "use": ["hot-spot detection in electrical cabinets @energy", "night-time man-overboard detection @maritime",
                "fire detection in waste storage @environment", "seal temperature checks on packaging lines @agrifood",
                "coastal and harbour surveillance @defence maritime", "fever screening at hospital entrances @health",
                "curing control of composite parts @manufacturing", "livestock health monitoring @agrifood"],
        "res": ["640 x 512", "1280 x 1024", "384 x 288", "320 x 240"], "netd": ["30 mK", "40 mK", "50 mK", "25 mK"],
        "band": ["8-14 µm", "3-5 µm", "8-12 µm"], "range": ["2 km", "6 km", "500 m", "12 km"],
    },
    "titles": ["Radiometric {band} thermal camera for {use}",
               "{res} thermal imaging core for {use}",
               "Uncooled infrared monitoring for {use}",
               "Thermal imaging with automatic alarms for {use}",
               "Ruggedised {band} camera and analytics for {use}"],
    "summaries": ["A {res} uncooled thermal camera ({band}, NETD {netd}) with embedded analytics for {use}.",
                  "Reliable temperature mapping and automatic alerts for {use}, day and night, with a detection "
                  "range up to {range}."],
    "body": [["The camera uses a {res} microbolometer with NETD below {netd} and germanium optics chosen for the "
              "scene.", "Our {band} imaging cores are built around a {res} detector and calibrated in our own "
              "blackbody bench from -20 to +500 °C."],
             ["Embedded software detects anomalies for {use} and sends alarms with a radiometric snapshot.",
              "Detection algorithms trained on field data raise alerts up to {range}, with a false-alarm rate "
              "suitable for unattended operation."],
             ["Housings are IP67 with optional stainless steel or marinised versions.",
              "?Interfaces include GigE Vision, ONVIF and 4-20 mA alarm outputs for integration with existing "
              "systems."]],
}

GAS = {
    "sectors": ["photonics"], "trl": (3, 8), "ipr": ["patented", "patent_pending", "know_how"],
    "coop": ["research_cooperation", "pilot", "licence", "technical_cooperation"],
    "keywords": ["gas sensing", "mid-infrared", "laser absorption spectroscopy", "TDLAS", "quantum cascade laser",
                 "methane", "ammonia", "emissions monitoring", "photoacoustic spectroscopy", "trace gas"],
    "slots": {
        "gas+wl+where": ["ammonia ; 10.3 µm ; livestock buildings @agrifood environment", "sulphur dioxide ; "
                         "7.4 µm ; ship exhaust stacks @maritime environment", "methane ; 3.3 µm ; biogas "
                         "plants @energy environment", "ethylene ; 10.5 µm ; fruit ripening and storage rooms "
                         "@agrifood", "hydrogen sulphide ; 2.6 µm ; wastewater treatment plants @environment",
                         "nitrous oxide ; 4.5 µm ; fertilised fields and greenhouses @agrifood environment",
                         "carbon monoxide ; 4.6 µm ; tunnels and car parks @construction mobility",
                         "methane ; 7.7 µm ; dairy barns @agrifood environment"],
        "lod": ["10 ppb", "50 ppb", "1 ppm", "200 ppt"],
        "time": ["1 s", "0.1 s", "10 s"],
    },
    "titles": ["Laser {gas} analyser for {where}",
               "Quantum cascade laser sensing of {gas} at {lod}",
               "Open-path {gas} monitoring of {where}",
               "Photoacoustic {gas} detector for {where}",
               "Mid-infrared {gas} sensor at {wl} for {where}"],
    "summaries": ["A mid-infrared laser sensor measures {gas} down to {lod} in {time}, without cross-sensitivity to "
                  "water vapour, for {where}.",
                  "Continuous, calibration-free {gas} measurement for {where}, based on a laser line at {wl}."],
    "body": [["A distributed-feedback laser scans a single absorption line of {gas} near {wl}, which makes the "
              "measurement selective and drift-free.", "We use a quantum cascade laser at {wl} in a multipass cell "
              "of 30 m effective path to reach a detection limit of {lod}."],
             ["Response time is {time}, fast enough to follow process changes in {where}.",
              "?The analyser self-checks its line lock every minute, so yearly calibration gas is enough."],
             ["The optical head is compact enough for {where}, with the electronics up to 100 m away.",
              "Data is available over Modbus and 4-20 mA, and a cloud dashboard is optional."]],
}

VISION = {
    "sectors": ["photonics", "digital"], "trl": (6, 9), "ipr": ["know_how", "copyright", "none"],
    "coop": ["commercial_agreement", "pilot", "subcontracting"],
    "keywords": ["machine vision", "quality inspection", "3D inspection", "laser triangulation", "deep learning",
                 "structured light", "defect detection", "smart camera", "traceability", "industrial AI"],
    "slots": {
        "part+rate": ["seal and label checks on food trays ; 120 trays per minute @agrifood",
                      "weld bead geometry ; 2 m of seam per second @manufacturing",
                      "volume and portioning of fish and meat ; 600 portions per minute @agrifood",
                      "glass vial inspection ; 400 vials per minute @health",
                      "crack detection on eggshells ; 120,000 eggs per hour @agrifood",
                      "surface defects on composite parts ; 1 m² per second @manufacturing",
                      "pallet and parcel dimensioning ; 1,500 parcels per hour @mobility"],
        "acc": ["0.1 mm", "50 µm", "0.5 mm", "20 µm"],
    },
    "titles": ["3D laser-triangulation inspection for {part}",
               "Deep-learning vision cell for {part}",
               "[Smart camera|Vision] system for {part} at {rate}",
               "Structured-light measurement for {part}"],
    "summaries": ["A vision station combining 3D profilometry ({acc}) and colour imaging for {part}, running at "
                  "{rate}.", "Automated inspection for {part}: deep-learning models trained on a few hundred of your "
                  "images, results in the MES."],
    "body": [["Laser-line profilometers measure height with {acc} repeatability, while a colour camera checks "
              "appearance in the same pass.", "The cell combines telecentric optics, polarised LED lighting and "
              "a GPU-based inference unit running at {rate}."],
             ["Defect models are trained on a few hundred labelled images and retrained from the operator screen "
              "when products change.", "Every rejected item is stored with its image for traceability and "
              "continuous model improvement."],
             ["?The system is delivered with mechanical integration, ejection and a three-year maintenance "
              "contract."]],
}

TOPICS = {"fbg": FBG, "distributed": DISTRIBUTED, "hyperspectral": HYPERSPECTRAL, "spectro": SPECTRO,
          "thermal": THERMAL, "gas": GAS, "vision": VISION}
