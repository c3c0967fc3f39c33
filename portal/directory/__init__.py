"""Directory: organisations, people, and their offers and needs (listings)."""
