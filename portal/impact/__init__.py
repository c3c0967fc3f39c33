"""Impact: what events achieved, per event and across a cluster's events; see views.py."""
