"""B2B scheduling instances: plain dataclasses and a strict parser naming bad fields."""

from dataclasses import dataclass

PRIORITIES = (0, 1, 2)

_TOP_FIELDS = {"slots", "tables", "participants", "meetings"}
_PARTICIPANT_FIELDS = {"id", "unavailable"}
_MEETING_FIELDS = {
    "id", "participants", "allowed_slots", "fixed_slot", "priority",
    "previous_slot", "previous_table",
}


class InstanceError(ValueError):
    """Invalid instance data; ``path`` names the offending field."""

    def __init__(self, path, message):
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message


@dataclass(frozen=True)
class Participant:
    id: str
    unavailable: frozenset = frozenset()


@dataclass(frozen=True)
class Meeting:
    id: str
    participants: tuple
    allowed_slots: frozenset | None = None
    fixed_slot: int | None = None
    priority: int = 0
    previous_slot: int | None = None
    previous_table: int | None = None


@dataclass(frozen=True)
class Instance:
    slots: int
    tables: int
    participants: tuple
    meetings: tuple

    def participant(self, pid):
        return self._by_id()[pid]

    def _by_id(self):
        # Cached on first use; the dataclass is frozen, hence object.__setattr__.
        cache = self.__dict__.get("_participants_by_id")
        if cache is None:
            cache = {p.id: p for p in self.participants}
            object.__setattr__(self, "_participants_by_id", cache)
        return cache

    def candidate_slots(self, meeting):
        """Slots where the meeting may take place: allowed and both sides available."""
        a, b = (self.participant(pid) for pid in meeting.participants)
        allowed = meeting.allowed_slots
        return [
            s for s in range(self.slots)
            if (allowed is None or s in allowed)
            and s not in a.unavailable and s not in b.unavailable
        ]

    @property
    def has_previous(self):
        return any(m.previous_slot is not None for m in self.meetings)


def parse_instance(data):
    """Build an :class:`Instance` from JSON-like data or raise :class:`InstanceError`."""
    _expect(isinstance(data, dict), "instance", "must be an object")
    _no_unknown(data, _TOP_FIELDS, "instance")
    slots = _positive_int(data, "slots", "slots")
    tables = _positive_int(data, "tables", "tables")
    participants = _parse_participants(data.get("participants"), slots)
    known = {p.id for p in participants}
    meetings = _parse_meetings(data.get("meetings"), slots, tables, known)
    return Instance(slots, tables, participants, meetings)


def _parse_participants(raw, slots):
    _expect(isinstance(raw, list), "participants", "must be a list")
    seen, result = set(), []
    for i, item in enumerate(raw):
        path = f"participants[{i}]"
        _expect(isinstance(item, dict), path, "must be an object")
        _no_unknown(item, _PARTICIPANT_FIELDS, path)
        pid = _identifier(item, f"{path}.id")
        _expect(pid not in seen, f"{path}.id", f'duplicate participant id "{pid}"')
        seen.add(pid)
        unavailable = _slot_list(item.get("unavailable"), f"{path}.unavailable", slots)
        result.append(Participant(pid, frozenset(unavailable or ())))
    return tuple(result)


def _parse_meetings(raw, slots, tables, known):
    _expect(isinstance(raw, list), "meetings", "must be a list")
    seen, result = set(), []
    for i, item in enumerate(raw):
        path = f"meetings[{i}]"
        _expect(isinstance(item, dict), path, "must be an object")
        _no_unknown(item, _MEETING_FIELDS, path)
        mid = _identifier(item, f"{path}.id")
        _expect(mid not in seen, f"{path}.id", f'duplicate meeting id "{mid}"')
        seen.add(mid)
        result.append(_parse_meeting(item, path, mid, slots, tables, known))
    return tuple(result)


def _parse_meeting(item, path, mid, slots, tables, known):
    pair = item.get("participants")
    ppath = f"{path}.participants"
    _expect(isinstance(pair, list) and len(pair) == 2, ppath,
            "must be a list of two participant ids")
    for pid in pair:
        _expect(isinstance(pid, str), ppath, "participant ids must be strings")
        _expect(pid in known, ppath, f'unknown participant "{pid}"')
    _expect(pair[0] != pair[1], ppath, f'a participant cannot meet themselves ("{pair[0]}")')
    allowed = _slot_list(item.get("allowed_slots"), f"{path}.allowed_slots", slots)
    priority = item.get("priority", 0)
    priority = 0 if priority is None else priority
    _expect(_is_int(priority) and priority in PRIORITIES, f"{path}.priority",
            "must be 0, 1 or 2")
    previous_slot = _optional_index(item, "previous_slot", path, slots)
    previous_table = _optional_index(item, "previous_table", path, tables)
    _expect(previous_table is None or previous_slot is not None, f"{path}.previous_table",
            "given without previous_slot")
    return Meeting(
        id=mid,
        participants=tuple(pair),
        allowed_slots=None if allowed is None else frozenset(allowed),
        fixed_slot=_optional_index(item, "fixed_slot", path, slots),
        priority=priority,
        previous_slot=previous_slot,
        previous_table=previous_table,
    )


def _optional_index(item, field, path, limit):
    value = item.get(field)
    if value is None:
        return None
    _expect(_is_int(value) and 0 <= value < limit, f"{path}.{field}",
            f"must be an integer from 0 to {limit - 1} or null")
    return value


def _slot_list(value, path, slots):
    if value is None:
        return None
    _expect(isinstance(value, list), path, "must be a list of slot numbers")
    for j, s in enumerate(value):
        _expect(_is_int(s) and 0 <= s < slots, f"{path}[{j}]",
                f"must be a slot number from 0 to {slots - 1}")
    return value


def _identifier(item, path):
    value = item.get("id")
    _expect(isinstance(value, str) and value != "", path, "must be a non-empty string")
    return value


def _positive_int(data, field, path):
    value = data.get(field)
    _expect(_is_int(value) and value > 0, path, "must be a positive integer")
    return value


def _no_unknown(item, allowed, path):
    for key in item:
        _expect(key in allowed, path, f'unknown field "{key}"')


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _expect(condition, path, message):
    if not condition:
        raise InstanceError(path, message)
