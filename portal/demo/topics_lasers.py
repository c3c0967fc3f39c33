"""Offer templates for lasers and light sources: processing, cleaning, UV-C, LEDs, optics and fibres."""

SOURCES = {
    "sectors": ["photonics"], "trl": (6, 9), "ipr": ["know_how", "patented"],
    "coop": ["supply", "commercial_agreement", "technical_cooperation"],
    "keywords": ["laser source", "OEM laser", "fibre laser", "ultrafast laser", "femtosecond", "picosecond",
                 "pulsed laser", "MOPA", "single-frequency laser", "2 µm laser"],
    "slots": {
        "type+wl+pulse+use": [
            "femtosecond fibre laser ; 1030 nm ; 300 fs pulses ; glass and sapphire micromachining @manufacturing",
            "femtosecond fibre laser ; 1030 nm ; 250 fs pulses ; multiphoton microscopy @health",
            "picosecond MOPA laser ; 1064 nm ; 8 ps pulses ; medical device marking @medtech",
            "picosecond MOPA laser ; 532 nm ; 10 ps pulses ; thin-film solar cell scribing @energy",
            "single-frequency fibre laser ; 1550 nm ; a linewidth below 1 kHz ; coherent lidar @mobility defence",
            "single-frequency fibre laser ; 1550 nm ; a linewidth below 1 kHz ; fibre sensing interrogators @energy",
            "nanosecond pulsed fibre laser ; 1064 nm ; 2-200 ns pulses ; laser cleaning and marking @manufacturing",
            "thulium-doped fibre laser ; 2 µm ; 10 ns pulses ; polymer welding and soft-tissue surgery @medtech",
            "frequency-doubled femtosecond laser ; 515 nm ; 400 fs pulses ; ophthalmic surgery @health medtech",
            "narrow-linewidth diode laser ; 780 nm ; a linewidth below 100 kHz ; atom cooling and quantum sensing",
            "mid-infrared supercontinuum source ; 2-10 µm ; a flat spectrum ; gas and tissue spectroscopy "
            "@environment health"],
        "power": ["20 W", "50 W", "5 W", "10 W", "2 W"],
    },
    "titles": ["{power} {type} at {wl} for {use}",
               "OEM {type} for {use}",
               "Compact air-cooled {type} at {wl}",
               "Industrial-grade {type} for {use}"],
    "summaries": ["An air-cooled {type} delivering {power} at {wl} with {pulse}, built for 24/7 operation and "
                  "integration into systems for {use}.", "Our {type} brings laboratory performance to industrial "
                  "form factors: {power} at {wl}, M² below 1.2, ready for {use}."],
    "body": [["The all-fibre architecture has no free-space alignment inside, which gives a pointing stability "
              "below 10 µrad and a lifetime above 30,000 hours.", "The oscillator and amplifiers are spliced in a "
              "single fibre chain, so the source survives shocks and temperature cycles that misalign "
              "free-space lasers."],
             ["At {wl} it delivers {power} average power with {pulse} and a diffraction-limited beam.",
              "The output at {wl} is linearly polarised (PER > 20 dB), with {pulse} and a power stability "
              "better than 1 % over 8 hours."],
             ["An OEM version with RS-232 and Ethernet control is available for integrators building systems for "
              "{use}.", "?We adapt wavelength, pulse duration and fibre delivery to the needs of {use}."]],
}

