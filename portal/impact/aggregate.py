"""Survey answers summed up: plain data in and out, no Flask, no database.

A response here is a `Answered(origin, stage, answers)`; question ids are those of
portal/surveys/questions.py.
"""
from collections import Counter, namedtuple

from portal.surveys.constants import NEXT_STEPS, OUTCOMES, SCALE

Answered = namedtuple("Answered", "origin stage answers")


def rate(part, whole):
    """part / whole, None when there is no whole. Unrounded: a figure is rounded once, where it
    is shown (10 / 29 rounded to 0.345, then to a whole percentage, read 35 %)."""
    return part / whole if whole else None


def mean(values):
    values = [v for v in values if v is not None]
    return sum(values) / len(values) if values else None


def _meeting_answers(answers, suffix):
    return [v for k, v in answers.items() if k.startswith("meeting.") and k.endswith("." + suffix)]


def next_steps(responses):
    """Planned next steps after B2B meetings (post-event), by type, `none` included."""
    counts = Counter()
    for r in responses:
        if r.stage == "post_event":
            counts.update(v for v in _meeting_answers(r.answers, "next_step") if v in NEXT_STEPS)
    return {step: counts[step] for step in NEXT_STEPS}


def outcomes(responses):
    """What came of contacts six months on, by type: meetings' outcomes and the other contacts'."""
    counts = Counter()
    for r in responses:
        if r.stage == "six_months":
            values = _meeting_answers(r.answers, "outcome") + [r.answers.get("other_outcome")]
            counts.update(v for v in values if v in OUTCOMES)
    return {outcome: counts[outcome] for outcome in OUTCOMES}


def reported_outcomes(responses):
    """Outcomes at six months that are something (not `nothing_yet`)."""
    return sum(n for outcome, n in outcomes(responses).items() if outcome != "nothing_yet")


def satisfaction(responses):
    """Post-event answers summed: count, mean and spread of satisfaction, come again, contacts, useful meetings.

    `new_contacts` is None when nobody gave the number (no answers is not "no contacts")."""
    post = [r.answers for r in responses if r.stage == "post_event"]
    scores = [a["satisfaction"] for a in post if a.get("satisfaction") in SCALE and type(a["satisfaction"]) is int]
    again = [a["come_again"] for a in post if isinstance(a.get("come_again"), bool)]
    useful = [v for a in post for v in _meeting_answers(a, "useful") if isinstance(v, bool)]
    contacts = [a["new_contacts"] for a in post if type(a.get("new_contacts")) is int]
    return {"responses": len(post), "mean": mean(scores),
            "spread": {score: scores.count(score) for score in SCALE},
            "come_again": sum(again), "come_again_rate": rate(sum(again), len(again)),
            "useful": sum(useful), "useful_rate": rate(sum(useful), len(useful)), "rated_meetings": len(useful),
            "new_contacts": sum(contacts) if contacts else None}


def pooled(responses, own, minimum):
    """The answers that may be summed with others: (kept, number left out).

    Another cluster's answers to a stage are shown apart only in groups of at least
    `minimum`; the smaller groups would still show through a total, by subtraction of the
    groups shown apart. So when the small groups of one stage hold fewer than `minimum`
    answers between them, they are left out of every figure.
    """
    small = Counter((r.origin, r.stage) for r in responses if r.origin != own)
    small = {group: n for group, n in small.items() if n < minimum}
    withheld = {stage for stage in {s for _, s in small}
                if sum(n for (_, s), n in small.items() if s == stage) < minimum}
    kept = [r for r in responses if (r.origin, r.stage) not in small or r.stage not in withheld]
    return kept, len(responses) - len(kept)


def by_origin(responses):
    grouped = {}
    for r in responses:
        grouped.setdefault(r.origin, []).append(r)
    return grouped


def response_rates(responses, surveyed_by_cluster):
    """Per cluster and stage: participants asked, answers, rate (each home portal asks its own)."""
    counts = Counter((r.origin, r.stage) for r in responses)
    rows = []
    for cluster, surveyed in surveyed_by_cluster.items():
        row = {"cluster": cluster, "participants": surveyed}
        for stage in ("post_event", "six_months"):
            row[stage] = counts[(cluster, stage)]
            row[stage + "_rate"] = rate(counts[(cluster, stage)], surveyed)
        rows.append(row)
    return rows


def per_unit(total_cents, count):
    """A cost divided by a count, in cents; None when the count is zero."""
    return round(total_cents / count) if count else None
