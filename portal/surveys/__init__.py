"""Surveys: see views.py."""
