"""Lower bounds on breaks: each participant's fewest breaks, taken on their own.

Alone, a participant's meetings still need distinct slots that both sides can attend
(a meeting with someone who leaves at noon must be in the morning). The fewest blocks
of consecutive meetings under that constraint, minus one, bounds that participant's
breaks in every schedule holding all their meetings; the sum over participants bounds
the total. Exact, in pure Python: a dynamic programme over the slots whose state is how
many meetings of each kind (same candidate slots) are still to place.
"""

from .cpsat import break_floor

# Past this many states per slot the programme is skipped for the availability floor.
STATE_LIMIT = 256


def participant_floors(instance):
    """Participant id -> fewest breaks they can have when all their meetings are held."""
    kinds = {p.id: {} for p in instance.participants}
    for m in instance.meetings:
        slots = (frozenset([m.fixed_slot]) if m.fixed_slot is not None
                 else frozenset(instance.candidate_slots(m)))
        for pid in m.participants:
            kinds[pid][slots] = kinds[pid].get(slots, 0) + 1
    return {pid: fewest_breaks(instance.slots, mine) for pid, mine in kinds.items()}


def total_floor(instance):
    return sum(participant_floors(instance).values())


def fewest_breaks(slots, kinds):
    """Fewest breaks for meetings given as {frozenset of candidate slots: count}.

    Returns 0 for fewer than two meetings; a count that cannot be placed at all (more
    meetings than slots) makes no claim either (0), since the schedule then drops some.
    """
    groups = sorted(kinds.items(), key=lambda kc: sorted(kc[0]))
    need = sum(count for _, count in groups)
    if need < 2:
        return 0
    states = 1
    for _, count in groups:
        states *= count + 1
    if states > STATE_LIMIT:
        union = sorted(set().union(*(s for s, _ in groups)))
        return break_floor(union, min(need, len(union)))[min(need, len(union))]
    sets = [s for s, _ in groups]
    start = tuple(count for _, count in groups)
    # (remaining counts, busy in the previous slot) -> fewest blocks started so far
    best = {(start, False): 0}
    for slot in range(slots):
        # slots still open to each kind after this one: states that cannot finish go
        later = [sum(1 for s in candidates if s > slot) for candidates in sets]
        following = {}
        for (left, busy), blocks in best.items():
            if all(n <= room for n, room in zip(left, later)):
                _keep(following, (left, False), blocks)
            for g, candidates in enumerate(sets):
                if left[g] and slot in candidates:
                    placed = left[:g] + (left[g] - 1,) + left[g + 1:]
                    if all(n <= room for n, room in zip(placed, later)):
                        _keep(following, (placed, True), blocks + (not busy))
        best = following
    done = tuple(0 for _ in groups)
    ends = [blocks for (left, _), blocks in best.items() if left == done]
    return min(ends) - 1 if ends else 0


def _keep(table, key, value):
    if value < table.get(key, value + 1):
        table[key] = value
