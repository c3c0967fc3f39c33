"""Organisers' survey settings for an event: wording of the invitation, extra questions, progress.

Every host's administrators set these for their own members (each portal mails its own).
"""
from datetime import timedelta
from types import SimpleNamespace

from babel import Locale
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import force_locale, get_locale, gettext as _
from flask_login import current_user

from portal.accounts.auth import admin_required
from portal.events.formatting import dated_span
from portal.events.queries import get_event_or_404
from portal.extensions import db
from portal.federation.records import utcnow
from portal.i18n import default_language, in_language_of, language_of
from portal.links import external_url
from portal.mail.services import flash_mail_note, queue_mail
from portal.security import access
from portal.surveys import queries, sending, services
from portal.surveys.constants import EXTRA_KIND_LABELS, MAX_EXTRA_QUESTIONS, STAGE_LABELS, STAGES
from portal.surveys.forms import ButtonForm, QuestionForm, TextsForm
from portal.surveys.queries import Participant
from portal.surveys.questions import Contact, any_required, for_stage, sections
from portal.surveys.schedule import due_at, stage_states

bp = Blueprint("survey_admin", __name__, url_prefix="/admin/events/<event_uid>/surveys")

PREVIEW_UID = "00000000-0000-4000-8000-000000000000"


def stage_or_404(stage):
    if stage not in STAGES:
        abort(404)
    return stage


def preview_languages(event):
    """The languages the event's participants read their mail in (the default when there are none yet)."""
    return sorted({language_of(p.user) for p in queries.participants(event.uid)}) or [default_language()]


def sample_invitation(event, stage, name, link):
    """(subject, body) of the invitation to a made-up participant called `name`, in the current
    language, with `link` in place of the personal survey link."""
    person = SimpleNamespace(display_name=name, uid=PREVIEW_UID)
    registration = SimpleNamespace(uid=PREVIEW_UID, person_uid=PREVIEW_UID)
    mailing = sending.Mailing("invitation", event, stage, Participant(registration, person, None), None)
    return sending.message(mailing, links=(link, _("[the participant's link to stop survey e-mails]")))


def invitation_preview(event, stage, language):
    """(language name, subject, body): the invitation as a participant reading `language` gets it
    (in place of the personal links, words saying what they are)."""
    with force_locale(language):
        subject, body = sample_invitation(event, stage, _("Camille Martin"), _("[the participant's personal link]"))
    return Locale.parse(language).get_display_name(get_locale()), subject, body


def sample_contacts(event):
    """One made-up B2B meeting, to show the questions asked per meeting (none without B2B)."""
    if not event.b2b_enabled:
        return []
    when = ""
    if event.b2b_starts_at:
        start = event.b2b_starts_at
        when = dated_span(start, start + timedelta(minutes=event.b2b_slot_minutes or 20), event.timezone)
    return [Contact("sample", _("Dominique Example"), _("Example Photonics Ltd"), when)]


def links_in_use(progress, now):
    """Whether a link of this stage may still be used: each invitation or reminder's link works
    SURVEY_LINK_DAYS after it was sent, and a reminder goes out only while its invitation's link works."""
    last = progress["last_sent"]
    return last is not None and now < last + timedelta(days=current_app.config["SURVEY_LINK_DAYS"])


def stage_view(event, stage, state, languages, now, texts_form=None, question_form=None):
    row = queries.config(event.uid, stage)
    due, progress = due_at(event.ends_at, stage, event.zone), queries.stage_progress(event.uid, stage)
    if texts_form is None:
        texts_form = TextsForm(prefix=stage, data={"subject": row.subject if row else "",
                                                   "body": row.body if row else ""})
    subject, body = sending.default_texts(stage, bool(event.b2b_enabled))
    texts_form.subject.render_kw = {"placeholder": subject}
    texts_form.body.render_kw = {"placeholder": body, "rows": 6}
    return {"stage": stage, "label": STAGE_LABELS[stage], "due": due, "state": state, "progress": progress,
            "closed_at": due + timedelta(days=current_app.config["SURVEY_SEND_WINDOW_DAYS"]),
            "links_in_use": links_in_use(progress, now), "texts_form": texts_form,
            "question_form": question_form or QuestionForm(prefix=f"{stage}-q"),
            "questions": row.asked if row else [],
            "previews": [invitation_preview(event, stage, language) for language in languages],
            "room": len(row.asked) < MAX_EXTRA_QUESTIONS if row else True}


