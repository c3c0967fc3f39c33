"""Offer templates from agrifood and medtech suppliers: cold chain, field sensing, labs, devices."""

COLD_TAGS = {
    "sectors": ["agrifood", "digital"], "trl": (7, 9), "ipr": ["know_how", "copyright", "patent_pending"],
    "coop": ["commercial_agreement", "pilot", "supply"],
    "keywords": ["cold chain", "temperature logger", "IoT", "LoRaWAN", "NFC label", "traceability", "HACCP",
                 "shelf-life prediction"],
    "slots": {
        "goods": ["chilled dairy products @agrifood", "fresh meat and poultry @agrifood", "live shellfish @agrifood",
                  "fresh-cut salads @agrifood", "frozen seafood @agrifood", "vaccines and blood products @health"],
        "tag": ["disposable NFC temperature labels", "LoRaWAN pallet loggers", "Bluetooth crate sensors"],
        "price": ["1.80 €", "0.90 €", "12 €", "4.50 €"], "life": ["90 days", "two years", "12 months"],
    },
    "titles": ["{tag} for {goods}",
               "Real-time cold-chain tracking of {goods}",
               "Dynamic shelf-life prediction for {goods}"],
    "summaries": ["Track the temperature of {goods} from the plant to the shelf with {tag} (from {price} per "
                  "unit) and a shared web platform.", "Our {tag} log temperature every five minutes for {life} "
                  "and compute remaining shelf life of {goods} on the fly."],
    "body": [["The {tag} record temperature every five minutes for {life} and are read by a phone, a gateway in "
              "the truck or at the warehouse door.", "Each {tag} costs from {price} and needs no installation by "
              "carriers."],
             ["Our platform combines temperature history with predictive microbiology models to estimate the "
              "remaining shelf life of {goods}.", "Alerts go to the shipper, carrier and customer at the same "
              "time, with a shared, tamper-proof record."],
             ["?Records are accepted in HACCP and IFS audits and can be exported to ERP systems."]],
}

FIELD_SENSING = {
    "sectors": ["agrifood", "digital"], "trl": (6, 9), "ipr": ["copyright", "know_how"],
    "coop": ["pilot", "commercial_agreement", "research_cooperation"],
    "keywords": ["yield mapping", "multispectral imaging", "drone", "satellite imagery", "precision agriculture",
                 "crop monitoring", "NDVI", "harvest forecasting"],
    "slots": {
        "crop": ["field vegetables", "orchards", "vineyards", "cereals", "forage maize", "potatoes"],
        "carrier": ["drone-borne multispectral camera", "Sentinel-2 satellite time series", "tractor-mounted "
                    "optical sensor"],
        "err": ["8 %", "10 %", "6 %"], "res": ["3 cm", "10 m", "50 cm"],
    },
    "titles": ["Yield forecasting for {crop} with a {carrier}",
               "Field maps for {crop} from a {carrier}",
               "Crop monitoring and harvest planning for {crop}"],
    "summaries": ["Yield forecasts for {crop} with less than {err} error at field level, from a {carrier} and "
                  "agronomic models.", "Maps of vigour, stress and expected yield for {crop}, delivered weekly from "
                  "a {carrier}."],
    "body": [["We combine images from a {carrier} ({res} per pixel) with weather and soil data.",
              "Our models, trained on five seasons of data for {crop}, forecast yield four to six weeks before "
              "harvest."],
             ["Forecast error is below {err} at field level on the last two seasons.",
              "Advisers receive maps in their usual farm management software, with recommended actions."]],
}

