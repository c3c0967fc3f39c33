"""The dashboard's tables and charts, built from the facts of queries.py with their labels.

One event: attendance (by cluster, organisation kind, role), the B2B funnel, response
rates, satisfaction, outcomes, costs, and our own members' answers in detail. Across
events: trends per event, totals per cluster, outcomes by type. Another cluster's
answers are shown only summed, and only in groups of at least SURVEY_MIN_GROUP.
"""
from collections import Counter

from flask import current_app
from flask_babel import (format_decimal, gettext as _, lazy_gettext as _l, lazy_pgettext, ngettext,
                         pgettext)

from portal.directory.vocabulary import KIND_LABELS
from portal.events.formatting import local, money
from portal.events.forms import ROLE_LABELS
from portal.federation.records import local_cluster
from portal.i18n import format_day, half_up, percent
from portal.impact import aggregate
from portal.impact.charts import bar_chart
from portal.impact.tables import Column, Table
from portal.surveys.constants import NEXT_STEPS, OUTCOMES, STAGE_LABELS, STEP_LABELS
from portal.templating import colon
from portal.text import sort_key

# "counts": column headings over numbers (French needs the plural there, not a status's singular).
FUNNEL_LABELS = {"sent": _l("Requests sent"), "accepted": lazy_pgettext("counts", "Accepted"),
                 "scheduled": lazy_pgettext("counts", "Scheduled"), "held": lazy_pgettext("counts", "Held"),
                 "no_show": lazy_pgettext("counts", "No-show")}


def _attendance(key, title, groups, label):
    rows = [{"group": label(k), "confirmed": a.confirmed, "checked_in": a.checked_in}
            for k, a in sorted(groups.items(), key=lambda item: (-item[1].confirmed, str(item[0])))]
    chart = bar_chart(key, title, [(r["group"], [r["confirmed"], r["checked_in"]]) for r in rows],
                      series=[pgettext("counts", "Confirmed"), pgettext("counts", "Checked in")])
    return Table(key, title, [Column("group", _("Group"), "text"),
                              Column("confirmed", pgettext("counts", "Confirmed")),
                              Column("checked_in", pgettext("counts", "Checked in"))], rows, chart)


def attendance_tables(facts, names):
    kind = lambda k: _("Not shared") if k == "unknown" else KIND_LABELS.get(k, k)
    return [_attendance("attendance-cluster", _("Attendance by cluster"), facts.by_cluster, lambda c: names.get(c, c)),
            _attendance("attendance-kind", _("Attendance by organisation kind"), facts.by_kind, kind),
            _attendance("attendance-role", _("Attendance by role"), facts.by_role, lambda r: ROLE_LABELS.get(r, r))]


def funnel_table(facts, names):
    columns = [Column("cluster", _("Requesting cluster"), "text")] + [
        Column(stage, FUNNEL_LABELS[stage]) for stage in FUNNEL_LABELS] + [Column("kept_rate", _("Kept rate"), "rate")]
    rows = [dict(f, cluster=names.get(c, c)) for c, f in sorted(facts.funnel_by_cluster.items()) if f["sent"]]
    rows.append(dict(facts.funnel, cluster=_("All clusters")))
    chart = bar_chart("funnel", _("B2B funnel"), [(FUNNEL_LABELS[s], facts.funnel[s]) for s in FUNNEL_LABELS])
    return Table("funnel", _("B2B funnel"), columns, rows, chart,
                 _("Kept rate: meetings held ÷ meetings due (held, no-show, or begun and not marked yet)."))


def response_table(facts, names):
    rows = []
    for row in aggregate.response_rates(facts.responses, facts.surveyed):
        for stage in STAGE_LABELS:
            if not facts.started(stage):
                row[stage + "_rate"] = None
        rows.append(dict(row, cluster=names.get(row["cluster"], row["cluster"])))
    columns = [Column("cluster", _("Home cluster"), "text"), Column("participants", _("Participants")),
               Column("post_event", _("Answers right after")),
               Column("post_event_rate", _("Rate right after"), "rate"),
               Column("six_months", _("Answers at six months")),
               Column("six_months_rate", _("Rate at six months"), "rate")]
    chart = bar_chart("responses", _("Response rates"),
                      [(r["cluster"], [r["post_event_rate"], r["six_months_rate"]]) for r in rows],
                      series=[STAGE_LABELS["post_event"], STAGE_LABELS["six_months"]], fmt=percent)
    return Table("responses", _("Response rates"), columns, rows, chart,
                 _("Each cluster asks its own members who came: those checked in, or the confirmed when "
                   "none of them was checked in; a stage not yet open shows –."))


