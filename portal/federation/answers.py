"""Records checked against another that came after them: an answer (a decision its registration, a
meeting or a reply its request), every event-scoped record its event, and a record its person's
home portal writes (a registration, a request, a reply) that person's profile, or, for a person who
shares none, their registration for its event.

PROTOCOL.md section 5 has a receiver keep a record whose reference is not here yet, so a
decision, a meeting or a reply may come before the record it answers, and pass the check its
type's `fed_answer_problem()` makes against it; any event-scoped record may come before its
event, and pass its type's `fed_writer_problem()`, which says who writes for an event only once
the event is here, and who writes for a person only once their home is known. When that record
arrives, the peers' records already here that rely on it are checked as if they had come after it:
one that fails is quarantined and removed, its ledger row too (as a change refused on arrival
leaves none), and an answer that passes does what its hook held back until then (a meeting's mail
waits for its request); an event-scoped record that passes stays as it is. Our own records are not
checked.
"""
from typing import Callable, NamedTuple

from sqlalchemy import delete, select

from portal.federation import services
from portal.federation.models import Record
from portal.federation.records import REGISTRY, local_cluster

CHUNK = 500  # uids per IN (...) list


class Reliance(NamedTuple):
    """How the records of `model` that name a record in `column` are checked again when it arrives."""

    model: type
    column: object
    check: Callable  # (session, writer, data) -> why the writer may not write it, or None
    after: bool  # one that passes runs its after-apply hook: what it held back until then
    suspects: Callable = None  # (session, model, value) -> the records the check may refuse now
    named: Callable = None  # (session, uid) -> what `column` names of the record that arrived: its uid if None


def relying(fed_type):
    """The `Reliance` of each type whose check reads a record of `fed_type`: those answering one
    (their `fed_answers`); for an event, those of its scope (`event_uid` among the fields their
    writer check reads, `fed_fixed`: an event not here yet named no writer); for a person, those
    their home portal writes (`fed_home`: a person not here yet may have had no known home); for a
    registration, the same, by its person (a person who shares no profile has the home here of
    their registration for the event)."""
    from portal.events.writers import not_at_home, not_its_writers  # the events package holds the record types

    found = [Reliance(model, getattr(model, model.fed_answers[1]), model.fed_answer_problem, True)
             for model in REGISTRY.values() if model.fed_answers is not None and model.fed_answers[0] == fed_type]
    if fed_type == "event":
        found += [Reliance(model, model.event_uid, model.fed_writer_problem, False, not_its_writers)
                  for model in REGISTRY.values() if "event_uid" in model.fed_fixed]
    if fed_type in ("person", "registration"):
        named = None if fed_type == "person" else registered_person
        found += [Reliance(model, getattr(model, model.fed_home), model.fed_writer_problem, False, not_at_home, named)
                  for model in REGISTRY.values() if model.fed_home is not None]
    return found


def registered_person(session, uid):
    """The person of the registration `uid`, which has just arrived, if it makes its writer their home
    here (they share no profile: `person_home()`); None otherwise, nothing to check again."""
    from portal.directory.models import Person

    person_uid = session.get(REGISTRY["registration"], uid).person_uid
    return None if session.get(Person, person_uid) is not None else person_uid


def relied_on(session, fed_type, uids):
    """Those of these uids of `fed_type` records that a peer's record already here relies on (all of
    them where what the records name is not their uid: they may not be here yet to say)."""
    uids, found, reliances = list(uids), set(), relying(fed_type)
    if any(reliance.named is not None for reliance in reliances):
        return set(uids)
    for model, column, *_rest in reliances:
        for start in range(0, len(uids), CHUNK):
            found.update(session.scalars(select(column).where(
                column.in_(uids[start:start + CHUNK]), model.origin != local_cluster())))
    return found


def check_again(session, fed_type, uid):
    """Check the peers' records that rely on the `fed_type` record `uid`, which has just arrived: one
    query per type (for an event's thousands of records, only those its hosts may refuse are read),
    each record's check reading the fields it reads on arrival (`fed_fixed`)."""
    values = {None: uid}  # what the columns name, by `named` (for a registration: its person, read once)
    for model, column, check, after, suspects, named in relying(fed_type):
        if named not in values:
            values[named] = named(session, uid)
        value = values[named]
        if value is None:
            continue
        refused, query = [], select(model).where(column == value, model.origin != local_cluster())
        if suspects is not None:
            query = query.where(suspects(session, model, value))
        for record in session.scalars(query).all():
            problem = check(session, record.origin, {name: getattr(record, name) for name in model.fed_fixed})
            if problem is None:
                if after:
                    record.fed_after_apply(session)
                continue
            services.quarantine(record.origin, received_again(record), None,
                                f"{model.fed_type} {record.uid}: {problem}{services.WRITER_REFUSAL}")
            refused.append(record.uid)
        for start in range(0, len(refused), CHUNK):  # removed as a change refused on arrival leaves nothing
            part = refused[start:start + CHUNK]
            session.execute(delete(model).where(model.uid.in_(part)))
            session.execute(delete(Record).where(Record.type == model.fed_type, Record.uid.in_(part)))
        session.flush()


def received_again(record):
    """A replica as its change came (the ledger keeps no replica's data): what its quarantine entry
    keeps, and Retry applies again. Its feed position is not kept: 0, before any."""
    return {"seq": 0, "type": record.fed_type, "uid": record.uid, "origin": record.origin,
            "version": record.version, "updated_at": record.updated_at.isoformat(), "deleted": False,
            "data": record.fed_data()}
