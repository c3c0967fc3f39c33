"""Everything the portal holds about one member, as plain JSON (their own data only)."""
from sqlalchemy import or_, select

from portal.directory.models import Listing, Organisation, Person
from portal.directory.queries import public_person
from portal.events.local_models import EventInvitation, PitchProposal, RegistrantMessage
from portal.events.models import Event
from portal.events.registration_models import CheckIn, Registration, RegistrationDecision
from portal.extensions import db
from portal.meetings.models import CalendarToken, Meeting, MeetingReply, MeetingRequest, MeetingStar
from portal.surveys.models import SurveyInvite, SurveyOptOut, SurveyResponse
from portal.timeutil import iso_z


def my_data(user):
    """The member's account, profile, listings, registrations, meetings, pitch proposals, surveys
    (invitations and answers), the invitations mailed to them, and what they did as an organiser."""
    person = user.person
    data = {"account": _account(user), "person": _person(person) if person else None,
            "listings": [], "registrations": [], "meeting_requests": [], "meeting_replies": [],
            "meetings": [], "meeting_stars": [], "pitch_proposals": [], "survey_invitations": [],
            "survey_answers": [], "event_invitations": [], **_organiser(user)}
    if person is None:
        data["names"] = _names(data, None)
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
    data["meeting_stars"] = [{"request_uid": s.request_uid, "created_at": iso_z(s.created_at)}
                             for s in _all(select(MeetingStar).where(MeetingStar.person_uid == uid))]
    data["pitch_proposals"] = [_proposal(p) for p in _all(select(PitchProposal).where(PitchProposal.person_uid == uid))]
    invites = _all(select(SurveyInvite).where(SurveyInvite.person_uid == uid))
    data["survey_invitations"] = [_invite(i) for i in invites]
    answered = [i.response_uid for i in invites if i.response_uid]
    if answered:
        data["survey_answers"] = [_record(r) for r in _all(select(SurveyResponse).where(SurveyResponse.uid.in_(answered)))]
    data["event_invitations"] = [{"event_uid": i.event_uid, "segment": i.segment, "sent_at": iso_z(i.sent_at)}
                                 for i in _all(select(EventInvitation).where(EventInvitation.person_uid == uid))]
    data["names"] = _names(data, uid)
    return data


def _organiser(user):
    """What the member did as an organiser: the messages they sent registrants, the meetings they
    marked and the arrivals they checked in (the records name other people by uid only)."""
    return {
        "messages_sent": [{"event_uid": m.event_uid, "subject": m.subject, "body": m.body, "audience": m.audience,
                           "b2b_only": bool(m.b2b_only), "recipients": m.recipients, "sent_at": iso_z(m.sent_at)}
                          for m in _all(select(RegistrantMessage).where(RegistrantMessage.sent_by_user_id == user.id))],
        "meetings_marked": [{"meeting_uid": m.uid, "event_uid": m.event_uid, "status": m.status,
                             "marked_at": iso_z(m.marked_at)}
                            for m in _all(select(Meeting).where(Meeting.marked_by_user_id == user.id))],
        "check_ins_made": [{"registration_uid": c.registration_uid, "event_uid": c.event_uid,
                            "checked_in_at": iso_z(c.checked_in_at)}
                           for c in _all(select(CheckIn).where(CheckIn.by_user_id == user.id))]}


def _names(data, uid):
    """The people, organisations and events the records name by uid, by name, so that a reader can
    follow them: the other sides of meetings as this portal may show them, the member's organisation
    and their listings', the events by title."""
    people = {u for r in data["meeting_requests"] for u in (r["from_person_uid"], r["to_person_uid"])} - {uid}
    events = {r["event_uid"] for section in data.values() if isinstance(section, list)
              for r in section if r.get("event_uid")}
    organisations = {r.get("organisation_uid") for r in [data["person"] or {}, *data["listings"]]} - {None}
    return {"people": {p.uid: p.display_name for p in _all(select(Person).where(Person.uid.in_(people)))
                       if public_person(p)},
            "organisations": {o.uid: o.name for o in _all(select(Organisation).where(
                Organisation.uid.in_(organisations)))},
            "events": {e.uid: e.title for e in _all(select(Event).where(Event.uid.in_(events)))}}


def _all(query):
    return db.session.scalars(query).all()


def _account(user):
    return {"email": user.email, "role": user.role, "status": user.status, "language": user.language,
            "created_at": iso_z(user.created_at), "approved_at": iso_z(user.approved_at),
            "last_login_at": iso_z(user.last_login_at)}


def _person(person):
    data = _record(person)
    opt_out = db.session.get(SurveyOptOut, person.uid)
    calendar = db.session.get(CalendarToken, person.uid)
    data.update({"phone": person.phone, "share_profile": bool(person.share_profile),
                 "consent_changed_at": iso_z(person.consent_changed_at),
                 "survey_mail_stopped_at": iso_z(opt_out.created_at) if opt_out else None,
                 "calendar_address_changed_at": iso_z(calendar.changed_at) if calendar else None})
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
    check_in = db.session.scalar(select(CheckIn).where(CheckIn.registration_uid == registration.uid))
    data["checked_in_here_at"] = iso_z(check_in.checked_in_at) if check_in else None
    return data


def _proposal(proposal):
    return {"event_uid": proposal.event_uid, "listing_uid": proposal.listing_uid, "pitch": proposal.pitch,
            "status": proposal.status, "answer": proposal.answer, "agenda_item_uid": proposal.agenda_item_uid,
            "created_at": iso_z(proposal.created_at), "answered_at": iso_z(proposal.answered_at)}


def _invite(invite):
    return {"event_uid": invite.event_uid, "stage": invite.stage, "sent_at": iso_z(invite.sent_at),
            "reminded_at": iso_z(invite.reminded_at), "answered_at": iso_z(invite.answered_at),
            "response_uid": invite.response_uid}
