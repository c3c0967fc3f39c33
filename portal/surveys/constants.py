"""The surveys' vocabularies: stages, next steps, outcomes and extra question kinds, with labels."""
from flask_babel import lazy_gettext as _l

STAGES = ("post_event", "six_months")
#: The answers of a scale question (`satisfaction`, an extra question's).
SCALE = (1, 2, 3, 4, 5)
STAGE_LABELS = {"post_event": _l("Right after the event"), "six_months": _l("Six months later")}

#: What a participant plans after a B2B meeting (post-event stage).
NEXT_STEPS = ("none", "follow_up_call", "nda", "quote", "test_or_pilot", "joint_project_proposal", "licence",
              "supply_or_distribution_agreement", "research_agreement")
#: What actually came of a contact (six-month stage): the agreement types, or nothing yet.
OUTCOMES = ("nda", "quote", "test_or_pilot", "joint_project_proposal", "licence",
            "supply_or_distribution_agreement", "research_agreement", "nothing_yet")

STEP_LABELS = {
    "none": _l("None"),
    "follow_up_call": _l("A follow-up call"),
    "nda": _l("A non-disclosure agreement"),
    "quote": _l("A quote"),
    "test_or_pilot": _l("A test or a pilot"),
    "joint_project_proposal": _l("A joint project proposal"),
    "licence": _l("A licence"),
    "supply_or_distribution_agreement": _l("A supply or distribution agreement"),
    "research_agreement": _l("A research agreement"),
    "nothing_yet": _l("Nothing yet"),
}

#: Extra questions organisers may add: free text, a 1-5 scale, yes or no.
EXTRA_KINDS = ("text", "scale", "yes_no")
EXTRA_KIND_LABELS = {"text": _l("Free text"), "scale": _l("Scale from 1 to 5"), "yes_no": _l("Yes or no")}
MAX_EXTRA_QUESTIONS = 5

#: What the invitation's subject and body may hold in braces: the participant's name, the event's title.
PLACEHOLDERS = ("name", "event")

TEXT_MAX = 2000  # characters of a free-text answer
CONTACTS_MAX = 500  # "useful new contacts" above this is a typo