def satisfaction_table(facts, names):
    minimum = current_app.config["SURVEY_MIN_GROUP"]
    groups = [(_("All clusters"), facts.pooled, True)]
    for cluster, answered in sorted(aggregate.by_origin(facts.responses).items()):
        post = [r for r in answered if r.stage == "post_event"]
        groups.append((names.get(cluster, cluster), answered, cluster == local_cluster() or len(post) >= minimum))
    rows = []
    for label, answered, shown in groups:
        s = aggregate.satisfaction(answered)
        rows.append({"group": label, "responses": s["responses"], "mean": s["mean"] if shown else None,
                     "come_again_rate": s["come_again_rate"] if shown else None,
                     "useful_rate": s["useful_rate"] if shown else None,
                     "new_contacts": s["new_contacts"] if shown else None})
    spread = aggregate.satisfaction(facts.pooled)["spread"]
    chart = bar_chart("satisfaction", _("Overall satisfaction (1 to 5)"),
                      [(str(score), spread[score]) for score in range(5, 0, -1)])
    columns = [Column("group", _("Group"), "text"), Column("responses", _("Answers")),
               Column("mean", _("Mean satisfaction"), "number"), Column("come_again_rate", _("Would come again"), "rate"),
               Column("useful_rate", _("Useful meetings"), "rate"), Column("new_contacts", _("Useful new contacts"))]
    return Table("satisfaction", _("Satisfaction right after the event"), columns, rows, chart,
                 _("Another cluster's answers are shown only from %(num)d answers up.", num=minimum)
                 + left_out_note(facts.left_out))


def left_out_note(count):
    if not count:
        return ""
    return " " + ngettext("%(num)d answer of another cluster is left out of the totals: too few to sum "
                          "without pointing at people.",
                          "%(num)d answers of other clusters are left out of the totals: too few to sum "
                          "without pointing at people.", count)


def outcomes_table(responses, key="outcomes", left_out=0):
    planned, reported = aggregate.next_steps(responses), aggregate.outcomes(responses)
    kinds = [k for k in dict.fromkeys(NEXT_STEPS + OUTCOMES) if k not in ("none", "nothing_yet")]
    rows = [{"type": STEP_LABELS[k], "planned": planned.get(k), "reported": reported.get(k)} for k in kinds]
    # "None" planned right after and "Nothing yet" at six months say one thing: one row, last.
    rows.append({"type": pgettext("outcomes", "Nothing"), "planned": planned.get("none"),
                 "reported": reported.get("nothing_yet")})
    chart = bar_chart(key, _("Outcomes by type"), [(r["type"], [r["planned"], r["reported"]]) for r in rows],
                      series=[_("Planned right after"), _("Reported at six months")])
    columns = [Column("type", _("Type"), "text"), Column("planned", _("Planned right after")),
               Column("reported", _("Reported at six months"))]
    return Table(key, _("Outcomes by type"), columns, rows, chart,
                 _("Per B2B meeting, and at six months for other contacts made at the event too.")
                 + left_out_note(left_out))


#: Costs of an event that has not taken place yet shown as "–", as its row of the trends shows them: what
#: the day yields is not known, and a cost shared by the confirmed so far is no cost per participant.
COSTS_NOT_HELD_YET = ("per_participant", "held", "per_meeting", "reported", "per_outcome")


def cost_row(facts):
    reported = aggregate.reported_outcomes(facts.pooled)
    held = facts.funnel.get("held", 0)
    row = {"cost": facts.cost_cents, "participants": facts.participants,
           "per_participant": aggregate.per_unit(facts.cost_cents, facts.participants),
           "held": held, "per_meeting": aggregate.per_unit(facts.cost_cents, held),
           "reported": reported, "per_outcome": aggregate.per_unit(facts.cost_cents, reported)}
    if not facts.ended:
        row.update(dict.fromkeys(COSTS_NOT_HELD_YET))
    return row


def cost_table(facts):
    columns = [Column("cost", _("Cost on this portal"), "money"), Column("participants", _("Participants")),
               Column("per_participant", _("Per participant"), "money"), Column("held", _("Meetings held")),
               Column("per_meeting", _("Per meeting held"), "money"), Column("reported", _("Reported outcomes")),
               Column("per_outcome", _("Per reported outcome"), "money")]
    return Table("costs", _("Costs"), columns, [cost_row(facts)], None,
                 _("From this portal's budget lines. Participants: those checked in, or the confirmed when "
                   "nobody was checked in."))


