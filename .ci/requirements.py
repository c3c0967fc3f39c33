"""Print the pinned requirements of setup.cfg (install_requires, then the named extras)."""
import configparser
import os
import sys

config = configparser.ConfigParser()
config.read(os.path.join(os.path.dirname(__file__), "..", "setup.cfg"))
wanted = sys.argv[1:] or ["install"]
lines = []
for part in wanted:
    value = config["options"]["install_requires"] if part == "install" else config["options.extras_require"][part]
    lines += [line.strip() for line in value.splitlines() if line.strip() and not line.strip().startswith("#")]
# One word per requirement: the Makefile passes them to pip unquoted (no file matches "[").
print(" ".join(lines))
