"""The events feature's vocabularies, shared by models, schemas and forms."""

EVENT_STATUSES = ("scheduled", "cancelled")  # as published (a peer never sees a draft)
#: An event created here and not published yet: local only, withheld from every peer.
DRAFT = "draft"
AGENDA_KINDS = ("opening", "keynote", "pitch_offer", "pitch_need", "break", "b2b", "other")
ROLES = ("attendee", "speaker", "special_guest", "organiser")
#: The roles a member may choose when registering; the others are given by the organisers.
SELF_ROLES = ("attendee", "speaker")
REGISTRATION_STATUSES = ("registered", "cancelled")
DECISIONS = ("confirmed", "waitlisted", "refused")
COST_CATEGORIES = ("room", "catering", "communication", "guest_travel", "other")
