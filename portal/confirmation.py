"""A button that cannot be taken back asks first, with JavaScript or without.

Such a button is a submit button named `confirm_question` whose value is its question:
`<button type="submit" name="confirm_question" value="Delete this listing for good?">`. With
JavaScript, `static/js/portal.js` asks the question in a dialog and adds `confirm_answer=yes` to
the form it sends. Without, the form arrives with its question and no answer: instead of the view,
the person gets a page that asks it and sends the same fields again with the answer, or goes back.

Checked before the view, after the CSRF check (a forged form gets no page) and only for someone
the view admits (otherwise its guard answers as it would have); htmx requests come from the script,
which asked already. Only URL-encoded forms are asked again: a file cannot be sent twice, and no
such button sits in a form that uploads one.
"""
from urllib.parse import urlsplit

from flask import current_app, render_template, request, url_for

from portal.htmx import is_htmx
from portal.links import local_path
from portal.security import admitted

FORM = "application/x-www-form-urlencoded"
QUESTION, ANSWER = "confirm_question", "confirm_answer"  # no form has fields of these names


def init_app(app):
    app.before_request(ask_first)


def ask_first():
    """The page that asks a button's question, in place of the view, when it was not answered."""
    if (request.method != "POST" or request.mimetype != FORM or is_htmx()
            or QUESTION not in request.form or request.form.get(ANSWER) == "yes"):
        return None
    view = current_app.view_functions.get(request.endpoint)
    if not admitted(getattr(view, "access", None)):
        return None
    fields = [(name, value) for name, values in request.form.lists() if name != QUESTION for value in values]
    query, back = request.query_string.decode(), _back()
    return render_template("confirm.html", question=request.form[QUESTION], fields=fields, answer=ANSWER,
                           action=request.path + (f"?{query}" if query else ""), back=back, language_next=back)


def _back():
    """The page the form was on, when it is one of ours."""
    referrer = urlsplit(request.referrer or "")
    path = referrer.path + (f"?{referrer.query}" if referrer.query else "")
    same_site = referrer.netloc == request.host
    return path if same_site and local_path(path) else url_for("main.home")
