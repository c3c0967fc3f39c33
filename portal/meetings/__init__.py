"""Meetings: see views.py."""
