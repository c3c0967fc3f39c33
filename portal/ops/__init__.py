"""Operations: health check, request logs, backups and restores."""
