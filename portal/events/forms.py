"""Event forms: times are typed as wall-clock times in the event's own time zone."""
import re
from importlib.resources import files
from zoneinfo import available_timezones

from flask_babel import lazy_gettext as _l, lazy_pgettext
from flask_wtf import FlaskForm
from wtforms import (BooleanField, DateTimeLocalField, IntegerField, SelectField,
                     SelectMultipleField, StringField, TextAreaField)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from portal.events.constants import AGENDA_KINDS, ROLES, SELF_ROLES
from portal.events.formatting import span, to_aware, wall_clock
from portal.forms import CheckboxesField, CreationKey, options, strip
from portal.timeutil import utcnow

FORMAT = "%Y-%m-%dT%H:%M"
KNOWN_TIMEZONES = available_timezones() - {"localtime", "Factory"}


def canonical_timezones():
    """The zones to choose from: IANA's zone.tab (each country's zones) and UTC. zoneinfo also
    knows some 150 backward-compatible aliases ("US/Eastern", "Asia/Calcutta", "GB"), which
    only made the list longer and its choice ambiguous."""
    table = files("tzdata").joinpath("zoneinfo", "zone.tab").read_text(encoding="utf-8")
    zones = {line.split("\t")[2] for line in table.splitlines() if line and not line.startswith("#")}
    return sorted((zones & KNOWN_TIMEZONES) | {"UTC"})


TIMEZONES = canonical_timezones()

KIND_LABELS = {"opening": _l("Opening"), "keynote": _l("Keynote"), "pitch_offer": _l("Pitch: an offer"),
               "pitch_need": _l("Pitch: a need"), "break": _l("Break"), "b2b": _l("B2B meetings"),
               "other": _l("Other")}
ROLE_LABELS = {"attendee": _l("Attendee"), "speaker": _l("Speaker"), "special_guest": _l("Special guest"),
               "organiser": _l("Organiser")}
COST_LABELS = {"room": _l("Room"), "catering": _l("Catering"), "communication": _l("Communication"),
               "guest_travel": _l("Guests' travel"), "other": _l("Other")}
PROPOSAL_LABELS = {"proposed": _l("Proposed"), "accepted": _l("Accepted"), "declined": _l("Declined")}
DECISION_LABELS = {"confirmed": _l("Confirmed"), "waitlisted": _l("On the waiting list"),
                   "refused": _l("Refused"), None: _l("Awaiting the lead's decision")}


def when_field(label, required=True):
    return DateTimeLocalField(label, format=FORMAT, validators=[InputRequired() if required else Optional()])


class WindowField(DateTimeLocalField):
    """One end of a member's B2B window. When the B2B block lies within one day (the form sets
    `day`), it is typed as a time of that day (`<input type="time">`): a date there would only
    be the block's date again. A full date and time is still read."""

    day = None

    def process_formdata(self, valuelist):
        if self.day is not None and valuelist and TIME_OF_DAY.fullmatch(valuelist[0]):
            valuelist = [f"{self.day.isoformat()}T{valuelist[0]}"]
        try:
            super().process_formdata(valuelist)
        except ValueError:
            if self.day is None:
                raise
            raise ValueError(_l("Give a time of day, such as 14:30.")) from None

    def _value(self):
        if self.day is not None and not self.raw_data and self.data is not None and self.data.date() == self.day:
            return self.data.strftime("%H:%M")
        return super()._value()

    def on_day(self, day, first, last):
        """Typed as a time of `day`, from `first` to `last` (wall-clock datetimes)."""
        self.day = day
        self.render_kw = {"type": "time", "min": first.strftime("%H:%M"), "max": last.strftime("%H:%M")}


TIME_OF_DAY = re.compile(r"\d{2}:\d{2}")


class ZonedForm(FlaskForm):
    """A form whose datetime-local fields are read in `zone_name()`."""

    def zone_name(self):
        raise NotImplementedError

    def aware(self, field):
        """The field as an aware datetime, or None with an error when the time does not exist."""
        if field.data is None:
            return None
        value = to_aware(field.data, self.zone_name())
        if value is None:
            field.errors = list(field.errors) + [_l("This time does not exist in %(zone)s (a daylight saving change).",
                                                    zone=self.zone_name())]
        return value


