"""B2B matchmaking: pure-Python meeting scheduling, usable without the web app."""