def page(event, status=200, stage=None, **forms):
    """The settings page; `forms` are the submitted forms of `stage`, shown with their errors."""
    now = utcnow()
    states = stage_states(event.ends_at, now, current_app.config["SURVEY_SEND_WINDOW_DAYS"], event.zone)
    languages = preview_languages(event)
    stages = [stage_view(event, s, states[s], languages, now, **(forms if s == stage else {})) for s in STAGES]
    return render_template("surveys/admin/settings.html", event=event, stages=stages, button_form=ButtonForm(),
                           kind_labels=EXTRA_KIND_LABELS, opted_out=len(queries.opted_out()),
                           link_days=current_app.config["SURVEY_LINK_DAYS"]), status


@bp.get("/")
@access("admin")
@admin_required
def settings(event_uid):
    return page(get_event_or_404(event_uid, host=True))


@bp.get("/<stage>/preview")
@access("admin")
@admin_required
def preview(event_uid, stage):
    """The questionnaire of a stage as a participant sees it, read-only: nothing can be sent."""
    event, stage = get_event_or_404(event_uid, host=True), stage_or_404(stage)
    questions = for_stage(stage, sample_contacts(event), queries.extra_questions(event.uid, stage))
    return render_template("surveys/admin/preview.html", event=event, stage=stage, stage_label=STAGE_LABELS[stage],
                           sections=sections(questions), any_required=any_required(questions),
                           values={}, errors={})


@bp.post("/<stage>/test")
@access("admin")
@admin_required
def send_test(event_uid, stage):
    """The saved invitation, to the organiser's own address and in their language, to see it in
    a real mail client; its survey link opens the questionnaire's preview."""
    event, stage = get_event_or_404(event_uid, host=True), stage_or_404(stage)
    if not ButtonForm().validate_on_submit():
        abort(400)
    with in_language_of(current_user):
        name = current_user.person.display_name if current_user.person else current_user.email
        subject, body = sample_invitation(event, stage, name,
                                          external_url("survey_admin.preview", event_uid=event.uid, stage=stage))
        subject = _("[Test] %(subject)s", subject=subject)
    queue_mail(current_user.email, subject, body)
    db.session.commit()
    language = Locale.parse(language_of(current_user)).get_display_name(get_locale())
    flash(_("A test invitation is on its way to %(email)s, in your account's language (%(language)s): each "
            "participant gets it in theirs.", email=current_user.email, language=language), "success")
    flash_mail_note()
    return redirect(url_for(".settings", event_uid=event.uid))  # the message shows at the top


@bp.route("/<stage>/texts", methods=["GET", "POST"])
@access("admin")
@admin_required
def save_texts(event_uid, stage):
    event, stage = get_event_or_404(event_uid, host=True), stage_or_404(stage)
    if request.method == "GET":  # the address a refused form left in the address bar, reloaded
        return redirect(url_for(".settings", event_uid=event.uid))
    form = TextsForm(prefix=stage)
    if not form.validate_on_submit():
        return page(event, 422, stage=stage, texts_form=form)
    services.save_texts(event.uid, stage, form.subject.data or "", form.body.data or "")
    db.session.commit()
    flash(_("The invitation is saved."), "success")
    return redirect(url_for(".settings", event_uid=event.uid))


@bp.route("/<stage>/questions", methods=["GET", "POST"])
@access("admin")
@admin_required
def add_question(event_uid, stage):
    event, stage = get_event_or_404(event_uid, host=True), stage_or_404(stage)
    if request.method == "GET":  # as save_texts
        return redirect(url_for(".settings", event_uid=event.uid))
    form = QuestionForm(prefix=f"{stage}-q")
    if not form.validate_on_submit():
        return page(event, 422, stage=stage, question_form=form)
    if services.add_question(event.uid, stage, form.kind.data, form.label.data) is None:
        flash(_("At most %(num)d extra questions: the survey must stay short.", num=MAX_EXTRA_QUESTIONS), "error")
    else:
        flash(_("The question is added."), "success")
    db.session.commit()
    return redirect(url_for(".settings", event_uid=event.uid))


@bp.post("/<stage>/questions/<int:question_id>/delete")
@access("admin")
@admin_required
def remove_question(event_uid, stage, question_id):
    event, stage = get_event_or_404(event_uid, host=True), stage_or_404(stage)
    if ButtonForm().validate_on_submit() and services.remove_question(event.uid, stage, question_id):
        db.session.commit()
        flash(_("The question is removed; answers already given keep it."), "success")
    return redirect(url_for(".settings", event_uid=event.uid))