class EventForm(ZonedForm):
    key = CreationKey()  # a new event's uid (an edit ignores it)
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)], filters=[strip])
    topic = StringField(_l("Topic"), validators=[Optional(), Length(max=200)], filters=[strip])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=20000)], filters=[strip])
    timezone = SelectField(_l("Time zone"), choices=options((z, z) for z in TIMEZONES), default="Europe/Paris",
                           description=_l("Every time of this event is in this zone."))
    starts_at = when_field(_l("Starts"))
    ends_at = when_field(_l("Ends"))
    venue_name = StringField(_l("Venue"), validators=[Optional(), Length(max=200)], filters=[strip])
    venue_address = StringField(_l("Address"), validators=[Optional(), Length(max=300)], filters=[strip])
    venue_city = StringField(_l("City"), validators=[Optional(), Length(max=120)], filters=[strip])
    venue_country = SelectField(_l("Country"), choices=[], validators=[Optional()])  # choices: `prepare`
    capacity = IntegerField(_l("Capacity"), default=100, validators=[InputRequired(), NumberRange(min=1, max=100000)])
    registration_open = BooleanField(_l("Registration open"), default=True)
    registration_closes_at = DateTimeLocalField(
        _l("Registration closes"), format=FORMAT, validators=[Optional()],
        description=_l("Optional. From this time on, registration is closed on every host's portal."))
    co_hosts = CheckboxesField(_l("Co-hosts"), choices=[],
                               description=_l("Confirmed partner clusters that host this event with you."))
    b2b_enabled = BooleanField(_l("B2B meetings"), description=_l(
        "The agenda's B2B block shows these times: moving it there changes them, and turning B2B off cancels it."))
    b2b_starts_at = when_field(_l("B2B block starts"), required=False)
    b2b_ends_at = when_field(_l("B2B block ends"), required=False)
    b2b_slot_minutes = IntegerField(_l("Slot length (minutes)"), default=20, validators=[NumberRange(min=5, max=240)])
    b2b_tables = IntegerField(_l("Tables"), default=10, validators=[NumberRange(min=1, max=1000)])
    template = SelectField(_l("Start from"), choices=[], validate_choice=False)

    def zone_name(self):
        return self.timezone.data if self.timezone.data in KNOWN_TIMEZONES else "UTC"

    def values(self):
        """The form as model fields (aware datetimes), or None when a time is invalid."""
        values = {name: getattr(self, name).data for name in (
            "title", "topic", "description", "timezone", "venue_name", "venue_address", "venue_city",
            "capacity", "registration_open", "b2b_enabled", "b2b_slot_minutes", "b2b_tables")}
        values["venue_country"] = (self.venue_country.data or "").upper()
        values["co_hosts"] = list(self.co_hosts.data or [])
        times = (self.starts_at, self.ends_at, self.registration_closes_at, self.b2b_starts_at, self.b2b_ends_at)
        for field in times:
            values[field.short_name] = self.aware(field)
        if any(field.errors for field in times):
            return None
        return values if self._check_order(values) else None

    def _check_order(self, v):
        """The times in order; a time left empty has its own error already."""
        if v["starts_at"] is None or v["ends_at"] is None:
            return False
        ok = True
        if v["ends_at"] <= v["starts_at"]:
            self.ends_at.errors = list(self.ends_at.errors) + [_l("The end must come after the start.")]
            ok = False
        closes = v["registration_closes_at"]
        if closes is not None and closes >= v["ends_at"]:
            self.registration_closes_at.errors = list(self.registration_closes_at.errors) + [
                _l("Registration must close before the event ends.")]
            ok = False
        elif closes is not None and v["registration_open"] and closes <= utcnow():
            # Saved so, registration would close at once (`services.close_registration_if_due`).
            self.registration_closes_at.errors = list(self.registration_closes_at.errors) + [
                _l("This time has passed: move it or clear it to keep registration open.")]
            ok = False
        if not v["b2b_enabled"]:
            return ok
        if v["b2b_starts_at"] is None or v["b2b_ends_at"] is None:
            template = getattr(self, "template", None)  # only on creation
            if template is None or template.data != "formula":  # the formula's B2B slot sets the block
                self.b2b_starts_at.errors = list(self.b2b_starts_at.errors) + [
                    _l("Give the start and end of the B2B block.")]
                ok = False
        elif not (v["starts_at"] <= v["b2b_starts_at"] < v["b2b_ends_at"] <= v["ends_at"]):
            self.b2b_ends_at.errors = list(self.b2b_ends_at.errors) + [
                _l("The B2B block must lie inside the event and end after it starts.")]
            ok = False
        return ok


#: The kind of listing a pitch presents, and what is said when the one chosen is not of that kind.
PITCHED = {"pitch_offer": "offer", "pitch_need": "need"}
PITCHED_ERRORS = {"pitch_offer": _l("An offer's pitch presents an offer: choose one among the offers."),
                  "pitch_need": _l("A need's pitch presents a need: choose one among the needs.")}


