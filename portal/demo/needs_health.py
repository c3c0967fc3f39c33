"""Need templates for hospitals, imaging centres, laboratories, a pharma plant and a biobank."""

DIAGNOSIS = {
    "sectors": ["health", "medtech"], "trl": (4, 8), "coop": ["research_cooperation", "pilot",
                                                               "technical_cooperation"],
    "keywords": ["non-invasive diagnosis", "early detection", "optical biopsy", "skin cancer", "diabetic foot",
                 "spectroscopy", "imaging", "clinical study"],
    "slots": {
        "condition+dept": ["melanoma and other skin cancers ; dermatology", "diabetic foot ulcers at risk ; "
                           "diabetology", "oral cancer ; maxillofacial surgery", "peripheral arterial disease ; "
                           "vascular medicine", "jaundice in newborns ; neonatology", "liver fibrosis ; "
                           "hepatology"],
        "count": ["2,500", "4,000", "900", "12,000"],
    },
    "titles": ["Non-invasive screening of {condition}",
               "Optical tools for earlier detection of {condition}",
               "Reducing unnecessary biopsies for {condition}"],
    "summaries": ["Our {dept} department sees {count} patients a year and needs a non-invasive, bedside tool to "
                  "detect {condition} earlier.", "We are looking for an optical method that helps clinicians "
                  "decide faster on {condition}, without biopsy or radiation."],
    "body": [["Our {dept} team sees about {count} patients a year, and diagnosis of {condition} still relies on "
              "clinical examination and invasive tests.", "Waiting times for a specialist opinion on {condition} "
              "exceed three months in our area, so cases are caught late."],
             ["A device usable by nurses or GPs, giving an objective result in a few minutes, would change the "
              "care pathway.", "We want a tool with sensitivity above 90 % that fits into a standard "
              "consultation."],
             ["?Our clinicians can co-design and host a clinical evaluation, including data collection for CE "
              "marking."]],
}

SURGICAL = {
    "sectors": ["health", "medtech"], "trl": (5, 9), "coop": ["pilot", "technical_cooperation",
                                                               "commercial_agreement"],
    "keywords": ["image-guided surgery", "operating room", "surgical laser", "minimally invasive surgery",
                 "laser ablation", "fluorescence-guided surgery", "tumour margins", "thulium laser"],
    "slots": {
        "procedure": ["prostate enucleation", "kidney stone lithotripsy", "resection of brain tumours",
                      "breast-conserving surgery", "parathyroid surgery", "varicose vein treatment"],
        "count": ["350", "600", "180", "1,100"],
    },
    "titles": ["Better intraoperative guidance for {procedure}",
               "Next-generation laser tools for {procedure}",
               "Real-time tissue identification during {procedure}"],
    "summaries": ["We perform about {count} {procedure} procedures a year and want tools that shorten surgery "
                  "and reduce re-operations.", "Surgeons need real-time information on tissue during "
                  "{procedure}; we look for laser or optical solutions to evaluate."],
    "body": [["During {procedure}, surgeons rely on their eyes and touch, and re-intervention rates remain "
              "significant.", "Our team performs about {count} cases of {procedure} a year, with long "
              "operating times that we want to reduce."],
             ["We are interested in laser sources, fluorescence imaging or optical probes that fit into the "
              "existing workflow without adding more than five minutes.", "The solution must be compatible "
              "with sterilisation constraints and the space available around the operating table."]],
}

EYE_OCT = {
    "sectors": ["health", "medtech"], "trl": (5, 9), "coop": ["pilot", "research_cooperation",
                                                               "commercial_agreement"],
    "keywords": ["OCT", "optical coherence tomography", "ophthalmology", "retina", "teleophthalmology", "screening",
                 "diabetic retinopathy", "glaucoma"],
    "slots": {
        "use": ["diabetic retinopathy screening in GP surgeries", "glaucoma follow-up in nursing homes",
                "imaging of skin tumours before Mohs surgery", "retinal imaging in emergency departments",
                "monitoring of macular degeneration at home"],
        "count": ["8,000", "3,000", "15,000"],
    },
    "titles": ["Affordable OCT for {use}",
               "Portable optical coherence tomography for {use}"],
    "summaries": ["We want to bring OCT imaging out of the specialist clinic, for {use}, with remote reading "
                  "by our specialists.", "Looking for a compact, low-cost OCT to support {use}, for about {count} "
                  "patients a year."],
    "body": [["Today OCT is only available in the specialist department, so {use} means long waits and travel "
              "for frail patients.", "About {count} patients a year would benefit from {use}."],
             ["A compact device operated by a nurse, with images sent to our reading centre, would meet the "
              "need.", "Cost per device and ease of use matter more to us than the best possible resolution."]],
}

