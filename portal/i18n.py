"""Language choice: the visitor's pick, else the browser's preference."""
from flask import current_app, request, session


def select_locale():
    chosen = session.get("lang")
    languages = current_app.config["LANGUAGES"]
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(languages) if request else None