WATER_PROBE = {
    "sectors": ["environment"], "trl": (6, 9), "ipr": ["patented", "know_how"],
    "coop": ["commercial_agreement", "pilot", "supply"],
    "keywords": ["water quality", "UV-Vis spectroscopy", "online sensor", "fluorescence", "COD", "turbidity",
                 "water reuse", "self-cleaning probe"],
    "slots": {
        "water": ["vegetable washing water @agrifood", "dairy effluent @agrifood", "shellfish purification tanks "
                  "@agrifood maritime", "fish farm water @agrifood maritime", "hospital wastewater @health"],
        "param": ["COD, nitrates and turbidity", "tryptophan-like fluorescence as a proxy for bacteria",
                  "chlorine and organic load", "suspended solids and hydrocarbons"],
        "interval": ["two minutes", "one minute", "ten minutes"],
    },
    "titles": ["Online optical monitoring of {water}",
               "Self-cleaning UV-Vis probe for {water}",
               "Real-time {param} in {water}"],
    "summaries": ["A submersible UV-Vis and fluorescence probe measuring {param} every {interval} in {water}, "
                  "with automatic cleaning.", "Replace weekly lab samples of {water} with continuous optical "
                  "measurement of {param}."],
    "body": [["The probe records a full absorption spectrum (200-750 nm) and fluorescence every {interval}, then "
              "derives {param}.", "Local calibration on 20 to 30 lab samples adapts the models to {water}."],
             ["Compressed-air cleaning keeps the windows clear for months in {water}.",
              "Data goes to the supervision system over Modbus or to our cloud with alerts."]],
}

LAB_SERVICES = {
    "sectors": ["agrifood"], "trl": None, "ipr": ["none", None, "know_how"],
    "coop": ["technical_cooperation", "research_cooperation", "subcontracting"],
    "keywords": ["food safety", "accredited laboratory", "challenge test", "shelf-life study", "validation",
                 "microbiology", "decontamination efficacy", "sensory analysis"],
    "slots": {
        "service": ["validation of UV-C and pulsed-light decontamination", "shelf-life and challenge tests",
                    "evaluation of sorting and inspection equipment", "comparison of rapid "
                    "methods with reference methods", "allergen cleaning validation"],
        "days": ["three weeks", "six weeks", "ten days"],
    },
    "titles": ["Independent {service}",
               "Accredited laboratory support for {service}"],
    "summaries": ["Our accredited laboratory offers {service} for technology providers and food companies, with "
                  "results usable in regulatory and customer files.", "Get independent data for {service} in "
                  "{days}, on your products or your customers'."],
    "body": [["Our microbiology and chemistry teams run {service} under ISO 17025 accreditation.",
              "We design the protocol with you, run the tests and deliver a report accepted by auditors."],
             ["A typical study takes {days}.", "Photonics companies use our results to prove the performance "
              "of their equipment to food customers."]],
}

WEARABLE = {
    "sectors": ["medtech", "health"], "trl": (5, 9), "ipr": ["patented", "patent_pending", "copyright"],
    "coop": ["pilot", "commercial_agreement", "research_cooperation"],
    "keywords": ["wearable sensor", "photoplethysmography", "PPG", "remote patient monitoring", "SpO2",
                 "telemonitoring", "CE marking", "medical device"],
    "slots": {
        "form": ["chest patch", "wrist band", "ring", "ear-worn sensor"],
        "signal": ["heart rate, SpO2 and respiratory rate", "cuffless blood pressure trends", "heart rhythm "
                   "and atrial fibrillation", "core temperature and activity"],
        "patients": ["heart failure patients", "post-operative patients at home", "nursing home residents",
                     "COPD patients"],
        "days": ["7", "14", "5"],
    },
    "titles": ["Medical-grade {form} measuring {signal}",
               "Remote monitoring of {patients} with a {form}",
               "Optical {form} for {patients}"],
    "summaries": ["A {form} using multi-wavelength photoplethysmography to measure {signal} continuously for "
                  "{days} days.", "Detect deterioration of {patients} early with a {form} and alerts in your "
                  "telemonitoring platform."],
    "body": [["The {form} uses green, red and infrared LEDs with motion compensation to measure {signal}.",
              "Battery life is {days} days and data is sent through the patient's phone or a home gateway."],
             ["A clinical study on 120 {patients} showed agreement with reference devices within clinical "
              "limits.", "The device is CE marked (class IIa) and data is hosted on a certified health data "
              "host."]],
}

