"""The mail outbox: messages queued with the data they describe, delivered with retries."""
