"""The questions of one survey stage for one participant, and how raw form input becomes answers.

Question ids are the keys of a response's `answers`:
- post_event: `satisfaction` (1-5), `come_again` (bool), `new_contacts` (int), and per B2B
  meeting `meeting.<key>.useful` (bool) and `meeting.<key>.next_step` (NEXT_STEPS);
- six_months: per B2B meeting `meeting.<key>.outcome` (OUTCOMES), `other_outcome` (OUTCOMES,
  for contacts made outside the B2B meetings) and `comment` (text);
- both: the organisers' extra questions, `extra.<n>` (text, 1-5 or bool).
`<key>` is tokens.meeting_key: the same meeting keeps its key from one stage to the next.
Pure: no request, no database (labels are lazy strings).
"""
from collections import namedtuple

from flask_babel import lazy_gettext as _l

from portal.surveys.constants import CONTACTS_MAX, NEXT_STEPS, OUTCOMES, SCALE, STEP_LABELS, TEXT_MAX

#: kind: scale, yes_no, count, choice or text; `contact` is the meeting a question is about.
Question = namedtuple("Question", "id kind label required choices contact")
#: A B2B meeting as the form shows it: its key, who, their organisation, when.
Contact = namedtuple("Contact", "key name organisation when")


def _q(qid, kind, label, required=False, choices=(), contact=None):
    return Question(qid, kind, label, required, tuple(choices), contact)


def step_choices(values):
    return [(value, STEP_LABELS[value]) for value in values]


def post_event(contacts):
    found = [
        _q("satisfaction", "scale", _l("Overall, how satisfied are you with the event?"), required=True),
        _q("come_again", "yes_no", _l("Would you come again?"), required=True),
        _q("new_contacts", "count", _l("How many useful new contacts did you make?")),
    ]
    for contact in contacts:
        prefix = f"meeting.{contact.key}"
        found.append(_q(f"{prefix}.useful", "yes_no", _l("Was this meeting useful?"), contact=contact))
        found.append(_q(f"{prefix}.next_step", "choice", _l("Next step"), choices=step_choices(NEXT_STEPS),
                        contact=contact))
    return found


def six_months(contacts):
    found = [_q(f"meeting.{c.key}.outcome", "choice", _l("What came of it?"), choices=step_choices(OUTCOMES),
                contact=c) for c in contacts]
    # "Another" contact only beside the meetings just asked about: without them it would point at nothing.
    label = (_l("Did another contact made at the event lead to something?") if contacts
             else _l("Did a contact made at the event lead to something?"))
    found.append(_q("other_outcome", "choice", label, choices=step_choices(OUTCOMES)))
    found.append(_q("comment", "text", _l("Anything you would like to tell the organisers?")))
    return found


def extra(config_questions):
    """The organisers' questions, all optional."""
    kinds = {"text": "text", "scale": "scale", "yes_no": "yes_no"}
    return [_q(f"extra.{q['id']}", kinds[q["kind"]], q["label"]) for q in config_questions if q.get("kind") in kinds]


def for_stage(stage, contacts, config_questions=()):
    base = post_event(contacts) if stage == "post_event" else six_months(contacts)
    return base + extra(config_questions)


def sections(questions):
    """Questions grouped for the page: the general ones, then one group per B2B meeting."""
    found = []
    for question in questions:
        key = question.contact.key if question.contact else None
        if found and found[-1][0] == key:
            found[-1][2].append(question)
        else:
            found.append((key, question.contact, [question]))
    return [(contact, items) for _key, contact, items in found]


def any_required(questions):
    """Whether one of the questions must be answered: the page then explains its star, once."""
    return any(question.required for question in questions)


def to_answer(question, raw):
    """The answer's value from a form's string (None when left empty).

    ValueError carries the message to show beside the question.
    """
    raw = (raw or "").strip() if isinstance(raw, str) else raw
    if raw in ("", None):
        if question.required:
            raise ValueError(_l("Please answer this question."))
        return None
    if question.kind == "scale":
        if raw not in [str(n) for n in SCALE]:
            raise ValueError(_l("Choose a number from 1 to 5."))
        return int(raw)
    if question.kind == "yes_no":
        if raw not in ("yes", "no"):
            raise ValueError(_l("Choose yes or no."))
        return raw == "yes"
    if question.kind == "count":
        if not (raw.isascii() and raw.isdigit() and len(raw) <= 4) or int(raw) > CONTACTS_MAX:
            raise ValueError(_l("Enter a number from 0 to %(num)d.", num=CONTACTS_MAX))
        return int(raw)
    if question.kind == "choice":
        if raw not in {value for value, _label in question.choices}:
            raise ValueError(_l("Choose one of the answers."))
        return raw
    if len(raw) > TEXT_MAX:
        raise ValueError(_l("At most %(num)d characters, please.", num=TEXT_MAX))
    return raw


def answers_from(questions, values):
    """(answers, errors) from a mapping of question id to raw input; empty answers are left out.

    A form sent with nothing filled in is no answer (the six-month stage has no required
    question): errors["_form"] says so. "Nothing yet" is among the outcomes to say there
    is nothing to report.
    """
    answers, errors = {}, {}
    for question in questions:
        try:
            value = to_answer(question, values.get(question.id))
        except ValueError as error:
            errors[question.id] = error.args[0]
            continue
        if value is not None:
            answers[question.id] = value
    if not answers and not errors:
        errors["_form"] = _l("Please answer at least one question. If nothing has come of your contacts yet, "
                             "choose “Nothing yet”.")
    return answers, errors
