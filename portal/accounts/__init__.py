"""Accounts: sign-up, approval, log-in, password reset, roles."""
