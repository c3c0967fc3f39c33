"""Everything the portal holds about one member, as plain JSON (their own data only)."""
from sqlalchemy import or_, select

from portal.directory.models import Listing, Person
from portal.directory.queries import public_person
from portal.events.models import Event
from portal.events.registration_models import Registration, RegistrationDecision
from portal.extensions import db
from portal.meetings.models import Meeting, MeetingReply, MeetingRequest
from portal.surveys.models import SurveyInvite
from portal.timeutil import iso_z


def my_data(user):
    """The member's account, profile, listings, registrations, meetings and survey invitations."""
    person = user.person
    data = {"account": _account(user), "person": _person(person) if person else None,
            "listings": [], "registrations": [], "meeting_requests": [], "meeting_replies": [],
            "meetings": [], "survey_invitations": []}
    if person is None:
        return data
    uid = person.uid
    data["listings"] = [_record(listing) for listing in _all(select(Listing).where(Listing.person_uid == uid))]
    registrations = _all(select(Registration).where(Registration.person_uid == uid))
    data["registrations"] = [_registration(r) for r in registrations]
    requests = _all(select(MeetingRequest).where(
        or_(MeetingRequest.from_person_uid == uid, MeetingRequest.to_person_uid == uid)))
    data["meeting_requests"] = [_record(r) for r in requests]
    request_uids = [r.uid for r in requests]
    if request_uids:
        data["meeting_replies"] = [_record(r) for r in _all(
            select(MeetingReply).where(MeetingReply.request_uid.in_(request_uids)))]
        data["meetings"] = [_record(m) for m in _all(select(Meeting).where(Meeting.request_uid.in_(request_uids)))
                            if uid in (m.person_uids or [])]
    data["survey_invitations"] = [_invite(i) for i in _all(select(SurveyInvite).where(SurveyInvite.person_uid == uid))]
    data["names"] = _names(data, uid)
    return data


def _names(data, uid):
    """The people and events the records name by uid, by name, so that a reader can follow
    them: the other sides of meetings as this portal may show them, the events by title."""
    people = {u for r in data["meeting_requests"] for u in (r["from_person_uid"], r["to_person_uid"])} - {uid}
    events = {r["event_uid"] for kind in ("registrations", "meeting_requests", "meetings", "survey_invitations")
              for r in data[kind]}
    return {"people": {p.uid: p.display_name for p in _all(select(Person).where(Person.uid.in_(people)))
                       if public_person(p)},
            "events": {e.uid: e.title for e in _all(select(Event).where(Event.uid.in_(events)))}}


def _all(query):
    return db.session.scalars(query).all()


def _account(user):
    return {"email": user.email, "role": user.role, "status": user.status,
            "created_at": iso_z(user.created_at), "approved_at": iso_z(user.approved_at),
            "last_login_at": iso_z(user.last_login_at)}


def _person(person):
    data = _record(person)
    data.update({"phone": person.phone, "share_profile": bool(person.share_profile),
                 "consent_changed_at": iso_z(person.consent_changed_at)})
    return data


def _record(obj):
    """A federated record as the protocol knows it, with its identity."""
    data = {"uid": obj.uid, "origin": obj.origin, "version": obj.version,
            "updated_at": iso_z(obj.updated_at)}
    data.update(obj.local_data())
    return data


def _registration(registration):
    data = _record(registration)
    decision = db.session.scalar(select(RegistrationDecision).where(
        RegistrationDecision.registration_uid == registration.uid))
    data["decision"] = _record(decision) if decision else None
    return data


def _invite(invite):
    return {"event_uid": invite.event_uid, "stage": invite.stage, "sent_at": iso_z(invite.sent_at),
            "reminded_at": iso_z(invite.reminded_at), "answered_at": iso_z(invite.answered_at)}
