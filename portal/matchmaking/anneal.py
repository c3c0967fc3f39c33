"""Simulated annealing on breaks: single moves and Kempe-chain swaps between two slots.

Pure Python and cheap per move (only the people a move touches are recounted), so it
tries hundreds of thousands of moves where a CP-SAT step tries one neighbourhood. The
set of scheduled meetings never changes; fixed meetings and meetings with a previous
slot stay put.

A slot may hold more meetings than there are tables for a while, at a penalty per
meeting too many (strategic oscillation): the busiest slots, around noon, would
otherwise block most moves. The penalty grows while fewer than ``VALID_SHARE`` of the
moves are tried from a valid schedule and shrinks while more are; only valid schedules
are kept.
"""

import math
import random
import time

START_TEMPERATURE, END_TEMPERATURE = 0.6, 0.02
CHECK_EVERY = 2000  # moves between clock readings
REPORT_EVERY = 0.5  # seconds between progress reports
MAX_CHAIN = 12  # longer chains rarely help and cost time
RANDOM_TARGET = 0.5  # share of moves to a random slot rather than beside a meeting
# Breaks a meeting beyond the tables costs at first; the step it changes by, every
# CHECK_EVERY moves, and its floor; the share of moves to be tried from a valid schedule.
START_PENALTY, PENALTY_STEP, MIN_PENALTY, VALID_SHARE = 1.0, 1.1, 0.05, 0.8


class Annealer:
    """Current schedule as per-person slot rows, with loads and breaks kept up to date."""

    def __init__(self, instance, slot_of, seed=0):
        self.instance, self.rng = instance, random.Random(seed)
        self.by_id = {m.id: m for m in instance.meetings}
        self.slot_of = dict(slot_of)
        # Meetings with a published slot stay put: moving one would add a moved meeting.
        self.movable = [m.id for m in instance.meetings
                        if m.id in slot_of and m.fixed_slot is None
                        and m.previous_slot is None and len(instance.candidate_slots(m)) > 1]
        self.options = {mid: set(instance.candidate_slots(self.by_id[mid]))
                        for mid in self.movable}
        self.at = {p.id: [None] * instance.slots for p in instance.participants}
        self.load = [0] * instance.slots
        for mid, slot in self.slot_of.items():
            self.load[slot] += 1
            for pid in self.by_id[mid].participants:
                self.at[pid][slot] = mid
        self.breaks = {pid: _breaks(row) for pid, row in self.at.items()}
        self.total = sum(self.breaks.values())
        self.overflow = sum(self.excess(slot) for slot in range(instance.slots))

    def excess(self, slot):
        return max(self.load[slot] - self.instance.tables, 0)

    def chain(self, mid, target):
        """Meetings that swap between ``mid``'s slot and ``target``, or None.

        A Kempe chain: moving ``mid`` displaces the meetings its people have at
        ``target``, which move to ``mid``'s slot and displace others in turn.
        """
        source = self.slot_of[mid]
        moving, todo = {mid}, [mid]
        while todo:
            current = todo.pop()
            here = self.slot_of[current]
            there = target if here == source else source
            for pid in self.by_id[current].participants:
                other = self.at[pid][there]
                if other is not None and other not in moving:
                    if other not in self.options or here not in self.options[other]:
                        return None
                    moving.add(other)
                    todo.append(other)
            if len(moving) > MAX_CHAIN:
                return None
        for m in moving:
            if (target if self.slot_of[m] == source else source) not in self.options[m]:
                return None
        return moving

    def apply(self, moving, source, target):
        """Swap ``moving`` between the two slots; returns the change in total breaks."""
        self.overflow -= self.excess(source) + self.excess(target)
        people = set()
        for m in moving:
            for pid in self.by_id[m].participants:
                people.add(pid)
                if self.at[pid][self.slot_of[m]] == m:
                    self.at[pid][self.slot_of[m]] = None
        for m in moving:
            new = target if self.slot_of[m] == source else source
            self.load[self.slot_of[m]] -= 1
            self.load[new] += 1
            self.slot_of[m] = new
            for pid in self.by_id[m].participants:
                self.at[pid][new] = m
        delta = 0
        for pid in people:
            b = _breaks(self.at[pid])
            delta += b - self.breaks[pid]
            self.breaks[pid] = b
        self.total += delta
        self.overflow += self.excess(source) + self.excess(target)
        return delta

    def _target(self, mid, rng):
        """Half the time a random slot, else one beside another meeting of one side."""
        if rng.random() < RANDOM_TARGET:
            return rng.randrange(self.instance.slots)
        row = self.at[rng.choice(self.by_id[mid].participants)]
        busy = [s for s, cell in enumerate(row) if cell is not None and cell != mid]
        if not busy:
            return rng.randrange(self.instance.slots)
        return rng.choice(busy) + rng.choice((-1, 1))

    def run(self, deadline, floor=0, on_improve=None):
        """Anneal until ``deadline`` (or the breaks reach ``floor``); the best schedule.

        ``on_improve`` gets a new best schedule at most every ``REPORT_EVERY`` seconds.
        """
        if not self.movable or self.total <= floor:
            return dict(self.slot_of)
        best, best_total = dict(self.slot_of), self.total
        began = time.perf_counter()
        span = max(deadline - began, 1e-3)
        temperature, moves, reported = START_TEMPERATURE, 0, (best_total, began)
        penalty, valid = START_PENALTY, 0
        rng = self.rng
        while True:
            moves += 1
            valid += not self.overflow
            if moves % CHECK_EVERY == 0:
                now = time.perf_counter()
                if now >= deadline:
                    break
                due = now - reported[1] > REPORT_EVERY
                if on_improve and due and best_total < reported[0]:
                    on_improve(dict(best))
                    reported = (best_total, now)
                done = (now - began) / span
                temperature = START_TEMPERATURE * (END_TEMPERATURE / START_TEMPERATURE) ** done
                if valid < VALID_SHARE * CHECK_EVERY:
                    penalty *= PENALTY_STEP
                else:
                    penalty = max(penalty / PENALTY_STEP, MIN_PENALTY)
                valid = 0
            mid = rng.choice(self.movable)
            source, target = self.slot_of[mid], self._target(mid, rng)
            if target == source or target not in self.options[mid]:
                continue
            moving = self.chain(mid, target)
            if moving is None:
                continue
            overflow = self.overflow
            cost = self.apply(moving, source, target) + penalty * (self.overflow - overflow)
            if cost > 0 and rng.random() >= math.exp(-cost / temperature):
                self.apply(moving, source, target)  # undo: the same swap again
                continue
            if not self.overflow and self.total < best_total:
                best, best_total = dict(self.slot_of), self.total
                if best_total <= floor:
                    break
        return best


def _breaks(row):
    count, seen, idle = 0, False, False
    for cell in row:
        if cell is None:
            idle = seen
        else:
            count += idle
            seen, idle = True, False
    return count


def anneal(instance, slot_of, deadline, floor=0, seed=0, on_improve=None):
    """A schedule of the same meetings with no more breaks than ``slot_of``."""
    return Annealer(instance, slot_of, seed).run(deadline, floor, on_improve)
