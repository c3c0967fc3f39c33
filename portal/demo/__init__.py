"""Seeded, network-free demo data for the three example cluster portals, as plain data."""