def event_tables(facts, names):
    return attendance_tables(facts, names) + [funnel_table(facts, names), response_table(facts, names),
                                              satisfaction_table(facts, names), outcomes_table(facts.pooled, left_out=facts.left_out),
                                              cost_table(facts)]


def _yes_no(value):
    return "" if value is None else (_("yes") if value else _("no"))


def _extras(answers):
    """The answers to extra questions, in the order the questions were added (`extra.10` after `extra.9`)."""
    found = [(key, value) for key, value in answers.items() if key.startswith("extra.")]
    return sorted(found, key=lambda item: (len(item[0]), item[0]))


def _summary(answers, suffix, names):
    """Each meeting's answer, after the name of whom it was with (["Katell Mercier: a quote", ...]),
    in the order of the survey; `names`: {meeting key: the other participant's name}."""
    found = {k.split(".")[1]: v for k, v in answers.items() if k.startswith("meeting.") and k.endswith("." + suffix)}
    keys = [key for key in names if key in found] + sorted(key for key in found if key not in names)
    label = _yes_no if suffix == "useful" else (lambda v: str(STEP_LABELS.get(v, v)))
    return [f"{colon(names.get(key) or _('A participant'))} {label(found[key])}" for key in keys]


#: The columns of our members' answers at each stage: each survey asks its own questions.
ANSWER_COLUMNS = {"post_event": ("satisfaction", "come_again", "new_contacts", "useful", "steps", "extras"),
                  "six_months": ("steps", "other", "comment", "extras")}


def answers_table(own, extra_labels, meeting_names, stage):
    """Our members' answers to one stage, one by one, by name (detail is for the home portal only).

    A table per stage, with that survey's questions only: one table for both read "–" or nothing in
    half its cells (no satisfaction at six months, no comment right after).
    `extra_labels`: {(stage, "extra.<id>"): the question's label}, from `surveys.queries.extra_labels`;
    `meeting_names(person_uid)`: {meeting key: the name of whom the member met}, as the survey named them.
    """
    rows = []
    for person, response in own:
        if response.stage != stage:
            continue
        a = response.answers or {}
        names = meeting_names(person.uid) if person else {}
        extras = [f"{colon(extra_labels.get((response.stage, k), k))} {_yes_no(v) if isinstance(v, bool) else v}"
                  for k, v in _extras(a)]
        rows.append({"member": person.display_name if person else _("A member"),
                     "satisfaction": a.get("satisfaction"), "come_again": _yes_no(a.get("come_again")),
                     "new_contacts": a.get("new_contacts"), "useful": _summary(a, "useful", names),
                     "steps": _summary(a, "next_step" if stage == "post_event" else "outcome", names),
                     "other": str(STEP_LABELS.get(a.get("other_outcome"), a.get("other_outcome") or "")),
                     "comment": a.get("comment") or "", "extras": extras})
    rows.sort(key=lambda row: sort_key(row["member"]))  # as a list of people reads: "Aïcha" before "Aurélie"
    columns = {"satisfaction": Column("satisfaction", _("Satisfaction")),
               "come_again": Column("come_again", _("Come again"), "text"),
               "new_contacts": Column("new_contacts", _("New contacts")),
               "useful": Column("useful", _("Useful meetings"), "lines"),
               "steps": Column("steps", _("Next steps") if stage == "post_event" else _("Outcomes"), "lines"),
               "other": Column("other", _("Other contacts"), "text"), "comment": Column("comment", _("Comment"), "text"),
               "extras": Column("extras", _("Extra questions"), "lines")}
    title = (_("Our members' answers right after the event") if stage == "post_event"
             else _("Our members' answers six months later"))
    return Table("answers-" + stage.replace("_", "-"), title,
                 [Column("member", _("Member"), "text")] + [columns[key] for key in ANSWER_COLUMNS[stage]], rows, None,
                 _("Only this portal's members, whose answers it collected; other hosts see them summed."))


def answers_tables(own, extra_labels, meeting_names):
    """`answers_table` of each stage, right after the event first."""
    return [answers_table(own, extra_labels, meeting_names, stage) for stage in STAGE_LABELS]


#: Figures of an event that has not taken place yet: shown as "–", not as zeros.
NOT_HELD_YET = ("checked_in", "held", "kept_rate", "post_rate", "six_rate", "mean", "reported", "per_participant")


