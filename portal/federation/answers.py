"""Records that answer another (a decision its registration, a meeting or a reply its request),
checked again when that one arrives after them.

PROTOCOL.md section 5 has a receiver keep a record whose reference is not here yet, so a
decision, a meeting or a reply may come before the record it answers, and pass the check its
type's `fed_answer_problem()` makes against it. When that record arrives, the peers' answers
already here are checked as if they had come after it: one that fails is quarantined and
removed, its ledger row too (as a change refused on arrival leaves none), and one that passes
does what its hook held back until then (a meeting's mail waits for its request).
"""
from sqlalchemy import delete, select

from portal.federation import services
from portal.federation.models import Record
from portal.federation.records import REGISTRY, local_cluster

CHUNK = 500  # uids per IN (...) list


def answering(fed_type):
    """(model, column) of the types whose records answer one of `fed_type` (their `fed_answers`)."""
    return [(model, getattr(model, model.fed_answers[1])) for model in REGISTRY.values()
            if model.fed_answers is not None and model.fed_answers[0] == fed_type]


def answered(session, fed_type, uids):
    """Those of these uids of `fed_type` records that a record already here answers."""
    uids, found = list(uids), set()
    for _model, column in answering(fed_type):
        for start in range(0, len(uids), CHUNK):
            found.update(session.scalars(select(column).where(column.in_(uids[start:start + CHUNK]))))
    return found


def check_answers(session, fed_type, uid):
    """Check the peers' records that answer the `fed_type` record `uid`, which has just arrived."""
    for model, column in answering(fed_type):
        for answer in session.scalars(select(model).where(column == uid, model.origin != local_cluster())).all():
            problem = model.fed_answer_problem(session, answer.origin, answer.fed_data())
            if problem is None:
                answer.fed_after_apply(session)
                continue
            services.quarantine(answer.origin, received_again(answer), None,
                                f"{model.fed_type} {answer.uid}: {problem}{services.WRITER_REFUSAL}")
            session.delete(answer)
            session.execute(delete(Record).where(Record.type == model.fed_type, Record.uid == answer.uid))
            session.flush()


def received_again(record):
    """A replica as its change came (the ledger keeps no replica's data): what its quarantine entry
    keeps, and Retry applies again. Its feed position is not kept: 0, before any."""
    return {"seq": 0, "type": record.fed_type, "uid": record.uid, "origin": record.origin,
            "version": record.version, "updated_at": record.updated_at.isoformat(), "deleted": False,
            "data": record.fed_data()}
