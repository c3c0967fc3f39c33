"""Federation: the signed pull protocol between cluster portals (fp1)."""