PROCESSING = {
    "sectors": ["photonics", "manufacturing"], "trl": (7, 9), "ipr": ["know_how", "none"],
    "coop": ["subcontracting", "commercial_agreement", "technical_cooperation"],
    "keywords": ["laser materials processing", "process qualification", "laser welding", "laser cutting",
                 "laser marking", "remote welding", "wobble welding", "hairpin welding", "micro-welding",
                 "robotic cell", "additive manufacturing"],
    "slots": {
        "job": ["laser welding of battery busbars @energy mobility", "hermetic laser welding of titanium implants "
                "@medtech health", "remote laser welding of stainless steel food equipment @agrifood",
                "laser cutting of thin aluminium for naval superstructures @maritime defence",
                "laser marking for UDI traceability on surgical instruments @medtech",
                "laser welding of copper hairpins for e-motors @mobility",
                "laser cladding repair of ship propeller shafts @maritime"],
        "power": ["6 kW", "2 kW", "500 W", "4 kW", "150 W"], "speed": ["12 m/min", "6 m/min", "25 m/min",
                                                                     "1.5 m/min"],
        "thick": ["0.3 mm", "2 mm", "6 mm", "0.8 mm", "4 mm"],
    },
    "titles": ["[Subcontracting|Job-shop service] for {job}",
               "Robotic cell for {job}",
               "Process development and qualification for {job}",
               "{power} fibre-laser workstation for {job}"],
    "summaries": ["From feasibility coupons to series production: {job}, with {power} fibre lasers and "
                  "in-process monitoring.", "A qualified process for {job}, with seam tracking, melt-pool "
                  "monitoring and full traceability of every part."],
    "body": [["Our workshop runs {power} fibre lasers on six-axis robots and a 2 x 1 m gantry, with welding "
              "speeds up to {speed} on {thick} sheets.", "The cell combines a {power} laser with a scanner head "
              "and wobble optics, which widens the process window on {thick} parts at {speed}."],
             ["Coaxial cameras and photodiodes monitor the melt pool on every seam and flag porosity in real "
              "time.", "Each part gets a weld report (power, speed, monitoring signals) linked to its serial "
              "number."],
             ["We run feasibility tests in two weeks, then qualify the process with metallographic sections and "
              "tensile tests.", "?Our quality system is ISO 9001 and we work to EN ISO 13919 weld quality "
              "levels."]],
}

CLEANING = {
    "sectors": ["photonics", "manufacturing"], "trl": (6, 9), "ipr": ["know_how", "patented"],
    "coop": ["commercial_agreement", "pilot", "subcontracting", "supply"],
    "keywords": ["laser cleaning", "laser ablation", "surface preparation", "paint stripping", "rust removal",
                 "mould cleaning", "dry cleaning", "decontamination", "pulsed fibre laser", "no abrasive"],
    "slots": {
        "surface": ["ship hulls and steel decks @maritime", "tyre and rubber moulds @manufacturing",
                    "food-industry moulds and baking trays @agrifood", "aircraft paint before inspection "
                    "@manufacturing", "historic stone facades @construction", "nuclear plant components @energy",
                    "weld seams before NDT @manufacturing energy", "offshore wind flanges @energy maritime"],
        "power": ["100 W", "300 W", "1 kW", "2 kW"], "rate": ["2 m²/h", "6 m²/h", "12 m²/h", "0.5 m²/h"],
        "mode": ["backpack unit", "mobile trolley", "robot-mounted head", "automated gantry"],
    },
    "titles": ["Laser cleaning of {surface} without abrasives",
               "{power} pulsed laser cleaning {mode} for {surface}",
               "Dry laser surface preparation of {surface}",
               "In-situ laser decontamination of {surface}"],
    "summaries": ["Remove paint, rust, oxides or residues from {surface} with a {power} pulsed laser: no "
                  "blasting media, no chemicals, no water.", "A {mode} that strips {surface} at up to {rate} "
                  "and leaves the base material intact."],
    "body": [["The {power} nanosecond fibre laser ablates contaminants layer by layer while the substrate, which "
              "absorbs less, stays below damaging temperatures.", "Short pulses lift oxides and coatings through "
              "rapid thermal expansion, so the substrate keeps its roughness and hardness."],
             ["On {surface} we measure cleaning rates of {rate}, depending on layer thickness.",
              "Typical throughput on {surface} is {rate}, with no secondary waste other than filtered dust."],
             ["The {mode} includes fume extraction and a class 4 safety kit; operators are trained in two days.",
              "?We offer cleaning as a service on your site or the sale of equipment with process support."]],
}