class AgendaItemForm(ZonedForm):
    key = CreationKey()  # a new item's uid (an edit ignores it)
    starts_at = when_field(_l("Starts"))
    ends_at = when_field(_l("Ends"))
    kind = SelectField(_l("Kind"), choices=options((k, KIND_LABELS[k]) for k in AGENDA_KINDS), default="other")
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    speakers = SelectMultipleField(_l("Speakers"), choices=[], validate_choice=True)
    listing_uid = SelectField(_l("Listing pitched"), choices=[], default="")

    def __init__(self, *args, event=None, people=(), listings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        groups = {True: _l("Registered for this event"), False: _l("Other people of the host clusters")}
        self.speakers.choices = [SelectChoice(person.uid, with_organisation(person.display_name, person),
                                              optgroup=groups[registered])
                                 for person, registered in people]
        groups = {"offer": _l("Offers"), "need": _l("Needs")}
        # Two organisations may offer the same title: the organisation tells them apart.
        self.listing_uid.choices = [SelectChoice("", "—")] + [
            SelectChoice(item.uid, with_organisation(item.title, item), optgroup=groups.get(item.kind))
            for item in listings]
        self.listing_kinds = {item.uid: item.kind for item in listings}

    def zone_name(self):
        return self.event.timezone

    def values(self):
        start, end = self.aware(self.starts_at), self.aware(self.ends_at)
        if start is None or end is None:
            return None
        if end <= start:
            self.ends_at.errors = list(self.ends_at.errors) + [_l("The end must come after the start.")]
            return None
        pitched, chosen = PITCHED.get(self.kind.data), self.listing_kinds.get(self.listing_uid.data)
        if pitched and chosen and chosen != pitched:
            self.listing_uid.errors = list(self.listing_uid.errors) + [PITCHED_ERRORS[self.kind.data]]
            return None
        return {"starts_at": start, "ends_at": end, "kind": self.kind.data, "title": self.title.data.strip(),
                "speaker_person_uids": list(self.speakers.data or []), "listing_uid": self.listing_uid.data or None}


class RegistrationForm(ZonedForm):
    role = SelectField(_l("I come as"), default="attendee", validate_choice=False)
    b2b = BooleanField(_l("I want B2B meetings"))
    available_from = WindowField(_l("From"), format=FORMAT, validators=[Optional()])
    available_until = WindowField(_l("Until"), format=FORMAT, validators=[Optional()])
    consent = BooleanField(_l("I agree"), validators=[DataRequired(_l("Your agreement is needed to register."))])

    def __init__(self, *args, event=None, registration=None, **kwargs):
        if registration is not None:  # a change (the agreement stands), or registering again after cancelling
            data = {"b2b": registration.b2b,
                    "available_from": wall_clock(registration.available_from, event.timezone),
                    "available_until": wall_clock(registration.available_until, event.timezone)}
            if registration.active:
                data.update(role=registration.role, consent=True)
            elif registration.role in SELF_ROLES:
                data.update(role=registration.role)
            kwargs.setdefault("data", data)
        self.event = event
        super().__init__(*args, **kwargs)
        self.allowed_roles = self.roles_for(registration)
        self.role.choices = options((r, ROLE_LABELS[r]) for r in self.allowed_roles)
        if event.b2b_enabled and self.available_from.data is None and not self.is_submitted():
            self.available_from.data = wall_clock(event.b2b_starts_at, event.timezone)
            self.available_until.data = wall_clock(event.b2b_ends_at, event.timezone)

    def process(self, *args, **kwargs):
        """A B2B block within one day: the window's ends are its times, told so before they read
        what was typed."""
        event = self.event
        if event.b2b_enabled:
            block = (wall_clock(event.b2b_starts_at, event.timezone), wall_clock(event.b2b_ends_at, event.timezone))
            if block[0].date() == block[1].date():
                self.available_from.on_day(block[0].date(), *block)
                self.available_until.on_day(block[0].date(), *block)
        super().process(*args, **kwargs)

    @staticmethod
    def roles_for(registration):
        """The member's own choices, plus a role the organisers gave them (kept when they update)."""
        given = registration.role if registration is not None and registration.active else None
        return SELF_ROLES + ((given,) if given in ROLES and given not in SELF_ROLES else ())

    def zone_name(self):
        return self.event.timezone

    def validate_role(self, field):
        if field.data not in self.allowed_roles:
            raise ValidationError(_l("Organisers give this role; choose attendee or speaker."))

    def validate_b2b(self, field):
        if field.data and not self.event.b2b_enabled:
            raise ValidationError(_l("This event has no B2B meetings."))

    def values(self):
        """Role, B2B choice and window (inside the B2B block), or None with errors."""
        event = self.event
        b2b = bool(self.b2b.data) and event.b2b_enabled  # ticked without B2B: validate_b2b says so
        start, end = self.aware(self.available_from), self.aware(self.available_until)
        if self.available_from.errors or self.available_until.errors:
            return None
        if b2b:
            start, end = start or event.b2b_starts_at, end or event.b2b_ends_at
            if not (event.b2b_starts_at <= start < end <= event.b2b_ends_at):
                self.available_until.errors = list(self.available_until.errors) + [
                    _l("Your window must lie inside the B2B block, %(span)s, and end after it starts.",
                       span=span(event.b2b_starts_at, event.b2b_ends_at, event.timezone))]
                return None
        return {"role": self.role.data, "b2b": b2b, "available_from": start if b2b else None,
                "available_until": end if b2b else None}


class NameForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])


