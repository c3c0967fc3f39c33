"""Events: see views.py."""