UVC = {
    "sectors": ["photonics"], "trl": (5, 9), "ipr": ["patented", "know_how", "patent_pending"],
    "coop": ["commercial_agreement", "pilot", "technical_cooperation", "supply"],
    "keywords": ["UV-C", "germicidal", "disinfection", "UV-C LED", "265 nm", "far-UVC", "log reduction",
                 "surface decontamination", "pathogen inactivation", "chemical-free"],
    "slots": {
        "target": ["conveyor belts in food plants @agrifood", "hospital rooms and operating theatres @health",
                   "ambulances and patient transport @health", "water in fish farms @agrifood maritime",
                   "egg shells before packing @agrifood", "HVAC ducts in care homes @health construction",
                   "knives and cutting boards @agrifood", "ballast water on ships @maritime environment"],
        "wl": ["265 nm", "275 nm", "254 nm", "222 nm"], "log": ["4-log", "5-log", "3-log", "6-log"],
        "time": ["90 seconds", "6 minutes", "10 minutes", "30 seconds"], "dose": ["40 mJ/cm²", "20 mJ/cm²",
                                                                              "10 mJ/cm²"],
    },
    "titles": ["UV-C disinfection of {target} at {wl}",
               "Chemical-free {log} decontamination of {target}",
               "[Autonomous|Mobile] UV-C unit for {target}",
               "UV-C LED modules for {target}",
               "Validated UV-C treatment of {target}"],
    "summaries": ["UV-C at {wl} inactivates bacteria and viruses on {target} with a {log} reduction in {time}, "
                  "without chemicals or residues.", "A UV-C system for {target}, with dose control ({dose}) and "
                  "traceable treatment reports."],
    "body": [["The modules use {wl} sources with reflectors optimised by ray tracing, so every exposed surface "
              "receives at least {dose}.", "Dosimetry is calculated for {target} and checked with UV-C sensors "
              "and indicator cards at each installation."],
             ["Laboratory tests following EN 17272 principles show a {log} reduction of Listeria, E. coli and "
              "enveloped viruses in {time}.", "Independent tests report {log} inactivation of reference strains "
              "in {time}, including spores for the longest cycles."],
             ["Safety interlocks (presence detection, door contacts) switch the lamps off whenever someone enters.",
              "?Treatment logs (dose, duration, operator) are exported for audits and HACCP or hygiene files."]],
}

LIGHTING = {
    "sectors": ["photonics"], "trl": (5, 9), "ipr": ["know_how", "patent_pending"],
    "coop": ["pilot", "commercial_agreement", "research_cooperation"],
    "keywords": ["LED lighting", "spectral tuning", "horticultural lighting", "photobiology", "light recipe",
                 "far-red", "vertical farming", "energy efficiency", "plant growth", "circadian lighting"],
    "slots": {
        "crop": ["tomatoes under glass @agrifood", "lamb's lettuce and baby leaves @agrifood",
                 "strawberries out of season @agrifood", "microalgae cultures @agrifood energy",
                 "broiler houses @agrifood", "hospital wards for circadian care @health"],
        "eff": ["3.1 µmol/J", "2.9 µmol/J", "3.4 µmol/J"], "save": ["35 %", "40 %", "25 %", "50 %"],
    },
    "titles": ["Tunable LED light recipes for {crop}",
               "High-efficiency ({eff}) LED luminaires for {crop}",
               "Dynamic spectrum lighting for {crop}"],
    "summaries": ["Spectrally tunable LED luminaires ({eff}) and light recipes for {crop}, cutting electricity "
                  "use by {save} compared with sodium lamps.", "Light recipes validated with growers for {crop}, "
                  "with a controller that follows daylight and energy prices."],
    "body": [["Each luminaire mixes deep red, blue, white and far-red channels that are dimmed independently, "
              "with an efficacy of {eff}.", "Our fixtures reach {eff} and the spectrum can change over the day "
              "to steer growth, colour and flowering."],
             ["Trials on {crop} over two seasons showed energy savings of {save} at equal yield.",
              "Recipes for {crop} come from three years of trials with a regional experimental station."],
             ["?The controller reads greenhouse climate sensors and shifts lighting hours to off-peak tariffs."]],
}