class MessageForm(FlaskForm):
    message = TextAreaField(_l("Message"), validators=[Optional(), Length(max=2000)])


class RoleForm(FlaskForm):
    """An organiser's choice of role, any of them: special guests and organisers get theirs so."""

    role = SelectField(_l("Role"), choices=options((r, ROLE_LABELS[r]) for r in ROLES))


class AttendeeFilterForm(FlaskForm):
    """The attendee list's search and filters (GET, no CSRF): `cluster_choices` sets the clusters."""

    class Meta:
        csrf = False

    # Their ids are their own: the page's form to register someone has a "role" too.
    q = StringField(_l("Name or organisation"), id="filter-q", filters=[strip],
                    validators=[Optional(), Length(max=200)])
    status = SelectField(_l("Decision"), id="filter-status", validate_choice=False, choices=options([
        ("", lazy_pgettext("decision", "All")), ("confirmed", DECISION_LABELS["confirmed"]),
        ("waitlisted", DECISION_LABELS["waitlisted"]), ("pending", DECISION_LABELS[None]),
        ("refused", DECISION_LABELS["refused"]), ("cancelled", lazy_pgettext("registration", "Cancelled"))]))
    cluster = SelectField(_l("Home cluster"), id="filter-cluster", choices=[], validate_choice=False)
    role = SelectField(_l("Role"), id="filter-role", validate_choice=False,
                       choices=options([("", _l("All"))] + [(r, ROLE_LABELS[r]) for r in ROLES]))
    b2b = SelectField(_l("B2B"), id="filter-b2b", validate_choice=False, choices=options([
        ("", _l("All")), ("yes", _l("Yes")), ("no", _l("No"))]))
    checked_in = SelectField(_l("Checked in"), id="filter-checked-in", validate_choice=False, choices=options([
        ("", _l("All")), ("yes", _l("Yes")), ("no", _l("No"))]))

    def cluster_choices(self, clusters, names):
        self.cluster.choices = options([("", _l("All clusters"))] + [(c, names.get(c, c)) for c in clusters])

    def criteria(self):
        """The filters set, as `queries.filter_attendees` takes them."""
        return {"text": (self.q.data or "")[:200], "status": self.status.data,
                "cluster": self.cluster.data, "role": self.role.data, "b2b": self.b2b.data,
                "checked_in": self.checked_in.data}


class OnBehalfForm(RoleForm):
    """An organiser registers one of this portal's people (`people`: (uid, label) not registered yet)."""

    person_uid = SelectField(_l("Person"), choices=[])

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.person_uid.choices = options(people)


class ProposalForm(FlaskForm):
    """`offered`: the listings a pitch may present, the choices; `listings`: all the member's, so
    that one closed since the page was shown is refused by the service, saying why."""

    listing_uid = SelectField(_l("Listing to pitch"), choices=[], validate_choice=False)
    pitch = TextAreaField(_l("What you will present, in a few lines"), validators=[DataRequired(), Length(max=2000)])

    def __init__(self, *args, listings=(), offered=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.listings = {item.uid: item for item in listings}
        self.listing_uid.choices = options((item.uid, item.title) for item in offered)

    def validate_listing_uid(self, field):
        if field.data not in self.listings:
            raise ValidationError(_l("Choose one of your organisation's listings."))


def with_organisation(label, record):
    """"Title · Organisation" for a choice: the record's organisation, when it is known here."""
    return " · ".join(filter(None, [label, getattr(record.organisation, "name", "")]))
