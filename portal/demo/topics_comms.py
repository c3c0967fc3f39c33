"""Offer templates for integrated photonics, optical links, quantum, LiDAR and biomedical imaging."""

PIC = {
    "sectors": ["photonics"], "trl": (3, 8), "ipr": ["patented", "patent_pending", "know_how"],
    "coop": ["research_cooperation", "technical_cooperation", "supply", "licence"],
    "keywords": ["photonic integrated circuit", "PIC", "silicon photonics", "indium phosphide", "silicon nitride",
                 "wafer-level testing", "photonic packaging", "multi-project wafer", "transceiver",
                 "lab-on-chip"],
    "slots": {
        "platform": ["silicon nitride", "silicon photonics", "indium phosphide", "thin-film lithium niobate"],
        "chip+use": ["FBG interrogator on a chip ; fibre sensing readers @energy construction",
                     "coherent receiver ; 800G data centre transceivers @telecom",
                     "optical phased array ; solid-state lidar @mobility",
                     "evanescent-wave biosensor ; point-of-care diagnostics @health medtech",
                     "microwave photonic filter ; radar and electronic warfare @defence",
                     "quantum random number generator ; secure communications @telecom defence",
                     "spectrometer on a chip ; handheld food analysers @agrifood"],
        "size": ["4 x 6 mm²", "2 x 3 mm²", "10 x 10 mm²"], "loss": ["0.1 dB/cm", "1 dB/cm", "0.5 dB/cm"],
    },
    "titles": ["{platform} {chip} for {use}",
               "Custom design and packaging of a {chip}",
               "Photonic integrated {chip} for {use}",
               "From multi-project wafer to module: {chip} for {use}"],
    "summaries": ["A {size} {platform} chip integrating a complete {chip}, replacing a bench of discrete optics "
                  "for {use}.", "We design, test and package {platform} circuits; our {chip} shrinks the optics "
                  "for {use} to a {size} die."],
    "body": [["The circuit is designed on a {platform} platform with waveguide losses of {loss} and fabricated "
              "through European multi-project wafer runs.", "Our design kit covers {platform} building blocks "
              "(splitters, ring resonators, modulators, photodiodes) validated on three fabrication runs."],
             ["The {chip} fits on a {size} die, so size, weight and cost drop by an order of magnitude compared "
              "with fibre-based setups.", "On a {size} die, the {chip} is stable against vibration and "
              "temperature drift that affect discrete setups."],
             ["We handle fibre-array attachment, thermal control and hermetic packaging in our clean room.",
              "?Wafer-level testing with our automated probe station gives known-good dies before packaging."]],
}

FSO = {
    "sectors": ["photonics"], "trl": (4, 8), "ipr": ["patented", "know_how", "patent_pending"],
    "coop": ["pilot", "research_cooperation", "commercial_agreement", "technical_cooperation"],
    "keywords": ["free-space optics", "FSO", "optical wireless", "laser communication", "adaptive optics",
                 "optical ground station", "secure link", "high data rate", "beam tracking", "last mile"],
    "slots": {
        "link": ["ship-to-shore links @maritime defence", "temporary links for events and disaster recovery "
                 "@telecom", "links between buildings on a hospital campus @health telecom",
                 "drone-to-ground video links @defence", "LEO satellite downlinks @space",
                 "backhaul for 5G small cells @telecom", "links between offshore platforms @energy maritime",
                 "underwater links for AUVs @maritime"],
        "rate": ["10 Gbit/s", "1 Gbit/s", "100 Gbit/s", "2.5 Gbit/s"], "dist": ["2 km", "5 km", "800 m", "15 km"],
        "avail": ["99.9 %", "99.5 %", "99.99 %"],
    },
    "titles": ["{rate} free-space optical terminal for {link}",
               "Laser communication over {dist} for {link}",
               "Licence-free optical wireless for {link}",
               "Tracking FSO terminal for {link}"],
    "summaries": ["A laser terminal carrying {rate} over {dist} without radio licence, immune to jamming and "
                  "interception, for {link}.", "Fibre-like capacity through the air for {link}: {rate} over "
                  "{dist}, installed in a day."],
    "body": [["The terminal uses a 1550 nm eye-safe beam and a fast steering mirror that compensates vibration and "
              "turbulence.", "A beacon-based tracking loop keeps the narrow beam on target, which is what makes "
              "{link} possible."],
             ["Link budgets planned with local weather statistics give {avail} availability over {dist}, with an "
              "optional radio fallback for dense fog.", "Field trials over {dist} in Brittany's coastal weather "
              "gave {avail} availability at {rate}."],
             ["?The narrow beam cannot be intercepted without being noticed, which interests defence and "
              "critical infrastructure users."]],
}