OPTICS = {
    "sectors": ["photonics"], "trl": (6, 9), "ipr": ["know_how", "none", "copyright"],
    "coop": ["subcontracting", "technical_cooperation", "supply"],
    "keywords": ["optical design", "precision optics", "freeform optics", "optical coatings", "thin films", "Zemax",
                 "tolerancing", "aspheric lenses", "anti-reflection coating", "optomechanics"],
    "slots": {
        "item+coat": ["compact zoom lenses for thermal cameras ; hard carbon coatings on germanium @defence",
                      "freeform collimators for automotive lighting ; broadband anti-reflection (R < 0.5 %) "
                      "@mobility", "miniature objectives for endoscopes ; broadband anti-reflection (R < 0.5 %) "
                      "@medtech health", "laser-line optics for machine vision ; bandpass filters with 10 nm "
                      "FWHM @manufacturing", "telescopes for small satellites ; protected silver mirrors @space",
                      "head-up display combiners ; dichroic coatings @mobility", "dome ports for underwater "
                      "cameras ; hard anti-reflection coatings @maritime", "beam delivery optics for kW lasers ; "
                      "laser-line mirrors (R > 99.9 %) @manufacturing"],
        "diam": ["5 to 150 mm", "2 to 50 mm", "up to 300 mm"], "time": ["three weeks", "six weeks",
                                                                         "ten days"],
    },
    "titles": ["Optical design and prototyping of {item}",
               "[Custom|Low-loss] coatings and optics: {item}",
               "Design-to-manufacture service for {item}",
               "Precision polishing and coating of {item}"],
    "summaries": ["An optical design office and workshop that takes {item} from specification to qualified "
                  "prototypes, including {coat}.", "Design, tolerancing and small-series production of {item}, "
                  "diameters {diam}, first prototypes in {time}."],
    "body": [["Our engineers design in Zemax and CODE V, run Monte-Carlo tolerancing and hand over drawings ready "
              "for manufacture.", "We start from your system specification, propose two or three optical "
              "architectures and deliver a tolerance analysis with the chosen design."],
             ["The workshop polishes spherical, aspheric and freeform surfaces from {diam} and applies {coat} in "
              "our ion-assisted deposition chambers.", "Coating runs include {coat}, measured on witness "
              "samples with a spectrophotometer and supplied with the curves."],
             ["Typical lead time for a first prototype is {time}.", "?We also design the optomechanics and "
              "qualify assemblies in vibration and thermal cycling."]],
}

FIBRES = {
    "sectors": ["photonics"], "trl": (4, 9), "ipr": ["patented", "know_how", "patent_pending"],
    "coop": ["supply", "research_cooperation", "technical_cooperation", "licence"],
    "keywords": ["specialty optical fibre", "fibre drawing", "photonic crystal fibre", "chalcogenide glass",
                 "mid-infrared fibre", "radiation-hardened fibre", "fused fibre components",
                 "rare-earth doped fibre", "hollow-core fibre", "fibre preform"],
    "slots": {
        "fibre+use": ["chalcogenide fibres for 2-10 µm transmission ; medical spectroscopy probes @health medtech",
                      "chalcogenide fibres for 2-10 µm transmission ; infrared countermeasures @defence",
                      "radiation-hardened fibres ; space instruments @space", "radiation-hardened fibres ; "
                      "nuclear plant instrumentation @energy", "hollow-core fibres ; low-latency data centre links "
                      "@telecom", "ytterbium-doped large-mode-area fibres ; high-power lasers @manufacturing",
                      "polarisation-maintaining fibres ; fibre-optic gyroscopes @defence space",
                      "multicore fibres ; 5G fronthaul @telecom", "fluoride fibres ; mid-infrared lasers "
                      "@manufacturing"],
        "loss": ["0.5 dB/m", "0.1 dB/km", "20 dB/km", "1 dB/m"], "length": ["1 km", "500 m", "50 m"],
    },
    "titles": ["{fibre} for {use}",
               "Custom draws of {fibre}",
               "Design and drawing of {fibre} for {use}"],
    "summaries": ["We design and draw {fibre} for {use}, with losses as low as {loss} and lengths up to "
                  "{length}.", "Small-batch production of {fibre}, from preform to connectorised cable, for "
                  "{use}."],
    "body": [["Preforms are made in-house by stack-and-draw or rod-in-tube and drawn on our 12 m tower.",
              "Our drawing tower and MCVD lathe let us iterate on refractive-index profiles in a few weeks."],
             ["Typical attenuation is {loss} and we deliver lengths up to {length} with full characterisation "
              "(loss, mode field, bending).", "Each batch ships with attenuation ({loss} typical), numerical "
              "aperture and bending-loss data."],
             ["?We also splice, connectorise and package the fibres for {use}."]],
}

TOPICS = {"sources": SOURCES, "processing": PROCESSING, "cleaning": CLEANING, "uvc": UVC, "lighting": LIGHTING,
          "optics": OPTICS, "fibres": FIBRES}
