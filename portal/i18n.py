"""Language choice: the visitor's pick, else the browser's preference."""
from flask import current_app, has_request_context, request, session


def select_locale():
    if not has_request_context():  # CLI and workers (e.g. mail queued by a command): the default
        return None
    chosen = session.get("lang")
    languages = current_app.config["LANGUAGES"]
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(languages) if request else None
