"""Every model of the portal, imported once so that SQLAlchemy and Alembic see all tables."""
from portal.accounts.models import User  # noqa: F401
from portal.directory.models import Listing, Organisation, Person  # noqa: F401
from portal.mail.models import OutboxMessage  # noqa: F401
from portal.federation.models import Counter, EventHost, Nonce, Peer, Quarantine, Record, Setting  # noqa: F401
from portal.events import local_models, models as event_models, registration_models  # noqa: F401
from portal.meetings import models as meeting_models  # noqa: F401
from portal.surveys import models as survey_models  # noqa: F401
from portal.privacy.models import SharePull, ShareRecord  # noqa: F401
