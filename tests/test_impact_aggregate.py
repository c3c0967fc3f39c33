"""Summing survey answers without giving away a small group: portal.impact.aggregate.pooled."""
from hypothesis import given, strategies as st

from portal.impact.aggregate import Answered, outcomes, pooled, satisfaction

STAGES = ("post_event", "six_months")


def answers(**groups):
    """answers(a_post_event=2) -> two post-event answers from cluster a."""
    out = []
    for name, n in groups.items():
        origin, stage = name.split("_", 1)
        out += [Answered(origin, stage, {"satisfaction": 3})] * n
    return out


def test_a_lone_small_partner_is_left_out_and_our_own_answers_never_are():
    kept, left_out = pooled(answers(us_post_event=1, b_post_event=2, b_six_months=5), "us", 3)
    assert left_out == 2
    assert sorted({(r.origin, r.stage) for r in kept}) == [("b", "six_months"), ("us", "post_event")]


def test_small_groups_that_reach_the_minimum_together_stay_in_the_total():
    kept, left_out = pooled(answers(us_post_event=4, b_post_event=2, c_post_event=1), "us", 3)
    assert left_out == 0 and len(kept) == 7


def test_groups_at_the_minimum_are_kept():
    assert pooled(answers(b_post_event=3, c_six_months=1), "us", 3)[1] == 1


@given(st.dictionaries(st.sampled_from(["us", "b", "c"]), st.tuples(st.integers(0, 6), st.integers(0, 6))),
       st.integers(1, 5))
def test_what_a_total_gives_away_beyond_the_groups_shown_apart_is_never_a_small_group(groups, minimum):
    responses = [Answered(origin, stage, {}) for origin, counts in groups.items()
                 for stage, n in zip(STAGES, counts) for _ in range(n)]
    kept, _ = pooled(responses, "us", minimum)
    for stage in STAGES:
        # A host sees its own answers and other groups of `minimum` or more apart; the total less those is the rest.
        rest = [r for r in kept if r.stage == stage and r.origin != "us"
                and sum(1 for x in responses if (x.origin, x.stage) == (r.origin, stage)) < minimum]
        assert len(rest) == 0 or len(rest) >= minimum


def test_only_the_values_our_questions_take_are_summed():
    """A peer's questionnaire may answer with other values (PROTOCOL.md names no type): they are kept, not counted."""
    odd = [Answered("b", "post_event", {"satisfaction": 4.5, "come_again": "yes", "new_contacts": [2],
                                        "meeting.k1.useful": 1}),
           Answered("b", "post_event", {"satisfaction": True}), Answered("b", "post_event", {"satisfaction": 9}),
           Answered("b", "six_months", {"other_outcome": ["nda"], "meeting.k1.outcome": {"nda": 1}})]
    ours = [Answered("a", "post_event", {"satisfaction": 4, "come_again": True, "new_contacts": 2,
                                         "meeting.k1.useful": True}),
            Answered("a", "six_months", {"other_outcome": "nda"})]
    summed = satisfaction(odd + ours)
    assert summed["responses"] == 4 and summed["mean"] == 4 and summed["spread"][4] == 1
    assert (summed["come_again"], summed["new_contacts"], summed["useful"], summed["rated_meetings"]) == (1, 2, 1, 1)
    assert outcomes(odd + ours)["nda"] == 1


def test_no_number_of_contacts_given_is_no_figure_not_zero():
    """With no answers yet (an event to come, a stage nobody answered), the dashboard shows "–", as beside it."""
    assert satisfaction([])["new_contacts"] is None
    assert satisfaction([Answered("a", "post_event", {"satisfaction": 4})])["new_contacts"] is None
    assert satisfaction([Answered("a", "post_event", {"new_contacts": 0})])["new_contacts"] == 0