ROOMS = {
    "sectors": ["health"], "trl": (6, 9), "coop": ["pilot", "commercial_agreement", "supply"],
    "keywords": ["UV-C disinfection", "room disinfection", "hospital-acquired infections", "infection control",
                 "multidrug-resistant bacteria", "bio-cleaning", "Clostridioides difficile"],
    "slots": {
        "room": ["isolation rooms", "operating theatres between cases", "ambulances", "intensive care rooms",
                 "dental surgeries", "waiting rooms"],
        "germ": ["Clostridioides difficile spores", "carbapenem-resistant bacteria", "MRSA", "respiratory "
                 "viruses"],
        "time": ["15 minutes", "10 minutes", "5 minutes"],
    },
    "titles": ["Fast, validated disinfection of {room}",
               "Reducing {germ} in {room}",
               "Automated UV-C treatment for {room}"],
    "summaries": ["Terminal cleaning of {room} takes too long and does not reliably remove {germ}; we want an "
                  "additional disinfection step under {time}.", "Looking for a validated, chemical-free "
                  "disinfection of {room} against {germ}."],
    "body": [["Our infection control team reports persistent contamination by {germ} in {room} despite "
              "bio-cleaning.", "Manual cleaning of {room} takes time we do not have, and results depend on the "
              "operator."],
             ["We would test UV-C or other light-based solutions with proof of efficacy against {germ} and a "
              "cycle under {time}.", "The device must be safe for staff, easy to move and record each cycle "
              "for traceability."]],
}

BIOSENSORS = {
    "sectors": ["health", "medtech"], "trl": (4, 8), "coop": ["research_cooperation", "pilot",
                                                               "technical_cooperation"],
    "keywords": ["biosensor", "point-of-care testing", "rapid diagnosis", "sepsis", "biomarkers", "lab-on-chip",
                 "emergency medicine", "photonic biosensor"],
    "slots": {
        "marker+use": ["procalcitonin and CRP ; sepsis triage in emergency departments", "troponin ; chest pain "
                       "in ambulances", "antibiotic concentration ; dose adjustment in intensive care",
                       "viral panels ; respiratory infections in paediatrics", "potassium and creatinine ; "
                       "dialysis patients at home"],
        "time": ["15 minutes", "10 minutes", "under 5 minutes"],
    },
    "titles": ["Point-of-care measurement of {marker} for {use}",
               "Rapid {marker} testing for {use}"],
    "summaries": ["We need results for {marker} in {time}, at the bedside, for {use}.",
                  "Laboratory turnaround for {marker} delays decisions in {use}; we look for a point-of-care "
                  "test giving results in {time}."],
    "body": [["Samples sent to the central lab for {marker} take one to two hours, which delays decisions in "
              "{use}.", "For {use}, clinicians must often decide before {marker} results are available."],
             ["A device using a drop of blood, giving a quantitative result in {time} with lab-level accuracy, "
              "would meet the need.", "Photonic, electrochemical or other biosensors are all welcome, provided "
              "the test is simple enough for nurses."]],
}

ENDOSCOPY = {
    "sectors": ["health", "medtech"], "trl": (4, 8), "coop": ["research_cooperation", "pilot",
                                                               "technical_cooperation"],
    "keywords": ["endoscopy", "optical biopsy", "capsule endoscopy", "single-use endoscope", "narrow-band imaging",
                 "gastroenterology", "early cancer detection"],
    "slots": {
        "exam+lesion": ["colonoscopy ; flat precancerous lesions", "upper GI endoscopy ; early gastric cancer",
                        "bronchoscopy ; peripheral lung nodules", "cystoscopy ; bladder tumour recurrence",
                        "ENT endoscopy ; early laryngeal cancer", "upper GI endoscopy ; Barrett's dysplasia"],
        "count": ["6,000", "2,500", "9,000"],
    },
    "titles": ["Better detection of {lesion} during {exam}",
               "Optical biopsy for {exam}",
               "Reducing missed {lesion} in {exam}"],
    "summaries": ["We perform {count} {exam} procedures a year and still miss some {lesion}; we look for imaging "
                  "that improves detection.", "Looking for optical biopsy or enhanced imaging to characterise "
                  "{lesion} during {exam}, without waiting for histology."],
    "body": [["Miss rates for {lesion} during {exam} remain significant, even with high-definition endoscopes.",
              "Every {exam} with a suspicious area means biopsies, histology and a second appointment."],
             ["We are interested in probes passing through the working channel, new imaging modes or AI support, "
              "tested on our {count} annual procedures.", "Single-use solutions are welcome if they remove "
              "reprocessing costs and infection risks."]],
}