QKD = {
    "sectors": ["photonics", "telecom"], "trl": (3, 7), "ipr": ["patented", "patent_pending"],
    "coop": ["research_cooperation", "pilot", "technical_cooperation"],
    "keywords": ["quantum key distribution", "QKD", "quantum cryptography", "single-photon detector",
                 "post-quantum", "entanglement", "continuous-variable QKD", "secure communications",
                 "quantum network", "EuroQCI"],
    "slots": {
        "net": ["hospital data links @health", "links between defence sites @defence", "a metropolitan fibre "
                "ring @telecom", "substation control networks @energy", "bank data centres @digital",
                "satellite-to-ground keys @space"],
        "rate": ["10 kbit/s", "1 kbit/s", "100 kbit/s"], "dist": ["50 km", "80 km", "25 km", "100 km"],
        "det": ["InGaAs avalanche photodiodes", "superconducting nanowire detectors", "homodyne detection"],
    },
    "titles": ["Quantum key distribution over {dist} of telecom fibre for {net}",
               "Continuous-variable QKD for {net}",
               "Quantum-safe key exchange for {net}",
               "QKD testbed access for {net}"],
    "summaries": ["Secret keys at {rate} over {dist} of standard fibre, with security guaranteed by physics, "
                  "for {net}.", "A QKD system co-existing with classical traffic on the same fibre, delivering "
                  "keys at {rate} over {dist}."],
    "body": [["Our prototype uses {det} and reaches secret-key rates of {rate} over {dist} of deployed fibre.",
              "The system relies on {det} and runs a time-bin protocol that tolerates the losses of {dist} "
              "of field fibre."],
             ["Keys are delivered through an ETSI-compliant interface to standard encryptors, combined with "
              "post-quantum algorithms.", "It can run alongside classical channels on the same fibre, which "
              "avoids leasing dark fibre."],
             ["We are preparing a regional testbed and look for users to define realistic scenarios for {net}."]],
}

LIDAR = {
    "sectors": ["photonics"], "trl": (4, 9), "ipr": ["patented", "know_how", "patent_pending"],
    "coop": ["pilot", "commercial_agreement", "technical_cooperation", "joint_venture"],
    "keywords": ["LiDAR", "laser scanning", "maritime surveillance", "time of flight", "FMCW", "point cloud",
                 "obstacle detection", "bathymetric lidar", "wind lidar", "3D mapping"],
    "slots": {
        "app+range+wl": ["small-boat detection in harbours ; 2 km ; 1550 nm @maritime defence",
                         "collision avoidance for autonomous vessels ; 300 m ; 905 nm @maritime mobility",
                         "bathymetric survey of coastal waters ; 40 m water depth ; 532 nm @maritime environment",
                         "wind profiling at offshore wind farms ; 8 km ; 1550 nm @energy maritime",
                         "canopy and yield mapping in orchards ; 150 m ; 905 nm @agrifood",
                         "quay and ship berthing monitoring ; 500 m ; 1550 nm @construction maritime",
                         "oil slick detection from aircraft ; 1 km ; 355 nm @environment maritime",
                         "perimeter protection of naval sites ; 1.5 km ; 1550 nm @defence",
                         "level crossing safety ; 120 m ; 905 nm @mobility"],
        "pts": ["2 million points per second", "500,000 points per second", "300 profiles per second"],
    },
    "titles": ["LiDAR for {app}",
               "{wl} scanning LiDAR with {range} range for {app}",
               "[Eye-safe|Compact] LiDAR and point-cloud analytics for {app}",
               "Long-range FMCW LiDAR for {app}"],
    "summaries": ["A {wl} LiDAR reaching {range} and {pts}, with embedded processing for {app}.",
                  "3D laser sensing for {app}: detection, tracking and classification, day and night, up to "
                  "{range}."],
    "body": [["The sensor emits at {wl} and measures {pts} with centimetre range accuracy.", "A {wl} source and "
              "a scanning head based on a polygon mirror give a 360 x 30 ° field of view at {pts}."],
             ["Range reaches {range} in clear conditions, and filtering of rain, fog and [sea clutter|dust] "
              "keeps false detections low.", "Algorithms cluster the point cloud, track targets and export "
              "alerts over standard protocols (NMEA, ASTERIX, ROS 2)."],
             ["?The housing is marinised (IP68, salt-fog tested) and the sensor weighs less than 6 kg.",
              "?We deliver the sensor with software and support for integration into existing consoles."]],
}

