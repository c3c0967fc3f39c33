"""The participant's side of surveys, with no login: the personal link and the opt-out link."""
from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext as _

from portal.events.models import Event
from portal.extensions import db
from portal.htmx import is_htmx, render
from portal.security import access
from portal.surveys import queries, services, tokens
from portal.surveys.constants import STAGE_LABELS
from portal.surveys.forms import AnswerForm, OptOutForm
from portal.surveys.questions import answers_from, any_required, for_stage, sections

bp = Blueprint("surveys", __name__, url_prefix="/surveys")

#: Why a link cannot be used, and the status of the page that says so.
UNUSABLE_STATUS = {"invalid": 400, "mismatch": 400, "expired": 410, "closed": 410, "account": 410,
                   "answered": 200}


def unusable(reason, event=None, stage=None):
    """The page saying why a link cannot be used; an answered survey's names its event and stage."""
    return (render_template("surveys/unusable.html", reason=reason, event=event,
                            stage_label=STAGE_LABELS.get(stage)), UNUSABLE_STATUS.get(reason, 400))


@bp.route("/<event_uid>/<stage>/<token>", methods=["GET", "POST"])
@access("public")
def answer(event_uid, stage, token):
    """The survey behind a personal link: shown, then answered once."""
    try:
        claim = tokens.read_survey_token(token, event_uid, stage)
    except tokens.TokenError as error:
        return unusable(error.reason)
    try:
        invite, registration, event = services.open_survey(claim)
    except services.SurveyError as error:
        answered = error.reason == "answered"
        return unusable(error.reason, db.session.get(Event, claim.event_uid) if answered else None, stage)
    questions = for_stage(stage, queries.contacts(event, registration.person_uid),
                          queries.extra_questions(event.uid, stage))
    form, values, errors = AnswerForm(), {}, {}
    if request.method == "POST":
        values = {q.id: request.form.get(q.id, "") for q in questions}
        if not form.validate_on_submit():
            errors["_form"] = _("This page was open too long; please send your answers again.")
        else:
            answers, errors = answers_from(questions, values)
            if not errors:
                try:
                    services.record_response(invite, answers)
                except services.SurveyError as error:
                    return unusable(error.reason)
                db.session.commit()
                if is_htmx():
                    return render_template("surveys/_thanks.html")
                return redirect(url_for(".answer", event_uid=event_uid, stage=stage, token=token))
    return render("surveys/answer.html", "surveys/_answer_form.html", status=422 if errors else 200,
                  event=event, stage=stage, stage_label=STAGE_LABELS[stage], form=form, values=values,
                  errors=errors, sections=sections(questions), any_required=any_required(questions),
                  action=url_for(".answer", event_uid=event_uid, stage=stage, token=token))


@bp.route("/opt-out/<token>", methods=["GET", "POST"])
@access("public")
def opt_out(token):
    """Stop (or resume) survey e-mails, from the link at the foot of every survey mail."""
    try:
        person_uid = tokens.read_opt_out_token(token)
    except tokens.TokenError as error:
        return unusable(error.reason)
    form = OptOutForm()
    if form.validate_on_submit():
        if request.form.get("action") == "resume":
            services.opt_in(person_uid)
        else:
            services.opt_out(person_uid)
        db.session.commit()
        return redirect(url_for(".opt_out", token=token))
    return render_template("surveys/opt_out.html", form=form, opted_out=queries.is_opted_out(person_uid))