WEARABLES = {
    "sectors": ["health", "medtech", "digital"], "trl": (5, 9), "coop": ["pilot", "research_cooperation",
                                                                         "commercial_agreement"],
    "keywords": ["wearable sensors", "remote monitoring", "photoplethysmography", "home hospitalisation",
                 "telemonitoring", "vital signs", "fall detection", "chronic disease"],
    "slots": {
        "patients": ["heart failure patients after discharge", "post-operative patients at home",
                     "elderly people in nursing homes", "patients with COPD", "pregnant women at risk of "
                     "pre-eclampsia"],
        "signal": ["heart rate, SpO2 and respiratory rate", "blood pressure trends", "body temperature and "
                   "activity", "weight and fluid retention"],
    },
    "titles": ["Remote monitoring of {patients}",
               "Continuous monitoring of {signal} for {patients}",
               "Wearable sensors for {patients}"],
    "summaries": ["We want to follow {patients} with a comfortable wearable measuring {signal}, to detect "
                  "deterioration early.", "Looking for validated wearable sensors of {signal} for {patients}, "
                  "linked to our telemonitoring platform."],
    "body": [["Readmissions of {patients} are frequent and often preceded by subtle changes in {signal}.",
              "Our nurses check {signal} of {patients} by phone or visits, which is time-consuming."],
             ["The device must be medically validated, worn for days without discomfort and connect to our "
              "platform through a standard API.", "We expect alerts with a low false-positive rate, as our "
              "telemonitoring team is small."]],
}

PHARMA = {
    "sectors": ["health"], "trl": (6, 9), "coop": ["pilot", "commercial_agreement", "technical_cooperation"],
    "keywords": ["process analytical technology", "PAT", "Raman spectroscopy", "NIR", "GMP", "real-time release",
                 "cleanroom", "pharmaceutical manufacturing"],
    "slots": {
        "step": ["blending of oral solid doses", "freeze-drying of injectables", "granulation", "tablet "
                 "coating", "visual inspection of vials"],
        "param": ["blend uniformity", "residual moisture", "particle size", "coating thickness", "particles and "
                  "cosmetic defects"],
    },
    "titles": ["Inline monitoring of {param} during {step}",
               "PAT tools for {step}"],
    "summaries": ["We want to measure {param} during {step} in real time, to move towards real-time release "
                  "testing.", "Looking for a GMP-compatible optical analyser to monitor {param} during {step}."],
    "body": [["Today {param} is checked on samples in the QC lab after {step}, which holds batches for days.",
              "Deviations during {step} are found too late, leading to costly investigations."],
             ["Solutions must be validated under GMP (21 CFR Part 11 data integrity) and suitable for cleanroom "
              "use.", "Raman, NIR or imaging techniques are welcome, with support for method validation."]],
}

BIOBANK = {
    "sectors": ["health"], "trl": (6, 9), "coop": ["pilot", "commercial_agreement", "supply"],
    "keywords": ["biobank", "sample traceability", "cryogenic storage", "temperature monitoring", "sample quality",
                 "RFID", "laboratory automation"],
    "slots": {
        "object": ["tubes stored at -80 °C", "samples in liquid nitrogen", "frozen tissue samples",
                   "DNA extracts"],
        "count": ["450,000", "1.2 million", "90,000"],
    },
    "titles": ["Traceability and quality control of {object}",
               "Monitoring {count} {object} without opening freezers"],
    "summaries": ["Our biobank keeps {count} {object}; we need traceability and quality indicators without "
                  "thawing or opening storage.", "Looking for identification and monitoring technologies that "
                  "work for {object} at cryogenic temperatures."],
    "body": [["Each freezer opening to locate {object} exposes other samples to temperature excursions.",
              "Researchers increasingly ask for proof of sample quality, which we cannot give for {object} "
              "stored years ago."],
             ["We are interested in labels readable through frost, optical quality indicators and automated "
              "inventory.", "The solution must integrate with our LIMS and be qualified down to -196 °C."]],
}

WOUNDS = {
    "sectors": ["health", "medtech"], "trl": (5, 9), "coop": ["pilot", "research_cooperation"],
    "keywords": ["wound care", "chronic wounds", "thermal imaging", "hyperspectral imaging", "telemedicine",
                 "infection detection", "home care"],
    "slots": {
        "wound": ["pressure ulcers", "leg ulcers", "diabetic foot wounds", "surgical wounds"],
        "setting": ["home care nurses", "nursing homes", "our wound clinic", "rehabilitation wards"],
    },
    "titles": ["Objective follow-up of {wound} by {setting}",
               "Early detection of infection in {wound}"],
    "summaries": ["We need an objective way to measure healing and detect infection of {wound}, usable by "
                  "{setting}.", "Follow-up of {wound} relies on photos and rulers; we look for imaging that "
                  "quantifies healing."],
    "body": [["Assessment of {wound} varies between carers, and infections are detected late.",
              "Patients with {wound} are followed by {setting}, who lack tools to share objective data with "
              "specialists."],
             ["A smartphone-based or handheld imager measuring size, tissue type and temperature would meet the "
              "need.", "We would evaluate thermal, hyperspectral or 3D imaging on patients followed by "
              "{setting}."]],
}

TOPICS = {"diagnosis": DIAGNOSIS, "surgical": SURGICAL, "eye_oct": EYE_OCT, "rooms": ROOMS,
          "biosensors": BIOSENSORS, "endoscopy": ENDOSCOPY, "wearables": WEARABLES, "pharma": PHARMA,
          "biobank": BIOBANK, "wounds": WOUNDS}