def trend_row(facts):
    event = facts.event
    answered = {stage: sum(1 for r in facts.responses if r.stage == stage) for stage in STAGE_LABELS}
    surveyed = sum(facts.surveyed.values())
    rates = {stage: aggregate.rate(n, surveyed) if facts.started(stage) else None for stage, n in answered.items()}
    row = {"event": event.title, "date": local(event.starts_at, event.timezone).date(),
           "confirmed": facts.confirmed, "checked_in": facts.checked_in, "held": facts.funnel.get("held", 0),
           "kept_rate": facts.funnel.get("kept_rate"),
           "post_rate": rates["post_event"], "six_rate": rates["six_months"],
           "mean": aggregate.satisfaction(facts.pooled)["mean"],
           "reported": aggregate.reported_outcomes(facts.pooled), "cost": facts.cost_cents,
           "per_participant": aggregate.per_unit(facts.cost_cents, facts.participants)}
    if not facts.ended:
        row.update(dict.fromkeys(NOT_HELD_YET))
    return row


def trends_table(all_facts):
    rows = [trend_row(f) for f in all_facts]
    columns = [Column("event", _("Event"), "text"), Column("date", _("Date"), "date"),
               Column("confirmed", pgettext("counts", "Confirmed")),
               Column("checked_in", pgettext("counts", "Checked in")),
               Column("held", _("Meetings held")), Column("kept_rate", _("Kept rate"), "rate"),
               Column("post_rate", _("Answers right after"), "rate"), Column("six_rate", _("Answers at six months"), "rate"),
               Column("mean", _("Mean satisfaction"), "number"), Column("reported", _("Reported outcomes")),
               Column("cost", _("Cost on this portal"), "money"),
               Column("per_participant", _("Per participant"), "money")]
    chart = bar_chart("trends", _("Events compared"),
                      [(f"{cell(r['date'], 'date')} · {r['event']}", [r["checked_in"] or r["confirmed"], r["held"], r["reported"]])
                       for r in rows], series=[_("Participants"), _("Meetings held"), _("Reported outcomes")])
    return Table("trends", _("Trends across events"), columns, rows, chart)


HELD_FIGURES = ("checked_in", "held", "post_answers", "six_answers", "reported")


def clusters_table(all_facts, names):
    """Per cluster, summed over the events: participants, meetings, answers and outcomes.

    What an event yields once held (check-ins, meetings held, answers, outcomes) counts only
    from events that have ended: "–" until one has, as in the trends.
    """
    totals = {}
    for facts in all_facts:
        answered, summed = aggregate.by_origin(facts.responses), aggregate.by_origin(facts.pooled)
        for cluster in set(facts.by_cluster) | set(answered):
            row = totals.setdefault(cluster, {"confirmed": 0, "sent": 0, **dict.fromkeys(HELD_FIGURES)})
            attendance = facts.by_cluster.get(cluster)
            funnel = facts.funnel_by_cluster.get(cluster, {})
            row["confirmed"] += attendance.confirmed if attendance else 0
            row["sent"] += funnel.get("sent", 0)
            if facts.ended:
                stages = Counter(r.stage for r in answered.get(cluster, []))
                held = {"checked_in": attendance.checked_in if attendance else 0, "held": funnel.get("held", 0),
                        "post_answers": stages["post_event"], "six_answers": stages["six_months"],
                        "reported": aggregate.reported_outcomes(summed.get(cluster, []))}
                row.update({key: (row[key] or 0) + value for key, value in held.items()})
    rows = [dict(values, cluster=names.get(c, c)) for c, values in sorted(totals.items())]
    columns = [Column("cluster", _("Cluster"), "text"), Column("confirmed", pgettext("counts", "Confirmed")),
               Column("checked_in", pgettext("counts", "Checked in")), Column("sent", _("Meeting requests")),
               Column("held", _("Meetings held")), Column("post_answers", _("Answers right after")),
               Column("six_answers", _("Answers at six months")), Column("reported", _("Reported outcomes"))]
    chart = bar_chart("clusters", _("Per cluster"), [(r["cluster"], [r["confirmed"], r["held"], r["reported"]])
                                                     for r in rows],
                      series=[pgettext("counts", "Confirmed"), _("Meetings held"), _("Reported outcomes")])
    return Table("clusters", _("Per cluster, across events"), columns, rows, chart,
                 _("Meetings count for the cluster that requested them."))


def overview_tables(all_facts, names):
    pooled = [r for f in all_facts for r in f.pooled]
    return [trends_table(all_facts), clusters_table(all_facts, names),
            outcomes_table(pooled, "outcomes-all", sum(f.left_out for f in all_facts))]


def cell(value, kind):
    """A value as the HTML table shows it."""
    if value is None or value == "":
        return "–" if kind != "text" else ""
    if kind == "rate":
        return percent(value)
    if kind == "money":
        return money(value)
    if kind == "number":
        return format_decimal(half_up(value, "0.1"), format="0.0")
    if kind == "date":
        return format_day(value)
    return value
