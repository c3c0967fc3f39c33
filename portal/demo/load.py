"""Loading generated demo data through the portal's own services."""
import random
from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import select

from portal.accounts.models import User
from portal.accounts.passwords import hash_password
from portal.demo.generate import demo_accounts, generate
from portal.directory.transfer import import_data
from portal.extensions import db


def load_profile(profile, seed, password, anchor=None):
    """Import one cluster's demo data (dated from `anchor`, by default today) and open its administrator
    and member accounts."""
    data = generate(profile, seed, anchor)
    report = import_data({key: data[key] for key in ("organisations", "people", "listings")})
    if report.problems:
        raise RuntimeError(f"demo data did not import: {report.problems[:3]}")
    logins = demo_accounts(profile, seed)
    admin = ensure_admin(logins["admin_email"], password, data)
    member = db.session.scalar(select(User).where(User.email == logins["member_email"]))
    member.password_hash = hash_password(password)
    member.status = "active"
    # Imported people who gave an e-mail get accounts (they claim them by password reset).
    for user in db.session.scalars(select(User).where(User.status == "pending")):
        user.status = "active"
    emails = {person["email"] for person in data["people"] if person.get("email")}
    day = anchor or date.today()
    date_accounts(emails | {admin.email}, day, seed)
    waiting = sign_up_waiting(profile, password, day)
    db.session.flush()
    return [report.summary(), f"administrator: {admin.email}", f"member: {member.email}",
            f"waiting for approval: {', '.join(user.email for user in waiting)}",
            f"cluster: {current_app.config['CLUSTER_NAME']}"]


# Two people per cluster who signed up in the last days, for the administrator to approve: one with
# a new organisation (not shown until then), one joining a member organisation (its e-mail domain).
WAITING = {
    "photonics": [("Maëlle Guivarc'h", "Co-founder", "maelle@lumenza-photonics.example",
                   {"name": "Lumenza Photonics", "kind": "technology_provider", "country": "FR", "city": "Lannion"}),
                  ("Erwan Tanguy", "Optical design engineer", "erwan.tanguy", "technology_provider")],
    "agrifood": [("Solène Le Bihan", "Quality manager", "solene.lebihan@conserverie-iroise.example",
                  {"name": "Conserverie de l'Iroise", "kind": "end_user", "country": "FR", "city": "Douarnenez"}),
                 ("Hugo Marchand", "Process engineer", "hugo.marchand", "integrator")],
    "health": [("Inès Ferreira", "Head of innovation", "ines.ferreira@clinique-loire.example",
                {"name": "Clinique de la Loire", "kind": "end_user", "country": "FR", "city": "Nantes"}),
               ("Paul Giraud", "Biomedical engineer", "paul.giraud", "integrator")],
}


def sign_up_waiting(profile, password, day):
    """The profile's `WAITING` people, signed up through the portal's own service a day or two
    before `day`; one joining an organisation joins the first of that kind by name that is no
    special guest, with an address at its domain. Returns their accounts."""
    from portal.accounts.services import sign_up
    from portal.directory.models import Organisation

    users = []
    for days, (name, job, email, organisation) in enumerate(WAITING[profile], start=1):
        if isinstance(organisation, dict):
            user = sign_up(email, password, name, job, new_organisation=organisation)
        else:
            joined = db.session.scalars(select(Organisation).where(
                Organisation.kind == organisation, Organisation.special_guest.is_(False))
                .order_by(Organisation.name)).first()
            domain = urlsplit(joined.website).hostname.removeprefix("www.")
            user = sign_up(f"{email}@{domain}", password, name, job, organisation_uid=joined.uid)
        user.created_at = datetime.combine(day - timedelta(days=days), time(9, 30, tzinfo=UTC))
        users.append(user)
    return users


def ensure_admin(email, password, data):
    from portal.directory.models import Organisation, Person

    admin = db.session.scalar(select(User).where(User.email == email))
    if admin is None:
        cluster_org = db.session.scalar(select(Organisation).where(Organisation.kind == "cluster"))
        person = Person(display_name=f"{current_app.config['CLUSTER_NAME']} team",
                        job_title="Cluster staff", organisation_uid=cluster_org.uid if cluster_org else None,
                        share_profile=True)
        db.session.add(person)
        db.session.flush()
        admin = User(email=email, role="admin", status="active", person_uid=person.uid)
        db.session.add(admin)
    admin.password_hash = hash_password(password)
    return admin


def date_accounts(emails, day, seed):
    """The demo's accounts joined over the three years before `day` (the same days for a seed),
    not all on the day the demo was built, and chose then whether to share their profile; the
    administrator first."""
    for user in db.session.scalars(select(User).where(User.email.in_(emails))):
        rng = random.Random(f"passerelle-demo-joined:{seed}:{user.email}")
        days = 1100 if user.role == "admin" else rng.randint(14, 1000)
        joined = datetime.combine(day - timedelta(days=days), time(8, tzinfo=UTC))
        user.created_at = user.approved_at = joined + timedelta(minutes=rng.randint(0, 540))
        if user.person is not None and user.person.consent_changed_at is not None:
            user.person.consent_changed_at = user.created_at
