"""Privacy: a member's own data (download, deletion), consents, and the sharing audit."""