OCT = {
    "sectors": ["photonics", "health"], "trl": (4, 8), "ipr": ["patented", "patent_pending", "know_how"],
    "coop": ["research_cooperation", "pilot", "licence", "technical_cooperation"],
    "keywords": ["optical coherence tomography", "OCT", "swept-source OCT", "non-invasive imaging", "ophthalmology",
                 "dermatology", "full-field OCT", "tissue imaging", "3D imaging", "non-destructive testing"],
    "slots": {
        "app+wl": ["skin cancer margin assessment ; 1310 nm @health medtech", "retinal imaging in primary care ; "
                   "1060 nm @health medtech", "intraoperative breast tumour margins ; 1310 nm @health medtech",
                   "dental caries detection ; 1310 nm @health medtech", "inspection of pharmaceutical tablet "
                   "coatings ; 1310 nm @health manufacturing", "thickness control of multilayer films ; 1060 nm "
                   "@manufacturing", "paint layer inspection on composites ; 1550 nm @manufacturing",
                   "anterior segment imaging before cataract surgery ; 1310 nm @health medtech"],
        "res": ["3 µm axial", "1 µm isotropic", "5 µm axial", "7 µm lateral"], "depth": ["2 mm", "1 mm", "6 mm"],
        "speed": ["200 kHz A-scan rate", "1 volume per second", "100 kHz A-scan rate"],
    },
    "titles": ["Optical coherence tomography for {app}",
               "{wl} swept-source OCT for {app}",
               "High-resolution ({res}) OCT for {app}",
               "Handheld OCT probe for {app}"],
    "summaries": ["Cross-sectional images at {res} resolution down to {depth}, without contact or contrast agent, "
                  "for {app}.", "An OCT system at {wl} with {speed} that brings micrometre-scale 3D imaging to "
                  "{app}."],
    "body": [["Our OCT engine at {wl} offers {res} resolution and {speed}, with imaging depth up to {depth}.",
              "The system acquires 3D volumes at {speed}; a {res} resolution reveals structures invisible to "
              "standard cameras."],
             ["Image analysis software highlights suspicious areas for {app} and exports DICOM images.",
              "A first clinical or industrial study on {app} is planned and we want end users to co-design it."],
             ["?The probe is compact enough for point-of-care use and can be sterilised or protected by a "
              "single-use sheath."]],
}

BIOPHOTONICS = {
    "sectors": ["photonics", "health", "medtech"], "trl": (3, 7), "ipr": ["patented", "patent_pending"],
    "coop": ["research_cooperation", "pilot", "licence"],
    "keywords": ["biophotonics", "tissue optics", "fluorescence imaging", "near-infrared fluorescence",
                 "Raman spectroscopy", "photoacoustic imaging", "label-free diagnosis", "image-guided surgery",
                 "photodynamic therapy", "diffuse reflectance"],
    "slots": {
        "tech+app": ["near-infrared fluorescence imaging ; sentinel lymph node detection",
                     "fluorescence lifetime imaging ; tumour margins during brain surgery",
                     "Raman spectroscopy ; label-free diagnosis of skin lesions",
                     "photoacoustic imaging ; vascular mapping of the diabetic foot",
                     "diffuse reflectance spectroscopy ; tissue oxygenation during flap surgery",
                     "photodynamic therapy ; treatment of actinic keratosis",
                     "autofluorescence imaging ; detection of parathyroid glands"],
        "time": ["under 2 seconds", "10 seconds", "real time at 25 frames per second"],
        "perf": ["92 % sensitivity", "89 % specificity", "95 % sensitivity and 90 % specificity"],
    },
    "titles": ["{tech} for {app}",
               "[Bedside|Intraoperative] {tech} system for {app}",
               "Clinical validation partner wanted: {tech} for {app}"],
    "summaries": ["A {tech} platform that supports clinicians in {app}, with results in {time}.",
                  "Our {tech} device gave {perf} for {app} in a first pilot study, and we are preparing the "
                  "next clinical step."],
    "body": [["The device combines {tech} with a compact probe and results in {time}.",
              "Using {tech}, the system provides surgeons with objective information in {time}."],
             ["In a pilot study on 60 patients we measured {perf} against histology.",
              "Ex vivo measurements on 120 samples gave {perf}, which supports a clinical study."],
             ["We are preparing the CE marking file under the MDR and look for hospitals to join a multicentre "
              "study.", "?A regulatory roadmap (class IIa) and a quality system to ISO 13485 are in place."]],
}

TOPICS = {"pic": PIC, "fso": FSO, "qkd": QKD, "lidar": LIDAR, "oct": OCT, "biophotonics": BIOPHOTONICS}