ENDOSCOPE = {
    "sectors": ["medtech", "health"], "trl": (4, 8), "ipr": ["patented", "patent_pending"],
    "coop": ["research_cooperation", "pilot", "licence"],
    "keywords": ["endoscopy", "medical imaging", "single-use endoscope", "CMOS camera", "narrow-band imaging",
                 "capsule", "optical biopsy", "infection control"],
    "slots": {
        "device+feature": ["single-use ureteroscope ; a 2.8 mm outer diameter and full-HD imaging",
                           "single-use bronchoscope ; narrow-band illumination and a 2 mm working channel",
                           "wireless capsule endoscope ; eight hours of battery and 6 frames per second",
                           "flexible ENT endoscope ; full-HD imaging and narrow-band illumination",
                           "confocal endomicroscopy probe ; 1 µm cellular resolution"],
    },
    "titles": ["{device} with {feature}",
               "Clinical partners wanted for a {device}"],
    "summaries": ["A {device} with {feature}, designed to remove reprocessing costs and cross-infection risks.",
                  "Our {device} offers {feature}; we look for clinical sites to evaluate it."],
    "body": [["The {device} integrates a CMOS sensor and LED illumination in the distal tip, with {feature}.",
              "Optics and illumination were designed for {feature} at a cost compatible with single use."],
             ["Bench tests are complete and a first-in-human study is in preparation.",
              "?We are raising funds for the CE marking and want to involve clinicians in the design freeze."]],
}

POC_READER = {
    "sectors": ["medtech", "health"], "trl": (4, 8), "ipr": ["patented", "patent_pending"],
    "coop": ["research_cooperation", "pilot", "licence", "technical_cooperation"],
    "keywords": ["point-of-care testing", "photonic biosensor", "lateral flow", "fluorescence reader",
                 "rapid diagnosis", "biomarkers", "microfluidics"],
    "slots": {
        "marker": ["CRP and procalcitonin", "cardiac troponin", "a respiratory virus panel", "vancomycin "
                   "levels", "HbA1c"],
        "time": ["12 minutes", "8 minutes", "20 minutes"], "vol": ["10 µL", "a drop", "50 µL"],
    },
    "titles": ["Point-of-care measurement of {marker} in {time}",
               "Fluorescence reader and cartridge for {marker}"],
    "summaries": ["A portable reader and disposable cartridge measuring {marker} from {vol} of blood in {time}.",
                  "Lab-grade quantification of {marker} at the bedside, in {time}."],
    "body": [["The cartridge uses a photonic sensor surface and microfluidics; the reader measures fluorescence "
              "and gives a quantitative result.", "{vol} of capillary blood is enough, and the result appears in "
              "{time}."],
             ["Analytical performance matches central lab analysers on 300 samples.", "We are preparing "
              "clinical studies under the IVDR and look for hospital partners."]],
}

SURGICAL_LASER = {
    "sectors": ["medtech", "health", "photonics"], "trl": (5, 9), "ipr": ["patented", "know_how"],
    "coop": ["pilot", "commercial_agreement", "research_cooperation"],
    "keywords": ["surgical laser", "medical device", "thulium fibre laser", "laser lithotripsy",
                 "soft-tissue surgery", "haemostasis", "minimally invasive"],
    "slots": {
        "laser+procedure+power": ["thulium fibre laser ; kidney stone lithotripsy ; 60 W", "thulium fibre laser ; "
                                  "prostate enucleation ; 100 W", "1470 nm diode laser ; varicose vein ablation ; "
                                  "15 W", "CO2 laser ; ENT micro-surgery ; 30 W", "980 nm diode laser ; "
                                  "soft-tissue dental surgery ; 10 W"],
    },
    "titles": ["{power} {laser} for {procedure}",
               "Compact {laser} platform for {procedure}"],
    "summaries": ["A {power} {laser} designed for {procedure}, quieter, smaller and more efficient than current "
                  "systems.", "Our {laser} shortens {procedure} while reducing bleeding and fibre consumption."],
    "body": [["The {laser} delivers {power} through fibres from 150 µm, with pulse settings tuned for "
              "{procedure}.", "Air cooling and a standard socket make it easy to move between operating "
              "rooms."],
             ["Clinical data from early users show shorter procedures and fewer complications.",
              "?The system is CE marked and we offer evaluation periods to hospital teams."]],
}

TOPICS = {"cold_tags": COLD_TAGS, "field_sensing": FIELD_SENSING, "water_probe": WATER_PROBE,
          "lab_services": LAB_SERVICES, "wearable": WEARABLE, "endoscope": ENDOSCOPE, "poc_reader": POC_READER,
          "surgical_laser": SURGICAL_LASER}
